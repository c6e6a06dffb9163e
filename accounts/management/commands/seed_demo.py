"""Load demo data (idempotent) and print the logins."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_PASSWORD

# Each step's `seed(people)` adds its app's demo rows and returns lines to print.
DEMO_STEPS = [
    "accounts.demo",
    "appointments.demo",
    "clinical.demo",
    "laboratory.demo",
    "billing.demo",
]


class Command(BaseCommand):
    help = "Load demo data: an admin, doctors with schedules, patients, appointments, records, invoices."

    @transaction.atomic
    def handle(self, *args, **options):
        people: dict = {}
        lines: list[str] = []
        for step in DEMO_STEPS:
            lines += import_module(step).seed(people)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins (password for all: "
                                             f"{DEMO_PASSWORD}):"))
        for line in lines:
            self.stdout.write(f"  {line}")
