"""Demo laboratory: a technician, a released blood count of the demo admission, an urgent order waiting."""

from decimal import Decimal

from django.utils import timezone

from accounts.demo import demo_password_set
from accounts.models import User
from laboratory import services
from laboratory.models import LabOrder, LabTest

TECHNICIAN = ("lab_lena", "Lena", "Obi")
PANEL = [("hemoglobin", "10.8"), ("wbc", "7.2"), ("platelets", "310")]
PANEL_NOTE = "Full blood count on admission."
URGENT = ["sodium", "potassium", "creatinine"]
URGENT_NOTE = "Urgent electrolytes before discharge review."


def _technician(people: dict) -> User:
    username, first, last = TECHNICIAN
    user, created = User.objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@demo.hospital.example", "first_name": first,
                  "last_name": last, "role": services.LAB,
                  "approval_status": User.ApprovalStatus.APPROVED, "approved_at": timezone.now()},
    )
    if created:
        demo_password_set(user, people)
    return user


def _tests(codes) -> list[LabTest]:
    found = {test.code: test for test in LabTest.objects.filter(code__in=codes)}
    return [found[code] for code in codes]


def _released_panel(*, doctor, patient, admission, lab) -> LabOrder:
    order = services.lab_order_create(
        actor=doctor.user, patient=patient, tests=_tests([code for code, _ in PANEL]),
        admission=admission, note=PANEL_NOTE,
    )
    services.lab_order_collect(order=order, actor=lab)
    values = dict(PANEL)
    services.lab_order_results(order=order, actor=lab, results=[
        {"item": item.pk, "value": Decimal(values[item.test.code])} for item in order.items.all()
    ])
    return services.lab_order_release(order=order, actor=doctor.user)


def seed(people: dict) -> list[str]:
    """Create the technician and both orders once (idempotent)."""
    lab = _technician(people)
    cardiologist, patient = people["doctors"][0], people["patients"][0]
    admission = people.get("admission")
    orders = LabOrder.objects.filter(patient=patient)
    if not orders.filter(note=PANEL_NOTE).exists():
        _released_panel(doctor=cardiologist, patient=patient, admission=admission, lab=lab)
    if not orders.filter(note=URGENT_NOTE).exists():
        services.lab_order_create(
            actor=cardiologist.user, patient=patient, tests=_tests(URGENT),
            priority=LabOrder.Priority.URGENT, note=URGENT_NOTE,
        )
    people["lab"] = lab
    return [
        f"lab       {TECHNICIAN[0]:<12} (laboratory technician: the work queue)",
        f"lab order {patient.user.username:<12} (released blood count; urgent electrolytes waiting)",
    ]
