"""Hardening: throttled sign-in, security headers, CORS, body size, no secrets in logs or errors."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from accounts.models import User
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_token_is_throttled_per_ip_with_retry_after(anon, patient, settings):
    settings.AUTH_THROTTLE_RATE = "3/min"
    body = {"username": patient.user.username, "password": "wrong"}

    statuses = [anon.post("/api/token/", body).status_code for _ in range(4)]
    blocked = anon.post("/api/token/", {"username": patient.user.username, "password": PASSWORD})
    # Another username too: the same one is also throttled per username, whatever the IP.
    other_ip = anon.post("/api/token/", {"username": "someone-else", "password": "wrong"},
                         REMOTE_ADDR="10.9.9.9")

    assert statuses == [401, 401, 401, 429]
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert blocked.json()["code"] == "throttled"
    assert other_ip.status_code == 401


def test_a_forged_forwarded_for_does_not_dodge_the_throttle(anon, db, settings):
    settings.AUTH_THROTTLE_RATE = "2/min"

    statuses = [
        anon.post("/api/token/", {"username": "x", "password": "y"},
                  HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
        for n in range(3)
    ]

    assert statuses == [401, 401, 429]


@pytest.mark.parametrize("path", ["/api/health/", "/api/me/", "/api/token/"])
def test_security_headers(anon, db, path):
    response = anon.get(path)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@override_settings(CORS_ALLOWED_ORIGINS=["https://app.hospital.example"])
def test_cors_allows_only_the_configured_origins(anon, db):
    allowed = anon.get("/api/health/", HTTP_ORIGIN="https://app.hospital.example")
    refused = anon.get("/api/health/", HTTP_ORIGIN="https://evil.example")
    preflight = anon.options("/api/appointments/", HTTP_ORIGIN="https://app.hospital.example",
                             HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
                             HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization,idempotency-key")
    refused_preflight = anon.options("/api/appointments/", HTTP_ORIGIN="https://evil.example",
                                     HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")

    assert allowed["Access-Control-Allow-Origin"] == "https://app.hospital.example"
    assert "Access-Control-Allow-Origin" not in refused
    assert preflight["Access-Control-Allow-Origin"] == "https://app.hospital.example"
    assert "idempotency-key" in preflight["Access-Control-Allow-Headers"]
    assert "Idempotent-Replayed" in allowed["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Origin" not in refused_preflight


def big_json(size: int) -> str:
    return json.dumps({"username": "x" * size})


@pytest.mark.parametrize("authenticated", [False, True])
def test_a_body_over_one_mib_is_413(anon, api, admin_user, authenticated):
    client = api(admin_user) if authenticated else anon

    response = client.post("/api/patients/" if authenticated else "/api/register/",
                           big_json(1024 * 1024 + 1), content_type="application/json",
                           HTTP_IDEMPOTENCY_KEY="k")

    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert not User.objects.exclude(pk=admin_user.pk).exists()


def test_a_body_under_the_limit_reaches_the_view(anon):
    response = anon.post("/api/register/", big_json(900 * 1024), content_type="application/json")

    assert response.status_code == 400
    assert "username" in response.json()


def test_a_malformed_content_length_is_400(anon):
    response = anon.post("/api/register/", "{}", content_type="application/json",
                         CONTENT_LENGTH="lots")

    assert response.status_code == 400


@pytest.fixture
def sql_logging():
    """Log every SQL statement, as a debugging developer would; secrets must still stay out."""
    connection.force_debug_cursor = True
    yield
    connection.force_debug_cursor = False


def test_no_password_or_token_reaches_a_log_line_or_an_error_body(anon, api, patient, caplog,
                                                                  sql_logging):
    caplog.set_level(logging.DEBUG)
    secrets = {PASSWORD, "Wr0ng-guess-123", "N3w-secret-phrase!", "Regist3r-secret!"}
    errors = []

    def post(client, path, body):
        response = client.post(path, body)
        if response.status_code >= 400:
            errors.append(response.content.decode())
        return response

    username = patient.user.username
    post(anon, "/api/token/", {"username": username, "password": "Wr0ng-guess-123"})
    pair = post(anon, "/api/token/", {"username": username, "password": PASSWORD}).json()
    secrets |= {pair["access"], pair["refresh"]}
    rotated = post(anon, "/api/token/refresh/", {"refresh": pair["refresh"]}).json()
    secrets |= {rotated["access"], rotated["refresh"]}
    post(anon, "/api/token/refresh/", {"refresh": pair["refresh"]})  # blacklisted now
    post(anon, "/api/token/refresh/", {"refresh": pair["refresh"][:-4] + "abcd"})
    post(anon, "/api/register/", {"username": "n", "password": "Regist3r-secret!",
                                  "password2": "Regist3r-secret!x"})
    post(anon, "/api/register/", {
        "username": "newbie", "email": "n@example.org", "password": "Regist3r-secret!",
        "password2": "Regist3r-secret!", "first_name": "N", "last_name": "B", "role": "patient",
        "profile": {"date_of_birth": "1990-01-01", "sex": "male", "address": "a", "mobile": "1"}})
    client = api(patient.user)
    post(client, "/api/me/password/", {"old_password": "Wr0ng-guess-123",
                                       "new_password": "N3w-secret-phrase!"})
    post(client, "/api/me/password/", {"old_password": PASSWORD, "new_password": "N3w-secret-phrase!"})
    post(anon, "/api/token/blacklist/", {"refresh": rotated["refresh"]})

    assert User.objects.filter(username="newbie").exists()
    assert len(errors) >= 5
    logged = caplog.text
    assert "Unauthorized: /api/token/" in logged
    for secret in secrets:
        assert secret not in logged
        assert all(secret not in body for body in errors)


def test_a_server_error_echoes_nothing_of_the_request(anon, db, caplog, monkeypatch):
    def explode(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr("accounts.services.account_register", explode)
    anon.raise_request_exception = False
    caplog.set_level(logging.DEBUG)
    body = {"username": "newbie", "email": "n@example.org", "password": "Regist3r-secret!",
            "password2": "Regist3r-secret!", "first_name": "N", "last_name": "B",
            "role": "patient", "profile": {"date_of_birth": "1990-01-01", "sex": "male",
                                           "address": "a", "mobile": "1"}}

    response = anon.post("/api/register/", body, HTTP_X_REQUEST_ID="trace-500")

    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error.", "code": "server_error"}
    assert response["X-Request-ID"] == "trace-500"
    assert "Regist3r-secret!" not in caplog.text
    assert "n@example.org" not in caplog.text


def test_an_unknown_api_path_is_a_json_404(anon, db):
    response = anon.get("/api/no-such-thing/")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_production_settings_pass_the_deploy_check():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="hospital.example.org",
               DJANGO_SECRET_KEY="a-long-random-production-secret-" + "Zq8#Lm2!Pw9$" * 4)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
