"""Reading invoices: who sees which, filters, the database-computed breakdown, query counts."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.utils import timezone

from billing.models import Invoice
from billing.selectors import admission_costs, invoices_visible_to
from tests.factories.billing import (
    EXAMPLE_BREAKDOWN,
    InvoiceFactory,
    InvoiceLineFactory,
    admission_for,
    example_invoice,
    issued_invoice,
    payment_on,
    visit_for,
)
from trust.models import AuditEvent

LIST = "/api/invoices/"


def detail(invoice) -> str:
    return f"/api/invoices/{invoice.pk}/"


def ids(response) -> set[str]:
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def caller(request, admin_user, doctor, patient, other_patient):
    return {"admin": admin_user, "doctor": doctor.user, "patient": patient.user,
            "other_patient": other_patient.user}[request.param]


@pytest.mark.parametrize(("caller", "visible"), [
    ("admin", {"draft", "issued", "others_invoice"}),
    ("patient", {"draft", "issued"}),
    ("other_patient", {"others_invoice"}),
    ("doctor", set()),
], indirect=["caller"])
def test_list_shows_exactly_the_callers_invoices(api, caller, visible, draft, issued, others_invoice):
    invoices = {"draft": draft, "issued": issued, "others_invoice": others_invoice}

    response = api(caller).get(LIST)

    assert response.status_code == 200
    assert ids(response) == {str(invoices[name].pk) for name in visible}


def test_doctor_treating_the_patient_still_sees_no_invoice(api, doctor, patient, issued):
    visit_for(patient, doctor)

    response = api(doctor.user).get(LIST)

    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert api(doctor.user).get(detail(issued)).status_code == 404


@pytest.mark.parametrize(("caller", "expected"), [
    ("admin", 200), ("patient", 200), ("other_patient", 404), ("doctor", 404),
], indirect=["caller"])
def test_retrieve_by_role(api, caller, expected, issued):
    assert api(caller).get(detail(issued)).status_code == expected


def test_anonymous_and_unapproved_callers_are_refused(anon, api, pending_patient, issued):
    assert anon.get(LIST).status_code == 401
    assert anon.get(detail(issued)).status_code == 401
    assert api(pending_patient.user).get(LIST).status_code == 401


def test_unknown_invoice_is_404(api, admin_user):
    assert api(admin_user).get(f"/api/invoices/{uuid.uuid4()}/").status_code == 404


def test_detail_has_the_contract_fields_and_the_example_breakdown_to_the_cent(
    api, patient, issued, admin_user
):
    payment_on(issued, "1000.10")

    body = api(patient.user).get(detail(issued)).json()

    assert {"id", "number", "patient", "admission", "appointment", "status", "currency", "lines",
            "breakdown", "amount_paid", "balance_due", "issued_at"} <= set(body)
    assert body["breakdown"] == EXAMPLE_BREAKDOWN
    assert body["amount_paid"] == "1000.10"
    assert body["balance_due"] == "3559.90"
    assert body["currency"] == "BDT"
    assert body["patient"] == str(patient.pk)
    assert [(line["category"], line["quantity"], line["unit_price"], line["amount"])
            for line in body["lines"]] == [
        ("room", 2, "1500.00", "3000.00"), ("medicine", 1, "250.00", "250.00"),
        ("doctor_fee", 1, "1250.00", "1250.00"), ("other", 3, "20.00", "60.00"),
    ]
    assert set(body["lines"][0]) == {"id", "category", "description", "quantity", "unit_price",
                                     "amount"}
    assert [p["amount"] for p in body["payments"]] == ["1000.10"]


def test_invoice_without_lines_has_a_zero_breakdown(api, admin_user, patient):
    invoice = InvoiceFactory(patient=patient)

    body = api(admin_user).get(detail(invoice)).json()

    assert body["breakdown"] == dict.fromkeys(EXAMPLE_BREAKDOWN, "0.00")
    assert (body["amount_paid"], body["balance_due"]) == ("0.00", "0.00")


def test_void_invoice_owes_nothing_but_keeps_its_payments(api, admin_user, issued):
    payment_on(issued, "500.00")
    Invoice.objects.filter(pk=issued.pk).update(status=Invoice.Status.VOID, void_reason="Wrong patient",
                                                voided_at=issued.issued_at)

    body = api(admin_user).get(detail(issued)).json()

    assert (body["amount_paid"], body["balance_due"]) == ("500.00", "0.00")
    assert body["breakdown"]["total_cost"] == "4560.00"


def test_filters_patient_admission_status(api, admin_user, doctor, patient, draft, issued,
                                          others_invoice):
    admission = admission_for(patient, doctor)
    on_admission = example_invoice(patient, admission=admission)
    client = api(admin_user)

    assert ids(client.get(LIST, {"patient": str(patient.pk)})) == {
        str(draft.pk), str(issued.pk), str(on_admission.pk)}
    assert ids(client.get(LIST, {"admission": str(admission.pk)})) == {str(on_admission.pk)}
    assert ids(client.get(LIST, {"status": "issued"})) == {str(issued.pk), str(others_invoice.pk)}
    assert ids(client.get(LIST, {"status": "draft", "patient": str(patient.pk)})) == {
        str(draft.pk), str(on_admission.pk)}


def test_patient_filtering_on_someone_else_gets_an_empty_page(api, patient, others_invoice):
    response = api(patient.user).get(LIST, {"patient": str(others_invoice.patient_id)})

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_bad_filter_values_are_400(api, admin_user):
    client = api(admin_user)

    assert client.get(LIST, {"status": "lost"}).status_code == 400
    assert client.get(LIST, {"patient": "not-a-uuid"}).status_code == 400


def _invoices(count: int, patient, admin_user):
    for n in range(count):
        invoice = issued_invoice(patient, created_by=admin_user, number=f"2026-8{n:05d}")
        payment_on(invoice, "10.00")


@pytest.mark.parametrize("count", [1, 30])
def test_list_runs_a_constant_number_of_queries(api, admin_user, patient, count,
                                                django_assert_max_num_queries):
    _invoices(count, patient, admin_user)
    client = api(admin_user)

    # User, count, page with its totals, lines, payments, audit insert: the same for 1 and 30.
    with django_assert_max_num_queries(6):
        response = client.get(LIST, {"page_size": 50})

    assert response.json()["count"] == count
    assert {row["breakdown"]["total_cost"] for row in response.json()["results"]} == {"4560.00"}
    assert {row["balance_due"] for row in response.json()["results"]} == {"4550.00"}


def test_list_and_detail_reads_are_audited(api, admin_user, patient, draft, issued):
    api(admin_user).get(LIST)
    api(patient.user).get(detail(issued))

    events = AuditEvent.objects.filter(object_type="invoice", action="read")
    assert {(e.actor_id, e.object_id) for e in events} == {
        (admin_user.pk, str(draft.pk)), (admin_user.pk, str(issued.pk)),
        (patient.user_id, str(issued.pk)),
    }
    assert {e.patient_id for e in events} == {patient.pk}


def test_visibility_selector_fails_closed_for_an_unknown_role(admin_user, issued):
    admin_user.role = "auditor"

    assert list(invoices_visible_to(admin_user)) == []


def test_admission_costs_sum_the_admissions_non_void_invoices(doctor, patient, admin_user):
    admission = admission_for(patient, doctor)
    empty = admission_for(patient, doctor)
    example_invoice(patient, admission=admission)
    extra = InvoiceFactory(patient=patient, admission=admission)
    InvoiceLineFactory(invoice=extra, category="medicine", quantity=2, unit_price=Decimal("12.34"))
    void = example_invoice(patient, admission=admission)
    Invoice.objects.filter(pk=void.pk).update(status=Invoice.Status.VOID, void_reason="Duplicate",
                                              voided_at=void.created_at)

    costs = admission_costs([admission.pk, empty.pk])

    assert costs[admission.pk] == {
        "room_charge": Decimal("3000.00"), "medicine_cost": Decimal("274.68"),
        "doctor_fee": Decimal("1250.00"), "other_charge": Decimal("60.00"),
        "total_cost": Decimal("4584.68"),
    }
    assert costs[empty.pk] == dict.fromkeys(costs[empty.pk], Decimal("0.00"))


def test_list_is_newest_first_and_orders_by_number_on_request(api, admin_user, draft, issued,
                                                              others_invoice):
    for hours_ago, invoice in enumerate([others_invoice, issued, draft]):
        Invoice.objects.filter(pk=invoice.pk).update(
            created_at=timezone.now() - datetime.timedelta(hours=hours_ago))
    client = api(admin_user)

    newest_first = [row["id"] for row in client.get(LIST).json()["results"]]
    by_number = [row["number"] for row in client.get(LIST, {"ordering": "number",
                                                             "status": "issued"}).json()["results"]]

    assert newest_first == [str(others_invoice.pk), str(issued.pk), str(draft.pk)]
    assert by_number == ["2026-900001", "2026-900002"]
