"""Base viewsets shared by the apps."""

from rest_framework import viewsets
from rest_framework.permissions import IsAuthenticated

from hospital.permissions import IsAdminRole, IsApproved, RoleMapPermission


class RoleMapViewSet(viewsets.GenericViewSet):
    """A viewset whose `role_map` names the roles allowed per action; anything else is denied."""

    permission_classes = [IsAuthenticated, IsApproved, RoleMapPermission]
    lookup_value_converter = "uuid"
    role_map: dict = {}
    object_rules: dict = {}


class AdminOnlyViewSet(viewsets.GenericViewSet):
    """Base of every viewset on the admin-only router: approved admins, nobody else."""

    permission_classes = [IsAuthenticated, IsApproved, IsAdminRole]
    lookup_value_converter = "uuid"
