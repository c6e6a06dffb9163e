"""E-mail changes are verified: no oracle on `PATCH /api/me/`, a signed single-use link."""

import re

import pytest
from django.core import mail

from accounts.models import User
from tests.factories.accounts import UserFactory
from trust.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=False)

CONFIRM = "/api/me/email/confirm/"


def _token(message) -> str:
    return re.search(r"token=(\S+)", message.body).group(1)


@pytest.fixture
def taken(db):
    return UserFactory(username="owner", email="taken@example.org")


def _change(client, address, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.patch("/api/me/", {"email": address})


def test_taken_and_fresh_addresses_answer_alike(api, patient, taken,
                                                django_capture_on_commit_callbacks):
    before = patient.user.email
    to_taken = _change(api(patient.user), "Taken@Example.org", django_capture_on_commit_callbacks)
    to_fresh = _change(api(patient.user), "fresh@example.org", django_capture_on_commit_callbacks)

    assert to_taken.status_code == to_fresh.status_code == 200
    assert to_taken.json() == to_fresh.json()
    assert to_taken.json()["email"] == before
    assert User.objects.get(pk=patient.pk).email == before


def test_fresh_address_gets_a_link_and_current_address_a_notice(
        api, patient, django_capture_on_commit_callbacks):
    _change(api(patient.user), "fresh@example.org", django_capture_on_commit_callbacks)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"fresh@example.org", patient.user.email}
    assert "token=" in by_address["fresh@example.org"].body
    assert "token=" not in by_address[patient.user.email].body


def test_taken_address_owner_gets_a_notice_and_no_link(api, patient, taken,
                                                       django_capture_on_commit_callbacks):
    _change(api(patient.user), "taken@example.org", django_capture_on_commit_callbacks)

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"taken@example.org", patient.user.email}
    assert "token=" not in by_address["taken@example.org"].body


def test_the_link_changes_the_address_once(api, anon, patient, django_capture_on_commit_callbacks):
    _change(api(patient.user), "fresh@example.org", django_capture_on_commit_callbacks)
    token = _token(next(m for m in mail.outbox if m.to == ["fresh@example.org"]))

    first = anon.post(CONFIRM, {"token": token})
    again = anon.post(CONFIRM, {"token": token})

    assert first.status_code == 200 and first.json() == {"email": "fresh@example.org"}
    assert User.objects.get(pk=patient.pk).email == "fresh@example.org"
    assert again.status_code == 400 and again.json()["code"] == "invalid_link"
    assert AuditEvent.objects.filter(action="update", patient_id=patient.pk,
                                     actor_id=patient.pk).exists()


def test_an_expired_link_changes_nothing(api, anon, patient, settings,
                                         django_capture_on_commit_callbacks):
    _change(api(patient.user), "fresh@example.org", django_capture_on_commit_callbacks)
    token = _token(next(m for m in mail.outbox if m.to == ["fresh@example.org"]))
    settings.EMAIL_CHANGE_LINK_HOURS = -1

    response = anon.post(CONFIRM, {"token": token})

    assert response.status_code == 400 and response.json()["code"] == "link_expired"
    assert User.objects.get(pk=patient.pk).email != "fresh@example.org"


def test_a_tampered_link_changes_nothing(anon, patient):
    response = anon.post(CONFIRM, {"token": "eyJ1c2VyIjoieCJ9:forged:sig"})

    assert response.status_code == 400 and response.json()["code"] == "invalid_link"


def test_an_older_link_dies_when_another_change_lands(api, anon, patient,
                                                      django_capture_on_commit_callbacks):
    _change(api(patient.user), "first@example.org", django_capture_on_commit_callbacks)
    _change(api(patient.user), "second@example.org", django_capture_on_commit_callbacks)
    first = _token(next(m for m in mail.outbox if m.to == ["first@example.org"]))
    second = _token(next(m for m in mail.outbox if m.to == ["second@example.org"]))

    assert anon.post(CONFIRM, {"token": second}).status_code == 200
    assert anon.post(CONFIRM, {"token": first}).json()["code"] == "invalid_link"
    assert User.objects.get(pk=patient.pk).email == "second@example.org"


def test_an_address_taken_meanwhile_is_refused(api, anon, patient,
                                               django_capture_on_commit_callbacks):
    _change(api(patient.user), "fresh@example.org", django_capture_on_commit_callbacks)
    token = _token(next(m for m in mail.outbox if m.to == ["fresh@example.org"]))
    UserFactory(username="quick", email="FRESH@example.org")

    response = anon.post(CONFIRM, {"token": token})

    assert response.status_code == 409 and response.json()["code"] == "email_taken"
    assert User.objects.get(pk=patient.pk).email != "fresh@example.org"
