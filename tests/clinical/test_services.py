"""Clinical services against the database: each refusal names its code and writes nothing."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from accounts.models import User
from appointments.models import Appointment
from billing.models import Invoice
from clinical import services
from clinical.models import Admission, Prescription
from hospital.errors import DomainError
from tests.factories.accounts import (
    AdminFactory,
    DoctorProfileFactory,
    PatientProfileFactory,
    department,
)
from tests.factories.clinical import AdmissionFactory, PrescriptionFactory, VisitFactory

RX = {"medicine_name": "Metformin", "dosage": "500 mg", "frequency": "twice daily",
      "duration_days": 14, "quantity": 28}


def admit(actor, patient, doctor, **extra) -> Admission:
    return services.admission_create(actor=actor, patient=patient, department=department("CL"),
                                     assigned_doctor=doctor, **extra)


# --- admissions --------------------------------------------------------------------------


def test_admission_create_defaults_to_now(admin_user, patient, doctor):
    before = timezone.now()

    admission = admit(admin_user, patient, doctor, symptoms="Fever")

    assert before <= admission.admitted_at <= timezone.now()
    assert admission.discharged_at is None and admission.created_by == admin_user


@pytest.mark.parametrize(
    ("who", "change"),
    [("patient", {"approval_status": User.ApprovalStatus.PENDING}),
     ("patient", {"is_active": False}),
     ("doctor", {"approval_status": User.ApprovalStatus.REJECTED}),
     ("doctor", {"is_active": False})],
)
def test_admission_needs_approved_active_parties(admin_user, patient, doctor, who, change):
    user = patient.user if who == "patient" else doctor.user
    for name, value in change.items():
        setattr(user, name, value)
    user.save()

    with pytest.raises(DomainError) as refused:
        admit(admin_user, patient, doctor)

    assert refused.value.code == "invalid_input"
    assert not Admission.objects.exists()


def test_admission_in_the_future_is_refused(admin_user, patient, doctor):
    with pytest.raises(DomainError) as refused:
        admit(admin_user, patient, doctor, admitted_at=timezone.now() + datetime.timedelta(days=1))

    assert refused.value.code == "invalid_input"
    assert not Admission.objects.exists()


def test_one_open_admission_per_patient(admin_user, admission, patient, other_doctor):
    with pytest.raises(DomainError) as refused:
        admit(admin_user, patient, other_doctor)

    assert refused.value.code == "already_admitted"
    assert Admission.objects.filter(patient=patient).count() == 1


def test_update_applies_known_fields_only(admission, other_doctor, patient):
    updated = services.admission_update(admission=admission, data={
        "symptoms": "Better", "assigned_doctor": other_doctor, "patient": None})

    updated.refresh_from_db()
    assert (updated.symptoms, updated.assigned_doctor, updated.patient) == (
        "Better", other_doctor, patient)


def test_update_refuses_an_inactive_doctor(admission, doctor):
    gone = DoctorProfileFactory(user__is_active=False)

    with pytest.raises(DomainError) as refused:
        services.admission_update(admission=admission, data={"assigned_doctor": gone})

    assert refused.value.code == "invalid_input"
    admission.refresh_from_db()
    assert admission.assigned_doctor == doctor


def test_update_keeps_an_assigned_doctor_who_left(admission, doctor):
    doctor.user.is_active = False
    doctor.user.save()

    updated = services.admission_update(
        admission=admission, data={"assigned_doctor": doctor, "symptoms": "Stable"}
    )

    assert updated.symptoms == "Stable"


def test_discharge_twice_is_refused(admission):
    discharged = services.admission_discharge(admission=admission)
    first_time = discharged.discharged_at

    with pytest.raises(DomainError) as refused:
        services.admission_discharge(admission=admission)

    assert refused.value.code == "invalid_transition"
    admission.refresh_from_db()
    assert admission.discharged_at == first_time


@pytest.mark.parametrize(
    "offset", [datetime.timedelta(days=-10), datetime.timedelta(minutes=5)],
    ids=["before-admission", "future"],
)
def test_discharge_time_must_be_possible(admission, offset):
    with pytest.raises(DomainError) as refused:
        services.admission_discharge(admission=admission, discharged_at=timezone.now() + offset)

    assert refused.value.code == "invalid_input"
    admission.refresh_from_db()
    assert admission.discharged_at is None


def test_discharge_at_the_admission_time_is_allowed(admission):
    discharged = services.admission_discharge(admission=admission,
                                              discharged_at=admission.admitted_at)

    assert discharged.discharged_at == admission.admitted_at


@pytest.mark.parametrize("record", ["appointment", "invoice", "prescription"])
def test_delete_refused_while_records_point_at_it(admission, admin_user, record):
    if record == "invoice":
        Invoice.objects.create(patient=admission.patient, admission=admission, currency="BDT",
                               created_by=admin_user)
    else:
        visit = VisitFactory(patient=admission.patient, doctor=admission.assigned_doctor,
                             admission=admission)
        if record == "prescription":
            PrescriptionFactory(appointment=visit)

    with pytest.raises(DomainError) as refused:
        services.admission_delete(admission=admission)

    assert refused.value.code == "has_records"
    assert Admission.objects.filter(pk=admission.pk).exists()


def test_delete_of_an_unreferenced_admission(admission):
    services.admission_delete(admission=admission)

    assert not Admission.objects.exists()


# --- prescriptions -----------------------------------------------------------------------


@pytest.mark.parametrize("status", ["requested", "cancelled", "rejected", "no_show"])
def test_prescription_needs_a_confirmed_or_completed_visit(doctor, patient, status):
    visit = VisitFactory(doctor=doctor, patient=patient, status=status)

    with pytest.raises(DomainError) as refused:
        services.prescription_create(doctor=doctor, appointment=visit, **RX)

    assert refused.value.code == "invalid_state"
    assert not Prescription.objects.exists()


def test_prescription_by_another_doctor_is_refused(doctor, other_doctor, patient):
    visit = VisitFactory(doctor=doctor, patient=patient)

    with pytest.raises(DomainError) as refused:
        services.prescription_create(doctor=other_doctor, appointment=visit, **RX)

    assert refused.value.code == "invalid_input"
    assert not Prescription.objects.exists()


def test_prescription_takes_patient_and_doctor_from_the_visit(doctor, patient):
    visit = VisitFactory(doctor=doctor, patient=patient, status=Appointment.Status.CONFIRMED)

    rx = services.prescription_create(doctor=doctor, appointment=visit, **RX)

    assert (rx.patient, rx.doctor, rx.appointment, rx.status) == (patient, doctor, visit, "active")


def test_prescription_model_rules_still_apply(doctor, patient):
    visit = VisitFactory(doctor=doctor, patient=patient)

    with pytest.raises(ValidationError):
        services.prescription_create(doctor=doctor, appointment=visit, **(RX | {"quantity": 0}))

    assert not Prescription.objects.exists()


def test_cancelled_prescription_cannot_be_edited(doctor, patient):
    rx = PrescriptionFactory(appointment=VisitFactory(doctor=doctor, patient=patient),
                             status=Prescription.Status.CANCELLED)

    with pytest.raises(DomainError) as refused:
        services.prescription_update(prescription=rx, data={"dosage": "1 g"})

    assert refused.value.code == "invalid_state"
    rx.refresh_from_db()
    assert rx.dosage == "5 mg"


def test_cancel_needs_a_reason_and_happens_once(doctor, patient):
    rx = PrescriptionFactory(appointment=VisitFactory(doctor=doctor, patient=patient))

    with pytest.raises(DomainError) as blank:
        services.prescription_cancel(prescription=rx, actor=doctor.user, reason="  ")
    rx.refresh_from_db()
    assert (blank.value.code, rx.status) == ("invalid_input", "active")

    services.prescription_cancel(prescription=rx, actor=doctor.user, reason="Side effects")
    with pytest.raises(DomainError) as again:
        services.prescription_cancel(prescription=rx, actor=doctor.user, reason="Again")

    rx.refresh_from_db()
    assert again.value.code == "invalid_transition"
    assert (rx.status, rx.cancellation_reason) == ("cancelled", "Side effects")


# --- concurrency (row locks only matter on PostgreSQL) -----------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks")
@pytest.mark.django_db(transaction=True)
def test_concurrent_admissions_of_one_patient_leave_one_open():
    admin = AdminFactory()
    patient = PatientProfileFactory()
    doctors = DoctorProfileFactory.create_batch(4)
    barrier = threading.Barrier(len(doctors))
    outcomes = []

    def admit_under(doctor):
        try:
            barrier.wait()
            admit(admin, patient, doctor)
            outcomes.append("admitted")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=admit_under, args=(doctor,)) for doctor in doctors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["admitted"] + ["already_admitted"] * 3
    assert Admission.objects.filter(patient=patient, discharged_at__isnull=True).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs row locks")
@pytest.mark.django_db(transaction=True)
def test_concurrent_discharges_succeed_once():
    admission = AdmissionFactory()
    barrier = threading.Barrier(3)
    outcomes = []

    def discharge():
        try:
            barrier.wait()
            services.admission_discharge(admission=admission)
            outcomes.append("discharged")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=discharge) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["discharged", "invalid_transition", "invalid_transition"]
