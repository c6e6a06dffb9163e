"""Permissions of the trust endpoints."""

from rest_framework.permissions import BasePermission

from hospital.permissions import PATIENT


class IsPatientRole(BasePermission):
    """Allow only patients."""

    message = "Only patients have an access log."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.role == PATIENT)
