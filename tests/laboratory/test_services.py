"""Laboratory services called directly: each refusal names its code and writes nothing."""

import pytest
from django.core.exceptions import ValidationError

from hospital.errors import DomainError
from laboratory import services
from laboratory.models import LabOrder, LabOrderEvent, LabOrderItem
from tests.factories.laboratory import catalog, lab_order

Status = LabOrder.Status


def test_ordering_for_an_untreated_patient_writes_nothing(doctor, other_patient):
    with pytest.raises(ValidationError) as error:
        services.lab_order_create(actor=doctor.user, patient=other_patient, tests=catalog("sodium"))

    assert "patient" in error.value.message_dict
    assert not LabOrder.objects.exists() and not LabOrderItem.objects.exists()


def test_an_inactive_test_is_refused_by_the_service_too(doctor, patient, treated):
    [test] = catalog("tsh")
    test.active = False
    test.save()

    with pytest.raises(ValidationError):
        services.lab_order_create(actor=doctor.user, patient=patient, tests=[test])

    assert not LabOrder.objects.exists()


def test_releasing_twice_is_an_invalid_transition(doctor, patient, lab_user):
    order = lab_order(patient=patient, doctor=doctor, lab=lab_user, status=Status.RELEASED)
    events = LabOrderEvent.objects.filter(order=order).count()

    with pytest.raises(DomainError) as error:
        services.lab_order_release(order=order, actor=lab_user)

    assert error.value.code == "invalid_transition"
    assert LabOrderEvent.objects.filter(order=order).count() == events


def test_a_doctor_who_did_not_order_may_not_release(doctor, other_doctor, patient, lab_user):
    order = lab_order(patient=patient, doctor=doctor, lab=lab_user, status=Status.RESULTED)

    with pytest.raises(DomainError) as error:
        services.lab_order_release(order=order, actor=other_doctor.user)

    assert (error.value.code, error.value.status_code) == ("permission_denied", 403)
    order.refresh_from_db()
    assert order.status == Status.RESULTED


@pytest.mark.parametrize(("low", "high", "value", "expected"), [
    ("3.5", "5.1", "3.4999", "low"), ("3.5", "5.1", "3.5", "normal"),
    ("3.5", "5.1", "5.1", "normal"), ("3.5", "5.1", "5.1001", "high"),
    (None, "5.1", "0", "normal"), ("3.5", None, "100", "normal"), (None, None, "4", ""),
])
def test_interpret(low, high, value, expected):
    from decimal import Decimal

    from laboratory.models import LabTest

    test = LabTest(reference_low=low and Decimal(low), reference_high=high and Decimal(high))

    assert services.interpret(test, Decimal(value)) == expected
