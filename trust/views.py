"""The audit trail over HTTP: the admins' query and a patient's own access log."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_view
from rest_framework import mixins
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated

from hospital.permissions import IsApproved
from hospital.schema_docs import documented
from hospital.viewsets import AdminOnlyViewSet
from trust import selectors
from trust.filters import AuditEventFilterSet
from trust.permissions import IsPatientRole
from trust.serializers import AccessLogEntrySerializer, AuditEventSerializer


@extend_schema_view(
    list=documented(
        "Query the audit trail", who="admins.",
        does="Append-only events, newest first; filters `actor`, `patient`, `action`, `date_from`, "
             "`date_to` (local dates).",
    ),
    retrieve=documented("Read an audit event", who="admins.", errors="404 for an unknown id."),
)
class AuditEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, AdminOnlyViewSet):
    """Every recorded access to patient data, newest first; read-only (admins)."""

    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
    filter_backends = [DjangoFilterBackend]

    def get_queryset(self):
        return selectors.audit_events_list()


@extend_schema_view(get=documented(
    "Who accessed my data", who="patients (their own log only).",
    does="Each read or change of the caller's data: when, who (`full_name`, `role`), the action "
         "and the kind of record; newest first.",
    errors="403 for doctors and admins.",
))
class AccessLogView(ListAPIView):
    """Who read or changed the calling patient's data, newest first (patients only)."""

    serializer_class = AccessLogEntrySerializer
    permission_classes = [IsAuthenticated, IsApproved, IsPatientRole]
    filter_backends = []

    def get_queryset(self):
        return selectors.access_log_of(self.request.user)
