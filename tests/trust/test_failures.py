"""Failure behaviour: health reports a dead database, a failed write leaves nothing behind."""

from unittest import mock

import pytest
from django.db import OperationalError, connection

from accounts import services
from accounts.models import PatientProfile, User

REGISTER = {
    "username": "half_written", "email": "half@example.org", "password": "Str0ng-pass-phrase!",
    "first_name": "Half", "last_name": "Written", "role": "patient",
    "profile": {"date_of_birth": "1990-01-01", "sex": "female", "address": "1 Road",
                "mobile": "+2348000000009"},
}


def test_health_is_503_when_the_database_is_unreachable(anon, db):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("server closed")):
        response = anon.get("/api/health/")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unreachable", "cache": "ok",
                               "detail": "The database is unavailable; retry shortly.",
                               "code": "database_unavailable"}
    assert response["Retry-After"] == "5"


def _fail_after_the_user_row(*args, **kwargs):
    # The user row is written by now: the failure is truly in the middle of the write.
    assert User.objects.filter(username="half_written").exists()
    raise OperationalError("connection lost")


@pytest.mark.django_db(transaction=True)
def test_a_database_error_mid_registration_leaves_no_user():
    with mock.patch.object(PatientProfile, "save", _fail_after_the_user_row), \
            pytest.raises(OperationalError):
        services.account_register(**REGISTER)

    assert not User.objects.filter(username="half_written").exists()
    assert not PatientProfile.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_database_error_mid_request_is_a_503_and_leaves_no_user(anon):
    anon.raise_request_exception = False
    body = {**REGISTER, "password2": REGISTER["password"]}

    with mock.patch.object(PatientProfile, "save", _fail_after_the_user_row):
        response = anon.post("/api/register/", body)

    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"
    assert not User.objects.filter(username="half_written").exists()
