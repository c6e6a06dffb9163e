"""Laboratory: the test catalog, orders of tests for a patient, their results and history."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q

# Results carry at most 4 decimal places and 10 integer digits.
VALUE_DIGITS, VALUE_PLACES = 14, 4


class LabTest(models.Model):
    """One orderable test of the catalog, with its LOINC code, unit, reference range and price."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(
        max_length=32, unique=True,
        validators=[RegexValidator(r"^[a-z0-9_]+$", "Use lower-case letters, digits and _.")],
    )
    loinc = models.CharField(
        max_length=16, validators=[RegexValidator(r"^\d{1,7}-\d$", "A LOINC code, e.g. 718-7.")]
    )
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=32)
    reference_low = models.DecimalField(
        max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    reference_high = models.DecimalField(
        max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    price = models.DecimalField(
        max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    active = models.BooleanField(default=True, db_index=True)

    class Meta:
        ordering = ["name", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reference_low__isnull=True)
                | Q(reference_high__isnull=True)
                | Q(reference_low__lte=F("reference_high")),
                name="laboratory_labtest_reference_range_ordered",
                violation_error_message="The reference range's low end is above its high end.",
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0), name="laboratory_labtest_price_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.loinc})"


class LabOrder(models.Model):
    """Tests a doctor ordered for a patient, from ordering to the release of the results."""

    class Priority(models.TextChoices):
        ROUTINE = "routine", "Routine"
        URGENT = "urgent", "Urgent"

    class Status(models.TextChoices):
        ORDERED = "ordered", "Ordered"
        COLLECTED = "collected", "Collected"
        RESULTED = "resulted", "Resulted"
        RELEASED = "released", "Released"
        CANCELLED = "cancelled", "Cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(
        "accounts.PatientProfile", on_delete=models.PROTECT, related_name="lab_orders"
    )
    ordered_by = models.ForeignKey(
        "accounts.DoctorProfile", on_delete=models.PROTECT, related_name="lab_orders"
    )
    admission = models.ForeignKey(
        "clinical.Admission", null=True, blank=True, on_delete=models.PROTECT,
        related_name="lab_orders",
    )
    priority = models.CharField(
        max_length=16, choices=Priority.choices, default=Priority.ROUTINE
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ORDERED)
    note = models.TextField(blank=True)
    ordered_at = models.DateTimeField(auto_now_add=True)
    collected_at = models.DateTimeField(null=True, blank=True)
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resulted_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-ordered_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-ordered_at"], name="laboratory_order_patient"),
            models.Index(fields=["ordered_by", "-ordered_at"], name="laboratory_order_doctor"),
            # The technicians' queue: one status, urgent ("urgent" > "routine") first, oldest first.
            models.Index(
                fields=["status", "-priority", "ordered_at"], name="laboratory_order_queue"
            ),
            models.Index(fields=["-ordered_at"], name="laboratory_order_ordered"),
        ]

    def __str__(self):
        return f"Lab order for {self.patient} ({self.status})"

    @property
    def is_released(self) -> bool:
        return self.status == self.Status.RELEASED


class LabOrderItem(models.Model):
    """One test of an order and its current result; `price` is the catalog's when ordered."""

    class Interpretation(models.TextChoices):
        LOW = "low", "Low"
        NORMAL = "normal", "Normal"
        HIGH = "high", "High"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    order = models.ForeignKey(LabOrder, on_delete=models.PROTECT, related_name="items")
    test = models.ForeignKey(LabTest, on_delete=models.PROTECT, related_name="order_items")
    position = models.PositiveSmallIntegerField()
    price = models.DecimalField(max_digits=12, decimal_places=2)
    value = models.DecimalField(
        max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, null=True, blank=True
    )
    interpretation = models.CharField(
        max_length=8, choices=Interpretation.choices, blank=True
    )
    note = models.TextField(blank=True)
    resulted_at = models.DateTimeField(null=True, blank=True)
    resulted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amended = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "test"], name="laboratory_orderitem_test_once_per_order"
            ),
            models.UniqueConstraint(
                fields=["order", "position"], name="laboratory_orderitem_position_unique"
            ),
        ]

    def __str__(self):
        return f"{self.test.name}: {self.value if self.value is not None else '—'}"


class LabResultRevision(models.Model):
    """A released value that a correction replaced; kept and shown beside the new one."""

    item = models.ForeignKey(LabOrderItem, on_delete=models.PROTECT, related_name="revisions")
    value = models.DecimalField(max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    interpretation = models.CharField(max_length=8, blank=True)
    note = models.TextField(blank=True)
    resulted_at = models.DateTimeField(null=True, blank=True)
    resulted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    superseded_at = models.DateTimeField(auto_now_add=True)
    superseded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["item", "superseded_at", "id"]

    def __str__(self):
        return f"{self.item.test.name}: {self.value} (superseded)"


class LabOrderEvent(models.Model):
    """One recorded change of a lab order: who, when, from, to, why."""

    order = models.ForeignKey(LabOrder, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=32)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    reason = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.action}: {self.from_status or '—'} → {self.to_status}"
