"""Nothing is lost: deactivation keeps every record, hard deletes of people with records are refused."""

import datetime

import pytest
from django.apps import apps
from django.db import models
from django.db.models import ProtectedError
from django.utils import timezone

from accounts.models import DoctorProfile, PatientProfile, User
from appointments.models import Appointment, AppointmentEvent
from billing.models import Invoice
from clinical.models import Admission, Prescription
from tests.factories.clinical import PrescriptionFactory, VisitFactory

PEOPLE = (User, DoctorProfile, PatientProfile)
# A schedule is the doctor's configuration, not a record of care.
CONFIGURATION = {"appointments.schedule", "appointments.schedulehours"}


def record_counts() -> dict:
    return {model.__name__: model.objects.count()
            for model in (Admission, Prescription, Appointment, AppointmentEvent, Invoice)}


@pytest.fixture
def records(admin_user, doctor, patient, admission):
    """A visit in the admission, a prescription, an invoice and a future booking of `doctor`."""
    visit = VisitFactory(doctor=doctor, patient=patient, admission=admission)
    prescription = PrescriptionFactory(appointment=visit)
    invoice = Invoice.objects.create(patient=patient, admission=admission, currency="BDT",
                                     created_by=admin_user)
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    upcoming = VisitFactory(doctor=doctor, patient=patient, start=start,
                            status=Appointment.Status.CONFIRMED)
    return {"visit": visit, "prescription": prescription, "invoice": invoice,
            "upcoming": upcoming, "admission": admission}


@pytest.mark.parametrize("app_label", ["clinical", "appointments", "billing"])
def test_no_record_cascades_from_a_person(app_label):
    cascading = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_app_config(app_label).get_models()
        if model._meta.label_lower not in CONFIGURATION
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey) and field.related_model in PEOPLE
        and field.remote_field.on_delete is not models.PROTECT
    ]

    assert cascading == []


@pytest.mark.parametrize("who", ["doctor", "patient", "admin_user"])
def test_hard_delete_of_a_person_with_records_is_refused(request, records, who):
    person = request.getfixturevalue(who)
    user = person if isinstance(person, User) else person.user
    before = record_counts()

    with pytest.raises(ProtectedError):
        user.delete()

    assert User.objects.filter(pk=user.pk).exists()
    assert record_counts() == before


def test_deactivating_a_doctor_keeps_records_and_cancels_future_visits(
    api, admin_user, doctor, patient, records
):
    before = record_counts()

    response = api(admin_user).delete(f"/api/doctors/{doctor.pk}/")

    assert response.status_code == 204
    doctor.user.refresh_from_db()
    assert doctor.user.is_active is False
    assert record_counts()["Admission"] == before["Admission"]
    assert record_counts()["Prescription"] == before["Prescription"]
    assert record_counts()["Invoice"] == before["Invoice"]
    assert record_counts()["Appointment"] == before["Appointment"]

    records["visit"].refresh_from_db()
    records["upcoming"].refresh_from_db()
    records["prescription"].refresh_from_db()
    assert records["visit"].status == Appointment.Status.COMPLETED
    assert records["prescription"].status == Prescription.Status.ACTIVE
    assert records["upcoming"].status == Appointment.Status.CANCELLED
    assert records["upcoming"].cancellation_reason
    assert records["upcoming"].events.filter(action="cancel", to_status="cancelled").exists()

    history = api(patient.user).get(f"/api/patients/{patient.pk}/history/").json()
    row = history["results"][0]
    assert row["assigned_doctor_name"] == doctor.user.full_name
    assert [rx["id"] for rx in row["prescriptions"]] == [str(records["prescription"].pk)]


def test_deactivating_a_patient_keeps_every_record(api, admin_user, patient, records):
    before = record_counts()

    response = api(admin_user).delete(f"/api/patients/{patient.pk}/")

    assert response.status_code == 204
    patient.user.refresh_from_db()
    assert patient.user.is_active is False
    assert record_counts() == before
    client = api(admin_user)
    assert client.get(f"/api/admissions/{records['admission'].pk}/").status_code == 200
    assert client.get(f"/api/prescriptions/{records['prescription'].pk}/").status_code == 200
    history = client.get(f"/api/patients/{patient.pk}/history/").json()
    assert [row["id"] for row in history["results"]] == [str(records["admission"].pk)]


def test_a_deactivated_patient_cannot_be_admitted_again(api, admin_user, doctor, patient, records):
    api(admin_user).post(f"/api/admissions/{records['admission'].pk}/discharge/", {})
    api(admin_user).delete(f"/api/patients/{patient.pk}/")

    response = api(admin_user).post("/api/admissions/", {
        "patient": str(patient.pk), "department": "CL", "assigned_doctor": str(doctor.pk)})

    assert response.status_code == 400
    assert "patient" in response.json()
