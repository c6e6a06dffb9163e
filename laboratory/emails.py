"""The patient's notice that lab results were released (or amended), stored as a notification."""

from laboratory.models import LabOrder
from notifications.models import Notification
from notifications.services import notify

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


def lab_results_notify(order: LabOrder, action: str) -> Notification:
    """Notify the patient of released (`release`) or corrected (`amend`) results after commit."""
    return notify(
        user=order.patient.user, kind=Notification.Kind.LAB_RESULTS_RELEASED,
        subject=SUBJECTS[action], body=_body(order, action),
    )
