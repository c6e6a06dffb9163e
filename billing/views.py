"""Billing endpoints: invoices, their lines, issuing, payments, voiding; drafts from admissions."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from billing import services
from billing.filters import InvoiceFilterSet
from billing.permissions import admission_visible_to
from billing.selectors import invoices_visible_to
from billing.serializers import (
    InvoiceCreateSerializer,
    InvoiceLinesSerializer,
    InvoiceSerializer,
    InvoiceVoidSerializer,
    PaymentCreateSerializer,
)
from clinical.models import Admission
from hospital.permissions import ADMIN, ANY_ROLE
from hospital.schema_docs import documented
from hospital.viewsets import RoleMapViewSet
from trust.audit import AuditedViewSetMixin, audit_events_record


@extend_schema_view(
    list=documented(
        "List invoices", who="patients (their own), admins (all); doctors get an empty list.",
        does="Filters `patient`, `admission`, `status`. Amounts are decimal strings with two places "
             "in the invoice's `currency`; `breakdown` sums the lines per category.",
    ),
    retrieve=documented("Read an invoice", who="as the list.",
                        errors="404 outside the caller's scope."),
    create=documented(
        "Create a draft invoice", who="admins.",
        does="`{patient, admission?, appointment?, lines}`; the admission and appointment must be "
             "the patient's.",
        errors="400 `invalid_input` or field errors for bad lines or a record of another patient.",
    ),
    partial_update=documented(
        "Replace a draft invoice's lines", who="admins.",
        errors="409 `invoice_locked` once issued; 400 for bad lines.",
    ),
    issue=documented(
        "Issue a draft invoice", who="admins.",
        does="`draft` → `issued`; it gets the year's next sequential `number`.",
        errors="409 `invalid_transition` unless draft; 409 `invoice_empty` without lines.",
    ),
    payments=documented(
        "Record a payment", who="admins.",
        does="`{amount, method}`; paying the whole balance marks the invoice `paid`. Answers 201.",
        errors="400 `payment_exceeds_balance` above the balance, `invalid_input` for a zero or "
               "negative amount; 409 `invalid_transition` unless issued.",
    ),
    void=documented(
        "Void an invoice", who="admins.",
        does="`reason` required; payments stay on record.",
        errors="400 `invalid_input` without a reason; 409 `invalid_transition` for a paid or void invoice.",
    ),
)
class InvoiceViewSet(
    AuditedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleMapViewSet
):
    """Invoices: patients read their own, admins read and write all, doctors see none."""

    audit_object_type = "invoice"

    serializer_class = InvoiceSerializer
    filterset_class = InvoiceFilterSet
    ordering_fields = ["created_at", "issued_at", "number"]
    role_map = {
        "list": ANY_ROLE, "retrieve": ANY_ROLE, "create": {ADMIN}, "partial_update": {ADMIN},
        "issue": {ADMIN}, "payments": {ADMIN}, "void": {ADMIN},
    }

    def get_queryset(self):
        return invoices_visible_to(self.request.user)

    def _detail(self, invoice, status_code=status.HTTP_200_OK) -> Response:
        """Answer with the invoice re-read, so totals come from the database after the write."""
        invoice = self.get_queryset().get(pk=invoice.pk)
        self.audit_track(invoice)
        return Response(self.get_serializer(invoice).data, status=status_code)

    @extend_schema(request=InvoiceCreateSerializer, responses={201: InvoiceSerializer})
    def create(self, request):
        serializer = InvoiceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invoice = services.invoice_create(actor=request.user, **serializer.validated_data)
        return self._detail(invoice, status.HTTP_201_CREATED)

    @extend_schema(request=InvoiceLinesSerializer, responses={200: InvoiceSerializer})
    def partial_update(self, request, pk=None):
        invoice = self.get_object()
        serializer = InvoiceLinesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.invoice_lines_replace(invoice=invoice, lines=serializer.validated_data["lines"])
        return self._detail(invoice)

    @extend_schema(request=None, responses={200: InvoiceSerializer})
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Issue a draft: it gets the next sequential number of the year."""
        invoice = services.invoice_issue(invoice=self.get_object(), actor=request.user)
        return self._detail(invoice)

    @extend_schema(request=PaymentCreateSerializer, responses={201: InvoiceSerializer})
    @action(detail=True, methods=["post"])
    def payments(self, request, pk=None):
        """Record a payment on an issued invoice; paying the balance marks it paid."""
        invoice = self.get_object()
        serializer = PaymentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.invoice_payment_add(invoice=invoice, actor=request.user, **serializer.validated_data)
        return self._detail(invoice, status.HTTP_201_CREATED)

    @extend_schema(request=InvoiceVoidSerializer, responses={200: InvoiceSerializer})
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        """Void a draft or issued invoice with a reason; its payments are kept."""
        invoice = self.get_object()
        serializer = InvoiceVoidSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        invoice = services.invoice_void(
            invoice=invoice, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return self._detail(invoice)


class AdmissionInvoiceView(GenericAPIView):
    """Draft an admission's invoice: room nights and the fees of its completed visits (admins)."""

    serializer_class = InvoiceSerializer
    queryset = Admission.objects.select_related("department", "patient")

    @documented(
        "Draft an invoice from an admission", who="admins.",
        does="A `room` line (nights × the department's daily rate, at least one) and a "
             "`doctor_fee` line per completed appointment of the admission.",
        errors="403 for a doctor or patient who may see the admission; 404 outside the scope.",
    )
    @extend_schema(request=None, responses={201: InvoiceSerializer}, operation_id="admissions_invoice_create")
    def post(self, request, pk):
        admission = get_object_or_404(self.get_queryset(), pk=pk)
        if not admission_visible_to(request.user, admission):
            raise Http404
        if not request.user.is_admin:
            raise PermissionDenied("Only an admin can bill an admission.")
        invoice = services.invoice_from_admission(admission=admission, actor=request.user)
        invoice = invoices_visible_to(request.user).get(pk=invoice.pk)
        audit_events_record(
            request=request, action="create", object_type="invoice",
            records=[(invoice.pk, invoice.patient_id)],
        )
        return Response(InvoiceSerializer(invoice).data, status=status.HTTP_201_CREATED)
