import pytest
from rest_framework.test import APIClient

from accounts import services
from tests.factories.accounts import PASSWORD


def obtain(client, user, password=PASSWORD):
    return client.post("/api/token/", {"username": user.username, "password": password}, format="json")


def bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


def test_approved_user_gets_a_working_pair(anon, patient):
    response = obtain(anon, patient.user)

    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}
    assert bearer(response.json()["access"]).get("/api/me/").status_code == 200


def test_wrong_password_is_401(anon, patient):
    response = obtain(anon, patient.user, password="wrong-password")

    assert response.status_code == 401


def test_unknown_user_is_401(anon, db):
    response = anon.post("/api/token/", {"username": "ghost", "password": "x"}, format="json")

    assert response.status_code == 401


@pytest.mark.parametrize(
    ("persona", "code"),
    [("pending_patient", "account_pending"), ("pending_doctor", "account_pending"),
     ("rejected_patient", "account_rejected")],
)
def test_right_password_on_unapproved_account_is_403_with_code(anon, request, persona, code):
    profile = request.getfixturevalue(persona)

    response = obtain(anon, profile.user)

    assert response.status_code == 403
    assert response.json()["code"] == code


def test_wrong_password_on_pending_account_is_401_not_403(anon, pending_patient):
    assert obtain(anon, pending_patient.user, password="nope").status_code == 401


def test_deactivated_user_gets_no_token(anon, patient):
    patient.user.is_active = False
    patient.user.save()

    assert obtain(anon, patient.user).status_code == 401


def test_missing_fields_are_400(anon, db):
    assert anon.post("/api/token/", {}, format="json").status_code == 400


def test_refresh_rotates_and_blacklists_the_old_token(anon, patient):
    refresh = obtain(anon, patient.user).json()["refresh"]

    first = anon.post("/api/token/refresh/", {"refresh": refresh}, format="json")
    again = anon.post("/api/token/refresh/", {"refresh": refresh}, format="json")

    assert first.status_code == 200
    assert set(first.json()) == {"access", "refresh"}
    assert first.json()["refresh"] != refresh
    assert again.status_code == 401
    rotated = anon.post("/api/token/refresh/", {"refresh": first.json()["refresh"]}, format="json")
    assert rotated.status_code == 200


def test_blacklist_logs_out(anon, patient):
    refresh = obtain(anon, patient.user).json()["refresh"]

    response = anon.post("/api/token/blacklist/", {"refresh": refresh}, format="json")

    assert response.status_code == 200
    assert anon.post("/api/token/refresh/", {"refresh": refresh}, format="json").status_code == 401


def test_garbage_refresh_token_is_401(anon, db):
    assert anon.post("/api/token/refresh/", {"refresh": "garbage"}, format="json").status_code == 401
    assert anon.post("/api/token/blacklist/", {"refresh": "garbage"}, format="json").status_code == 401


def test_access_token_is_not_a_refresh_token(anon, patient):
    access = obtain(anon, patient.user).json()["access"]

    assert anon.post("/api/token/refresh/", {"refresh": access}, format="json").status_code == 401


@pytest.mark.parametrize("change", ["deactivate", "reject", "delete"])
def test_tokens_stop_working_at_once_when_the_user_loses_access(anon, patient, admin_user, change):
    pair = obtain(anon, patient.user).json()
    user = patient.user
    if change == "deactivate":
        user.is_active = False
        user.save()
    elif change == "reject":
        services.account_reject(account=user, actor=admin_user, reason="Fraud")
    else:
        user.delete()

    assert bearer(pair["access"]).get("/api/me/").status_code == 401
    assert anon.post("/api/token/refresh/", {"refresh": pair["refresh"]}, format="json").status_code == 401


def test_refresh_is_refused_for_a_user_made_pending_again(anon, patient):
    refresh = obtain(anon, patient.user).json()["refresh"]
    patient.user.approval_status = "pending"
    patient.user.save()

    assert anon.post("/api/token/refresh/", {"refresh": refresh}, format="json").status_code == 401


def test_no_token_is_401_and_bad_token_is_401(anon, db):
    assert anon.get("/api/me/").status_code == 401
    assert bearer("abc.def.ghi").get("/api/me/").status_code == 401


def test_token_answers_never_echo_the_password(anon, patient):
    response = obtain(anon, patient.user, password="wrong-password-123")

    assert "wrong-password-123" not in response.content.decode()
