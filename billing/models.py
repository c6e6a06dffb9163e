"""Billing: invoices, their lines, payments and the per-year invoice counter."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q


class Invoice(models.Model):
    """A bill to a patient; its lines roll up into the cost breakdown."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ISSUED = "issued", "Issued"
        PAID = "paid", "Paid"
        VOID = "void", "Void"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(max_length=32, unique=True, null=True, blank=True)
    patient = models.ForeignKey(
        "accounts.PatientProfile", on_delete=models.PROTECT, related_name="invoices"
    )
    admission = models.ForeignKey(
        "clinical.Admission",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    appointment = models.ForeignKey(
        "appointments.Appointment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    currency = models.CharField(max_length=3)
    issued_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["patient", "-created_at"], name="billing_invoice_patient"),
            models.Index(fields=["status", "-created_at"], name="billing_invoice_status"),
            # The admin's unfiltered list: newest first, a page without sorting the table.
            models.Index(fields=["-created_at"], name="billing_invoice_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", number__isnull=True, issued_at__isnull=True)
                | Q(status__in=["issued", "paid"], number__isnull=False, issued_at__isnull=False)
                | Q(status="void"),
                name="billing_invoice_numbered_once_issued",
            ),
            models.CheckConstraint(
                condition=~Q(status="void") | (~Q(void_reason="") & Q(voided_at__isnull=False)),
                name="billing_invoice_void_has_reason",
            ),
        ]

    def __str__(self):
        return self.number or f"Draft {str(self.id)[:8]}"

    def clean(self):
        """The admission and the appointment billed must be the patient's own."""
        errors = {}
        if self.patient_id is None:
            return
        if self.admission_id and self.admission.patient_id != self.patient_id:
            errors["admission"] = "This admission belongs to another patient."
        if self.appointment_id and self.appointment.patient_id != self.patient_id:
            errors["appointment"] = "This appointment belongs to another patient."
        if errors:
            raise ValidationError(errors)


class InvoiceLine(models.Model):
    """One charge on an invoice: quantity × unit price in a category."""

    class Category(models.TextChoices):
        ROOM = "room", "Room"
        MEDICINE = "medicine", "Medicine"
        DOCTOR_FEE = "doctor_fee", "Doctor fee"
        OTHER = "other", "Other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines")
    category = models.CharField(max_length=16, choices=Category.choices)
    description = models.CharField(max_length=255)
    quantity = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    unit_price = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["invoice", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="billing_invoiceline_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="billing_invoiceline_price_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.description}: {self.quantity} × {self.unit_price}"

    @property
    def amount(self) -> Decimal:
        return self.quantity * self.unit_price


class Payment(models.Model):
    """Money received against an issued invoice."""

    class Method(models.TextChoices):
        CASH = "cash", "Cash"
        CARD = "card", "Card"
        MOBILE = "mobile", "Mobile banking"
        BANK_TRANSFER = "bank_transfer", "Bank transfer"
        INSURANCE = "insurance", "Insurance"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    method = models.CharField(max_length=16, choices=Method.choices)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    paid_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="billing_payment_amount_positive"),
        ]

    def __str__(self):
        return f"{self.amount} by {self.method}"


class InvoiceCounter(models.Model):
    """The last invoice number given in a year; locked while issuing."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"
