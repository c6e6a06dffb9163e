"""Appointments endpoints: booking and its workflow, doctors' schedules and free slots, approvals."""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from accounts.filters import DoctorFilterSet
from accounts.selectors import doctors_visible_to
from accounts.serializers import DoctorSerializer
from accounts.views import DoctorViewSet, is_admin_or_self
from appointments import selectors, services
from appointments.filters import AppointmentApprovalFilterSet, AppointmentFilterSet
from appointments.models import Appointment, TimeOff
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
    HasAppointmentsErrorSerializer,
    HolidayCreateSerializer,
    HolidaySerializer,
    ScheduleSerializer,
    SlotQuerySerializer,
    SlotSerializer,
    TimeOffCreateSerializer,
    TimeOffPublicSerializer,
    TimeOffSerializer,
)
from hospital.permissions import ADMIN, DOCTOR, EVERY_ROLE
from hospital.schema_docs import documented
from hospital.viewsets import AdminOnlyViewSet, RoleMapViewSet
from trust.audit import AuditedViewSetMixin

DATE_PARAMETER = OpenApiParameter(
    "date", OpenApiTypes.DATE, description="A local date (YYYY-MM-DD); today when omitted."
)


@extend_schema_view(
    available=documented(
        "List doctors free on a date", who="any approved user.",
        does="Doctors with at least one free slot on `date` (hospital local date, today by "
             "default), each with `free_slots` and `next_free_slot`; filter by `department`.",
        errors="400 for a malformed date.",
    ),
    schedule=documented(
        "Read a doctor's weekly schedule", who="any approved user.",
        does="`slot_minutes` and `hours` (`weekday` 0 = Monday … 6, `start`, `end`) in hospital "
             "local time; 30-minute slots and no hours when never set.",
        errors="404 for an unknown or inactive doctor.",
    ),
    slots=documented(
        "List a doctor's free slots", who="any approved user.",
        does="`?date=` (today by default) or `?from=&to=` (at most 31 days): the free slots "
             "`{start, end}` with offsets, none in the past (not paginated).",
        errors="400 for a malformed date or a range longer than 31 days; 404 for an unknown doctor.",
    ),
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
        "available": EVERY_ROLE, "schedule": EVERY_ROLE, "schedule_update": {ADMIN, DOCTOR},
        "slots": EVERY_ROLE,
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

    @documented(
        "Replace a doctor's weekly schedule", who="the doctor self and admins.",
        does="Booked appointments stay as they are.",
        errors="400 for overlapping or reversed hours or a bad slot length; 403 for another "
               "doctor's schedule.",
    )
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


SLOT_ERRORS = (
    "400 `outside_schedule` (not a slot of the doctor's schedule) or `in_past`; 409 "
    "`slot_unavailable` (the slot is taken) or `patient_busy` (the patient holds another "
    "active appointment then)"
)


@extend_schema_view(
    list=documented(
        "List appointments", who="patients (their own), doctors (their own), admins (all).",
        does="Filters `status`, `doctor`, `patient`, `date_from`, `date_to` (local dates); "
             "`ordering=start|-start`. Every row read is audited.",
    ),
    retrieve=documented("Read an appointment with its events and prescriptions", who="as the list.",
                        errors="404 outside the caller's scope."),
    create=documented(
        "Book an appointment",
        who="patients (`{doctor, start?, reason}` → `requested`), doctors (`{patient, start, "
            "reason}` for themselves → `confirmed`), admins (`{patient, doctor, start, reason}` "
            "→ `confirmed`).",
        does="`start` must be a free slot of an approved, active doctor; `admission` may link the "
             "visit to the patient's admission.",
        errors=f"{SLOT_ERRORS}; 400 for a patient or doctor outside the caller's reach.",
    ),
    partial_update=documented(
        "Reschedule or edit an appointment",
        who="the patient owner while `requested`; its doctor and admins while `requested` or "
            "`confirmed`.",
        does="Change `start`, `reason`, `notes`, or link an `admission` (doctor, admin).",
        errors=f"{SLOT_ERRORS}; 409 `invalid_transition` in any other status; 403 for a field the "
               "caller may not change.",
    ),
    confirm=documented(
        "Confirm a requested appointment", who="the appointment's doctor and admins.",
        does="`start` is required when the request has none.",
        errors=f"409 `invalid_transition` unless `requested`; {SLOT_ERRORS}; 403 for another doctor.",
    ),
    cancel=documented(
        "Cancel an appointment", who="the patient owner, the appointment's doctor and admins.",
        does="`reason` is required; the slot is freed and the other party is told.",
        errors="400 `invalid_input` without a reason; 409 `invalid_transition` unless "
               "`requested` or `confirmed`.",
    ),
    complete=documented(
        "Complete a visit", who="the appointment's doctor.",
        does="`notes` optional; a visit may be closed early.",
        errors="409 `invalid_transition` unless `confirmed`; 403 for anyone else.",
    ),
    no_show=documented(
        "Mark a visit as a no-show", who="the appointment's doctor and admins.",
        errors="409 `invalid_transition` unless `confirmed`; 403 for the patient.",
    ),
)
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


@extend_schema_view(
    list=documented(
        "List appointment requests to approve", who="admins.",
        does="Appointments in `requested`, oldest first; the appointment list's filters apply.",
    ),
    retrieve=documented("Read an appointment request", who="admins.",
                        errors="404 for an unknown id."),
    approve=documented(
        "Approve an appointment request", who="admins.",
        does="`requested` → `confirmed`; `start` is required when the request has none.",
        errors=f"409 `invalid_transition` unless `requested`; {SLOT_ERRORS}.",
    ),
    reject=documented(
        "Reject an appointment request", who="admins.",
        does="`reason` is required; the patient receives it.",
        errors="400 `invalid_input` without a reason; 409 `invalid_transition` unless `requested`.",
    ),
)
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


HAS_APPOINTMENTS = OpenApiResponse(
    HasAppointmentsErrorSerializer,
    description="`has_appointments`: active appointments fall inside; nothing was stored.",
)


class DoctorTimeOffViewSet(mixins.ListModelMixin, RoleMapViewSet):
    """`/api/doctors/{id}/time-off/`: read by approved users, written by the doctor self or admins."""

    role_map = {"list": EVERY_ROLE, "create": {ADMIN, DOCTOR}, "destroy": {ADMIN, DOCTOR}}
    filter_backends = []

    def get_doctor(self):
        doctor = get_object_or_404(doctors_visible_to(self.request.user),
                                   pk=self.kwargs["id"])
        if self.action != "list" and not is_admin_or_self(self.request.user, doctor):
            raise PermissionDenied("Only the doctor or an admin may change this time off.")
        return doctor

    def get_queryset(self):
        return selectors.time_off_upcoming(self.get_doctor())

    def get_serializer_class(self):
        if self.action == "create":
            return TimeOffCreateSerializer
        if self.request.user.is_patient:
            return TimeOffPublicSerializer
        return TimeOffSerializer

    @extend_schema(
        summary="List a doctor's upcoming time off",
        description="Blocks that have not ended, soonest first. Any approved user; patients see "
                    "`start` and `end` only. 404 for an unknown doctor.",
        responses={200: TimeOffSerializer(many=True)},
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Add time off",
        description=(
            "The doctor self or an admin blocks `[start, end)` (at most 90 days, from today on); "
            "its slots disappear and booking there is 400 `outside_schedule`. Active "
            "appointments inside answer 409 `has_appointments` with their ids and nothing is "
            "stored, unless `cancel_appointments` is true: they are cancelled (\"The doctor is "
            "unavailable\") and their patients notified, in the same transaction. 400 for bad "
            "input or `in_past`, 403 for another doctor or a patient, 404 for an unknown doctor."
        ),
        request=TimeOffCreateSerializer,
        responses={201: TimeOffSerializer, 409: HAS_APPOINTMENTS},
    )
    def create(self, request, id=None):  # noqa: A002 (the URL names the doctor `id`)
        doctor = self.get_doctor()
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        time_off = services.time_off_create(doctor=doctor, actor=request.user, **data.validated_data)
        return Response(TimeOffSerializer(time_off).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove time off",
        description="The doctor self or an admin removes a block; its slots come back. 403 for "
                    "another doctor or a patient, 404 for an unknown doctor or block.",
        responses={204: None},
    )
    def destroy(self, request, id=None, block_id=None):  # noqa: A002
        doctor = self.get_doctor()
        time_off = get_object_or_404(TimeOff.objects.filter(doctor=doctor), pk=block_id)
        services.time_off_delete(time_off=time_off)
        return Response(status=status.HTTP_204_NO_CONTENT)


class HolidayViewSet(mixins.ListModelMixin, RoleMapViewSet):
    """`/api/holidays/`: hospital-wide closed dates; read by approved users, written by admins."""

    role_map = {"list": EVERY_ROLE, "create": {ADMIN}, "destroy": {ADMIN}}
    filter_backends = []
    serializer_class = HolidaySerializer

    def get_queryset(self):
        return selectors.holidays_upcoming()

    @extend_schema(
        summary="List holidays",
        description="Closed dates from today on, soonest first; no doctor has slots on them. "
                    "Any approved user.",
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Add a holiday",
        description=(
            "Admins only. One per date (a second is 400 `holiday_exists`; a past date 400 "
            "`in_past`). Active appointments that day answer 409 `has_appointments` with their "
            "ids and nothing is stored, unless `cancel_appointments` is true: they are cancelled "
            "and their patients notified in the same transaction. 403 for other roles."
        ),
        request=HolidayCreateSerializer,
        responses={201: HolidaySerializer, 409: HAS_APPOINTMENTS},
    )
    def create(self, request):
        data = HolidayCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        holiday = services.holiday_create(
            day=data.validated_data["date"], name=data.validated_data["name"], actor=request.user,
            cancel_appointments=data.validated_data["cancel_appointments"],
        )
        return Response(HolidaySerializer(holiday).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove a holiday",
        description="Admins only; the date's slots come back. 403 for other roles, 404 if unknown.",
        responses={204: None},
    )
    def destroy(self, request, pk=None):
        services.holiday_delete(holiday=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
