"""Billing services: each refusal has its code and writes nothing; a failure mid-way undoes all."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from billing import services
from billing.models import Invoice, InvoiceCounter, InvoiceLine, Payment
from hospital.errors import DomainError
from tests.factories.billing import (
    EXAMPLE_LINES,
    InvoiceFactory,
    admission_for,
    example_invoice,
    issued_invoice,
    payment_on,
)

pytestmark = pytest.mark.django_db


def lines(*rows) -> list[dict]:
    return [{**row, "unit_price": Decimal(row["unit_price"])} for row in rows]


def state():
    """Everything billing has written, to compare before and after a refused operation."""
    return (
        sorted(Invoice.objects.values_list("id", "status", "number", "void_reason")),
        sorted(InvoiceLine.objects.values_list("invoice_id", "position", "description", "quantity")),
        sorted(Payment.objects.values_list("invoice_id", "amount")),
        sorted(InvoiceCounter.objects.values_list("year", "last")),
    )


def test_create_refuses_another_patients_admission(admin_user, doctor, patient, other_patient):
    admission = admission_for(other_patient, doctor)

    with pytest.raises(ValidationError) as error:
        services.invoice_create(actor=admin_user, patient=patient, admission=admission,
                                lines=lines(*EXAMPLE_LINES))

    assert "admission" in error.value.message_dict
    assert not Invoice.objects.exists() and not InvoiceLine.objects.exists()


def test_create_leaves_nothing_when_a_later_line_is_invalid(admin_user, patient):
    bad = {**EXAMPLE_LINES[2], "quantity": 0}

    with pytest.raises(ValidationError):
        services.invoice_create(actor=admin_user, patient=patient,
                                lines=lines(EXAMPLE_LINES[0], EXAMPLE_LINES[1], bad))

    assert not Invoice.objects.exists() and not InvoiceLine.objects.exists()


def test_create_leaves_nothing_when_the_lines_insert_fails(admin_user, patient, monkeypatch):
    def failing_insert(*args, **kwargs):
        raise IntegrityError("disk full")

    monkeypatch.setattr(InvoiceLine.objects, "bulk_create", failing_insert)

    with pytest.raises(IntegrityError):
        services.invoice_create(actor=admin_user, patient=patient, lines=lines(*EXAMPLE_LINES))

    assert not Invoice.objects.exists()


def test_create_refuses_a_total_beyond_the_limit(admin_user, patient):
    huge = {"category": "other", "description": "Transplant", "quantity": 100_000,
            "unit_price": "99999999.99"}

    with pytest.raises(DomainError) as error:
        services.invoice_create(actor=admin_user, patient=patient, lines=lines(huge))

    assert error.value.code == "invalid_input"
    assert not Invoice.objects.exists()


def test_replacing_lines_of_an_issued_invoice_is_invoice_locked(patient):
    invoice = issued_invoice(patient)
    before = state()

    with pytest.raises(DomainError) as error:
        services.invoice_lines_replace(invoice=invoice, lines=lines(EXAMPLE_LINES[0]))

    assert error.value.code == "invoice_locked"
    assert state() == before


def test_replacing_lines_keeps_the_old_ones_when_a_new_one_is_invalid(patient):
    invoice = example_invoice(patient)
    before = state()

    with pytest.raises(ValidationError):
        services.invoice_lines_replace(
            invoice=invoice, lines=lines(EXAMPLE_LINES[0], {**EXAMPLE_LINES[1], "unit_price": "-1"}))

    assert state() == before


def test_issue_refuses_an_empty_invoice_and_takes_no_number(admin_user, patient):
    invoice = InvoiceFactory(patient=patient)
    before = state()

    with pytest.raises(DomainError) as error:
        services.invoice_issue(invoice=invoice, actor=admin_user)

    assert error.value.code == "invoice_empty"
    assert state() == before


@pytest.mark.parametrize("status", ["issued", "paid", "void"])
def test_issue_refuses_anything_but_a_draft(admin_user, patient, status):
    invoice = issued_invoice(patient)
    Invoice.objects.filter(pk=invoice.pk).update(status=status, void_reason="x",
                                                 voided_at=invoice.issued_at)
    before = state()

    with pytest.raises(DomainError) as error:
        services.invoice_issue(invoice=invoice, actor=admin_user)

    assert error.value.code == "invalid_transition"
    assert state() == before


def test_issue_failing_after_taking_a_number_gives_it_back(admin_user, patient, monkeypatch):
    first = services.invoice_issue(invoice=example_invoice(patient), actor=admin_user)
    second = example_invoice(patient)
    before = state()

    def failing_save(self, *args, **kwargs):
        raise IntegrityError("connection lost")

    monkeypatch.setattr(Invoice, "save", failing_save)
    with pytest.raises(IntegrityError):
        services.invoice_issue(invoice=second, actor=admin_user)
    monkeypatch.undo()

    assert state() == before
    third = services.invoice_issue(invoice=second, actor=admin_user)
    year, last = first.number.split("-")
    assert third.number == f"{year}-{int(last) + 1:06d}"


def test_numbers_restart_each_year(admin_user, patient):
    InvoiceCounter.objects.create(year=2020, last=41)
    invoice = services.invoice_issue(invoice=example_invoice(patient), actor=admin_user)

    assert invoice.number.endswith("-000001")
    assert InvoiceCounter.objects.get(year=2020).last == 41


@pytest.mark.parametrize(("amount", "code"), [
    (Decimal("4560.01"), "payment_exceeds_balance"),
    (Decimal("0"), "invalid_input"),
    (Decimal("-1"), "invalid_input"),
])
def test_payment_outside_zero_and_the_balance_is_refused(admin_user, patient, amount, code):
    invoice = issued_invoice(patient)
    before = state()

    with pytest.raises(DomainError) as error:
        services.invoice_payment_add(invoice=invoice, amount=amount, method="cash", actor=admin_user)

    assert error.value.code == code
    assert error.value.status_code == 400
    assert state() == before


@pytest.mark.parametrize("status", ["draft", "paid", "void"])
def test_payment_on_an_invoice_not_issued_is_invoice_not_payable(admin_user, patient, status):
    invoice = example_invoice(patient) if status == "draft" else issued_invoice(patient)
    Invoice.objects.filter(pk=invoice.pk).update(status=status, void_reason="x",
                                                 voided_at=invoice.created_at)
    before = state()

    with pytest.raises(DomainError) as error:
        services.invoice_payment_add(invoice=invoice, amount=Decimal("1.00"), method="cash",
                                     actor=admin_user)

    assert error.value.code == "invoice_not_payable"
    assert state() == before


def test_the_paying_payment_is_undone_when_marking_paid_fails(admin_user, patient, monkeypatch):
    invoice = issued_invoice(patient)
    payment_on(invoice, "4000.00")
    before = state()

    def failing_save(self, *args, **kwargs):
        raise IntegrityError("connection lost")

    monkeypatch.setattr(Invoice, "save", failing_save)
    with pytest.raises(IntegrityError):
        services.invoice_payment_add(invoice=invoice, amount=Decimal("560.00"), method="cash",
                                     actor=admin_user)

    assert state() == before


def test_exact_balance_marks_paid(admin_user, patient):
    invoice = issued_invoice(patient)
    payment_on(invoice, "4559.99")

    services.invoice_payment_add(invoice=invoice, amount=Decimal("0.01"), method="card",
                                 actor=admin_user)

    assert Invoice.objects.get(pk=invoice.pk).status == "paid"


@pytest.mark.parametrize("status", ["paid", "void"])
def test_void_refuses_paid_and_void(admin_user, patient, status):
    invoice = issued_invoice(patient)
    Invoice.objects.filter(pk=invoice.pk).update(status=status, void_reason="Earlier",
                                                 voided_at=invoice.issued_at)
    before = state()

    with pytest.raises(DomainError) as error:
        services.invoice_void(invoice=invoice, actor=admin_user, reason="Again")

    assert error.value.code == "invalid_transition"
    assert state() == before


def test_void_needs_a_reason(admin_user, patient):
    invoice = issued_invoice(patient)
    before = state()

    with pytest.raises(DomainError) as error:
        services.invoice_void(invoice=invoice, actor=admin_user, reason="  ")

    assert error.value.code == "invalid_input"
    assert state() == before


def test_database_refuses_an_issued_invoice_without_number(patient):
    invoice = example_invoice(patient)

    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(status="issued")


def test_database_refuses_a_void_invoice_without_reason(patient):
    invoice = example_invoice(patient)

    with pytest.raises(IntegrityError), transaction.atomic():
        Invoice.objects.filter(pk=invoice.pk).update(status="void", voided_at=invoice.created_at)
