"""Notification output."""

from rest_framework import serializers

from notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    """A message the hospital sent the user, with its delivery status."""

    class Meta:
        model = Notification
        fields = ["id", "kind", "subject", "body", "channel", "created_at", "sent_at",
                  "status", "read_at"]
        read_only_fields = fields
