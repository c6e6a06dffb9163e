"""Clinical serializers: input (`<Model><Action>Serializer`) and output (`<Model>Serializer`)."""

from functools import cached_property

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Department, DoctorProfile, PatientProfile, User
from accounts.serializers import DoctorRefSerializer
from appointments.models import Appointment
from clinical.models import Admission, Prescription
from clinical.record_sections import admission_sections_fields
from clinical.selectors import admission_prescriptions


def approved_active(model):
    """Profiles of approved, active accounts: the only ones new records may name."""
    return model.objects.select_related("user").filter(
        user__is_active=True, user__approval_status=User.ApprovalStatus.APPROVED
    )


class AdmissionSerializer(serializers.ModelSerializer):
    """An admission; `patient` and `assigned_doctor` are ids, `department` a code."""

    patient = serializers.UUIDField(source="patient_id", read_only=True)
    patient_name = serializers.CharField(source="patient.user.full_name", read_only=True)
    assigned_doctor = serializers.UUIDField(source="assigned_doctor_id", read_only=True)
    assigned_doctor_name = serializers.CharField(
        source="assigned_doctor.user.full_name", read_only=True
    )
    department = serializers.CharField(source="department.code", read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Admission
        fields = [
            "id", "patient", "patient_name", "assigned_doctor", "assigned_doctor_name",
            "department", "symptoms", "admitted_at", "discharged_at", "is_active", "created_at",
        ]
        read_only_fields = fields


class AdmissionCreateSerializer(serializers.Serializer):
    patient = serializers.PrimaryKeyRelatedField(
        queryset=approved_active(PatientProfile),
        error_messages={"does_not_exist": "No approved, active patient with id \"{pk_value}\"."},
    )
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), help_text="Department code, e.g. `CL`."
    )
    symptoms = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    assigned_doctor = serializers.PrimaryKeyRelatedField(
        queryset=approved_active(DoctorProfile),
        error_messages={"does_not_exist": "No approved, active doctor with id \"{pk_value}\"."},
    )
    admitted_at = serializers.DateTimeField(
        required=False, help_text="Defaults to now; may not be in the future."
    )


class AdmissionUpdateSerializer(serializers.Serializer):
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False,
        help_text="Department code, e.g. `CL`.",
    )
    symptoms = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    assigned_doctor = serializers.PrimaryKeyRelatedField(
        queryset=approved_active(DoctorProfile), required=False,
        error_messages={"does_not_exist": "No approved, active doctor with id \"{pk_value}\"."},
    )
    admitted_at = serializers.DateTimeField(required=False)


class AdmissionDischargeSerializer(serializers.Serializer):
    discharged_at = serializers.DateTimeField(
        required=False, allow_null=True,
        help_text="Defaults to now; not before the admission, not in the future.",
    )


class PrescriptionSerializer(serializers.ModelSerializer):
    """A prescription with the ids of its appointment, patient and doctor."""

    appointment = serializers.UUIDField(source="appointment_id", read_only=True)
    patient = serializers.UUIDField(source="patient_id", read_only=True)
    patient_name = serializers.CharField(source="patient.user.full_name", read_only=True)
    doctor = serializers.UUIDField(source="doctor_id", read_only=True)
    doctor_name = serializers.CharField(source="doctor.user.full_name", read_only=True)

    class Meta:
        model = Prescription
        fields = [
            "id", "appointment", "patient", "patient_name", "doctor", "doctor_name",
            "medicine_name", "dosage", "frequency", "duration_days", "quantity", "instructions",
            "status", "issued_at", "cancelled_at", "cancellation_reason",
        ]
        read_only_fields = fields


class OwnAppointmentField(serializers.PrimaryKeyRelatedField):
    """An appointment of the calling doctor; any other id reads as unknown (no leak)."""

    def get_queryset(self):
        user = self.context["request"].user
        return Appointment.objects.filter(doctor_id=user.pk)


class PrescriptionUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Prescription
        fields = ["medicine_name", "dosage", "frequency", "duration_days", "quantity", "instructions"]
        # The same bounds on every database (SQLite would store what PostgreSQL refuses).
        extra_kwargs = {
            "duration_days": {"max_value": 3650},
            "quantity": {"max_value": 100_000},
            "instructions": {"max_length": 10_000},
        }


class PrescriptionCreateSerializer(PrescriptionUpdateSerializer):
    appointment = OwnAppointmentField(help_text="An appointment of the calling doctor.")

    class Meta(PrescriptionUpdateSerializer.Meta):
        fields = ["appointment", *PrescriptionUpdateSerializer.Meta.fields]


class PrescriptionCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class HistoryAppointmentSerializer(serializers.ModelSerializer):
    doctor = DoctorRefSerializer(read_only=True)

    class Meta:
        model = Appointment
        fields = ["id", "doctor", "start", "end", "status", "reason"]
        read_only_fields = fields


class CostsSerializer(serializers.Serializer):
    """The billing breakdown of an admission over its non-void invoices."""

    room_charge = serializers.DecimalField(max_digits=14, decimal_places=2)
    medicine_cost = serializers.DecimalField(max_digits=14, decimal_places=2)
    doctor_fee = serializers.DecimalField(max_digits=14, decimal_places=2)
    other_charge = serializers.DecimalField(max_digits=14, decimal_places=2)
    total_cost = serializers.DecimalField(max_digits=14, decimal_places=2)


class AdmissionHistorySerializer(AdmissionSerializer):
    """An admission in a patient's history, with its visits, prescriptions and costs."""

    appointments = HistoryAppointmentSerializer(many=True, read_only=True)
    prescriptions = serializers.SerializerMethodField()
    costs = CostsSerializer(read_only=True)

    class Meta(AdmissionSerializer.Meta):
        fields = [*AdmissionSerializer.Meta.fields, "appointments", "prescriptions", "costs"]
        read_only_fields = fields

    def get_fields(self):
        # Sections of the apps above clinical (lab orders, ...), registered at start-up.
        return {**super().get_fields(), **admission_sections_fields()}

    @cached_property
    def _prescription(self):
        # One serializer for every row: building its fields per admission costs more than using them.
        return PrescriptionSerializer()

    @extend_schema_field(PrescriptionSerializer(many=True))
    def get_prescriptions(self, admission):
        represent = self._prescription.to_representation
        return [represent(prescription) for prescription in admission_prescriptions(admission)]
