import pytest

from accounts.models import User

BASE = "/api/admin/approvals"


@pytest.mark.parametrize("kind", ["doctors", "patients"])
@pytest.mark.parametrize("persona", ["doctor", "patient"])
def test_approval_router_is_403_for_other_roles(api, doctor, patient, pending_doctor, pending_patient,
                                               kind, persona):
    client = api(doctor.user if persona == "doctor" else patient.user)
    target = pending_doctor if kind == "doctors" else pending_patient

    assert client.get(f"{BASE}/{kind}/").status_code == 403
    assert client.get(f"{BASE}/{kind}/{target.user_id}/").status_code == 403
    assert client.post(f"{BASE}/{kind}/{target.user_id}/approve/").status_code == 403
    target.user.refresh_from_db()
    assert target.user.approval_status == "pending"


def test_anonymous_gets_401(anon, pending_doctor):
    assert anon.get(f"{BASE}/doctors/").status_code == 401


def test_queue_lists_pending_by_default_and_filters_status(api, admin_user, doctor, pending_doctor,
                                                           pending_patient):
    client = api(admin_user)

    pending = client.get(f"{BASE}/doctors/").json()["results"]
    approved = client.get(f"{BASE}/doctors/?status=approved").json()["results"]

    assert [a["id"] for a in pending] == [str(pending_doctor.user_id)]
    assert [a["id"] for a in approved] == [str(doctor.user_id)]
    assert pending[0]["profile"]["department"]["code"] == "CL"
    assert client.get(f"{BASE}/doctors/?status=bogus").status_code == 400


def test_approve_records_who_and_when_then_token_works(api, anon, admin_user, pending_patient):
    response = api(admin_user).post(f"{BASE}/patients/{pending_patient.user_id}/approve/")

    assert response.status_code == 200
    body = response.json()
    assert body["approval_status"] == "approved"
    assert body["approved_by"] == str(admin_user.pk) and body["approved_at"]
    token = anon.post("/api/token/", {"username": pending_patient.user.username,
                                      "password": "Str0ng-pass-phrase!"}, format="json")
    assert token.status_code == 200


def test_approving_twice_is_409_invalid_transition(api, admin_user, patient):
    response = api(admin_user).post(f"{BASE}/patients/{patient.user_id}/approve/")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"


def test_reject_requires_a_reason(api, admin_user, pending_doctor):
    client = api(admin_user)

    missing = client.post(f"{BASE}/doctors/{pending_doctor.user_id}/reject/", {}, format="json")
    blank = client.post(f"{BASE}/doctors/{pending_doctor.user_id}/reject/", {"reason": " "}, format="json")
    ok = client.post(f"{BASE}/doctors/{pending_doctor.user_id}/reject/", {"reason": "No licence"},
                     format="json")

    assert (missing.status_code, blank.status_code, ok.status_code) == (400, 400, 200)
    assert ok.json()["approval_status"] == "rejected"
    assert ok.json()["rejection_reason"] == "No licence"


def test_rejecting_an_approved_account_revokes_access(api, admin_user, patient):
    client = api(patient.user)

    api(admin_user).post(f"{BASE}/patients/{patient.user_id}/reject/", {"reason": "Fraud"}, format="json")

    assert client.get("/api/me/").status_code == 401


def test_wrong_role_id_is_404(api, admin_user, pending_doctor):
    assert api(admin_user).get(f"{BASE}/patients/{pending_doctor.user_id}/").status_code == 404


def test_pending_user_cannot_call_anything_even_with_a_forged_token(api, pending_patient):
    client = api(pending_patient.user)

    assert client.get("/api/me/").status_code == 401
    assert client.get("/api/doctors/").status_code == 401


def test_queue_query_count_is_flat(api, admin_user, django_assert_max_num_queries):
    from tests.factories.accounts import DoctorProfileFactory

    client = api(admin_user)
    DoctorProfileFactory(user__approval_status=User.ApprovalStatus.PENDING)
    with django_assert_max_num_queries(4):
        client.get(f"{BASE}/doctors/")
    DoctorProfileFactory.create_batch(20, user__approval_status=User.ApprovalStatus.PENDING)
    with django_assert_max_num_queries(4):
        assert client.get(f"{BASE}/doctors/?page_size=50").json()["count"] == 21
