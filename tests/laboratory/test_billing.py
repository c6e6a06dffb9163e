"""`POST /api/admissions/{id}/invoice/` adds one `other` line per released test of the admission."""

from decimal import Decimal

from billing.models import Invoice
from laboratory.models import LabOrder, LabTest
from tests.factories.billing import admission_for, visit_for
from tests.factories.laboratory import lab_order

Status = LabOrder.Status


def test_released_tests_of_the_admission_are_billed_at_their_price(api, admin_user, patient,
                                                                   doctor, lab_user):
    admission = admission_for(patient, doctor)
    visit_for(patient, doctor, admission=admission)
    LabTest.objects.filter(code="hba1c").update(price=Decimal("812.35"))
    panel = lab_order(patient=patient, doctor=doctor, lab=lab_user, admission=admission,
                      tests=("hemoglobin", "sodium", "hba1c"), status=Status.RELEASED)
    lab_order(patient=patient, doctor=doctor, lab=lab_user, admission=admission,
              tests=("tsh",), status=Status.RESULTED)
    lab_order(patient=patient, doctor=doctor, lab=lab_user, admission=admission,
              tests=("alt",), status=Status.CANCELLED)
    lab_order(patient=patient, doctor=doctor, lab=lab_user, tests=("potassium",),
              status=Status.RELEASED)  # released, but not part of the admission
    # A later catalog change does not reprice what was ordered.
    LabTest.objects.filter(code="sodium").update(price=Decimal("999.99"))

    response = api(admin_user).post(f"/api/admissions/{admission.pk}/invoice/")

    assert response.status_code == 201, response.content
    body = response.json()
    lab_lines = [(line["category"], line["quantity"], line["unit_price"])
                 for line in body["lines"] if line["description"].startswith("Lab test")]
    assert lab_lines == [("other", 1, "250.00"), ("other", 1, "300.00"), ("other", 1, "812.35")]
    assert [line["category"] for line in body["lines"]] == [
        "room", "doctor_fee", "other", "other", "other"]
    assert body["breakdown"] == {"room_charge": "4500.00", "medicine_cost": "0.00",
                                 "doctor_fee": "1250.00", "other_charge": "1362.35",
                                 "total_cost": "7112.35"}
    assert "Hemoglobin (718-7)" in body["lines"][2]["description"]
    assert panel.items.count() == 3


def test_an_admission_without_released_orders_gets_no_lab_lines(api, admin_user, patient, doctor,
                                                                lab_user):
    admission = admission_for(patient, doctor)
    lab_order(patient=patient, doctor=doctor, lab=lab_user, admission=admission,
              status=Status.COLLECTED)

    body = api(admin_user).post(f"/api/admissions/{admission.pk}/invoice/").json()

    assert [line["category"] for line in body["lines"]] == ["room"]
    assert Invoice.objects.count() == 1
