"""One reminder pass, for cron where no beat runs; then the due notification deliveries."""

from django.core.management.base import BaseCommand

from appointments.services import appointment_reminders_send
from notifications.services import notifications_deliver_due


class Command(BaseCommand):
    help = ("Remind every confirmed appointment due within REMINDER_HOURS (each once), then "
            "deliver the notifications that are due (new, retried or left by a killed worker).")

    def handle(self, *args, **options):
        reminded = appointment_reminders_send()
        delivered = notifications_deliver_due()
        self.stdout.write(f"{reminded} reminder(s) queued, {delivered} delivery attempt(s).")
