"""Results: decimal validation, interpretation at the range's bounds, resulted, corrections, hiding."""

from decimal import Decimal

import pytest

from laboratory.models import LabOrder, LabOrderEvent, LabResultRevision
from tests.factories.laboratory import lab_order
from trust.models import AuditEvent

Status = LabOrder.Status


def results_url(order) -> str:
    return f"/api/lab-orders/{order.pk}/results/"


def entries(order, *values, note=None):
    items = list(order.items.order_by("position"))
    rows = [{"item": str(item.pk), "value": value} for item, value in zip(items, values, strict=False)]
    if note is not None:
        for row in rows:
            row["note"] = note
    return {"results": rows}


@pytest.fixture
def collected(patient, doctor, lab_user):
    """Hemoglobin (12–17.5 g/dL) and sodium (135–145 mmol/L), specimen taken."""
    return lab_order(patient=patient, doctor=doctor, lab=lab_user, status=Status.COLLECTED)


@pytest.mark.parametrize("value", [
    "NaN", "nan", "Infinity", "-Infinity", "inf", "1.23456", "-1", "abc", "", None,
    "12345678901.5", [1],
])
def test_bad_values_are_400_and_store_nothing(api, lab_user, collected, value):
    response = api(lab_user).post(results_url(collected), entries(collected, value, "140"))

    assert response.status_code == 400
    assert "results" in response.json()
    collected.refresh_from_db()
    assert collected.status == Status.COLLECTED
    assert not collected.items.filter(value__isnull=False).exists()


def test_a_json_nan_literal_is_a_400(api, lab_user, collected):
    item = collected.items.first()
    body = '{"results": [{"item": "ITEM", "value": NaN}]}'.replace("ITEM", str(item.pk))

    response = api(lab_user).post(results_url(collected), body, content_type="application/json")

    assert response.status_code == 400
    assert not collected.items.filter(value__isnull=False).exists()


def test_a_foreign_or_repeated_item_is_400(api, lab_user, collected, patient, doctor):
    other = lab_order(patient=patient, doctor=doctor, lab=lab_user, status=Status.COLLECTED)
    foreign = {"results": [{"item": str(other.items.first().pk), "value": "13"}]}
    item = str(collected.items.first().pk)
    repeated = {"results": [{"item": item, "value": "13"}, {"item": item, "value": "14"}]}

    for body in (foreign, repeated, {"results": []}, {}):
        response = api(lab_user).post(results_url(collected), body)
        assert response.status_code == 400, body
    assert not collected.items.filter(value__isnull=False).exists()
    assert not other.items.filter(value__isnull=False).exists()


@pytest.mark.parametrize(("value", "interpretation"), [
    ("11.9999", "low"), ("12", "normal"), ("12.0000", "normal"), ("17.5", "normal"),
    ("17.5001", "high"), ("0", "low"), ("14.25", "normal"),
])
def test_interpretation_at_the_bounds_of_the_range(api, lab_user, collected, value, interpretation):
    response = api(lab_user).post(results_url(collected), entries(collected, value))

    assert response.status_code == 200, response.content
    item = response.json()["items"][0]
    assert (Decimal(item["value"]), item["interpretation"]) == (Decimal(value), interpretation)


def test_no_range_no_interpretation(api, lab_user, patient, doctor):
    from laboratory.models import LabTest

    LabTest.objects.filter(code="alt").update(reference_low=None, reference_high=None)
    order = lab_order(patient=patient, doctor=doctor, lab=lab_user, tests=("alt",),
                      status=Status.COLLECTED)

    body = api(lab_user).post(results_url(order), entries(order, "80")).json()

    assert body["items"][0]["interpretation"] is None


def test_the_order_is_resulted_once_every_item_has_a_value(api, lab_user, collected):
    partial = api(lab_user).post(results_url(collected), entries(collected, "13")).json()
    hemoglobin, sodium = collected.items.order_by("position")
    full = api(lab_user).post(results_url(collected), {"results": [
        {"item": str(sodium.pk), "value": "150", "note": "Repeat advised"}]}).json()

    assert (partial["status"], partial["resulted_at"]) == ("collected", None)
    assert full["status"] == "resulted" and full["resulted_at"]
    assert [(i["value"], i["interpretation"], i["note"]) for i in full["items"]] == [
        ("13.0000", "normal", ""), ("150.0000", "high", "Repeat advised")]


