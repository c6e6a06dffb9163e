"""Messages to patients about their appointments, stored as notifications with the change."""

from django.utils import timezone

from appointments.models import Appointment
from notifications.models import Notification
from notifications.services import notify

SUBJECTS = {
    "confirm": "Your appointment is confirmed",
    "reject": "Your appointment request was declined",
    "cancel": "Your appointment was cancelled",
    "remind": "Reminder: your appointment",
}
KINDS = {
    "confirm": Notification.Kind.APPOINTMENT_CONFIRMED,
    "reject": Notification.Kind.APPOINTMENT_REJECTED,
    "cancel": Notification.Kind.APPOINTMENT_CANCELLED,
    "remind": Notification.Kind.APPOINTMENT_REMINDER,
}


def _when(appointment: Appointment) -> str:
    if appointment.start is None:
        return "without a time yet"
    return f"on {timezone.localtime(appointment.start):%A %d %B %Y at %H:%M}"


def _body(appointment: Appointment, action: str) -> str:
    patient = appointment.patient.user
    doctor = appointment.doctor
    greeting = f"Dear {patient.full_name or patient.username},"
    visit = f"your appointment with {doctor} {_when(appointment)}"
    if action == "confirm":
        message = f"{visit[0].upper()}{visit[1:]} is confirmed."
    elif action == "remind":
        message = f"This is a reminder of {visit}."
    elif action == "reject":
        message = (f"We could not accept your request for {visit}.\n"
                   f"Reason: {appointment.cancellation_reason}")
    else:
        message = f"{visit[0].upper()}{visit[1:]} was cancelled.\nReason: {appointment.cancellation_reason}"
    return f"{greeting}\n\n{message}\n"


def appointment_notify(appointment: Appointment, action: str) -> Notification:
    """Notify the patient about `action` (confirm, reject, cancel), delivered after the commit."""
    return notify(
        user=appointment.patient.user, kind=KINDS[action], subject=SUBJECTS[action],
        body=_body(appointment, action),
    )
