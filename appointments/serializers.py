"""Appointments serializers: input (`<Model><Action>Serializer`) and output (`<Model>Serializer`)."""

from datetime import timedelta

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import PatientProfile, User
from accounts.selectors import doctors_visible_to
from accounts.serializers import DoctorRefSerializer, DoctorSerializer
from appointments.models import (
    Appointment,
    AppointmentEvent,
    Holiday,
    Schedule,
    ScheduleHours,
    TimeOff,
)

MAX_SLOT_RANGE_DAYS = 31
MAX_SCHEDULE_RANGES = 70


class AppointmentPatientSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="user_id", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    age = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = PatientProfile
        fields = ["id", "full_name", "age"]


class AppointmentActorSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "full_name", "role"]
        read_only_fields = fields


class AppointmentEventSerializer(serializers.ModelSerializer):
    """One recorded change: who, when, from, to, why."""

    actor = AppointmentActorSerializer(read_only=True, allow_null=True)
    from_status = serializers.ChoiceField(
        choices=Appointment.Status.choices, allow_blank=True, read_only=True,
        help_text="Empty on the event that created the appointment.",
    )
    to_status = serializers.ChoiceField(choices=Appointment.Status.choices, read_only=True)

    class Meta:
        model = AppointmentEvent
        fields = ["at", "actor", "action", "from_status", "to_status", "reason"]
        read_only_fields = fields


class AppointmentPrescriptionSerializer(serializers.Serializer):
    """A prescription written at the appointment (read-only here)."""

    id = serializers.UUIDField()
    appointment = serializers.UUIDField(source="appointment_id")
    patient = serializers.UUIDField(source="patient_id")
    doctor = serializers.UUIDField(source="doctor_id")
    medicine_name = serializers.CharField()
    dosage = serializers.CharField()
    frequency = serializers.CharField()
    duration_days = serializers.IntegerField()
    quantity = serializers.IntegerField()
    instructions = serializers.CharField()
    # The values of clinical's Prescription.Status, which this lower app cannot import.
    status = serializers.ChoiceField(choices=[("active", "Active"), ("cancelled", "Cancelled")])
    issued_at = serializers.DateTimeField()


class AppointmentSerializer(serializers.ModelSerializer):
    """An appointment as the lists show it."""

    patient = AppointmentPatientSerializer(read_only=True)
    doctor = DoctorRefSerializer(read_only=True)
    admission = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = Appointment
        fields = [
            "id", "patient", "doctor", "start", "end", "status", "reason", "notes",
            "admission", "cancellation_reason", "created_at",
        ]
        read_only_fields = fields


class AppointmentDetailSerializer(AppointmentSerializer):
    """An appointment with its recorded changes and its prescriptions."""

    events = AppointmentEventSerializer(many=True, read_only=True)
    prescriptions = AppointmentPrescriptionSerializer(many=True, read_only=True)

    class Meta(AppointmentSerializer.Meta):
        fields = AppointmentSerializer.Meta.fields + ["events", "prescriptions"]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.UUID)
class ScopedAdmissionField(serializers.PrimaryKeyRelatedField):
    """An admission the requesting user may see; any other id reads as non-existent."""

    def get_queryset(self):
        from clinical.selectors import admissions_visible_to

        return admissions_visible_to(self.context["request"].user)


def bookable_patients():
    return PatientProfile.objects.select_related("user").filter(
        user__is_active=True, user__approval_status=User.ApprovalStatus.APPROVED
    )


@extend_schema_field(OpenApiTypes.UUID)
class BookableDoctorField(serializers.PrimaryKeyRelatedField):
    """An approved, active doctor."""

    def get_queryset(self):
        return doctors_visible_to(self.context["request"].user)


@extend_schema_field(OpenApiTypes.UUID)
class BookablePatientField(serializers.PrimaryKeyRelatedField):
    """An approved, active patient."""

    def get_queryset(self):
        return bookable_patients()


class AppointmentCreateSerializer(serializers.Serializer):
    """A booking. Patients: `doctor`, `start?`; doctors: `patient`, `start`; admins: all three."""

    doctor = BookableDoctorField(required=False, help_text="Required for patients and admins.")
    patient = BookablePatientField(required=False, help_text="Required for doctors and admins.")
    start = serializers.DateTimeField(
        required=False, help_text="A free slot of the doctor; optional for patients."
    )
    reason = serializers.CharField(max_length=2000)
    admission = ScopedAdmissionField(required=False, allow_null=True)

    def validate(self, attrs):
        user = self.context["request"].user
        errors = {}
        if user.is_patient:
            if "patient" in attrs and attrs["patient"].pk != user.pk:
                errors["patient"] = ["Patients book for themselves."]
            attrs["patient"] = user.patient_profile
        if user.is_doctor:
            if "doctor" in attrs and attrs["doctor"].pk != user.pk:
                errors["doctor"] = ["Doctors book for themselves."]
            attrs["doctor"] = user.doctor_profile
        required = ["doctor", "patient"] + ([] if user.is_patient else ["start"])
        for name in required:
            if attrs.get(name) is None:
                errors.setdefault(name, ["This field is required."])
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class AppointmentUpdateSerializer(serializers.Serializer):
    start = serializers.DateTimeField(required=False)
    reason = serializers.CharField(max_length=2000, required=False)
    notes = serializers.CharField(
        max_length=10000, required=False, allow_blank=True, help_text="Doctor or admin only."
    )
    admission = ScopedAdmissionField(
        required=False, allow_null=True, help_text="Doctor or admin only."
    )


