"""`GET /api/patients/{id}/history/` lists each admission's lab orders, values hidden until release."""

import pytest

from laboratory.models import LabOrder
from tests.factories.billing import admission_for
from tests.factories.laboratory import lab_order
from trust.models import AuditEvent

Status = LabOrder.Status


def history(client, patient):
    return client.get(f"/api/patients/{patient.pk}/history/").json()["results"]


@pytest.fixture
def admission_orders(patient, doctor, lab_user):
    admission = admission_for(patient, doctor)
    released = lab_order(patient=patient, doctor=doctor, lab=lab_user, admission=admission,
                         status=Status.RELEASED, values=["9", "150"])
    resulted = lab_order(patient=patient, doctor=doctor, lab=lab_user, admission=admission,
                         status=Status.RESULTED, values=["13", "140"])
    outside = lab_order(patient=patient, doctor=doctor, lab=lab_user, status=Status.RELEASED)
    return admission, released, resulted, outside


def test_history_lists_the_admissions_lab_orders(api, doctor, patient, admission_orders):
    admission, released, resulted, outside = admission_orders

    [row] = history(api(doctor.user), patient)

    assert row["id"] == str(admission.pk)
    assert [order["id"] for order in row["lab_orders"]] == [str(resulted.pk), str(released.pk)]
    assert row["lab_orders"][0]["items"][0]["value"] == "13.0000"
    events = AuditEvent.objects.filter(actor=doctor.user, object_type="lab_order", action="read")
    assert {e.object_id for e in events} == {str(released.pk), str(resulted.pk)}
    assert str(outside.pk) not in str(row)


def test_the_patient_sees_no_unreleased_value_in_her_history(api, patient, admission_orders):
    _, released, resulted, _ = admission_orders

    [row] = history(api(patient.user), patient)

    by_id = {order["id"]: order for order in row["lab_orders"]}
    assert [i["value"] for i in by_id[str(resulted.pk)]["items"]] == [None, None]
    assert [i["value"] for i in by_id[str(released.pk)]["items"]] == ["9.0000", "150.0000"]
    assert "13.0000" not in str(row) and "140.0000" not in str(row)


@pytest.mark.parametrize("orders", [1, 20])
def test_history_costs_the_same_queries_whatever_the_number_of_orders(
        api, doctor, patient, lab_user, django_assert_max_num_queries, orders):
    admission = admission_for(patient, doctor)
    for _ in range(orders):
        lab_order(patient=patient, doctor=doctor, lab=lab_user, admission=admission,
                  status=Status.RELEASED)
    client = api(doctor.user)

    with django_assert_max_num_queries(16):
        response = client.get(f"/api/patients/{patient.pk}/history/")

    assert len(response.json()["results"][0]["lab_orders"]) == orders
