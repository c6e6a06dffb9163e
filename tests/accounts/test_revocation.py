"""Revocation at once: logout, logout-all, password change and deactivation end the tokens."""

from types import SimpleNamespace

import pytest
from django.contrib.admin.sites import site as admin_site
from rest_framework.test import APIClient

from accounts.models import User
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "An0ther-long-phrase!"


def sign_in(username, password=PASSWORD):
    response = APIClient().post("/api/token/", {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()


def bearer(access):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def assert_revoked(response):
    assert response.status_code == 401
    assert response.json()["code"] == "token_revoked"


def test_logout_ends_the_access_token_sent_with_it(patient):
    pair = sign_in(patient.user.username)
    other = sign_in(patient.user.username)
    client = bearer(pair["access"])

    assert client.post("/api/token/blacklist/", {"refresh": pair["refresh"]}).status_code == 200

    assert_revoked(client.get("/api/me/"))
    assert bearer(other["access"]).get("/api/me/").status_code == 200  # another session lives
    refresh = APIClient().post("/api/token/refresh/", {"refresh": pair["refresh"]})
    assert refresh.status_code == 401


def test_logout_without_an_access_token_ends_the_refresh_token_only(patient):
    pair = sign_in(patient.user.username)

    assert APIClient().post("/api/token/blacklist/", {"refresh": pair["refresh"]}).status_code == 200

    assert bearer(pair["access"]).get("/api/me/").status_code == 200
    assert APIClient().post("/api/token/refresh/", {"refresh": pair["refresh"]}).status_code == 401


def test_logout_all_ends_every_access_and_refresh_token(patient):
    first, second = sign_in(patient.user.username), sign_in(patient.user.username)
    rotated = APIClient().post("/api/token/refresh/", {"refresh": second["refresh"]}).json()

    response = bearer(first["access"]).post("/api/me/logout-all/")

    assert response.status_code == 204
    for access in (first["access"], second["access"], rotated["access"]):
        assert_revoked(bearer(access).get("/api/me/"))
    assert_revoked(APIClient().post("/api/token/refresh/", {"refresh": rotated["refresh"]}))
    assert bearer(sign_in(patient.user.username)["access"]).get("/api/me/").status_code == 200


def test_logout_all_needs_a_signed_in_user(anon):
    assert anon.post("/api/me/logout-all/").status_code == 401


def test_password_change_ends_the_old_tokens(patient):
    pair = sign_in(patient.user.username)
    client = bearer(pair["access"])

    changed = client.post("/api/me/password/", {"old_password": PASSWORD,
                                                "new_password": NEW_PASSWORD})

    assert changed.status_code == 204
    assert_revoked(client.get("/api/me/"))
    assert_revoked(APIClient().post("/api/token/refresh/", {"refresh": pair["refresh"]}))
    assert bearer(sign_in(patient.user.username, NEW_PASSWORD)["access"]).get(
        "/api/me/").status_code == 200


def test_deactivation_by_an_admin_ends_the_tokens(api, admin_user, patient):
    pair = sign_in(patient.user.username)

    assert api(admin_user).delete(f"/api/patients/{patient.pk}/").status_code == 204

    assert_revoked(bearer(pair["access"]).get("/api/me/"))
    assert_revoked(APIClient().post("/api/token/refresh/", {"refresh": pair["refresh"]}))


def test_deactivation_in_django_admin_ends_the_tokens(admin_user, patient, rf):
    pair = sign_in(patient.user.username)
    user = User.objects.get(pk=patient.pk)
    user.is_active = False
    request = rf.post("/admin/")
    request.user = admin_user

    admin_site._registry[User].save_model(
        request, user, SimpleNamespace(changed_data=["is_active"]), change=True
    )

    assert_revoked(bearer(pair["access"]).get("/api/me/"))


def test_a_password_set_in_django_admin_ends_the_tokens(staff_client, patient):
    pair = sign_in(patient.user.username)

    response = staff_client.post(
        f"/admin/accounts/user/{patient.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302, response.content[:500]
    assert_revoked(bearer(pair["access"]).get("/api/me/"))


def test_the_logout_denylist_forgets_expired_entries(patient):
    from accounts.services import access_token_end

    access_token_end(user_id=patient.pk, jti="old", expires=1)
    access_token_end(user_id=patient.pk, jti="live", expires=4102444800)

    assert User.objects.get(pk=patient.pk).revoked_access_jtis == {"live": 4102444800}
