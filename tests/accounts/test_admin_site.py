"""Django admin: hospital admins approve and reject accounts in bulk and search users."""


from accounts import services
from accounts.models import User
from appointments.models import Appointment
from tests.factories.appointments import AppointmentFactory, working_every_day

USERS = "/admin/accounts/user/"


def test_bulk_approve_records_who_and_when(staff_client, admin_user, pending_doctor):
    approve = staff_client.post(USERS, {
        "action": "approve_accounts", "_selected_action": [str(pending_doctor.user_id)]})

    assert approve.status_code == 302
    pending_doctor.user.refresh_from_db()
    assert pending_doctor.user.approval_status == "approved"
    assert pending_doctor.user.approved_by == admin_user
    assert pending_doctor.user.approved_at is not None


def test_reject_asks_for_a_reason_on_its_own_page_first(staff_client, admin_user, pending_patient):
    selected = {"action": "reject_accounts", "_selected_action": [str(pending_patient.user_id)]}

    asked = staff_client.post(USERS, selected)
    empty = staff_client.post(USERS, {**selected, "apply": "Reject", "reason": "  "})
    pending_patient.user.refresh_from_db()
    untouched = pending_patient.user.approval_status
    done = staff_client.post(USERS, {**selected, "apply": "Reject", "reason": "No such patient here"})

    assert asked.status_code == 200 and 'name="reason"' in asked.content.decode()
    assert str(pending_patient.user) in asked.content.decode()
    assert empty.status_code == 200 and "This field is required" in empty.content.decode()
    assert untouched == "pending"
    assert done.status_code == 302
    pending_patient.user.refresh_from_db()
    assert pending_patient.user.approval_status == "rejected"
    assert pending_patient.user.rejection_reason == "No such patient here"
    assert pending_patient.user.approved_by == admin_user


def test_a_rejected_account_shows_rejected_by_with_the_reason(staff_client, admin_user, pending_patient):
    services.account_reject(account=pending_patient.user, actor=admin_user, reason="Duplicate")

    page = staff_client.get(f"{USERS}{pending_patient.user_id}/change/").content.decode()

    assert "Rejected by Alice Admin" in page and "Reason: Duplicate" in page
    assert "Approved by" not in page


def test_role_and_approval_are_not_editable_on_the_user_form(staff_client, pending_patient):
    url = f"{USERS}{pending_patient.user_id}/change/"
    user = pending_patient.user
    page = staff_client.get(url).content.decode()
    form = {"username": user.username, "first_name": "Renamed", "last_name": user.last_name,
            "email": user.email, "role": "doctor", "approval_status": "approved",
            "is_active": "", "patient_profile-TOTAL_FORMS": 1,
            "patient_profile-INITIAL_FORMS": 1, "patient_profile-MIN_NUM_FORMS": 0,
            "patient_profile-MAX_NUM_FORMS": 1,
            "patient_profile-0-user": str(user.pk),
            "patient_profile-0-date_of_birth": pending_patient.date_of_birth.isoformat(),
            "patient_profile-0-sex": pending_patient.sex,
            "patient_profile-0-address": pending_patient.address,
            "patient_profile-0-mobile": pending_patient.mobile}

    saved = staff_client.post(url, form)

    assert 'name="role"' not in page and 'name="approval_status"' not in page
    assert 'name="is_active"' not in page
    assert 'name="user_permissions"' not in page and 'name="groups"' not in page
    assert saved.status_code == 302, saved.content.decode()[:2000]
    user.refresh_from_db()
    assert (user.first_name, user.role, user.approval_status, user.is_active) == (
        "Renamed", "patient", "pending", True)


def test_added_user_is_an_approved_admin_recorded_as_approved_by_the_adder(staff_client, admin_user):
    added = staff_client.post(f"{USERS}add/", {
        "username": "nurse_admin", "email": "na@example.org", "first_name": "Ngozi",
        "last_name": "Admin", "password1": "Very-secret-42x", "password2": "Very-secret-42x",
        "usable_password": "true"})

    assert added.status_code == 302, added.content.decode()[:2000]
    user = User.objects.get(username="nurse_admin")
    assert (user.role, user.approval_status, user.approved_by, user.is_staff) == (
        "admin", "approved", admin_user, True)


def test_deactivate_action_goes_through_the_service(staff_client, doctor, patient):
    working_every_day(doctor)
    visit = AppointmentFactory(doctor=doctor, patient=patient, status="confirmed")

    done = staff_client.post(USERS, {"action": "deactivate_accounts",
                                     "_selected_action": [str(doctor.user_id)]})

    assert done.status_code == 302
    doctor.user.refresh_from_db()
    visit.refresh_from_db()
    assert doctor.user.is_active is False
    assert visit.status == "cancelled"


def test_index_hides_groups_and_the_token_blacklist(staff_client):
    page = staff_client.get("/admin/").content.decode()

    assert "Blacklisted tokens" not in page and "Outstanding tokens" not in page
    assert "Groups" not in page
    assert "Users" in page


def test_user_list_filters_and_search(staff_client, doctor, patient, pending_patient):
    by_role = staff_client.get("/admin/accounts/user/?role__exact=doctor")
    by_status = staff_client.get("/admin/accounts/user/?approval_status__exact=pending")
    by_name = staff_client.get(f"/admin/accounts/user/?q={patient.user.last_name}")

    assert doctor.user.username in by_role.content.decode()
    assert patient.user.username not in by_role.content.decode()
    assert pending_patient.user.username in by_status.content.decode()
    assert patient.user.username in by_name.content.decode()


def test_user_change_page_shows_the_profile_inline(staff_client, doctor):
    page = staff_client.get(f"/admin/accounts/user/{doctor.user_id}/change/")

    assert page.status_code == 200
    assert "doctor_profile" in page.content.decode()


def test_admin_refuses_to_delete_a_user_with_records(staff_client, doctor, patient):
    Appointment.objects.create(doctor=doctor, patient=patient, status="requested", created_by=patient.user)

    page = staff_client.post(f"/admin/accounts/user/{patient.user_id}/delete/", {"post": "yes"})

    assert page.status_code == 200
    assert "Cannot delete" in page.content.decode()
    assert User.objects.filter(pk=patient.user_id).exists()


def test_department_is_editable(staff_client):
    page = staff_client.get("/admin/accounts/department/")

    assert page.status_code == 200
    assert "Cardiology" in page.content.decode()
