"""Appointments endpoints: booking and its workflow, doctors' schedules and free slots, approvals."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.filters import DoctorFilterSet
from accounts.selectors import doctors_visible_to
from accounts.serializers import DoctorSerializer
from accounts.views import DoctorViewSet, is_admin_or_self
from appointments import selectors, services
from appointments.filters import AppointmentApprovalFilterSet, AppointmentFilterSet
from appointments.models import Appointment
from appointments.permissions import APPOINTMENT_OBJECT_RULES, APPOINTMENT_ROLE_MAP
from appointments.serializers import (
    AppointmentCompleteSerializer,
    AppointmentConfirmSerializer,
    AppointmentCreateSerializer,
    AppointmentDetailSerializer,
    AppointmentReasonSerializer,
    AppointmentSerializer,
    AppointmentUpdateSerializer,
    AvailableDoctorSerializer,
    AvailableQuerySerializer,
    ScheduleSerializer,
    SlotQuerySerializer,
    SlotSerializer,
)
from hospital.permissions import ADMIN, ANY_ROLE, DOCTOR
from hospital.viewsets import AdminOnlyViewSet, RoleMapViewSet
from trust.audit import AuditedViewSetMixin

DATE_PARAMETER = OpenApiParameter(
    "date", OpenApiTypes.DATE, description="A local date (YYYY-MM-DD); today when omitted."
)


class DoctorScheduleViewSet(RoleMapViewSet):
    """`/api/doctors/…` routes owned by appointments: weekly schedule, free slots, who is free.

    Registered on the `doctors` prefix beside the accounts viewset, with the same doctor scope,
    filters and ordering, so the paths and the schema read as one resource.
    """

    serializer_class = DoctorSerializer
    filterset_class = DoctorFilterSet
    ordering_fields = DoctorViewSet.ordering_fields
    role_map = {
        "available": ANY_ROLE, "schedule": ANY_ROLE, "schedule_update": {ADMIN, DOCTOR},
        "slots": ANY_ROLE,
    }
    object_rules = {"schedule_update": is_admin_or_self}

    def get_queryset(self):
        return doctors_visible_to(self.request.user)

    @extend_schema(
        parameters=[DATE_PARAMETER], responses={200: AvailableDoctorSerializer(many=True)}
    )
    @action(detail=False, methods=["get"])
    def available(self, request):
        """Doctors with at least one free slot on `date`, with their count and the first one."""
        query = AvailableQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("date") or timezone.localdate()
        doctors = self.filter_queryset(self.get_queryset())
        free = selectors.doctors_free_slots_on(doctors=doctors, day=day)
        page = self.paginate_queryset(doctors.filter(pk__in=list(free)))
        for doctor in page:
            doctor.free_slots = len(free[doctor.pk])
            doctor.next_free_slot = free[doctor.pk][0].start
        serializer = AvailableDoctorSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)

    @extend_schema(responses={200: ScheduleSerializer})
    @action(detail=True, methods=["get"], filter_backends=[])
    def schedule(self, request, pk=None):
        """The doctor's slot length and weekly hours (30-minute slots and no hours if never set)."""
        doctor = self.get_object()
        return Response(ScheduleSerializer(selectors.schedule_of(doctor)).data)

    @extend_schema(request=ScheduleSerializer, responses={200: ScheduleSerializer})
    @schedule.mapping.put
    def schedule_update(self, request, pk=None):
        """Replace the doctor's slot length and weekly hours."""
        doctor = self.get_object()
        serializer = ScheduleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.schedule_set(doctor=doctor, **serializer.validated_data)
        return Response(ScheduleSerializer(selectors.schedule_of(doctor)).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("date", OpenApiTypes.DATE, description="One local date; today by default."),
            OpenApiParameter("from", OpenApiTypes.DATE, description="First local date of a range."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last local date (≤ 31 days)."),
        ],
        responses={200: SlotSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def slots(self, request, pk=None):
        """The doctor's free slots on a date or a range of dates, none in the past."""
        doctor = self.get_object()
        query = SlotQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        today = timezone.localdate()
        slots = selectors.doctor_free_slots(
            doctor=doctor,
            first_day=query.validated_data.get("first_day", today),
            last_day=query.validated_data.get("last_day", today),
        )
        return Response(SlotSerializer(slots, many=True).data)


class AppointmentDetailResponseMixin:
    def detail_response(self, appointment, status_code=status.HTTP_200_OK) -> Response:
        """Answer with the appointment as stored now, with its events and prescriptions."""
        fresh = selectors.appointments_with_history(self.get_queryset()).get(pk=appointment.pk)
        return Response(AppointmentDetailSerializer(fresh).data, status=status_code)

    def confirm_response(self, request) -> Response:
        """Confirm the requested appointment (with `start` when it has none) and answer with it."""
        appointment = self.get_object()
        serializer = AppointmentConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.appointment_confirm(
            appointment=appointment, actor=request.user, **serializer.validated_data
        )
        return self.detail_response(appointment)

    def close_with_reason_response(self, request, service) -> Response:
        """Run `service` (cancel or reject) with the body's `reason` and answer with the result."""
        appointment = self.get_object()
        serializer = AppointmentReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        service(appointment=appointment, actor=request.user, reason=serializer.validated_data["reason"])
        return self.detail_response(appointment)


class AppointmentViewSet(
    AuditedViewSetMixin,
    AppointmentDetailResponseMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    RoleMapViewSet,
):
    """Appointments: patients and doctors their own, admins all; booking and the status workflow."""

    audit_object_type = "appointment"
    filterset_class = AppointmentFilterSet
    ordering_fields = ["start"]
    ordering = ["-start", "-created_at"]
    role_map = APPOINTMENT_ROLE_MAP
    object_rules = APPOINTMENT_OBJECT_RULES

    def get_queryset(self):
        qs = selectors.appointments_visible_to(self.request.user)
        if self.action == "retrieve":
            qs = selectors.appointments_with_history(qs)
        return qs

    def get_serializer_class(self):
        return AppointmentSerializer if self.action == "list" else AppointmentDetailSerializer

    @extend_schema(request=AppointmentCreateSerializer, responses={201: AppointmentDetailSerializer})
    def create(self, request):
        serializer = AppointmentCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        appointment = services.appointment_request(actor=request.user, **serializer.validated_data)
        self.audit_track(appointment)
        return self.detail_response(appointment, status.HTTP_201_CREATED)

    @extend_schema(request=AppointmentUpdateSerializer, responses={200: AppointmentDetailSerializer})
    def partial_update(self, request, pk=None):
        appointment = self.get_object()
        serializer = AppointmentUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        services.appointment_update(
            appointment=appointment, actor=request.user, data=serializer.validated_data
        )
        return self.detail_response(appointment)

    @extend_schema(request=AppointmentConfirmSerializer, responses={200: AppointmentDetailSerializer})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Confirm a request (the appointment's doctor or an admin)."""
        return self.confirm_response(request)

    @extend_schema(request=AppointmentReasonSerializer, responses={200: AppointmentDetailSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a requested or confirmed appointment, freeing its slot."""
        return self.close_with_reason_response(request, services.appointment_cancel)

    @extend_schema(request=AppointmentCompleteSerializer, responses={200: AppointmentDetailSerializer})
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """Close a confirmed visit (its doctor only)."""
        appointment = self.get_object()
        serializer = AppointmentCompleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.appointment_complete(
            appointment=appointment, actor=request.user, **serializer.validated_data
        )
        return self.detail_response(appointment)

    @extend_schema(request=None, responses={200: AppointmentDetailSerializer})
    @action(detail=True, methods=["post"], url_path="no-show")
    def no_show(self, request, pk=None):
        """Record that the patient did not come to a confirmed visit."""
        appointment = self.get_object()
        services.appointment_mark_no_show(appointment=appointment, actor=request.user)
        return self.detail_response(appointment)


class AppointmentApprovalViewSet(
    AuditedViewSetMixin,
    AppointmentDetailResponseMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    AdminOnlyViewSet,
):
    """The admin's queue of appointment requests to approve or reject, oldest first."""

    audit_object_type = "appointment"
    filterset_class = AppointmentApprovalFilterSet
    ordering_fields = ["start", "created_at"]
    ordering = ["created_at"]

    def get_queryset(self):
        qs = selectors.appointments_for_approval()
        if self.action == "list":
            return qs.filter(status=Appointment.Status.REQUESTED)
        if self.action == "retrieve":
            return selectors.appointments_with_history(qs)
        return qs

    def get_serializer_class(self):
        return AppointmentSerializer if self.action == "list" else AppointmentDetailSerializer

    @extend_schema(request=AppointmentConfirmSerializer, responses={200: AppointmentDetailSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Confirm a request; `start` is required when it has none."""
        return self.confirm_response(request)

    @extend_schema(request=AppointmentReasonSerializer, responses={200: AppointmentDetailSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Turn a request down with a reason the patient receives."""
        return self.close_with_reason_response(request, services.appointment_reject)
