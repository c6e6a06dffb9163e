"""The caller's own notifications: `/api/me/notifications/`."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.response import Response

from hospital.permissions import EVERY_ROLE
from hospital.viewsets import RoleMapViewSet
from notifications import selectors, services
from notifications.serializers import NotificationSerializer
from trust.audit import AuditedViewSetMixin


@extend_schema_view(
    list=extend_schema(
        summary="List my notifications",
        description=(
            "What the hospital sent the calling user, newest first, with each message's "
            "delivery status (`queued`, `sent`, `failed`) and when it was read. Any approved "
            "user; each sees only their own. 401 without a token, 403 for an unapproved account."
        ),
    ),
)
class NotificationViewSet(AuditedViewSetMixin, mixins.ListModelMixin, RoleMapViewSet):
    """The caller's notifications; any approved user, own rows only."""

    serializer_class = NotificationSerializer
    filter_backends = []
    audit_object_type = "notification"
    role_map = {"list": EVERY_ROLE, "read": EVERY_ROLE}

    def get_queryset(self):
        return selectors.notifications_of(self.request.user)

    def audit_patient_id(self, obj):
        # A message to a patient concerns that patient (their appointments, their results).
        return obj.user_id if self.request.user.is_patient else None

    @extend_schema(
        summary="Mark a notification read",
        description=(
            "Marks one of the caller's notifications read (the first time is kept). Any "
            "approved user, own notifications only: another user's id answers 404 like a "
            "missing one."
        ),
        request=None,
        responses={200: NotificationSerializer},
    )
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = services.notification_mark_read(notification=self.get_object())
        return Response(self.get_serializer(notification).data)
