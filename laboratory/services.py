"""Laboratory writes: the catalog, ordering, collection, results, release and cancellation.

Every status change goes through `TRANSITIONS`, the one table of who may do what from which
status. Each write locks the order's row first, so concurrent entries and releases of one order
queue up and the second sees what the first committed.
"""

from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import DoctorProfile, PatientProfile, User
from accounts.selectors import doctor_treats_patient
from clinical.models import Admission
from hospital.errors import DomainError
from hospital.permissions import ADMIN, DOCTOR
from laboratory import emails
from laboratory.models import LabOrder, LabOrderEvent, LabOrderItem, LabResultRevision, LabTest

Status = LabOrder.Status
Interpretation = LabOrderItem.Interpretation
# The laboratory technician's role (accounts.User.Role.LAB).
LAB = "lab"
# The "from" status of an order that does not exist yet.
NEW = ""
MAX_TESTS = 30


class Transition(NamedTuple):
    """The statuses an action may start from and the one it leads to (None: decided by the data)."""

    sources: frozenset
    target: str | None


def _rows(action: str, roles: set, sources, target) -> dict:
    return {(action, role): Transition(frozenset(sources), target) for role in roles}


# (action, role) → Transition. A pair not listed is refused (403); a listed action from another
# status is an invalid transition (409). Results entered on a released order are corrections:
# the order stays released and the replaced values are kept.
TRANSITIONS: dict[tuple[str, str], Transition] = {
    **_rows("order", {DOCTOR}, {NEW}, Status.ORDERED),
    **_rows("collect", {LAB}, {Status.ORDERED}, Status.COLLECTED),
    **_rows("results", {LAB}, {Status.COLLECTED, Status.RESULTED, Status.RELEASED}, None),
    **_rows("release", {LAB, DOCTOR}, {Status.RESULTED}, Status.RELEASED),
    **_rows("cancel", {DOCTOR, ADMIN}, {Status.ORDERED, Status.COLLECTED}, Status.CANCELLED),
}


def roles_allowed(action: str) -> frozenset:
    """The roles the transition table lets perform `action` (the API's role map reads this)."""
    return frozenset(role for name, role in TRANSITIONS if name == action)


def may_act(user: User, order: LabOrder) -> bool:
    """A doctor acts only on orders they placed; technicians and admins on any order."""
    if user.role == DOCTOR:
        return order.ordered_by_id == user.pk
    return user.role in (LAB, ADMIN)


def _allowed(action: str, actor: User, order: LabOrder) -> Transition:
    rule = TRANSITIONS.get((action, actor.role))
    if rule is None or not may_act(actor, order):
        raise DomainError("permission_denied", f"You may not {action} this lab order.", status_code=403)
    if order.status not in rule.sources:
        raise DomainError(
            "invalid_transition", f"Cannot {action} a lab order that is {order.status or 'new'}."
        )
    return rule


def _record(order: LabOrder, actor: User, action: str, from_status: str, reason: str = "") -> None:
    LabOrderEvent.objects.create(
        order=order, actor=actor, action=action, from_status=from_status,
        to_status=order.status, reason=reason,
    )


def _locked(order: LabOrder) -> LabOrder:
    return (
        LabOrder.objects.select_for_update(of=("self",))
        .select_related("patient__user").get(pk=order.pk)
    )


def interpret(test: LabTest, value: Decimal | None) -> str:
    """`low`, `normal` or `high` against the test's reference range (bounds are normal); "" without one."""
    if value is None or (test.reference_low is None and test.reference_high is None):
        return ""
    if test.reference_low is not None and value < test.reference_low:
        return Interpretation.LOW
    if test.reference_high is not None and value > test.reference_high:
        return Interpretation.HIGH
    return Interpretation.NORMAL


@transaction.atomic
def lab_test_create(*, data: dict) -> LabTest:
    """Add a test to the catalog."""
    test = LabTest(**data)
    test.full_clean()
    test.save()
    return test


@transaction.atomic
def lab_test_update(*, test: LabTest, data: dict) -> LabTest:
    """Change a catalog test; an ordered test is never deleted, only deactivated (`active`)."""
    test = LabTest.objects.select_for_update().get(pk=test.pk)
    for name, value in data.items():
        setattr(test, name, value)
    test.full_clean()
    test.save()
    return test


