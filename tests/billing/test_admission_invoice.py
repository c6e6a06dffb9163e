"""`POST /api/admissions/{id}/invoice/`: a draft of the admission's room nights and visit fees."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from appointments.models import Appointment
from billing.models import Invoice
from billing.services import admission_nights
from tests.factories.billing import admission_for, visit_for
from trust.models import AuditEvent


def url(admission) -> str:
    return f"/api/admissions/{admission.pk}/invoice/"


@pytest.fixture
def admission(patient, doctor):
    """`patient` in Cardiology (1500.00 a night) under `doctor`, admitted three days ago."""
    return admission_for(patient, doctor)


def test_admin_drafts_room_nights_and_completed_visit_fees(api, admin_user, patient, doctor,
                                                           other_doctor, admission):
    visit_for(patient, doctor, days_ago=2, admission=admission)
    visit_for(patient, other_doctor, days_ago=1, admission=admission)
    visit_for(patient, doctor, days_ago=1, admission=admission, status=Appointment.Status.CANCELLED)
    visit_for(patient, doctor, days_ago=3, admission=admission, status=Appointment.Status.NO_SHOW)
    visit_for(patient, doctor, days_ago=4)  # completed, but not part of the admission
    other_doctor.consultation_fee = Decimal("900.00")
    other_doctor.save()

    response = api(admin_user).post(url(admission))

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["patient"], body["admission"]) == (
        "draft", str(patient.pk), str(admission.pk))
    assert [(line["category"], line["quantity"], line["unit_price"]) for line in body["lines"]] == [
        ("room", 3, "1500.00"), ("doctor_fee", 1, "1250.00"), ("doctor_fee", 1, "900.00")]
    assert body["breakdown"] == {"room_charge": "4500.00", "medicine_cost": "0.00",
                                 "doctor_fee": "2150.00", "other_charge": "0.00",
                                 "total_cost": "6650.00"}
    assert "Cardiology" in body["lines"][0]["description"]
    assert AuditEvent.objects.filter(object_type="invoice", action="create",
                                     object_id=body["id"], patient=patient).count() == 1


def test_discharge_ends_the_stay(api, admin_user, admission):
    admission.discharged_at = admission.admitted_at + datetime.timedelta(days=1, hours=2)
    admission.save()

    body = api(admin_user).post(url(admission)).json()

    assert body["lines"][0]["quantity"] == 1
    assert body["breakdown"]["room_charge"] == "1500.00"


def test_a_stay_within_one_day_is_one_night(api, admin_user, patient, doctor):
    admission = admission_for(patient, doctor, admitted_at=timezone.now() - datetime.timedelta(minutes=5))

    body = api(admin_user).post(url(admission)).json()

    assert body["lines"][0]["quantity"] == 1
    assert len(body["lines"]) == 1


def test_the_draft_can_be_issued_and_paid(api, admin_user, admission):
    client = api(admin_user)
    invoice_id = client.post(url(admission)).json()["id"]

    assert client.post(f"/api/invoices/{invoice_id}/issue/").status_code == 200
    paid = client.post(f"/api/invoices/{invoice_id}/payments/", {"amount": "4500.00", "method": "cash"})
    assert paid.json()["status"] == "paid"


@pytest.mark.parametrize(("admitted", "discharged", "nights"), [
    # Lagos is UTC+1: 22:30Z is 23:30 on the 1st; 23:30Z is 00:30 on the 2nd.
    ("2026-03-01T22:30:00+00:00", "2026-03-01T23:30:00+00:00", 1),
    ("2026-03-01T23:30:00+00:00", "2026-03-03T22:00:00+00:00", 1),
    ("2026-03-01T08:00:00+00:00", "2026-03-01T18:00:00+00:00", 1),
    ("2026-03-01T08:00:00+00:00", "2026-03-05T07:00:00+00:00", 4),
])
def test_nights_are_counted_on_hospital_local_dates(patient, doctor, settings, admitted,
                                                    discharged, nights):
    settings.TIME_ZONE = "Africa/Lagos"
    admission = admission_for(patient, doctor, admitted_at=datetime.datetime.fromisoformat(admitted),
                              discharged_at=datetime.datetime.fromisoformat(discharged))

    assert admission_nights(admission) == nights


def test_ongoing_stay_counts_up_to_now(patient, doctor):
    admitted = datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC)
    admission = admission_for(patient, doctor, admitted_at=admitted)

    assert admission_nights(admission, now=admitted + datetime.timedelta(days=6)) == 6


@pytest.fixture
def caller(request, admin_user, doctor, other_doctor, patient, other_patient):
    return {"admin": admin_user, "assigned_doctor": doctor.user, "other_doctor": other_doctor.user,
            "patient": patient.user, "other_patient": other_patient.user}[request.param]


@pytest.mark.parametrize(("caller", "expected"), [
    ("admin", 201), ("assigned_doctor", 403), ("patient", 403),
    ("other_doctor", 404), ("other_patient", 404),
], indirect=["caller"])
def test_admission_invoice_by_role(api, caller, expected, admission):
    response = api(caller).post(url(admission))

    assert response.status_code == expected
    assert Invoice.objects.count() == (1 if expected == 201 else 0)


def test_treating_doctor_sees_the_admission_but_may_not_bill_it(api, other_doctor, patient,
                                                                 admission):
    visit_for(patient, other_doctor)

    assert api(other_doctor.user).post(url(admission)).status_code == 403


def test_unknown_admission_is_404(api, admin_user):
    assert api(admin_user).post(f"/api/admissions/{uuid.uuid4()}/invoice/").status_code == 404
    assert not Invoice.objects.exists()


def test_anonymous_is_401(anon, admission):
    assert anon.post(url(admission)).status_code == 401
