"""Writing invoices over HTTP: drafting, editing lines, issuing, payments, voiding."""

import re
import uuid

import pytest
from django.utils import timezone

from billing.models import Invoice, InvoiceLine, Payment
from tests.factories.billing import (
    EXAMPLE_BREAKDOWN,
    EXAMPLE_LINES,
    InvoiceFactory,
    admission_for,
    issued_invoice,
    payment_on,
    visit_for,
)
from trust.models import AuditEvent

LIST = "/api/invoices/"


def detail(invoice) -> str:
    return f"/api/invoices/{invoice.pk}/"


def url(invoice, action: str) -> str:
    return f"/api/invoices/{invoice.pk}/{action}/"


# ---------------------------------------------------------------- who may write

@pytest.fixture
def caller(request, admin_user, doctor, patient, other_patient):
    return {"admin": admin_user, "doctor": doctor.user, "patient": patient.user,
            "other_patient": other_patient.user}[request.param]


@pytest.mark.parametrize(("caller", "expected"), [
    ("admin", 201), ("doctor", 403), ("patient", 403), ("other_patient", 403),
], indirect=["caller"])
def test_create_by_role(api, caller, expected, patient):
    response = api(caller).post(LIST, {"patient": str(patient.pk), "lines": EXAMPLE_LINES})

    assert response.status_code == expected
    assert Invoice.objects.count() == (1 if expected == 201 else 0)


# (action, HTTP method, invoice fixture, body, admin's status)
WRITES = [
    ("", "patch", "draft", {"lines": EXAMPLE_LINES[:1]}, 200),
    ("issue", "post", "draft", {}, 200),
    ("payments", "post", "issued", {"amount": "100.00", "method": "cash"}, 201),
    ("void", "post", "issued", {"reason": "Billed twice"}, 200),
]


@pytest.mark.parametrize(("action", "method", "target", "body", "admin_status"), WRITES)
@pytest.mark.parametrize(("caller", "who"), [
    ("admin", "admin"), ("patient", "owner"), ("other_patient", "outsider"), ("doctor", "outsider"),
], indirect=["caller"])
def test_write_actions_by_role(api, request, caller, who, action, method, target, body,
                               admin_status):
    invoice = request.getfixturevalue(target)
    before = (Invoice.objects.get(pk=invoice.pk).status, InvoiceLine.objects.count(),
              Payment.objects.count())
    path = url(invoice, action) if action else detail(invoice)

    response = getattr(api(caller), method)(path, body)

    # Out of scope: 404 before anything else; the patient's own invoice: 403.
    assert response.status_code == {"admin": admin_status, "owner": 403, "outsider": 404}[who]
    if who != "admin":
        assert (Invoice.objects.get(pk=invoice.pk).status, InvoiceLine.objects.count(),
                Payment.objects.count()) == before


@pytest.mark.parametrize(("method", "suffix"), [
    ("post", ""), ("patch", "{id}"), ("post", "{id}/issue/"), ("post", "{id}/payments/"),
    ("post", "{id}/void/"),
])
def test_anonymous_writes_are_401(anon, draft, method, suffix):
    path = LIST + suffix.format(id=draft.pk) + ("/" if suffix == "{id}" else "")

    assert getattr(anon, method)(path, {}).status_code == 401


def test_put_and_delete_are_not_offered(api, admin_user, draft):
    client = api(admin_user)

    assert client.put(detail(draft), {"lines": []}).status_code == 405
    assert client.delete(detail(draft)).status_code == 405
    assert Invoice.objects.filter(pk=draft.pk).exists()


def test_write_on_unknown_invoice_is_404(api, admin_user):
    assert api(admin_user).post(f"/api/invoices/{uuid.uuid4()}/issue/").status_code == 404


# ---------------------------------------------------------------- create

def test_create_answers_a_draft_with_the_example_breakdown(api, admin_user, patient):
    response = api(admin_user).post(LIST, {"patient": str(patient.pk), "lines": EXAMPLE_LINES})

    assert response.status_code == 201
    body = response.json()
    assert (body["status"], body["number"], body["issued_at"]) == ("draft", None, None)
    assert body["currency"] == "BDT"
    assert body["breakdown"] == EXAMPLE_BREAKDOWN
    assert (body["amount_paid"], body["balance_due"]) == ("0.00", "4560.00")
    assert [line["amount"] for line in body["lines"]] == ["3000.00", "250.00", "1250.00", "60.00"]
    invoice = Invoice.objects.get(pk=body["id"])
    assert invoice.created_by == admin_user
    assert AuditEvent.objects.filter(object_type="invoice", action="create",
                                     object_id=str(invoice.pk), patient=patient).count() == 1


