"""A cache outage costs no sign-in, registration or booking; health reports it as 503."""

import socket

import pytest

from appointments.models import Appointment
from tests.factories.accounts import PASSWORD
from tests.factories.appointments import future_slot, working_every_day

pytestmark = pytest.mark.django_db


def _dead_port() -> int:
    """A loopback port nobody listens on (bound, then closed)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_dead_port()}/7",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
        "fallback": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                     "LOCATION": "hospital_cache_fallback"},
    }


def test_sign_in_answers_200_with_redis_down(redis_down, anon, patient):
    response = anon.post("/api/token/", {"username": patient.user.username, "password": PASSWORD})

    assert response.status_code == 200
    assert set(response.json()) == {"access", "refresh"}


def test_the_throttle_keeps_its_limit_in_the_database_cache(redis_down, anon, patient, settings):
    settings.AUTH_THROTTLE_RATE = "2/min"
    body = {"username": patient.user.username, "password": "wrong"}

    statuses = [anon.post("/api/token/", body).status_code for _ in range(3)]

    assert statuses == [401, 401, 429]


def test_registration_works_with_redis_down(redis_down, anon):
    body = {
        "username": "outage_patient", "email": "outage@example.org", "password": "Very-secret-42",
        "password2": "Very-secret-42", "first_name": "Nia", "last_name": "Obi", "role": "patient",
        "profile": {"date_of_birth": "1992-04-01", "sex": "female", "address": "Ikeja",
                    "mobile": "+2348"},
    }

    assert anon.post("/api/register/", body).status_code == 201


def test_booking_works_with_redis_down(redis_down, api, patient, doctor):
    working_every_day(doctor)
    body = {"doctor": str(doctor.pk), "start": future_slot(days=1, hour=9).isoformat(),
            "reason": "Chest pain"}

    response = api(patient.user).post("/api/appointments/", body, HTTP_IDEMPOTENCY_KEY="b1")

    assert response.status_code == 201, response.content
    assert Appointment.objects.filter(patient=patient).count() == 1


def test_health_is_503_naming_the_cache_with_redis_down(redis_down, anon):
    response = anon.get("/api/health/")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "unreachable"}
