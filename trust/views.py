"""The audit trail over HTTP: the admins' query and a patient's own access log."""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated

from hospital.permissions import IsApproved
from hospital.viewsets import AdminOnlyViewSet
from trust import selectors
from trust.filters import AuditEventFilterSet
from trust.permissions import IsPatientRole
from trust.serializers import AccessLogEntrySerializer, AuditEventSerializer


class AuditEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, AdminOnlyViewSet):
    """Every recorded access to patient data, newest first; read-only (admins)."""

    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return selectors.audit_events_list()


class AccessLogView(ListAPIView):
    """Who read or changed the calling patient's data, newest first (patients only)."""

    serializer_class = AccessLogEntrySerializer
    permission_classes = [IsAuthenticated, IsApproved, IsPatientRole]
    filter_backends = []

    def get_queryset(self):
        return selectors.access_log_of(self.request.user)