def test_currency_comes_from_the_setting(api, admin_user, patient, settings):
    settings.HOSPITAL_CURRENCY = "NGN"

    body = api(admin_user).post(LIST, {"patient": str(patient.pk)}).json()

    assert body["currency"] == "NGN"
    assert body["lines"] == []


def test_create_with_the_patients_admission_and_appointment(api, admin_user, doctor, patient):
    admission = admission_for(patient, doctor)
    visit = visit_for(patient, doctor, admission=admission)

    response = api(admin_user).post(LIST, {
        "patient": str(patient.pk), "admission": str(admission.pk), "appointment": str(visit.pk),
        "lines": EXAMPLE_LINES,
    })

    assert response.status_code == 201
    assert (response.json()["admission"], response.json()["appointment"]) == (
        str(admission.pk), str(visit.pk))


@pytest.mark.parametrize("field", ["admission", "appointment"])
def test_admission_or_appointment_of_another_patient_is_400(api, admin_user, doctor, patient,
                                                            other_patient, field):
    records = {"admission": admission_for(other_patient, doctor),
               "appointment": visit_for(other_patient, doctor)}

    response = api(admin_user).post(LIST, {"patient": str(patient.pk), field: str(records[field].pk),
                                           "lines": EXAMPLE_LINES})

    assert response.status_code == 400
    assert field in response.json()
    assert not Invoice.objects.exists() and not InvoiceLine.objects.exists()


@pytest.mark.parametrize(("change", "field"), [
    ({"unit_price": "20.005"}, "unit_price"),
    ({"unit_price": 20.005}, "unit_price"),
    ({"unit_price": "-1.00"}, "unit_price"),
    ({"unit_price": "abc"}, "unit_price"),
    ({"unit_price": "NaN"}, "unit_price"),
    ({"unit_price": "12345678901.00"}, "unit_price"),
    ({"quantity": 0}, "quantity"),
    ({"quantity": -2}, "quantity"),
    ({"quantity": 1.5}, "quantity"),
    ({"quantity": "two"}, "quantity"),
    ({"category": "parking"}, "category"),
    ({"description": ""}, "description"),
])
def test_bad_lines_are_400_and_nothing_is_written(api, admin_user, patient, change, field):
    lines = [EXAMPLE_LINES[0], {**EXAMPLE_LINES[1], **change}]

    response = api(admin_user).post(LIST, {"patient": str(patient.pk), "lines": lines})

    assert response.status_code == 400
    assert field in response.json()["lines"]["1"]
    assert not Invoice.objects.exists()


def test_json_numbers_with_two_places_are_taken_exactly(api, admin_user, patient):
    lines = [{"category": "medicine", "description": "Syrup", "quantity": 3, "unit_price": 0.1},
             {"category": "other", "description": "Gauze", "quantity": 1, "unit_price": 1500.5}]

    body = api(admin_user).post(LIST, {"patient": str(patient.pk), "lines": lines}).json()

    assert [line["unit_price"] for line in body["lines"]] == ["0.10", "1500.50"]
    assert body["breakdown"]["total_cost"] == "1500.80"


@pytest.mark.parametrize("body", [
    {},
    {"patient": "not-a-uuid"},
    {"lines": EXAMPLE_LINES},
    {"patient": "00000000-0000-0000-0000-000000000000", "lines": EXAMPLE_LINES},
    {"lines": "room"},
])
def test_bad_invoice_bodies_are_400(api, admin_user, patient, body):
    assert api(admin_user).post(LIST, body).status_code == 400
    assert not Invoice.objects.exists()


def test_too_many_lines_are_400(api, admin_user, patient):
    response = api(admin_user).post(LIST, {"patient": str(patient.pk),
                                           "lines": [EXAMPLE_LINES[3]] * 201})

    assert response.status_code == 400
    assert not Invoice.objects.exists()


# ---------------------------------------------------------------- edit lines

