"""Factories of the trust app: audit events at a chosen time, and a world of every record."""

import datetime
from types import SimpleNamespace
from unittest import mock

from django.utils import timezone

from accounts.models import User
from appointments.models import Appointment
from clinical.models import Allergy, Encounter
from tests.factories.accounts import DoctorProfileFactory, PatientProfileFactory
from tests.factories.appointments import AppointmentFactory, future_slot, working_every_day
from tests.factories.billing import admission_for, example_invoice, issued_invoice, visit_for
from tests.factories.clinical import (
    AllergyFactory,
    EncounterFactory,
    ObservationFactory,
    PrescriptionFactory,
)
from trust.models import AuditEvent


def audit_event(*, at: datetime.datetime | None = None, **fields) -> AuditEvent:
    """One audit event; `at` backdates it (the field is filled on insert only)."""
    fields = {"action": "read", "object_type": "patient", "object_id": "x", **fields}
    with mock.patch("django.utils.timezone.now", return_value=at or timezone.now()):
        return AuditEvent.objects.create(**fields)


def hospital_world(*, admin, doctor, other_doctor, patient, other_patient, pending,
                   nurse=None, other_nurse=None, lab=None):
    """Records of every kind, all about `patient` under `doctor`; the others are outsiders.

    `confirmed` and `requested` are upcoming appointments, `visit` a completed one carrying
    `prescription`; `admission` is open and unreferenced; `draft` and `issued` are invoices.
    `admission` is in the department of `doctor` and `nurse`, so `patient` is in the nurse's
    care; `other_nurse` works in another department and `lab` sees no patient record.
    `encounter` is open at `visit`, `finished_encounter` an emergency one; `observation` was
    recorded by `doctor`; `allergy` is an environmental one (it blocks no prescription).
    """
    working_every_day(doctor)
    working_every_day(other_doctor)
    visit = visit_for(patient, doctor)
    pending_status = {"user__approval_status": User.ApprovalStatus.PENDING, "user__approved_at": None}
    return SimpleNamespace(
        admin=admin, doctor=doctor, other_doctor=other_doctor, patient=patient,
        other_patient=other_patient, pending=pending, visit=visit,
        nurse=nurse, other_nurse=other_nurse, lab=lab,
        confirmed=AppointmentFactory(patient=patient, doctor=doctor, start=future_slot(1, 9)),
        requested=AppointmentFactory(patient=patient, doctor=doctor, start=future_slot(1, 10),
                                     status=Appointment.Status.REQUESTED),
        admission=admission_for(patient, doctor),
        prescription=PrescriptionFactory(appointment=visit),
        draft=example_invoice(patient, created_by=admin),
        issued=issued_invoice(patient, created_by=admin),
        pending_doctor=DoctorProfileFactory(**pending_status),
        pending_patient=PatientProfileFactory(**pending_status),
        event=audit_event(actor=doctor.user, patient=patient),
        encounter=EncounterFactory(appointment=visit),
        finished_encounter=EncounterFactory(
            appointment=None, patient=patient, doctor=doctor, kind=Encounter.Kind.EMERGENCY,
            status=Encounter.Status.FINISHED,
            started_at=timezone.now() - datetime.timedelta(hours=2),
            ended_at=timezone.now() - datetime.timedelta(hours=1),
        ),
        observation=ObservationFactory(patient=patient, recorded_by=doctor.user),
        allergy=AllergyFactory(patient=patient, substance="Latex",
                               category=Allergy.Category.ENVIRONMENT, recorded_by=doctor.user),
    )