class AppointmentConfirmSerializer(serializers.Serializer):
    start = serializers.DateTimeField(
        required=False, help_text="Required when the request has no time; moves it otherwise."
    )


class AppointmentReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class AppointmentCompleteSerializer(serializers.Serializer):
    notes = serializers.CharField(max_length=10000, required=False, allow_blank=True)


class ScheduleHoursSerializer(serializers.ModelSerializer):
    weekday = serializers.IntegerField(min_value=0, max_value=6, help_text="Monday is 0.")

    class Meta:
        model = ScheduleHours
        fields = ["weekday", "start", "end"]


class ScheduleSerializer(serializers.ModelSerializer):
    """A doctor's slot length and weekly working hours, in the hospital's local time."""

    hours = ScheduleHoursSerializer(many=True, max_length=MAX_SCHEDULE_RANGES)

    class Meta:
        model = Schedule
        fields = ["slot_minutes", "hours"]
        extra_kwargs = {"slot_minutes": {"required": True}}


class SlotSerializer(serializers.Serializer):
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class SlotQuerySerializer(serializers.Serializer):
    date = serializers.DateField(required=False)
    # `from` is a keyword; the field is declared below under its query-string name.
    to = serializers.DateField(required=False)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.DateField(required=False)
        return fields

    def validate(self, attrs):
        first, last = attrs.get("from"), attrs.get("to")
        if "date" in attrs:
            if first or last:
                raise serializers.ValidationError("Give either `date` or `from` and `to`, not both.")
            return {"first_day": attrs["date"], "last_day": attrs["date"]}
        if (first is None) != (last is None):
            raise serializers.ValidationError("Give both `from` and `to`.")
        if first is None:
            return {}
        if last < first:
            raise serializers.ValidationError({"to": ["Must not be before `from`."]})
        if last - first >= timedelta(days=MAX_SLOT_RANGE_DAYS):
            raise serializers.ValidationError(
                {"to": [f"The range may cover at most {MAX_SLOT_RANGE_DAYS} days."]}
            )
        return {"first_day": first, "last_day": last}


class AvailableQuerySerializer(serializers.Serializer):
    date = serializers.DateField(required=False)


class AvailableDoctorSerializer(DoctorSerializer):
    """A doctor with free slots on the asked date."""

    free_slots = serializers.IntegerField(read_only=True, help_text="Free slots that day.")
    next_free_slot = serializers.DateTimeField(read_only=True)

    class Meta(DoctorSerializer.Meta):
        fields = DoctorSerializer.Meta.fields + ["free_slots", "next_free_slot"]


class TimeOffSerializer(serializers.ModelSerializer):
    """A block of a doctor's time off, as the doctor and admins see it."""

    class Meta:
        model = TimeOff
        fields = ["id", "start", "end", "reason"]
        read_only_fields = fields


class TimeOffPublicSerializer(serializers.ModelSerializer):
    """A block of a doctor's time off, as patients see it: when, not why."""

    class Meta:
        model = TimeOff
        fields = ["start", "end"]
        read_only_fields = fields


class TimeOffCreateSerializer(serializers.Serializer):
    """Input of a new block of time off."""

    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    cancel_appointments = serializers.BooleanField(
        required=False, default=False,
        help_text="Cancel the active appointments inside the block instead of answering 409.",
    )


class HolidaySerializer(serializers.ModelSerializer):
    """A hospital-wide closed date."""

    class Meta:
        model = Holiday
        fields = ["id", "date", "name"]
        read_only_fields = fields


class HolidayCreateSerializer(serializers.Serializer):
    """Input of a new holiday."""

    date = serializers.DateField()
    name = serializers.CharField(max_length=120)
    cancel_appointments = serializers.BooleanField(
        required=False, default=False,
        help_text="Cancel the active appointments on that date instead of answering 409.",
    )


class HasAppointmentsErrorSerializer(serializers.Serializer):
    """409 `has_appointments`: the active appointments that stand in the way."""

    detail = serializers.CharField()
    code = serializers.CharField()
    appointments = serializers.ListField(child=serializers.UUIDField())
