"""`/api/patients/{id}/history/`: admissions newest first with visits, prescriptions and costs."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from billing.models import Invoice, InvoiceLine
from tests.factories.accounts import DoctorProfileFactory, department
from tests.factories.clinical import AdmissionFactory, PrescriptionFactory, VisitFactory
from trust.models import AuditEvent

ZERO_COSTS = {"room_charge": "0.00", "medicine_cost": "0.00", "doctor_fee": "0.00",
              "other_charge": "0.00", "total_cost": "0.00"}


def history_url(patient) -> str:
    return f"/api/patients/{patient.pk}/history/"


def invoice_for(admission, admin_user, lines, status=Invoice.Status.ISSUED) -> Invoice:
    now = timezone.now()
    state = {
        Invoice.Status.ISSUED: {"number": f"T-{uuid.uuid4().hex[:12]}", "issued_at": now},
        Invoice.Status.VOID: {"voided_at": now, "void_reason": "Raised in error"},
    }[status]
    invoice = Invoice.objects.create(patient=admission.patient, admission=admission,
                                     currency="BDT", status=status, created_by=admin_user,
                                     **state)
    for position, (category, quantity, price) in enumerate(lines):
        InvoiceLine.objects.create(invoice=invoice, category=category, description=category,
                                   quantity=quantity, unit_price=Decimal(price),
                                   position=position)
    return invoice


@pytest.fixture
def past_admission(admin_user, patient, other_doctor):
    """A discharged Dermatology stay of `patient` last month, with two visits and an invoice."""
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=40)
    admission = AdmissionFactory(
        patient=patient, assigned_doctor=other_doctor, department=department("DL"),
        admitted_at=start, discharged_at=start + datetime.timedelta(days=2),
        created_by=admin_user,
    )
    first = VisitFactory(patient=patient, doctor=other_doctor, admission=admission,
                         start=start + datetime.timedelta(hours=2))
    second = VisitFactory(patient=patient, doctor=other_doctor, admission=admission,
                          start=start + datetime.timedelta(days=1))
    PrescriptionFactory(appointment=first, medicine_name="Cetirizine", issued_at=first.start)
    PrescriptionFactory(appointment=second, medicine_name="Hydrocortisone", status="cancelled",
                        issued_at=second.start)
    invoice_for(admission, admin_user, [("room", 2, "1500.00"), ("medicine", 1, "250.00"),
                                        ("doctor_fee", 2, "900.00"), ("other", 3, "20.00")])
    invoice_for(admission, admin_user, [("room", 9, "9999.00")], status=Invoice.Status.VOID)
    return admission


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("admin", 200), ("doctor", 200), ("treating_doctor", 200), ("patient", 200),
     ("other_doctor", 404), ("other_patient", 404)],
)
def test_history_matrix(api, personas, admission, patient, persona, expected):
    assert api(personas[persona]).get(history_url(patient)).status_code == expected


def test_unauthenticated_is_401(anon, patient):
    assert anon.get(history_url(patient)).status_code == 401


def test_unknown_patient_is_404(api, admin_user):
    assert api(admin_user).get(
        "/api/patients/5b0a8a0e-0000-4000-8000-000000000000/history/").status_code == 404


def test_history_lists_admissions_newest_first_with_visits_prescriptions_costs(
    api, patient, admission, past_admission, other_doctor
):
    body = api(patient.user).get(history_url(patient)).json()

    assert body["count"] == 2
    newest, oldest = body["results"]
    assert (newest["id"], oldest["id"]) == (str(admission.pk), str(past_admission.pk))

    assert newest["appointments"] == [] and newest["prescriptions"] == []
    assert newest["costs"] == ZERO_COSTS

    assert oldest["department"] == "DL" and oldest["is_active"] is False
    first, second = oldest["appointments"]
    assert set(first) == {"id", "doctor", "start", "end", "status", "reason"}
    assert first["doctor"] == {"id": str(other_doctor.pk), "full_name": "Dora Skin",
                               "department": {"code": "DL", "name": "Dermatology"}}
    assert first["status"] == "completed"
    assert first["start"] < second["start"]
    assert [(rx["medicine_name"], rx["status"]) for rx in oldest["prescriptions"]] == [
        ("Hydrocortisone", "cancelled"), ("Cetirizine", "active")]
    # The void invoice does not count.
    assert oldest["costs"] == {"room_charge": "3000.00", "medicine_cost": "250.00",
                               "doctor_fee": "1800.00", "other_charge": "60.00",
                               "total_cost": "5110.00"}


def test_history_of_a_patient_without_admissions_is_empty(api, admin_user, other_patient):
    body = api(admin_user).get(history_url(other_patient)).json()

    assert body == {"count": 0, "next": None, "previous": None, "results": []}


def test_history_is_paginated(api, admin_user, patient, admission, past_admission):
    body = api(admin_user).get(history_url(patient), {"page_size": 1}).json()

    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [str(admission.pk)]
    assert body["next"] is not None

    second = api(admin_user).get(history_url(patient), {"page_size": 1, "page": 2}).json()
    assert [row["id"] for row in second["results"]] == [str(past_admission.pk)]


def test_history_shows_other_doctors_admissions_to_a_treating_doctor(
    api, treating_doctor, patient, admission, past_admission
):
    body = api(treating_doctor.user).get(history_url(patient)).json()

    assert {row["id"] for row in body["results"]} == {str(admission.pk), str(past_admission.pk)}


@pytest.mark.parametrize("admissions", [1, 10])
def test_history_query_count_is_constant(api, admin_user, patient, django_assert_max_num_queries,
                                         admissions):
    doctors = DoctorProfileFactory.create_batch(2)
    for n in range(admissions):
        admitted = timezone.now() - datetime.timedelta(days=30 * (n + 1))
        admission = AdmissionFactory(patient=patient, assigned_doctor=doctors[n % 2],
                                     admitted_at=admitted,
                                     discharged_at=admitted + datetime.timedelta(days=1),
                                     created_by=admin_user)
        for doctor in doctors:
            visit = VisitFactory(patient=patient, doctor=doctor, admission=admission)
            PrescriptionFactory.create_batch(2, appointment=visit)
        invoice_for(admission, admin_user, [("room", 1, "100.00"), ("medicine", 2, "5.50")])
    client = api(admin_user)

    # user, patient, count, admissions, appointments, prescriptions, costs, two audit inserts
    with django_assert_max_num_queries(9):
        response = client.get(history_url(patient))

    rows = response.json()["results"]
    assert len(rows) == admissions
    assert all(len(row["appointments"]) == 2 and len(row["prescriptions"]) == 4 for row in rows)
    assert all(row["costs"]["total_cost"] == "111.00" for row in rows)


def test_history_read_is_audited_per_admission(api, doctor, patient, admission, past_admission):
    api(doctor.user).get(history_url(patient))

    events = AuditEvent.objects.filter(actor=doctor.user, object_type="admission")
    assert {(e.action, e.object_id, e.patient_id) for e in events} == {
        ("read", str(admission.pk), patient.pk), ("read", str(past_admission.pk), patient.pk)}
    assert AuditEvent.objects.filter(actor=doctor.user, object_type="patient",
                                     object_id=str(patient.pk)).exists()


def test_refused_history_is_not_audited(api, other_doctor, patient, admission):
    api(other_doctor.user).get(history_url(patient))

    assert not AuditEvent.objects.filter(actor=other_doctor.user).exists()
