"""Default-deny permissions: approved users only, then a role table per viewset."""

from rest_framework.permissions import BasePermission

from accounts.models import User

ADMIN = User.Role.ADMIN
DOCTOR = User.Role.DOCTOR
PATIENT = User.Role.PATIENT
NURSE = User.Role.NURSE
LAB = User.Role.LAB
# The three roles of version 1. Nurses and lab technicians are deliberately not in it: a table
# written with ANY_ROLE keeps denying them until someone names them for that action.
ANY_ROLE = frozenset({ADMIN, DOCTOR, PATIENT})
# Every role: for what the contract opens to "any approved user" (departments, the doctor list).
EVERY_ROLE = ANY_ROLE | {NURSE, LAB}


class IsApproved(BasePermission):
    """Allow only active users whose account an admin approved."""

    message = "Your account is not approved."

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.is_approved)


class IsAdminRole(BasePermission):
    """Allow only approved admins."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.role == ADMIN)


class RoleMapPermission(BasePermission):
    """Allow an action only to the roles named in `view.role_map`; unlisted actions are denied.

    On detail routes the role check waits for `get_object()`, so that an object outside the
    caller's scope answers 404 before any 403. `view.object_rules` may add a per-object
    predicate `(user, obj) -> bool` for an action (e.g. "the doctor self").
    """

    message = "You do not have permission to perform this action."

    def _role_allowed(self, request, view) -> bool:
        roles = getattr(view, "role_map", {}).get(getattr(view, "action", None))
        return roles is not None and request.user.role in roles

    def has_permission(self, request, view):
        lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", "pk")
        if lookup in view.kwargs:
            return True
        return self._role_allowed(request, view)

    def has_object_permission(self, request, view, obj):
        if not self._role_allowed(request, view):
            return False
        rule = getattr(view, "object_rules", {}).get(view.action)
        return rule is None or bool(rule(request.user, obj))
