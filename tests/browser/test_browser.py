"""In a real browser: Django admin decisions, and docs that load nothing from elsewhere."""

from datetime import timedelta

import pytest
from django.utils import timezone

from appointments.models import Appointment
from tests.factories.accounts import PASSWORD, AdminFactory, PatientProfileFactory
from tests.factories.appointments import AppointmentFactory, working_every_day

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def hospital_admin():
    return AdminFactory(username="browser_admin", is_staff=True, is_superuser=True)


def admin_login(page, live_server, user):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#site-name")


def run_action(page, live_server, changelist, ids, action):
    page.goto(f"{live_server.url}{changelist}")
    for pk in ids:
        page.check(f"input[name=_selected_action][value='{pk}']")
    page.select_option("select[name=action]", action)
    page.click("button[name=index]")


def test_admin_logs_in_and_approves_and_rejects_accounts_with_a_reason(page, live_server, hospital_admin):
    pending = PatientProfileFactory(user__approval_status="pending", user__approved_at=None)
    refused = PatientProfileFactory(user__approval_status="pending", user__approved_at=None)
    admin_login(page, live_server, hospital_admin)

    run_action(page, live_server, "/admin/accounts/user/", [pending.user_id], "approve_accounts")
    page.wait_for_selector(".messagelist .success")
    run_action(page, live_server, "/admin/accounts/user/", [refused.user_id], "reject_accounts")
    page.fill("textarea[name=reason]", "Registered twice")
    page.click("input[name=apply]")
    page.wait_for_selector(".messagelist .success")

    pending.user.refresh_from_db()
    refused.user.refresh_from_db()
    assert (pending.user.approval_status, pending.user.approved_by) == ("approved", hospital_admin)
    assert (refused.user.approval_status, refused.user.rejection_reason) == (
        "rejected", "Registered twice")
    page.goto(f"{live_server.url}/admin/accounts/user/{refused.user_id}/change/")
    assert "Reason: Registered twice" in page.content()
    assert page.locator("select[name=role]").count() == 0


def test_admin_approves_a_startless_request_by_choosing_a_slot(page, live_server, hospital_admin, doctor):
    working_every_day(doctor)
    request = AppointmentFactory(doctor=doctor, status="requested", start=None, end=None)
    admin_login(page, live_server, hospital_admin)

    run_action(page, live_server, "/admin/appointments/appointment/", [request.pk],
               "approve_appointments")
    page.wait_for_selector("#slots")
    tomorrow = timezone.localdate() + timedelta(days=1)
    page.goto(f"{page.url.split('?')[0]}?from={tomorrow.isoformat()}")
    chosen = page.locator("#slots input[type=radio]").nth(2)
    value = chosen.get_attribute("value")
    chosen.check()
    page.click("input[type=submit]")
    page.wait_for_selector(".messagelist .success")

    request.refresh_from_db()
    assert request.status == Appointment.Status.CONFIRMED
    assert request.start.isoformat() == value


@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_docs_load_nothing_from_outside(page, live_server, outside_requests, path):
    page.goto(f"{live_server.url}{path}", wait_until="networkidle")
    page.wait_for_selector(".opblock-tag, .api-content", timeout=30000)
    page.wait_for_timeout(1000)

    assert outside_requests == []
    assert "Register a doctor or patient account" in page.content()
