"""Factories of clinical records, and of the (past, completed) visits they hang off."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from appointments.models import Appointment
from clinical.models import Admission, Allergy, Encounter, Observation, Prescription
from tests.factories.accounts import (
    AdminFactory,
    DoctorProfileFactory,
    PatientProfileFactory,
    department,
)
from tests.factories.appointments import AppointmentFactory


class VisitFactory(AppointmentFactory):
    """An appointment that took place: completed, in the past (confirmed ones via `status=`)."""

    start = factory.Sequence(
        lambda n: timezone.now().replace(microsecond=0) - datetime.timedelta(days=2, minutes=30 * n)
    )
    status = Appointment.Status.COMPLETED
    reason = "Chest pain"
    created_by = factory.LazyAttribute(lambda a: a.doctor.user)


class AdmissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Admission

    patient = factory.SubFactory(PatientProfileFactory)
    assigned_doctor = factory.SubFactory(DoctorProfileFactory)
    department = factory.LazyFunction(department)
    symptoms = "Shortness of breath"
    admitted_at = factory.LazyFunction(
        lambda: timezone.now().replace(microsecond=0) - datetime.timedelta(days=3)
    )
    created_by = factory.SubFactory(AdminFactory)


class PrescriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prescription

    appointment = factory.SubFactory(VisitFactory)
    patient = factory.LazyAttribute(lambda rx: rx.appointment.patient)
    doctor = factory.LazyAttribute(lambda rx: rx.appointment.doctor)
    medicine_name = "Amlodipine"
    dosage = "5 mg"
    frequency = "once daily"
    duration_days = 30
    quantity = 30
    instructions = "Take in the morning."


class EncounterFactory(factory.django.DjangoModelFactory):
    """An outpatient encounter in progress, at a completed visit."""

    class Meta:
        model = Encounter

    appointment = factory.SubFactory(VisitFactory)
    patient = factory.LazyAttribute(lambda e: e.appointment.patient if e.appointment else None)
    doctor = factory.LazyAttribute(lambda e: e.appointment.doctor if e.appointment else None)
    kind = Encounter.Kind.OUTPATIENT
    subjective = "Chest pain on exertion for two weeks."
    objective = "BP 150/95, HR 88, no murmurs."
    assessment = "Stable angina, suspected."
    plan = "ECG, lipid panel; review in one week."


class ObservationFactory(factory.django.DjangoModelFactory):
    """A normal heart rate recorded a minute ago by the patient's doctor."""

    class Meta:
        model = Observation

    patient = factory.SubFactory(PatientProfileFactory)
    code = "heart_rate"
    value = Decimal("72.00")
    unit = "/min"
    interpretation = Observation.Interpretation.NORMAL
    effective_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(minutes=1))
    recorded_by = factory.SubFactory(AdminFactory)


class AllergyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allergy

    patient = factory.SubFactory(PatientProfileFactory)
    substance = "Penicillin"
    category = Allergy.Category.MEDICATION
    criticality = Allergy.Criticality.HIGH
    reactions = factory.LazyFunction(lambda: ["hives"])
    recorded_by = factory.SubFactory(AdminFactory)
