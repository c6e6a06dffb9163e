"""Appointment writes: booking, the status workflow and its recorded events."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import DoctorProfile, User
from appointments.models import Appointment, AppointmentEvent


@transaction.atomic
def appointments_cancel_for_departing_doctor(
    *, doctor: DoctorProfile, actor: User, reason: str
) -> int:
    """Cancel a deactivated doctor's future (or unscheduled) active appointments, recording why."""
    appointments = list(
        Appointment.objects.select_for_update()
        .filter(doctor=doctor, status__in=Appointment.ACTIVE_STATUSES)
        .filter(Q(start__gte=timezone.now()) | Q(start__isnull=True))
    )
    for appointment in appointments:
        previous = appointment.status
        appointment.status = Appointment.Status.CANCELLED
        appointment.cancellation_reason = reason
        appointment.save(update_fields=["status", "cancellation_reason", "updated_at"])
        AppointmentEvent.objects.create(
            appointment=appointment, actor=actor, action="cancel",
            from_status=previous, to_status=appointment.status, reason=reason,
        )
    return len(appointments)
