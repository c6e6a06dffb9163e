"""Factories of the laboratory: technicians, and lab orders brought to any status by the services."""

from decimal import Decimal

import factory

from laboratory import services
from laboratory.models import LabOrder, LabTest
from tests.factories.accounts import UserFactory
from tests.factories.billing import visit_for

Status = LabOrder.Status


class LabTechnicianFactory(UserFactory):
    role = services.LAB
    username = factory.Sequence(lambda n: f"lab{n}")


def catalog(*codes: str) -> list[LabTest]:
    """Tests of the catalog the data migration loads, in the order named."""
    found = {test.code: test for test in LabTest.objects.filter(code__in=codes)}
    return [found[code] for code in codes]


def lab_order(
    *, patient, doctor, lab=None, tests=("hemoglobin", "sodium"), status=Status.ORDERED,
    values=None, admission=None, priority=LabOrder.Priority.ROUTINE,
) -> LabOrder:
    """An order by `doctor` for `patient` (who gets a visit with them), walked to `status`.

    `values` (one per test, defaults to normal ones) are entered on the way to `resulted`.
    """
    if not doctor.appointments.filter(patient=patient).exists() and admission is None:
        visit_for(patient, doctor)
    lab = lab or LabTechnicianFactory()
    order = services.lab_order_create(
        actor=doctor.user, patient=patient, tests=catalog(*tests), priority=priority,
        admission=admission,
    )
    if status == Status.CANCELLED:
        return services.lab_order_cancel(order=order, actor=doctor.user, reason="Not needed")
    if status == Status.ORDERED:
        return order
    services.lab_order_collect(order=order, actor=lab)
    if status == Status.COLLECTED:
        return order
    items = list(order.items.order_by("position"))
    values = values or [normal_value(item.test) for item in items]
    services.lab_order_results(order=order, actor=lab, results=[
        {"item": item.pk, "value": Decimal(str(value))} for item, value in zip(items, values, strict=True)
    ])
    if status == Status.RESULTED:
        return LabOrder.objects.get(pk=order.pk)
    return services.lab_order_release(order=order, actor=lab)


def normal_value(test: LabTest) -> Decimal:
    return ((test.reference_low + test.reference_high) / 2).quantize(Decimal("0.01"))
