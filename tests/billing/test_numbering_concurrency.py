"""Invoices issued at the same moment get distinct, consecutive numbers (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, connections

from billing import services
from billing.models import Invoice, InvoiceCounter
from tests.factories.accounts import AdminFactory, PatientProfileFactory
from tests.factories.billing import example_invoice

PARALLEL = 12


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite serialises every writer; the row lock is PostgreSQL's to prove")
@pytest.mark.django_db(transaction=True)
def test_parallel_issuing_gives_distinct_consecutive_numbers():
    admin = AdminFactory()
    patient = PatientProfileFactory()
    drafts = [example_invoice(patient, created_by=admin) for _ in range(PARALLEL)]
    start = threading.Barrier(PARALLEL)
    errors = []

    def issue(invoice):
        try:
            start.wait()
            services.invoice_issue(invoice=invoice, actor=admin)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    year = numbers[0].split("-")[0]
    assert numbers == [f"{year}-{n:06d}" for n in range(1, PARALLEL + 1)]
    assert InvoiceCounter.objects.get(year=int(year)).last == PARALLEL
