"""Clinical serializers: input (`<Model><Action>Serializer`) and output (`<Model>Serializer`)."""

from functools import cached_property

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Department, DoctorProfile, PatientProfile, User
from accounts.serializers import DoctorRefSerializer
from appointments.models import Appointment
from clinical.catalog import CATALOG, CODES
from clinical.models import Admission, Allergy, Encounter, EncounterAddendum, Observation, Prescription
from clinical.record_sections import admission_sections_fields
from clinical.selectors import admission_prescriptions, encounters_visible_to, patients_writable_by


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


class AllergyOverrideSerializer(serializers.Serializer):
    """Why a prescription went ahead despite the patient's allergies, and which ones."""

    reason = serializers.CharField()
    allergies = serializers.ListField(child=serializers.UUIDField())


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
            "status", "issued_at", "cancelled_at", "cancellation_reason", "allergy_override",
        ]
        read_only_fields = fields

    # Null unless the doctor prescribed over an allergy conflict.
    allergy_override = AllergyOverrideSerializer(read_only=True, allow_null=True)


@extend_schema_field(OpenApiTypes.UUID)
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
    override_reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000,
        help_text="Prescribe despite an active medication allergy of the patient (kept on the "
        "prescription and in the audit trail).",
    )

    class Meta(PrescriptionUpdateSerializer.Meta):
        fields = ["appointment", *PrescriptionUpdateSerializer.Meta.fields, "override_reason"]


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


class RecordPersonSerializer(serializers.Serializer):
    """A patient or doctor as a record names them."""

    id = serializers.UUIDField(source="user_id")
    full_name = serializers.CharField(source="user.full_name")


class UserRefSerializer(serializers.Serializer):
    """Who recorded a row: id, name and role."""

    id = serializers.UUIDField()
    full_name = serializers.CharField()
    role = serializers.CharField()


@extend_schema_field(OpenApiTypes.UUID)
class WritablePatientField(serializers.PrimaryKeyRelatedField):
    """A patient the caller may record for; any other id reads as unknown (no leak)."""

    default_error_messages = {"does_not_exist": "No patient with id \"{pk_value}\" in your care."}

    def get_queryset(self):
        return patients_writable_by(self.context["request"].user)


@extend_schema_field(OpenApiTypes.UUID)
class VisibleEncounterField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {"does_not_exist": "No encounter with id \"{pk_value}\" in your care."}

    def get_queryset(self):
        return encounters_visible_to(self.context["request"].user)


class AddendumSerializer(serializers.ModelSerializer):
    author = UserRefSerializer(read_only=True)

    class Meta:
        model = EncounterAddendum
        fields = ["id", "text", "author", "at"]
        read_only_fields = fields


class EncounterSerializer(serializers.ModelSerializer):
    patient = RecordPersonSerializer(read_only=True)
    doctor = RecordPersonSerializer(read_only=True)
    appointment = serializers.UUIDField(source="appointment_id", read_only=True, allow_null=True)
    admission = serializers.UUIDField(source="admission_id", read_only=True, allow_null=True)
    addenda = AddendumSerializer(many=True, read_only=True)

    class Meta:
        model = Encounter
        fields = [
            "id", "patient", "doctor", "kind", "appointment", "admission", "status",
            "started_at", "ended_at", "subjective", "objective", "assessment", "plan", "addenda",
        ]
        read_only_fields = fields


NOTE_KWARGS = {"required": False, "allow_blank": True, "max_length": 20_000}


class EncounterUpdateSerializer(serializers.Serializer):
    subjective = serializers.CharField(**NOTE_KWARGS)
    objective = serializers.CharField(**NOTE_KWARGS)
    assessment = serializers.CharField(**NOTE_KWARGS)
    plan = serializers.CharField(**NOTE_KWARGS)


class EncounterCreateSerializer(EncounterUpdateSerializer):
    patient = serializers.PrimaryKeyRelatedField(
        queryset=approved_active(PatientProfile),
        error_messages={"does_not_exist": "No approved, active patient with id \"{pk_value}\"."},
    )
    kind = serializers.ChoiceField(choices=Encounter.Kind.choices)
    appointment = OwnAppointmentField(required=False, allow_null=True,
                                      help_text="Outpatient: a confirmed or completed appointment of yours.")
    admission = serializers.PrimaryKeyRelatedField(
        queryset=Admission.objects.all(), required=False, allow_null=True,
        help_text="Inpatient: the patient's open admission.",
    )

    def validate_admission(self, admission):
        from clinical.selectors import admissions_visible_to

        user = self.context["request"].user
        if admission is not None and not admissions_visible_to(user).filter(pk=admission.pk).exists():
            raise serializers.ValidationError(f"No admission with id \"{admission.pk}\" in your care.")
        return admission


class AddendumCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=20_000)


class ObservationCodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    loinc = serializers.CharField()
    display = serializers.CharField()
    unit = serializers.CharField()
    plausible_low = serializers.DecimalField(max_digits=7, decimal_places=2)
    plausible_high = serializers.DecimalField(max_digits=7, decimal_places=2)
    normal_low = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)
    normal_high = serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True)


class ObservationSerializer(serializers.ModelSerializer):
    patient = serializers.UUIDField(source="patient_id", read_only=True)
    encounter = serializers.UUIDField(source="encounter_id", read_only=True, allow_null=True)
    loinc = serializers.SerializerMethodField()
    display = serializers.SerializerMethodField()
    recorded_by = UserRefSerializer(read_only=True)

    class Meta:
        model = Observation
        fields = [
            "id", "patient", "encounter", "code", "loinc", "display", "value", "unit",
            "interpretation", "effective_at", "recorded_by", "status", "void_reason",
        ]
        read_only_fields = fields

    def get_loinc(self, observation) -> str:
        return CATALOG[observation.code].loinc

    def get_display(self, observation) -> str:
        return CATALOG[observation.code].display


VALUE_KWARGS = {"max_digits": 7, "decimal_places": 2}


class ObservationCreateSerializer(serializers.Serializer):
    """One observation (`code` + `value`) or a set taken together (`vitals`), not both."""

    patient = WritablePatientField()
    encounter = VisibleEncounterField(required=False, allow_null=True)
    effective_at = serializers.DateTimeField(required=False, help_text="Defaults to now; not in the future.")
    code = serializers.ChoiceField(choices=CODES, required=False)
    value = serializers.DecimalField(**VALUE_KWARGS, required=False)
    vitals = serializers.DictField(
        child=serializers.DecimalField(**VALUE_KWARGS), required=False,
        help_text="`{code: value}` of a set taken together: all stored or none.",
    )

    def validate_vitals(self, vitals):
        unknown = sorted(set(vitals) - set(CODES))
        if unknown:
            raise serializers.ValidationError(f"Unknown observation codes: {', '.join(unknown)}.")
        return vitals

    def validate(self, attrs):
        single = "code" in attrs or "value" in attrs
        if single == ("vitals" in attrs):
            raise serializers.ValidationError("Send either `code` and `value`, or `vitals`.")
        if single and not ("code" in attrs and "value" in attrs):
            raise serializers.ValidationError("`code` and `value` go together.")
        return attrs


class ObservationVoidSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class AllergySerializer(serializers.ModelSerializer):
    patient = serializers.UUIDField(source="patient_id", read_only=True)
    recorded_by = UserRefSerializer(read_only=True)
    reactions = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Allergy
        fields = [
            "id", "patient", "substance", "category", "criticality", "reactions", "status",
            "verification", "note", "recorded_by", "recorded_at",
        ]
        read_only_fields = fields


def reactions_field():
    return serializers.ListField(child=serializers.CharField(max_length=200), max_length=50,
                                 required=False)


class AllergyCreateSerializer(serializers.Serializer):
    patient = WritablePatientField()
    substance = serializers.CharField(max_length=200)
    category = serializers.ChoiceField(choices=Allergy.Category.choices)
    criticality = serializers.ChoiceField(choices=Allergy.Criticality.choices, required=False)
    reactions = reactions_field()
    note = serializers.CharField(required=False, allow_blank=True, max_length=10_000)


class AllergyUpdateSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Allergy.Status.choices, required=False)
    criticality = serializers.ChoiceField(choices=Allergy.Criticality.choices, required=False)
    reactions = reactions_field()
    note = serializers.CharField(required=False, allow_blank=True, max_length=10_000)
    verification = serializers.ChoiceField(
        choices=[Allergy.Verification.CONFIRMED], required=False,
        help_text="Only `confirmed`: a clinician confirms a self-reported allergy.",
    )
