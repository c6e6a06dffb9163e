"""Clinical endpoints: admissions, prescriptions, and `/api/patients/{id}/history/`."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.selectors import patients_visible_to
from accounts.serializers import PatientSerializer
from clinical import selectors, services
from clinical.filters import AdmissionFilterSet, PrescriptionFilterSet
from clinical.permissions import is_admin_or_assigned_doctor, is_admin_or_prescriber, is_prescriber
from clinical.record_sections import admission_sections_attach
from clinical.serializers import (
    AdmissionCreateSerializer,
    AdmissionDischargeSerializer,
    AdmissionHistorySerializer,
    AdmissionSerializer,
    AdmissionUpdateSerializer,
    PrescriptionCancelSerializer,
    PrescriptionCreateSerializer,
    PrescriptionSerializer,
    PrescriptionUpdateSerializer,
)
from hospital.permissions import ADMIN, ANY_ROLE, DOCTOR
from hospital.viewsets import RoleMapViewSet
from trust.audit import AuditedViewSetMixin


class AdmissionViewSet(
    AuditedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleMapViewSet
):
    """Admissions in the caller's scope; admins and doctors admit, the assigned doctor discharges."""

    audit_object_type = "admission"

    serializer_class = AdmissionSerializer
    filterset_class = AdmissionFilterSet
    ordering_fields = ["admitted_at", "discharged_at", "created_at"]
    role_map = {
        "list": ANY_ROLE, "retrieve": ANY_ROLE, "create": {ADMIN, DOCTOR},
        "partial_update": {ADMIN, DOCTOR}, "discharge": {ADMIN, DOCTOR}, "destroy": {ADMIN},
    }
    object_rules = {
        "partial_update": is_admin_or_assigned_doctor, "discharge": is_admin_or_assigned_doctor,
    }

    def get_queryset(self):
        return selectors.admissions_visible_to(self.request.user)

    @extend_schema(request=AdmissionCreateSerializer, responses={201: AdmissionSerializer})
    def create(self, request):
        """Admit an approved patient under an approved doctor."""
        serializer = AdmissionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        admission = services.admission_create(actor=request.user, **serializer.validated_data)
        self.audit_track(admission)
        return Response(self.get_serializer(admission).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AdmissionUpdateSerializer, responses={200: AdmissionSerializer})
    def partial_update(self, request, pk=None):
        """Change the department, assigned doctor, symptoms or admission time."""
        admission = self.get_object()
        serializer = AdmissionUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        admission = services.admission_update(admission=admission, data=serializer.validated_data)
        return Response(self.get_serializer(admission).data)

    @extend_schema(request=AdmissionDischargeSerializer, responses={200: AdmissionSerializer})
    @action(detail=True, methods=["post"])
    def discharge(self, request, pk=None):
        """Discharge the patient, now or at a given past time; only once."""
        admission = self.get_object()
        serializer = AdmissionDischargeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        admission = services.admission_discharge(
            admission=admission, discharged_at=serializer.validated_data.get("discharged_at")
        )
        return Response(self.get_serializer(admission).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        """Delete an admission that no appointment, prescription or invoice refers to."""
        services.admission_delete(admission=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class PrescriptionViewSet(
    AuditedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleMapViewSet
):
    """Prescriptions in the caller's scope; the appointment's doctor writes, nobody deletes."""

    audit_object_type = "prescription"

    serializer_class = PrescriptionSerializer
    filterset_class = PrescriptionFilterSet
    ordering_fields = ["issued_at"]
    role_map = {
        "list": ANY_ROLE, "retrieve": ANY_ROLE, "create": {DOCTOR},
        "partial_update": {DOCTOR}, "cancel": {ADMIN, DOCTOR},
    }
    object_rules = {"partial_update": is_prescriber, "cancel": is_admin_or_prescriber}

    def get_queryset(self):
        return selectors.prescriptions_visible_to(self.request.user)

    @extend_schema(request=PrescriptionCreateSerializer, responses={201: PrescriptionSerializer})
    def create(self, request):
        """Prescribe at one of the caller's confirmed or completed appointments."""
        serializer = PrescriptionCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        prescription = services.prescription_create(
            doctor=request.user.doctor_profile, **serializer.validated_data
        )
        self.audit_track(prescription)
        return Response(self.get_serializer(prescription).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PrescriptionUpdateSerializer, responses={200: PrescriptionSerializer})
    def partial_update(self, request, pk=None):
        """Edit one's own prescription while it is active."""
        prescription = self.get_object()
        serializer = PrescriptionUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        prescription = services.prescription_update(
            prescription=prescription, data=serializer.validated_data
        )
        return Response(self.get_serializer(prescription).data)

    @extend_schema(request=PrescriptionCancelSerializer, responses={200: PrescriptionSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel the prescription with a reason; it stays on record."""
        prescription = self.get_object()
        serializer = PrescriptionCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        prescription = services.prescription_cancel(
            prescription=prescription, actor=request.user,
            reason=serializer.validated_data["reason"],
        )
        return Response(self.get_serializer(prescription).data)


class PatientHistoryViewSet(AuditedViewSetMixin, RoleMapViewSet):
    """`GET /api/patients/{id}/history/`: a patient's admissions with visits, prescriptions, costs.

    Registered on the `patients` prefix with the accounts patient scope, so the same scope
    decides who sees it (404 outside it); reading it records the patient read.
    """

    audit_object_type = "patient"
    serializer_class = PatientSerializer
    role_map = {"history": ANY_ROLE}

    def get_queryset(self):
        return patients_visible_to(self.request.user)

    def audit_patient_id(self, obj):
        return obj.user_id

    @extend_schema(responses={200: AdmissionHistorySerializer(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request, pk=None):
        """The patient's admissions, newest first, each with visits, prescriptions and costs."""
        patient = self.get_object()
        queryset = selectors.patient_history(patient)
        # The paginator directly: this viewset's audit hooks track patient rows, not admissions.
        page = selectors.admissions_attach_costs(
            self.paginator.paginate_queryset(queryset, request, view=self)
        )
        for object_type, records in admission_sections_attach(page, viewer=request.user):
            self.audit_track_other(action="read", object_type=object_type, records=records)
        data = AdmissionHistorySerializer(page, many=True, context={"viewer": request.user}).data
        self.audit_track_other(
            action="read", object_type="admission",
            records=[(admission.pk, admission.patient_id) for admission in page],
        )
        return self.paginator.get_paginated_response(data)