def test_results_can_be_corrected_in_place_until_released(api, lab_user, collected):
    api(lab_user).post(results_url(collected), entries(collected, "13", "140"))

    body = api(lab_user).post(results_url(collected), entries(collected, "9.5")).json()

    assert body["status"] == "resulted"
    assert (body["items"][0]["value"], body["items"][0]["interpretation"],
            body["items"][0]["amended"], body["items"][0]["previous_values"]) == (
        "9.5000", "low", False, [])
    assert not LabResultRevision.objects.exists()


def test_a_correction_after_release_keeps_the_old_value_visible(api, lab_user, patient, doctor,
                                                                mailoutbox,
                                                                django_capture_on_commit_callbacks):
    order = lab_order(patient=patient, doctor=doctor, lab=lab_user, status=Status.RELEASED,
                      values=["13", "140"])
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = api(lab_user).post(results_url(order), entries(order, "18", note="Re-run"))

    assert response.status_code == 200
    item = response.json()["items"][0]
    assert (response.json()["status"], item["value"], item["interpretation"], item["amended"]) == (
        "released", "18.0000", "high", True)
    assert [(p["value"], p["interpretation"], p["superseded_by"]["id"])
            for p in item["previous_values"]] == [("13.0000", "normal", str(lab_user.pk))]
    assert response.json()["items"][1]["amended"] is False
    seen = api(patient.user).get(f"/api/lab-orders/{order.pk}/").json()["items"][0]
    assert (seen["value"], seen["amended"], len(seen["previous_values"])) == ("18.0000", True, 1)
    assert LabOrderEvent.objects.filter(order=order, action="amend").count() == 1
    assert len(mailoutbox) == 1 and "corrected" in mailoutbox[0].subject


def test_a_patient_sees_no_value_before_release(api, lab_user, patient, doctor):
    order = lab_order(patient=patient, doctor=doctor, lab=lab_user, status=Status.RESULTED,
                      values=["9", "150"])
    client = api(patient.user)

    listed = client.get("/api/lab-orders/").json()["results"][0]
    shown = client.get(f"/api/lab-orders/{order.pk}/").json()

    for body in (listed, shown):
        assert body["status"] == "resulted"
        assert [(i["value"], i["interpretation"], i["note"], i["previous_values"])
                for i in body["items"]] == [(None, None, "", [])] * 2
        assert [e["action"] for e in body["events"]] == ["order", "collect"]
        assert "9.0000" not in str(body) and "150.0000" not in str(body)
    # The doctor and the lab see the values meanwhile.
    assert api(doctor.user).get(f"/api/lab-orders/{order.pk}/").json()["items"][0]["value"] == "9.0000"


def test_release_shows_the_values_and_notifies_the_patient(api, lab_user, patient, doctor,
                                                           mailoutbox,
                                                           django_capture_on_commit_callbacks):
    order = lab_order(patient=patient, doctor=doctor, lab=lab_user, status=Status.RESULTED,
                      values=["9", "150"])

    with django_capture_on_commit_callbacks(execute=True):
        response = api(doctor.user).post(f"/api/lab-orders/{order.pk}/release/")

    assert response.status_code == 200
    assert response.json()["released_at"]
    shown = api(patient.user).get(f"/api/lab-orders/{order.pk}/").json()
    assert [(i["value"], i["interpretation"]) for i in shown["items"]] == [
        ("9.0000", "low"), ("150.0000", "high")]
    assert [m.to for m in mailoutbox] == [[patient.user.email]]
    assert "9.0000" not in mailoutbox[0].body
    assert AuditEvent.objects.filter(actor=doctor.user, action="release",
                                     object_id=str(order.pk), patient=patient).count() == 1
