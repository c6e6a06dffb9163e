"""Output shapes of the audit trail: the admins' full view and a patient's access log."""

from rest_framework import serializers

from accounts.models import User
from trust.models import AuditEvent


class AuditActorSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "role"]


class AuditEventSerializer(serializers.ModelSerializer):
    actor = AuditActorSerializer(read_only=True, allow_null=True)
    patient = serializers.UUIDField(source="patient_id", read_only=True, allow_null=True)

    class Meta:
        model = AuditEvent
        fields = ["id", "at", "actor", "action", "object_type", "object_id", "patient", "ip",
                  "request_id"]
        read_only_fields = fields


class AccessLogActorSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = User
        fields = ["full_name", "role"]


class AccessLogEntrySerializer(serializers.ModelSerializer):
    actor = AccessLogActorSerializer(read_only=True, allow_null=True)

    class Meta:
        model = AuditEvent
        fields = ["at", "actor", "action", "object_type"]
        read_only_fields = fields
