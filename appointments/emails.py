"""E-mails to patients about their appointments, sent once the change is committed."""

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from appointments.models import Appointment

SUBJECTS = {
    "confirm": "Your appointment is confirmed",
    "reject": "Your appointment request was declined",
    "cancel": "Your appointment was cancelled",
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
    elif action == "reject":
        message = (f"We could not accept your request for {visit}.\n"
                   f"Reason: {appointment.cancellation_reason}")
    else:
        message = f"{visit[0].upper()}{visit[1:]} was cancelled.\nReason: {appointment.cancellation_reason}"
    return f"{greeting}\n\n{message}\n"


def appointment_notify(appointment: Appointment, action: str) -> None:
    """Queue the patient's e-mail about `action` (confirm, reject, cancel) for after the commit."""
    address = appointment.patient.user.email
    if not address:
        return
    subject, body = SUBJECTS[action], _body(appointment, action)

    def send_appointment_email():
        send_mail(subject, body, None, [address])

    # A mail server failure must not turn a committed change into an error response.
    transaction.on_commit(send_appointment_email, robust=True)
