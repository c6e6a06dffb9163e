"""Concurrent releases and result entries of one order leave one consistent state (PostgreSQL)."""

import threading
from importlib import import_module

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection

from laboratory.models import LabOrder, LabOrderEvent
from tests.conftest import client_for
from tests.factories.laboratory import LabTechnicianFactory, lab_order

THREADS = 8
Status = LabOrder.Status

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises every writer; the race needs PostgreSQL's concurrent sessions.",
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _catalog(transactional_db):
    """The transactional flush removes the catalog the data migration loads; load it again."""
    import_module("laboratory.migrations.0002_initial_catalog").load(apps, None)


def race(requests) -> list[tuple[int, str | None]]:
    barrier = threading.Barrier(len(requests))
    results = []

    def send(client, path, body):
        try:
            barrier.wait()
            response = client.post(path, body)
            results.append((response.status_code, response.json().get("code")))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_a_double_release_releases_once_and_notifies_once(doctor, patient):
    lab = LabTechnicianFactory()
    order = lab_order(patient=patient, doctor=doctor, lab=lab, status=Status.RESULTED)
    mail.outbox.clear()
    clients = [client_for(lab) for _ in range(THREADS)]
    clients[0] = client_for(doctor.user)

    results = race([(client, f"/api/lab-orders/{order.pk}/release/", {}) for client in clients])

    assert sorted(results, key=lambda r: r[0]) == (
        [(200, None)] + [(409, "invalid_transition")] * (THREADS - 1))
    order.refresh_from_db()
    assert order.status == Status.RELEASED
    assert LabOrderEvent.objects.filter(order=order, action="release").count() == 1
    assert len(mail.outbox) == 1


def test_a_double_result_entry_leaves_one_set_of_values_and_one_transition(doctor, patient):
    lab = LabTechnicianFactory()
    order = lab_order(patient=patient, doctor=doctor, lab=lab, status=Status.COLLECTED)
    items = list(order.items.order_by("position"))
    bodies = [{"results": [{"item": str(item.pk), "value": f"{13 + n}.5"} for item in items]}
              for n in range(THREADS)]

    results = race([(client_for(lab), f"/api/lab-orders/{order.pk}/results/", body)
                    for body in bodies])

    assert [status for status, _ in results] == [200] * THREADS
    order.refresh_from_db()
    assert order.status == Status.RESULTED and order.resulted_at is not None
    values = {item.value for item in order.items.all()}
    assert len(values) == 1  # every item carries the same (last committed) entry
    assert LabOrderEvent.objects.filter(order=order, to_status=Status.RESULTED,
                                        from_status=Status.COLLECTED).count() == 1
