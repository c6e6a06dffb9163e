"""What each user may see of lab orders, the technicians' queue, and released results."""

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import User
from accounts.selectors import patient_ids_treated_by
from laboratory.models import LabOrder, LabOrderEvent, LabOrderItem, LabResultRevision, LabTest
from laboratory.services import LAB

# Newest first for everyone but the technicians, whose queue is urgent first, then oldest.
NEWEST_FIRST = ("-ordered_at", "-id")
QUEUE_ORDER = ("-priority", "ordered_at", "id")


def lab_tests_list() -> QuerySet[LabTest]:
    return LabTest.objects.order_by("name", "code")


def _orders() -> QuerySet[LabOrder]:
    items = LabOrderItem.objects.select_related("test").prefetch_related(
        Prefetch("revisions", queryset=LabResultRevision.objects.order_by("superseded_at", "id"))
    ).order_by("position")
    return LabOrder.objects.select_related("patient__user", "ordered_by__user").prefetch_related(
        Prefetch("items", queryset=items),
        Prefetch("events", queryset=LabOrderEvent.objects.select_related("actor")),
    )


def lab_orders_visible_to(user: User) -> QuerySet[LabOrder]:
    """Admins and technicians: every order; doctors: those they placed or for patients they treat;
    patients: their own; anyone else: none."""
    qs = _orders()
    if not (user.is_authenticated and user.is_active):
        return qs.none()
    if user.role == LAB:
        return qs.order_by(*QUEUE_ORDER)
    qs = qs.order_by(*NEWEST_FIRST)
    if user.role == User.Role.ADMIN:
        return qs
    if user.role == User.Role.DOCTOR:
        return qs.filter(Q(ordered_by_id=user.pk) | Q(patient_id__in=patient_ids_treated_by(user.pk)))
    if user.role == User.Role.PATIENT:
        return qs.filter(patient_id=user.pk)
    return qs.none()


def admission_released_items(admission) -> QuerySet[LabOrderItem]:
    """The tests of the admission's released orders, in the order they were released and listed."""
    return (
        LabOrderItem.objects.filter(order__admission=admission, order__status=LabOrder.Status.RELEASED)
        .select_related("test", "order")
        .order_by("order__released_at", "order_id", "position")
    )
