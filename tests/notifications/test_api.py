"""`/api/me/notifications/`: every approved user sees only their own, newest first, and marks them read."""

import datetime

import pytest
from django.utils import timezone

from notifications.models import Notification
from tests.factories.notifications import NotificationFactory
from trust.models import AuditEvent

URL = "/api/me/notifications/"


def read_url(notification):
    return f"{URL}{notification.pk}/read/"


def person(role, admin_user, doctor, patient):
    return {"admin": admin_user, "doctor": doctor.user, "patient": patient.user}[role]


@pytest.mark.parametrize("role", ["admin", "doctor", "patient"])
def test_every_approved_role_lists_exactly_its_own_newest_first(
    api, admin_user, doctor, patient, other_patient, role
):
    user = person(role, admin_user, doctor, patient)
    now = timezone.now()
    older = NotificationFactory(user=user, created_at=now - datetime.timedelta(hours=2))
    newer = NotificationFactory(user=user, created_at=now - datetime.timedelta(hours=1))
    NotificationFactory(user=other_patient.user)

    response = api(user).get(URL)

    assert response.status_code == 200
    body = response.json()
    assert [row["id"] for row in body["results"]] == [str(newer.pk), str(older.pk)]
    assert set(body["results"][0]) == {"id", "kind", "subject", "body", "channel", "created_at",
                                       "sent_at", "status", "read_at"}
    assert body["results"][0]["channel"] == "email"
    assert body["results"][0]["status"] == "queued"


@pytest.mark.parametrize("role", ["admin", "doctor", "patient"])
def test_every_approved_role_marks_its_own_read(api, admin_user, doctor, patient, role):
    user = person(role, admin_user, doctor, patient)
    notification = NotificationFactory(user=user)

    response = api(user).post(read_url(notification))

    assert response.status_code == 200
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert response.json()["read_at"] is not None


def test_reading_twice_keeps_the_first_time(api, patient):
    first = timezone.now() - datetime.timedelta(days=1)
    notification = NotificationFactory(user=patient.user, read_at=first)

    assert api(patient.user).post(read_url(notification)).status_code == 200

    notification.refresh_from_db()
    assert notification.read_at == first


def test_another_users_notification_is_404_like_a_missing_one(api, patient, other_patient):
    theirs = NotificationFactory(user=other_patient.user)
    client = api(patient.user)

    hidden = client.post(read_url(theirs))
    missing = client.post(f"{URL}00000000-0000-0000-0000-000000000000/read/")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_anonymous_and_unapproved_are_refused(anon, api, pending_patient):
    notification = NotificationFactory(user=pending_patient.user)

    assert anon.get(URL).status_code == 401
    # A pending account's token is refused at authentication, like every other route.
    assert api(pending_patient.user).get(URL).status_code == 401
    assert api(pending_patient.user).post(read_url(notification)).status_code == 401
    notification.refresh_from_db()
    assert notification.read_at is None


def test_detail_and_writes_are_not_routes(api, patient):
    notification = NotificationFactory(user=patient.user)
    client = api(patient.user)

    assert client.get(f"{URL}{notification.pk}/").status_code in (404, 405)
    assert client.delete(f"{URL}{notification.pk}/").status_code in (404, 405)
    assert client.post(URL, {}).status_code in (403, 405)
    assert Notification.objects.filter(pk=notification.pk).exists()


def test_a_patients_list_read_is_audited(api, patient):
    notifications = NotificationFactory.create_batch(2, user=patient.user)

    api(patient.user).get(URL)

    events = AuditEvent.objects.filter(object_type="notification", action="read")
    assert {e.object_id for e in events} == {str(n.pk) for n in notifications}
    assert {e.patient_id for e in events} == {patient.user.pk}


def test_marking_read_is_audited(api, patient):
    notification = NotificationFactory(user=patient.user)

    api(patient.user).post(read_url(notification))

    assert AuditEvent.objects.filter(object_type="notification", action="read",
                                     object_id=str(notification.pk)).exists()


@pytest.mark.parametrize("rows", [1, 50])
def test_list_query_count_is_constant(api, patient, django_assert_max_num_queries, rows):
    NotificationFactory.create_batch(rows, user=patient.user)
    client = api(patient.user)

    with django_assert_max_num_queries(5):
        response = client.get(URL, {"page_size": 100})

    assert response.json()["count"] == rows
