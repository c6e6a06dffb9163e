"""`/api/admin/audit-events/` and `/api/me/access-log/`: who may read the trail, its shape, filters."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from tests.factories.accounts import PatientProfileFactory
from tests.factories.trust import audit_event
from trust.models import AppendOnlyError, AuditEvent

pytestmark = pytest.mark.django_db

AUDIT_URL = "/api/admin/audit-events/"
ACCESS_LOG_URL = "/api/me/access-log/"


def ids(response) -> list[str]:
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anon", 401), ("pending_patient", 401), ("patient", 403), ("doctor", 403),
     ("admin_user", 200)],
)
def test_only_admins_query_the_audit_trail(request, api, anon, persona, expected):
    client = anon if persona == "anon" else api(_user(request.getfixturevalue(persona)))

    assert client.get(AUDIT_URL).status_code == expected


def _user(persona):
    return getattr(persona, "user", persona)


def test_event_shape(api, admin_user, doctor, patient):
    event = audit_event(actor=doctor.user, patient=patient, object_id=str(patient.pk),
                        ip="10.0.0.7", request_id="req-1")

    response = api(admin_user).get(AUDIT_URL)

    assert response.status_code == 200
    assert response.json()["results"] == [{
        "id": str(event.pk), "at": response.json()["results"][0]["at"],
        "actor": {"id": str(doctor.user.pk), "username": "bob_doctor", "role": "doctor"},
        "action": "read", "object_type": "patient", "object_id": str(patient.pk),
        "patient": str(patient.pk), "ip": "10.0.0.7", "request_id": "req-1",
    }]
    assert datetime.datetime.fromisoformat(response.json()["results"][0]["at"]) == event.at


def test_events_are_newest_first(api, admin_user):
    now = timezone.now()
    old = audit_event(at=now - datetime.timedelta(hours=2))
    new = audit_event(at=now)

    assert ids(api(admin_user).get(AUDIT_URL)) == [str(new.pk), str(old.pk)]


def test_filters_by_actor_patient_and_action(api, admin_user, doctor, other_doctor, patient,
                                             other_patient):
    mine = audit_event(actor=doctor.user, patient=patient, action="read")
    audit_event(actor=other_doctor.user, patient=patient, action="read")
    audit_event(actor=doctor.user, patient=other_patient, action="read")
    written = audit_event(actor=doctor.user, patient=patient, action="update")
    client = api(admin_user)

    by_actor_and_patient = client.get(AUDIT_URL, {"actor": doctor.user.pk, "patient": patient.pk})
    by_action = client.get(AUDIT_URL, {"action": "update"})

    assert set(ids(by_actor_and_patient)) == {str(mine.pk), str(written.pk)}
    assert ids(by_action) == [str(written.pk)]


def test_filters_by_local_date_range(api, admin_user):
    tz = timezone.get_current_timezone()
    day = datetime.date(2026, 3, 10)
    before = audit_event(at=datetime.datetime(2026, 3, 9, 23, 59, tzinfo=tz))
    first = audit_event(at=datetime.datetime(2026, 3, 10, 0, 0, tzinfo=tz))
    last = audit_event(at=datetime.datetime(2026, 3, 11, 23, 59, tzinfo=tz))
    after = audit_event(at=datetime.datetime(2026, 3, 12, 0, 0, tzinfo=tz))
    client = api(admin_user)

    in_range = client.get(AUDIT_URL, {"date_from": day, "date_to": day + datetime.timedelta(days=1)})
    since = client.get(AUDIT_URL, {"date_from": "2026-03-12"})
    until = client.get(AUDIT_URL, {"date_to": "2026-03-09"})

    assert ids(in_range) == [str(last.pk), str(first.pk)]
    assert ids(since) == [str(after.pk)]
    assert ids(until) == [str(before.pk)]


def test_bad_filter_values_are_400(api, admin_user):
    client = api(admin_user)

    assert client.get(AUDIT_URL, {"actor": "not-a-uuid"}).status_code == 400
    assert client.get(AUDIT_URL, {"date_from": "yesterday"}).status_code == 400


@pytest.mark.parametrize("rows", [1, 30])
def test_audit_list_query_count_is_constant(api, admin_user, django_assert_max_num_queries, rows):
    patients = PatientProfileFactory.create_batch(3)
    for n in range(rows):
        audit_event(actor=PatientProfileFactory().user, patient=patients[n % 3])
    client = api(admin_user)

    with django_assert_max_num_queries(3):  # the caller, the count, the page with actors
        response = client.get(AUDIT_URL)

    assert response.json()["count"] == rows


def test_admin_reads_one_event(api, admin_user):
    event = audit_event()

    response = api(admin_user).get(f"{AUDIT_URL}{event.pk}/")

    assert response.status_code == 200
    assert response.json()["id"] == str(event.pk)


@pytest.mark.parametrize(
    ("method", "detail"),
    [("post", False), ("put", True), ("patch", True), ("delete", True)],
)
def test_the_trail_cannot_be_written_through_the_api(api, admin_user, method, detail):
    event = audit_event(action="read")
    url = f"{AUDIT_URL}{event.pk}/" if detail else AUDIT_URL

    response = getattr(api(admin_user), method)(url, {"action": "forged"}, format="json")

    assert response.status_code == 405
    assert list(AuditEvent.objects.values_list("pk", "action")) == [(event.pk, "read")]


def test_an_event_cannot_be_changed_or_deleted_through_the_orm(db):
    event = audit_event(action="read")
    event.action = "forged"

    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get().action == "read"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_the_database_refuses_to_change_or_delete_an_event(db):
    from django.db import DatabaseError, transaction

    event = audit_event(action="read")

    for sql in ("UPDATE trust_auditevent SET action = 'forged'", "DELETE FROM trust_auditevent"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.get(pk=event.pk).action == "read"


# --- /api/me/access-log/ ---


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anon", 401), ("pending_patient", 401), ("admin_user", 403), ("doctor", 403),
     ("patient", 200)],
)
def test_only_patients_have_an_access_log(request, api, anon, persona, expected):
    client = anon if persona == "anon" else api(_user(request.getfixturevalue(persona)))

    assert client.get(ACCESS_LOG_URL).status_code == expected


def test_access_log_lists_who_touched_the_callers_data(api, doctor, patient, other_patient):
    now = timezone.now()
    audit_event(actor=doctor.user, patient=other_patient, at=now)
    read = audit_event(actor=doctor.user, patient=patient, object_type="admission",
                       at=now - datetime.timedelta(minutes=5))
    audit_event(actor=patient.user, patient=patient, action="update", at=now)

    response = api(patient.user).get(ACCESS_LOG_URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert body["results"][1] == {
        "at": body["results"][1]["at"],
        "actor": {"full_name": "Bob Heart", "role": "doctor"},
        "action": "read", "object_type": "admission",
    }
    assert datetime.datetime.fromisoformat(body["results"][1]["at"]) == read.at
    assert body["results"][0]["actor"] == {"full_name": "Carol Case", "role": "patient"}


def test_access_log_is_paginated(api, doctor, patient):
    for _ in range(3):
        audit_event(actor=doctor.user, patient=patient)

    body = api(patient.user).get(ACCESS_LOG_URL, {"page_size": 2}).json()

    assert (body["count"], len(body["results"]), body["next"] is not None) == (3, 2, True)


@pytest.mark.parametrize("rows", [1, 30])
def test_access_log_query_count_is_constant(api, patient, django_assert_max_num_queries, rows):
    for _ in range(rows):
        audit_event(actor=PatientProfileFactory().user, patient=patient)
    client = api(patient.user)

    with django_assert_max_num_queries(3):
        response = client.get(ACCESS_LOG_URL)

    assert response.json()["count"] == rows


def test_reading_the_access_log_is_not_itself_logged(api, patient):
    api(patient.user).get(ACCESS_LOG_URL)

    assert not AuditEvent.objects.exists()
