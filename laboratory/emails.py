"""The patient's notice that lab results were released (or amended), sent after the commit."""

from django.core.mail import send_mail
from django.db import transaction

from laboratory.models import LabOrder

SUBJECTS = {
    "release": "Your lab results are ready",
    "amend": "Your lab results were corrected",
}


def _body(order: LabOrder, action: str) -> str:
    patient = order.patient.user
    names = ", ".join(item.test.name for item in order.items.all())
    if action == "release":
        message = f"The results of your tests ({names}) are ready. Sign in to read them."
    else:
        message = (f"A result of your tests ({names}) was corrected. Sign in to read the new "
                   "value beside the previous one.")
    return f"Dear {patient.full_name or patient.username},\n\n{message}\n"


def lab_results_notify(order: LabOrder, action: str) -> None:
    """Queue the patient's e-mail about released (`release`) or corrected (`amend`) results."""
    address = order.patient.user.email
    if not address:
        return
    subject, body = SUBJECTS[action], _body(order, action)

    def send_lab_results_email():
        send_mail(subject, body, None, [address])

    # A mail server failure must not turn a committed release into an error response.
    transaction.on_commit(send_lab_results_email, robust=True)