def test_patch_replaces_every_line_of_a_draft(api, admin_user, draft):
    new_lines = [{"category": "medicine", "description": "Insulin", "quantity": 4,
                  "unit_price": "12.50"}]

    response = api(admin_user).patch(detail(draft), {"lines": new_lines})

    assert response.status_code == 200
    assert [(line["description"], line["amount"]) for line in response.json()["lines"]] == [
        ("Insulin", "50.00")]
    assert response.json()["breakdown"] == {**dict.fromkeys(EXAMPLE_BREAKDOWN, "0.00"),
                                            "medicine_cost": "50.00", "total_cost": "50.00"}
    assert list(draft.lines.values_list("description", flat=True)) == ["Insulin"]


def test_patch_without_lines_is_400(api, admin_user, draft):
    assert api(admin_user).patch(detail(draft), {}).status_code == 400
    assert draft.lines.count() == len(EXAMPLE_LINES)


@pytest.mark.parametrize("status", ["issued", "paid", "void"])
def test_lines_of_a_non_draft_are_locked(api, admin_user, issued, status):
    Invoice.objects.filter(pk=issued.pk).update(status=status, void_reason="x",
                                                voided_at=timezone.now())

    response = api(admin_user).patch(detail(issued), {"lines": EXAMPLE_LINES[:1]})

    assert response.status_code == 409
    assert response.json()["code"] == "invoice_locked"
    assert issued.lines.count() == len(EXAMPLE_LINES)


# ---------------------------------------------------------------- issue

def test_issue_gives_sequential_numbers_of_the_local_year(api, admin_user, patient, draft):
    second = InvoiceFactory(patient=patient)
    second.lines.create(category="other", description="Bandage", quantity=1, unit_price="5.00")
    client = api(admin_user)

    first = client.post(url(draft, "issue"))
    following = client.post(url(second, "issue"))

    assert first.status_code == 200 and following.status_code == 200
    year = timezone.localdate().year
    assert first.json()["number"] == f"{year}-000001"
    assert following.json()["number"] == f"{year}-000002"
    assert first.json()["status"] == "issued"
    assert re.match(r"^\d{4}-\d{2}-\d{2}T", first.json()["issued_at"])
    assert first.json()["balance_due"] == "4560.00"


def test_issuing_twice_is_invalid_transition(api, admin_user, draft):
    client = api(admin_user)
    number = client.post(url(draft, "issue")).json()["number"]

    response = client.post(url(draft, "issue"))

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert Invoice.objects.get(pk=draft.pk).number == number


def test_invoice_without_lines_cannot_be_issued(api, admin_user, patient):
    empty = InvoiceFactory(patient=patient)

    response = api(admin_user).post(url(empty, "issue"))

    assert response.status_code == 409
    assert response.json()["code"] == "invoice_empty"
    assert Invoice.objects.get(pk=empty.pk).status == "draft"


def test_issuing_a_zero_total_settles_it(api, admin_user, patient):
    free = InvoiceFactory(patient=patient)
    free.lines.create(category="other", description="Courtesy check", quantity=1, unit_price="0.00")

    body = api(admin_user).post(url(free, "issue")).json()

    assert (body["status"], body["balance_due"]) == ("paid", "0.00")
    assert body["number"]


# ---------------------------------------------------------------- payments

def test_payments_lower_the_balance_and_the_last_marks_paid(api, admin_user, issued):
    client = api(admin_user)

    first = client.post(url(issued, "payments"), {"amount": "1000.00", "method": "card"})

    assert first.status_code == 201
    assert (first.json()["status"], first.json()["amount_paid"], first.json()["balance_due"]) == (
        "issued", "1000.00", "3560.00")
    assert [(p["amount"], p["method"]) for p in first.json()["payments"]] == [("1000.00", "card")]

    last = client.post(url(issued, "payments"), {"amount": 3560, "method": "cash"})

    assert last.status_code == 201
    assert (last.json()["status"], last.json()["amount_paid"], last.json()["balance_due"]) == (
        "paid", "4560.00", "0.00")
    assert Payment.objects.get(amount="1000.00").received_by == admin_user


def test_payment_above_the_balance_is_400(api, admin_user, issued):
    payment_on(issued, "4000.00")

    response = api(admin_user).post(url(issued, "payments"), {"amount": "560.01", "method": "cash"})

    assert response.status_code == 400
    assert response.json()["code"] == "payment_exceeds_balance"
    assert "560.00" in response.json()["detail"]
    assert issued.payments.count() == 1


