"""Who may call each laboratory action: the roles come from the services' transition table."""

from hospital.permissions import ADMIN, ANY_ROLE
from laboratory.services import LAB, may_act, roles_allowed

# Every approved user reads the catalog and the lab orders in their scope.
READERS = frozenset({*ANY_ROLE, LAB})

LAB_TEST_ROLE_MAP = {
    "list": READERS, "retrieve": READERS, "create": {ADMIN}, "partial_update": {ADMIN},
}

# API action → the transition-table action it performs.
WRITE_ACTIONS = {
    "create": "order",
    "collect": "collect",
    "results": "results",
    "release": "release",
    "cancel": "cancel",
}

LAB_ORDER_ROLE_MAP = {
    "list": READERS,
    "retrieve": READERS,
    **{name: roles_allowed(action) for name, action in WRITE_ACTIONS.items()},
}

# Besides the role, a doctor must be the one who placed the order.
LAB_ORDER_OBJECT_RULES = {name: may_act for name in WRITE_ACTIONS if name != "create"}
