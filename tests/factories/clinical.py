"""Factories of clinical records, and of the (past, completed) visits they hang off."""

import datetime

import factory
from django.utils import timezone

from appointments.models import Appointment
from clinical.models import Admission, Prescription
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
