"""Django admin of invoices (totals, filter, search, lines locked once issued) and the demo invoice."""

import pytest
from django.core.management import call_command

from billing.models import Invoice, InvoiceLine, Payment
from tests.factories.billing import payment_on

CHANGELIST = "/admin/billing/invoice/"


def test_changelist_shows_totals_and_filters_by_status(staff_client, issued, draft):
    payment_on(issued, "1000.00")

    page = staff_client.get(CHANGELIST, {"status__exact": "issued"}).content.decode()

    assert issued.number in page
    assert "4560.00" in page and "1000.00" in page and "3560.00" in page
    assert f"{draft.pk}"[:8] not in page


def test_changelist_searches_number_and_patient_name(staff_client, issued, others_invoice):
    by_number = staff_client.get(CHANGELIST, {"q": issued.number}).content.decode()
    by_name = staff_client.get(CHANGELIST, {"q": others_invoice.patient.user.last_name}).content.decode()

    assert issued.number in by_number and others_invoice.number not in by_number
    assert others_invoice.number in by_name and issued.number not in by_name


def test_draft_lines_are_editable_inline(staff_client, draft):
    page = staff_client.get(f"{CHANGELIST}{draft.pk}/change/").content.decode()

    assert 'name="lines-0-quantity"' in page
    assert "4560.00" in page


def test_issued_lines_are_read_only_and_payments_shown(staff_client, issued):
    payment_on(issued, "250.00")

    page = staff_client.get(f"{CHANGELIST}{issued.pk}/change/").content.decode()

    assert 'name="lines-0-quantity"' not in page
    assert "Blood test kit" in page
    assert "250.00" in page and "4310.00" in page


def test_admin_action_issues_drafts_through_the_service(staff_client, draft, issued):
    response = staff_client.post(CHANGELIST, {"action": "issue_selected",
                                              "_selected_action": [str(draft.pk), str(issued.pk)]})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "issued" and draft.number.endswith("-000001")
    assert Invoice.objects.get(pk=issued.pk).number == issued.number


@pytest.mark.django_db
def test_demo_has_one_issued_partly_paid_invoice_and_a_second_run_adds_nothing():
    call_command("seed_demo", "--i-know-this-is-production", stdout=None)
    counts = (Invoice.objects.count(), InvoiceLine.objects.count(), Payment.objects.count())

    call_command("seed_demo", "--i-know-this-is-production", stdout=None)

    assert (Invoice.objects.count(), InvoiceLine.objects.count(), Payment.objects.count()) == counts
    invoice = Invoice.objects.get()
    paid = sum(payment.amount for payment in invoice.payments.all())
    total = sum(line.amount for line in invoice.lines.all())
    assert invoice.status == "issued" and invoice.number
    assert 0 < paid < total


def test_add_page_renders(staff_client):
    assert staff_client.get(f"{CHANGELIST}add/").status_code == 200


def test_invoice_form_picks_patient_admission_and_appointment_by_search(staff_client, patient):
    page = staff_client.get("/admin/billing/invoice/add/").content.decode()
    found = staff_client.get("/admin/autocomplete/", {
        "app_label": "billing", "model_name": "invoice", "field_name": "patient",
        "term": patient.user.last_name,
    })

    for field in ("patient", "admission", "appointment"):
        assert f'name="{field}"' in page
    assert page.count("admin-autocomplete") >= 3
    assert [row["id"] for row in found.json()["results"]] == [str(patient.pk)]
