"""Delete stored idempotent responses older than 24 hours (they are ignored already)."""

from django.core.management.base import BaseCommand

from trust.idempotency import idempotency_records_expired


class Command(BaseCommand):
    help = "Delete Idempotency-Key records older than 24 hours."

    def handle(self, *args, **options):
        deleted, _ = idempotency_records_expired().delete()
        self.stdout.write(f"Deleted {deleted} expired idempotency record(s).")