@pytest.mark.parametrize("amount", ["0", "0.00", "-5.00", "10.001", 10.001, "ten", None])
def test_bad_payment_amounts_are_400(api, admin_user, issued, amount):
    response = api(admin_user).post(url(issued, "payments"), {"amount": amount, "method": "cash"})

    assert response.status_code == 400
    assert "amount" in response.json()
    assert not Payment.objects.exists()


def test_unknown_payment_method_is_400(api, admin_user, issued):
    response = api(admin_user).post(url(issued, "payments"), {"amount": "10.00", "method": "shells"})

    assert response.status_code == 400
    assert "method" in response.json()


@pytest.mark.parametrize("status", ["draft", "paid", "void"])
def test_payment_on_an_invoice_not_issued_is_refused(api, admin_user, draft, issued, status):
    invoice = draft if status == "draft" else issued
    Invoice.objects.filter(pk=invoice.pk).update(status=status, void_reason="x",
                                                 voided_at=timezone.now())

    response = api(admin_user).post(url(invoice, "payments"), {"amount": "10.00", "method": "cash"})

    assert response.status_code == 409
    assert response.json()["code"] == "invoice_not_payable"
    assert not Payment.objects.exists()


# ---------------------------------------------------------------- void

def test_void_a_draft(api, admin_user, draft):
    response = api(admin_user).post(url(draft, "void"), {"reason": "Entered by mistake"})

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["void_reason"]) == ("void", "Entered by mistake")


def test_voided_invoice_keeps_its_payments(api, admin_user, issued):
    payment_on(issued, "700.00")

    body = api(admin_user).post(url(issued, "void"), {"reason": "Wrong department"}).json()

    assert body["status"] == "void"
    assert (body["amount_paid"], body["balance_due"]) == ("700.00", "0.00")
    assert [p["amount"] for p in body["payments"]] == ["700.00"]
    assert issued.payments.count() == 1


@pytest.mark.parametrize("status", ["paid", "void"])
def test_paid_or_void_invoice_cannot_be_voided(api, admin_user, issued, status):
    Invoice.objects.filter(pk=issued.pk).update(status=status, void_reason="Earlier",
                                                voided_at=timezone.now())

    response = api(admin_user).post(url(issued, "void"), {"reason": "Again"})

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert Invoice.objects.get(pk=issued.pk).void_reason == "Earlier"


@pytest.mark.parametrize("body", [{}, {"reason": ""}, {"reason": "   "}])
def test_void_needs_a_reason(api, admin_user, issued, body):
    response = api(admin_user).post(url(issued, "void"), body)

    assert response.status_code == 400
    assert "reason" in response.json()
    assert Invoice.objects.get(pk=issued.pk).status == "issued"


def test_writes_are_audited_with_their_action(api, admin_user, patient, draft):
    client = api(admin_user)
    client.patch(detail(draft), {"lines": EXAMPLE_LINES})
    client.post(url(draft, "issue"))
    client.post(url(draft, "payments"), {"amount": "60.00", "method": "cash"})
    client.post(url(draft, "void"), {"reason": "Duplicate"})

    actions = AuditEvent.objects.filter(object_type="invoice", object_id=str(draft.pk),
                                        patient=patient).values_list("action", flat=True)
    assert sorted(actions) == ["issue", "payments", "update", "void"]


def test_a_new_invoice_can_replace_a_voided_one(api, admin_user, patient):
    old = issued_invoice(patient, number="2026-900003")
    client = api(admin_user)
    client.post(url(old, "void"), {"reason": "Room rate was wrong"})

    new = client.post(LIST, {"patient": str(patient.pk), "lines": EXAMPLE_LINES}).json()

    assert client.post(f"/api/invoices/{new['id']}/issue/").status_code == 200
    statuses = dict(Invoice.objects.values_list("id", "status"))
    assert statuses == {old.pk: "void", uuid.UUID(new["id"]): "issued"}


def test_a_retried_payment_with_the_same_idempotency_key_is_taken_once(api, admin_user, issued):
    client = api(admin_user)
    body = {"amount": "100.00", "method": "mobile"}

    first = client.post(url(issued, "payments"), body, HTTP_IDEMPOTENCY_KEY="pay-7f3a")
    retry = client.post(url(issued, "payments"), body, HTTP_IDEMPOTENCY_KEY="pay-7f3a")

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert issued.payments.count() == 1