@transaction.atomic
def lab_order_create(
    *,
    actor: User,
    patient: PatientProfile,
    tests: Iterable[LabTest],
    priority: str = LabOrder.Priority.ROUTINE,
    admission: Admission | None = None,
    note: str = "",
) -> LabOrder:
    """Order active catalog tests for a patient the doctor treats, in an admission of theirs."""
    doctor = DoctorProfile.objects.select_related("user").get(pk=actor.pk)
    order = LabOrder(
        patient=patient, ordered_by=doctor, admission=admission, priority=priority, note=note,
        status=NEW,
    )
    _allowed("order", actor, order)
    if not doctor_treats_patient(doctor_id=doctor.pk, patient_id=patient.pk):
        raise ValidationError({"patient": [f'No approved, active patient with id "{patient.pk}".']})
    if admission is not None and admission.patient_id != patient.pk:
        raise ValidationError({"admission": ["This admission belongs to another patient."]})
    tests = list(tests)
    if not tests:
        raise ValidationError({"tests": ["Order at least one test."]})
    if len(tests) > MAX_TESTS:
        raise ValidationError({"tests": [f"Order at most {MAX_TESTS} tests at once."]})
    if len({test.pk for test in tests}) != len(tests):
        raise ValidationError({"tests": ["A test is named twice."]})
    inactive = [test.code for test in tests if not test.active]
    if inactive:
        raise ValidationError({"tests": [f"Not orderable (inactive): {', '.join(inactive)}."]})
    order.status = Status.ORDERED
    order.full_clean(exclude=["patient", "ordered_by", "admission"])
    order.save()
    LabOrderItem.objects.bulk_create([
        LabOrderItem(order=order, test=test, position=position, price=test.price)
        for position, test in enumerate(tests)
    ])
    _record(order, actor, "order", NEW)
    return order


@transaction.atomic
def lab_order_collect(*, order: LabOrder, actor: User) -> LabOrder:
    """Record that the specimen was taken."""
    order = _locked(order)
    previous = order.status
    rule = _allowed("collect", actor, order)
    order.status = rule.target
    order.collected_at = timezone.now()
    order.collected_by = actor
    order.save(update_fields=["status", "collected_at", "collected_by"])
    _record(order, actor, "collect", previous)
    return order


def _entries_by_item(order: LabOrder, results: list[dict]) -> dict:
    items = {item.pk: item for item in order.items.select_related("test").select_for_update()}
    entries, unknown = {}, []
    for entry in results:
        item_id = entry["item"]
        if item_id not in items:
            unknown.append(str(item_id))
        elif item_id in entries:
            raise ValidationError({"results": [f"Item {item_id} is given twice."]})
        else:
            entries[item_id] = entry
    if unknown:
        raise ValidationError({"results": [f"Not items of this order: {', '.join(unknown)}."]})
    return {items[item_id]: entry for item_id, entry in entries.items()}


@transaction.atomic
def lab_order_results(*, order: LabOrder, actor: User, results: list[dict]) -> LabOrder:
    """Store values per item; the order is `resulted` once every item has one.

    Before release a value is simply corrected. After release the replaced value is kept as a
    revision, the item is marked `amended`, and the patient is told.
    """
    order = _locked(order)
    previous = order.status
    _allowed("results", actor, order)
    released = order.status == Status.RELEASED
    now = timezone.now()
    changed = []
    for item, entry in _entries_by_item(order, results).items():
        value, note = entry["value"], entry.get("note", item.note)
        if value == item.value and note == item.note:
            continue
        if released:
            LabResultRevision.objects.create(
                item=item, value=item.value, interpretation=item.interpretation, note=item.note,
                resulted_at=item.resulted_at, resulted_by=item.resulted_by, superseded_by=actor,
            )
            item.amended = True
        item.value, item.note = value, note
        item.interpretation = interpret(item.test, value)
        item.resulted_at, item.resulted_by = now, actor
        item.full_clean(exclude=["order", "test", "resulted_by"], validate_constraints=False)
        changed.append(item)
    LabOrderItem.objects.bulk_update(
        changed, ["value", "note", "interpretation", "resulted_at", "resulted_by", "amended"]
    )
    if released:
        if changed:
            _record(order, actor, "amend", previous, f"Corrected {len(changed)} result(s).")
            emails.lab_results_notify(order, "amend")
        return order
    if previous == Status.COLLECTED and not order.items.filter(value__isnull=True).exists():
        order.status = Status.RESULTED
        order.resulted_at = now
        order.save(update_fields=["status", "resulted_at"])
    if changed:
        _record(order, actor, "results", previous, f"Entered {len(changed)} result(s).")
    return order


@transaction.atomic
def lab_order_release(*, order: LabOrder, actor: User) -> LabOrder:
    """Release the results: from now on the patient sees the values, and is told so."""
    order = _locked(order)
    previous = order.status
    rule = _allowed("release", actor, order)
    order.status = rule.target
    order.released_at = timezone.now()
    order.released_by = actor
    order.save(update_fields=["status", "released_at", "released_by"])
    _record(order, actor, "release", previous)
    emails.lab_results_notify(order, "release")
    return order


@transaction.atomic
def lab_order_cancel(*, order: LabOrder, actor: User, reason: str) -> LabOrder:
    """Cancel an order before its results exist, telling why."""
    order = _locked(order)
    previous = order.status
    rule = _allowed("cancel", actor, order)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ["A reason is required to cancel a lab order."]})
    order.status = rule.target
    order.cancelled_at = timezone.now()
    order.cancel_reason = reason
    order.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    _record(order, actor, "cancel", previous, reason)
    return order
