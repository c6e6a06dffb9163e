"""Imports run one way: ground apps never import the apps above them."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Each app with the level it sits on; an app may import only apps on its level or below.
LEVELS = {
    "trust": 0, "accounts": 0,
    "appointments": 1, "clinical": 1, "laboratory": 1,
    "billing": 2, "interop": 2,
}

# Upward imports still in the data layer, each a deliberate, lazy call (not a route): the doctor's
# patient scope reads appointments and admissions, deactivating a doctor cancels their visits,
# and a patient's history shows each admission's billed costs. Nothing may be added here.
KNOWN_UPWARD = {
    "accounts": {"accounts/selectors.py imports appointments", "accounts/selectors.py imports clinical",
                 "accounts/services.py imports appointments"},
    "clinical": {"clinical/selectors.py imports billing"},
}


def imported_apps(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names & set(LEVELS)


@pytest.mark.parametrize("app", [app for app in LEVELS if (ROOT / app).is_dir()])
def test_an_app_imports_nothing_above_its_level(app):
    upward = {
        f"{path.relative_to(ROOT)} imports {other}"
        for path in (ROOT / app).rglob("*.py")
        for other in imported_apps(path)
        if LEVELS[other] > LEVELS[app]
    }
    assert upward == KNOWN_UPWARD.get(app, set()), sorted(upward)


def test_views_and_commands_of_ground_apps_import_only_the_ground():
    """Routes and commands are owned by the app whose data they serve: none reach upwards."""
    for app in ("accounts", "trust"):
        for path in [ROOT / app / "views.py", *(ROOT / app / "management").rglob("*.py")]:
            if path.exists():
                assert imported_apps(path) <= {"accounts", "trust"}, path
