"""Laboratory serializers: input (`<Model><Action>Serializer`) and output (`<Model>Serializer`)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import PatientProfile, User
from accounts.selectors import patients_visible_to
from clinical.selectors import admissions_visible_to
from laboratory.models import (
    VALUE_DIGITS,
    VALUE_PLACES,
    LabOrder,
    LabOrderEvent,
    LabOrderItem,
    LabResultRevision,
    LabTest,
)


class LabTestSerializer(serializers.ModelSerializer):
    """A catalog test; `price` is a decimal string in the hospital's currency."""

    class Meta:
        model = LabTest
        fields = ["id", "code", "loinc", "name", "unit", "reference_low", "reference_high",
                  "price", "active"]
        read_only_fields = ["id"]


class LabTestUpdateSerializer(LabTestSerializer):
    class Meta(LabTestSerializer.Meta):
        extra_kwargs = {name: {"required": False} for name in LabTestSerializer.Meta.fields}


class LabTestRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = LabTest
        fields = ["code", "loinc", "name", "unit", "reference_low", "reference_high"]
        read_only_fields = fields


class LabPatientSerializer(serializers.ModelSerializer):
    """The ordered patient as the lab sees them: who, born when, which sex; nothing else."""

    id = serializers.UUIDField(source="user_id", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)

    class Meta:
        model = PatientProfile
        fields = ["id", "full_name", "date_of_birth", "sex"]
        read_only_fields = fields


class PersonRefSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    full_name = serializers.CharField(read_only=True)


class LabResultRevisionSerializer(serializers.ModelSerializer):
    """A released value that a correction replaced."""

    resulted_by = PersonRefSerializer(read_only=True)
    superseded_by = PersonRefSerializer(read_only=True)

    class Meta:
        model = LabResultRevision
        fields = ["value", "interpretation", "note", "resulted_at", "resulted_by",
                  "superseded_at", "superseded_by"]
        read_only_fields = fields


class LabOrderItemSerializer(serializers.ModelSerializer):
    """One test of an order with its current value; `previous_values` after a correction."""

    test = LabTestRefSerializer(read_only=True)
    interpretation = serializers.ChoiceField(
        choices=LabOrderItem.Interpretation.choices, allow_null=True, read_only=True
    )
    previous_values = LabResultRevisionSerializer(source="revisions", many=True, read_only=True)

    class Meta:
        model = LabOrderItem
        fields = ["id", "test", "value", "interpretation", "note", "amended", "resulted_at",
                  "previous_values"]
        read_only_fields = fields

    def to_representation(self, item):
        data = super().to_representation(item)
        data["interpretation"] = item.interpretation or None
        return data


class LabOrderEventSerializer(serializers.ModelSerializer):
    actor = PersonRefSerializer(read_only=True)

    class Meta:
        model = LabOrderEvent
        fields = ["action", "from_status", "to_status", "reason", "actor", "at"]
        read_only_fields = fields


# What a patient's item shows until the order is released: the test, never a result.
HIDDEN_UNTIL_RELEASE = {"value": None, "interpretation": None, "note": "", "resulted_at": None,
                        "previous_values": []}


class LabOrderSerializer(serializers.ModelSerializer):
    """A lab order with its items; a patient sees no value before the order is released."""

    patient = LabPatientSerializer(read_only=True)
    ordered_by = PersonRefSerializer(source="ordered_by.user", read_only=True)
    admission = serializers.UUIDField(source="admission_id", read_only=True, allow_null=True)
    items = LabOrderItemSerializer(many=True, read_only=True)
    events = LabOrderEventSerializer(many=True, read_only=True)

    class Meta:
        model = LabOrder
        fields = ["id", "patient", "ordered_by", "admission", "priority", "status", "note",
                  "items", "ordered_at", "collected_at", "resulted_at", "released_at",
                  "cancel_reason", "events"]
        read_only_fields = fields

    def to_representation(self, order):
        data = super().to_representation(order)
        # Fail closed: without a known staff viewer, unreleased values stay hidden.
        viewer = self.context.get("viewer")
        if (viewer is None or viewer.role == User.Role.PATIENT) and not order.is_released:
            for item in data["items"]:
                item.update(HIDDEN_UNTIL_RELEASE)
            # Who entered results, and when, would tell that values exist.
            data["events"] = [event for event in data["events"]
                              if event["action"] in ("order", "collect", "cancel")]
        return data


@extend_schema_field(OpenApiTypes.UUID)
class TreatedPatientField(serializers.PrimaryKeyRelatedField):
    """A patient the calling doctor treats; any other id reads as unknown (no leak)."""

    default_error_messages = {"does_not_exist": 'No approved, active patient with id "{pk_value}".'}

    def get_queryset(self):
        return patients_visible_to(self.context["request"].user).filter(
            user__is_active=True, user__approval_status=User.ApprovalStatus.APPROVED
        )


@extend_schema_field(OpenApiTypes.UUID)
class VisibleAdmissionField(serializers.PrimaryKeyRelatedField):
    default_error_messages = {"does_not_exist": 'No admission with id "{pk_value}".'}

    def get_queryset(self):
        return admissions_visible_to(self.context["request"].user)


class LabOrderCreateSerializer(serializers.Serializer):
    patient = TreatedPatientField(help_text="A patient the calling doctor treats.")
    tests = serializers.ListField(
        child=serializers.CharField(max_length=32), min_length=1, max_length=30,
        help_text="Codes of active catalog tests, e.g. `[\"hemoglobin\", \"sodium\"]`.",
    )
    priority = serializers.ChoiceField(
        choices=LabOrder.Priority.choices, default=LabOrder.Priority.ROUTINE
    )
    admission = VisibleAdmissionField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")

    def validate_tests(self, codes):
        if len(set(codes)) != len(codes):
            raise serializers.ValidationError("A test is named twice.")
        found = {test.code: test for test in LabTest.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise serializers.ValidationError(f"Unknown tests: {', '.join(unknown)}.")
        inactive = [code for code in codes if not found[code].active]
        if inactive:
            raise serializers.ValidationError(f"Not orderable (inactive): {', '.join(inactive)}.")
        return [found[code] for code in codes]


class LabResultEntrySerializer(serializers.Serializer):
    item = serializers.UUIDField(help_text="An item id of this order.")
    value = serializers.DecimalField(
        max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES, min_value=0,
        help_text="A finite, non-negative decimal with at most 4 decimal places.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class LabOrderResultsSerializer(serializers.Serializer):
    results = LabResultEntrySerializer(many=True, min_length=1, max_length=100)


class LabOrderCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
