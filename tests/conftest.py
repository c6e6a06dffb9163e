"""Personas for every test: an admin, doctors and patients, and outsiders of each."""

from importlib import import_module

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from accounts.tokens import SessionRefreshToken as RefreshToken
from tests.factories.accounts import (
    AdminFactory,
    DoctorProfileFactory,
    LabTechnicianFactory,
    NurseFactory,
    PatientProfileFactory,
    department,
)


@pytest.fixture(autouse=True)
def _departments_after_flush(request):
    """A transactional test flushes the database on exit; the next one reloads the departments."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        from django.apps import apps

        import_module("accounts.migrations.0002_initial_departments").load(apps, None)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Throttle counters live in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


# The clients ask for `db` so that pytest-django orders every API test with the database tests,
# before the transactional ones whose flush removes the departments a data migration loads.
@pytest.fixture
def anon(db):
    return APIClient()


def client_for(user: User) -> APIClient:
    """An API client carrying a real access token of `user`."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    client.user = user
    return client


@pytest.fixture
def api(db):
    """`api(user)` gives a client authenticated as that user."""
    return client_for


@pytest.fixture
def admin_user(db):
    return AdminFactory(username="alice_admin", first_name="Alice", last_name="Admin")


@pytest.fixture
def staff_client(admin_user):
    """A Django admin session of `admin_user` (staff superuser)."""
    admin_user.is_staff = True
    admin_user.is_superuser = True
    admin_user.save()
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.fixture
def doctor(db):
    """Approved doctor (profile) in Cardiology."""
    return DoctorProfileFactory(user__username="bob_doctor", user__first_name="Bob",
                                user__last_name="Heart")


@pytest.fixture
def other_doctor(db):
    """Approved doctor in Dermatology, sharing no patient with `doctor`."""
    return DoctorProfileFactory(user__username="dora_doctor", user__first_name="Dora",
                                user__last_name="Skin", department=department("DL"),
                                specialty="Dermatology")


@pytest.fixture
def patient(db):
    """Approved patient (profile)."""
    return PatientProfileFactory(user__username="carol_patient", user__first_name="Carol",
                                 user__last_name="Case")


@pytest.fixture
def other_patient(db):
    return PatientProfileFactory(user__username="dave_patient", user__first_name="Dave",
                                 user__last_name="Other")


@pytest.fixture
def nurse(db):
    """Approved nurse in Cardiology, the department of `doctor`."""
    return NurseFactory(user__username="nora_nurse", user__first_name="Nora",
                        user__last_name="Ward")


@pytest.fixture
def other_nurse(db):
    """Approved nurse in Dermatology, the department of `other_doctor`."""
    return NurseFactory(user__username="olga_nurse", user__first_name="Olga",
                        user__last_name="Ward", department=department("DL"))


@pytest.fixture
def lab(db):
    """Approved laboratory technician."""
    return LabTechnicianFactory(user__username="larry_lab", user__first_name="Larry",
                                user__last_name="Bench")


@pytest.fixture
def pending_doctor(db):
    return DoctorProfileFactory(user__approval_status=User.ApprovalStatus.PENDING,
                                user__approved_at=None)


@pytest.fixture
def pending_patient(db):
    return PatientProfileFactory(user__approval_status=User.ApprovalStatus.PENDING,
                                 user__approved_at=None)


@pytest.fixture
def rejected_patient(db):
    return PatientProfileFactory(user__approval_status=User.ApprovalStatus.REJECTED,
                                 user__rejection_reason="Duplicate account")


def pytest_collection_modifyitems(config, items):
    """Skip tests marked `postgres_only` (row locks, races) unless the database is PostgreSQL."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)
