"""Load demo data (idempotent) and print the logins; refuses a production database by default."""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.demo import PASSWORDS

# Each step's `seed(people)` adds its app's demo rows and returns lines to print.
DEMO_STEPS = [
    "accounts.demo",
    "appointments.demo",
    "clinical.demo",
    "laboratory.demo",
    "billing.demo",
]
PRODUCTION_FLAG = "--i-know-this-is-production"


class Command(BaseCommand):
    help = (
        "Load demo data: an admin, doctors with schedules, patients, appointments, records, "
        "invoices. With debug off it refuses unless given "
        f"{PRODUCTION_FLAG}, and then gives every new account a random password, printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            PRODUCTION_FLAG, dest="production", action="store_true",
            help="Seed although DJANGO_DEBUG is off; new accounts get random passwords.",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        if not settings.DEBUG and not options["production"]:
            raise CommandError(
                "DJANGO_DEBUG is off: this looks like a production database. Demo accounts with "
                f"known passwords would be a way in. Pass {PRODUCTION_FLAG} to seed anyway with "
                "random passwords."
            )
        people: dict = {"random_passwords": not settings.DEBUG}
        lines: list[str] = []
        for step in DEMO_STEPS:
            lines += import_module(step).seed(people)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins:"))
        for line in lines:
            self.stdout.write(f"  {line}")
        passwords = people.get(PASSWORDS, {})
        if not passwords:
            self.stdout.write("No account was created: the passwords are those of the first run.")
            return
        if people["random_passwords"]:
            self.stdout.write(self.style.WARNING(
                "Passwords of the new accounts, shown this once (store them or change them):"))
        else:
            self.stdout.write("Passwords of the new accounts:")
        for username, password in passwords.items():
            self.stdout.write(f"  {username:<12} {password}")
