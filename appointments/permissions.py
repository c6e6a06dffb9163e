"""Who may call each appointment action: the roles come from the services' transition table."""

from appointments.services import is_party, roles_allowed
from hospital.permissions import ANY_ROLE

# API action → the transition-table action it performs.
WRITE_ACTIONS = {
    "create": "request",
    "partial_update": "update",
    "confirm": "confirm",
    "cancel": "cancel",
    "complete": "complete",
    "no_show": "no_show",
}

APPOINTMENT_ROLE_MAP = {
    "list": ANY_ROLE,
    "retrieve": ANY_ROLE,
    **{name: roles_allowed(action) for name, action in WRITE_ACTIONS.items()},
}

# Besides the role, a doctor or patient must be the appointment's own.
APPOINTMENT_OBJECT_RULES = {name: is_party for name in WRITE_ACTIONS if name != "create"}
