"""Read replica routing: which reads go to the replica, read-your-writes, and falling back.

The suite's `replica` alias mirrors the test database, so these tests prove the routing
decisions (the `X-DB-Route` header and the queries each connection ran); the cluster test
(scripts/cluster) proves them against a real streaming replica.
"""

from unittest import mock

import pytest
from django.db import OperationalError, connections, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from rest_framework.test import APIClient

from accounts.models import User
from hospital import replica
from tests.conftest import client_for
from tests.factories.appointments import AppointmentFactory, future_slot, working_every_day

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

ROUTED = override_settings(REPLICA_ENABLED=True, REPLICA_ROUTE_HEADER=True)


@pytest.fixture(autouse=True)
def _replica_healthy():
    """Each test starts with a replica that answers, checked afresh."""
    replica.health._checked_at = 0.0
    yield
    replica.health._checked_at = 0.0


@pytest.fixture
def booked(doctor, patient):
    working_every_day(doctor)
    return AppointmentFactory(patient=patient, doctor=doctor, start=future_slot(1, 9))


def test_router_sends_plain_reads_of_a_routed_request_to_the_replica():
    router = replica.ReplicaRouter()
    token = replica._read_alias.set(replica.REPLICA)
    try:
        assert router.db_for_read(User) == "replica"
        assert router.db_for_write(User) == "default"
        with transaction.atomic():
            assert router.db_for_read(User) == "default"
        with replica.primary_reads():
            assert router.db_for_read(User) == "default"
    finally:
        replica._read_alias.reset(token)
    assert router.db_for_read(User) == "default"
    assert router.allow_migrate("replica", "accounts") is False
    assert router.allow_migrate("default", "accounts") is True


def test_without_a_replica_nothing_is_routed(patient, booked):
    response = client_for(patient.user).get("/api/appointments/")
    assert response.status_code == 200
    assert "X-DB-Route" not in response


@ROUTED
def test_list_and_detail_reads_go_to_the_replica(patient, booked):
    client = client_for(patient.user)
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        listed = client.get("/api/appointments/")
        detail = client.get(f"/api/appointments/{booked.id}/")
    assert listed.status_code == 200 and detail.status_code == 200
    assert listed["X-DB-Route"] == "replica" and detail["X-DB-Route"] == "replica"
    assert [row["id"] for row in listed.json()["results"]] == [str(booked.id)]
    sql = " ".join(query["sql"] for query in on_replica.captured_queries)
    assert "appointments_appointment" in sql


@ROUTED
def test_the_user_read_and_the_audit_insert_stay_on_the_primary(patient, booked):
    client = client_for(patient.user)
    with CaptureQueriesContext(connections["replica"]) as on_replica, \
            CaptureQueriesContext(connections["default"]) as on_primary:
        assert client.get("/api/appointments/").status_code == 200
    replica_sql = [query["sql"] for query in on_replica.captured_queries]
    primary_sql = [query["sql"] for query in on_primary.captured_queries]
    assert not any('FROM "accounts_user"' in sql for sql in replica_sql)
    assert not any("INSERT" in sql for sql in replica_sql)
    assert any('FROM "accounts_user"' in sql for sql in primary_sql)
    assert any("INSERT" in sql and "trust_auditevent" in sql for sql in primary_sql)


@ROUTED
def test_a_user_reads_her_own_write_from_the_primary(patient, booked):
    client = client_for(patient.user)
    assert client.get("/api/appointments/")["X-DB-Route"] == "replica"
    cancelled = client.post(f"/api/appointments/{booked.id}/cancel/", {"reason": "Travelling"})
    assert cancelled.status_code == 200
    after = client.get(f"/api/appointments/{booked.id}/")
    assert after["X-DB-Route"] == "primary"
    assert after.json()["status"] == "cancelled"


@ROUTED
def test_only_the_writer_is_pinned(patient, doctor, booked):
    client_for(patient.user).post(f"/api/appointments/{booked.id}/cancel/", {"reason": "Travelling"})
    assert client_for(doctor.user).get("/api/appointments/")["X-DB-Route"] == "replica"


@ROUTED
def test_the_pin_ends_after_its_time(patient, booked):
    client = client_for(patient.user)
    client.post(f"/api/appointments/{booked.id}/cancel/", {"reason": "Travelling"})
    assert client.get("/api/appointments/")["X-DB-Route"] == "primary"
    replica.cache.delete(replica.pin_key(patient.user.id))
    assert client.get("/api/appointments/")["X-DB-Route"] == "replica"


@ROUTED
def test_writes_health_and_documents_are_never_routed(patient, admin_user):
    client = client_for(patient.user)
    assert client.get("/api/health/")["X-DB-Route"] == "primary"
    assert client.get("/api/schema/")["X-DB-Route"] == "primary"
    assert client.patch("/api/me/", {"first_name": "Caro"})["X-DB-Route"] == "primary"


@ROUTED
def test_an_unusable_replica_is_skipped(patient, booked):
    with mock.patch.object(replica.health, "_probe", return_value=False):
        response = client_for(patient.user).get("/api/appointments/")
    assert response.status_code == 200
    assert response["X-DB-Route"] == "primary"


@ROUTED
def test_a_lagging_replica_is_skipped(patient, booked, settings):
    settings.REPLICA_MAX_LAG_SECONDS = 10
    with mock.patch.object(replica.ReplicaHealth, "_lag_seconds", return_value=60.0):
        response = client_for(patient.user).get("/api/appointments/")
    assert response["X-DB-Route"] == "primary"
    replica.health._checked_at = 0.0
    with mock.patch.object(replica.ReplicaHealth, "_lag_seconds", return_value=2.0):
        response = client_for(patient.user).get("/api/appointments/")
    assert response["X-DB-Route"] == "replica"


@ROUTED
def test_a_read_that_fails_on_the_replica_is_answered_from_the_primary(patient, booked):
    real_cursor = connections["replica"].cursor
    calls = {"n": 0}

    def failing_cursor(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 1:  # the probe passes, the read itself fails
            raise OperationalError("server closed the connection unexpectedly")
        return real_cursor(*args, **kwargs)

    client = APIClient(raise_request_exception=False)
    client.credentials(**client_for(patient.user)._credentials)
    with mock.patch.object(connections["replica"], "cursor", failing_cursor):
        response = client.get("/api/appointments/")
    assert response.status_code == 200
    assert response["X-DB-Route"] == "primary"
    assert [row["id"] for row in response.json()["results"]] == [str(booked.id)]
    assert calls["n"] >= 2
    assert replica.health._usable is False


@ROUTED
def test_a_deactivated_user_is_refused_even_when_reads_are_routed(patient, booked):
    client = client_for(patient.user)
    User.objects.filter(pk=patient.user.pk).update(is_active=False)
    assert client.get("/api/appointments/").status_code == 401
