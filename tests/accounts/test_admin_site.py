"""Django admin: hospital admins approve and reject accounts in bulk and search users."""


from accounts.models import User
from appointments.models import Appointment


def test_bulk_approve_and_reject(staff_client, admin_user, pending_doctor, pending_patient):
    approve = staff_client.post("/admin/accounts/user/", {
        "action": "approve_accounts", "_selected_action": [str(pending_doctor.user_id)]})
    reject = staff_client.post("/admin/accounts/user/", {
        "action": "reject_accounts", "_selected_action": [str(pending_patient.user_id)]})

    assert approve.status_code == 302 and reject.status_code == 302
    pending_doctor.user.refresh_from_db()
    pending_patient.user.refresh_from_db()
    assert pending_doctor.user.approval_status == "approved"
    assert pending_doctor.user.approved_by == admin_user
    assert pending_patient.user.approval_status == "rejected"
    assert pending_patient.user.rejection_reason


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
