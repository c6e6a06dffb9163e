"""Every sign-in door is throttled with `AUTH_THROTTLE_RATE`; every failed sign-in is audited."""

import pytest
from django.test import Client

from accounts.tokens import SessionRefreshToken
from tests.factories.accounts import PASSWORD
from trust.models import AuditEvent

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def staff_admin(admin_user):
    admin_user.is_staff = True
    admin_user.is_superuser = True
    admin_user.save()
    return admin_user


def test_admin_login_is_throttled_by_ip(staff_admin, settings):
    settings.AUTH_THROTTLE_RATE = "3/min"
    client = Client()
    body = {"username": staff_admin.username, "password": "wrong"}

    statuses = [client.post(ADMIN_LOGIN, body).status_code for _ in range(3)]
    blocked = client.post(ADMIN_LOGIN, {"username": staff_admin.username, "password": PASSWORD})

    assert statuses == [200, 200, 200]
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session
    assert client.get(ADMIN_LOGIN).status_code == 200  # the form itself is still shown


def test_admin_login_is_throttled_by_username_across_ips(staff_admin, settings):
    settings.AUTH_THROTTLE_RATE = "3/min"
    body = {"username": staff_admin.username.upper(), "password": "wrong"}

    statuses = [Client(REMOTE_ADDR=f"203.0.113.{n}").post(ADMIN_LOGIN, body).status_code
                for n in range(4)]
    other_user = Client(REMOTE_ADDR="203.0.113.99").post(
        ADMIN_LOGIN, {"username": "someone_else", "password": "wrong"})

    assert statuses == [200, 200, 200, 429]
    assert other_user.status_code == 200


def test_admin_login_still_works_under_the_limit(staff_admin, settings):
    settings.AUTH_THROTTLE_RATE = "3/min"
    client = Client()

    response = client.post(ADMIN_LOGIN, {"username": staff_admin.username, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff_admin.pk)


def test_token_refresh_is_throttled(anon, settings):
    settings.AUTH_THROTTLE_RATE = "2/min"

    statuses = [anon.post("/api/token/refresh/", {"refresh": "x"}).status_code for _ in range(3)]

    assert statuses == [401, 401, 429]


def test_password_change_is_throttled(api, patient, settings):
    settings.AUTH_THROTTLE_RATE = "2/min"
    client = api(patient.user)
    body = {"old_password": "wrong", "new_password": "An0ther-long-phrase!"}

    statuses = [client.post("/api/me/password/", body).status_code for _ in range(3)]

    assert statuses == [400, 400, 429]


def test_failed_sign_ins_are_audited_with_the_ip(anon, patient, staff_admin):
    anon.post("/api/token/", {"username": patient.user.username, "password": "wrong"},
              REMOTE_ADDR="198.51.100.7")
    anon.post("/api/token/", {"username": "nobody-Str0ng-pass", "password": "wrong"},
              REMOTE_ADDR="198.51.100.8")
    Client(REMOTE_ADDR="198.51.100.9").post(ADMIN_LOGIN, {"username": staff_admin.username,
                                                          "password": "wrong"})

    events = AuditEvent.objects.filter(action="sign_in_failed").order_by("at")
    assert [(e.ip, e.object_id, e.actor_id) for e in events] == [
        ("198.51.100.7", str(patient.pk), None),
        ("198.51.100.8", "", None),  # what was typed is never stored
        ("198.51.100.9", str(staff_admin.pk), None),
    ]


def test_a_successful_sign_in_is_not_a_failure(anon, patient):
    assert anon.post("/api/token/", {"username": patient.user.username,
                                     "password": PASSWORD}).status_code == 200

    assert not AuditEvent.objects.filter(action="sign_in_failed").exists()


def test_refresh_tokens_carry_the_sign_in_instant(anon, patient):
    refresh = anon.post("/api/token/", {"username": patient.user.username,
                                        "password": PASSWORD}).json()["refresh"]
    rotated = anon.post("/api/token/refresh/", {"refresh": refresh}).json()["refresh"]

    assert SessionRefreshToken(rotated)["auth_time"] == SessionRefreshToken(
        refresh, verify=False)["auth_time"]
