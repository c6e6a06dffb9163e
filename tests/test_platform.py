"""Platform: the admin router's guard, settings, createsuperuser, seed_demo."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from accounts.models import User
from hospital.api_router import admin_router
from hospital.permissions import IsAdminRole
from hospital.viewsets import AdminOnlyViewSet


def test_every_admin_router_viewset_is_admin_only():
    assert admin_router.registry, "the admin router registers nothing"
    for prefix, viewset, _ in admin_router.registry:
        assert issubclass(viewset, AdminOnlyViewSet), prefix
        assert IsAdminRole in viewset.permission_classes, prefix


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=clean,
                          cwd=os.path.dirname(os.path.dirname(__file__)), timeout=60)


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off():
    result = run_python("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='hospital.settings';"
                        "django.setup()")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_settings_read_the_environment():
    code = ("import os; os.environ['DJANGO_SETTINGS_MODULE']='hospital.settings';"
            "from django.conf import settings as s;"
            "print(s.TIME_ZONE, s.HOSPITAL_CURRENCY, s.ALLOWED_HOSTS, s.CORS_ALLOWED_ORIGINS,"
            " s.SIMPLE_JWT['ACCESS_TOKEN_LIFETIME'].seconds, s.DATABASES['default']['ENGINE'],"
            " s.CACHES['default']['BACKEND'].rsplit('.', 1)[-1])")
    result = run_python(code, DJANGO_SECRET_KEY="x" * 50, TIME_ZONE="Asia/Dhaka", HOSPITAL_CURRENCY="NGN",
                        DJANGO_ALLOWED_HOSTS="a.org,b.org", CORS_ALLOWED_ORIGINS="https://app.a.org",
                        JWT_ACCESS_MINUTES="5", DATABASE_URL="postgres://u@h:5432/d",
                        REDIS_URL="redis://127.0.0.1:6379/1")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "Asia/Dhaka", "NGN", "['a.org',", "'b.org']", "['https://app.a.org']", "300",
        "django.db.backends.postgresql", "RedisCache",
    ]


@pytest.mark.django_db
def test_createsuperuser_noinput_makes_an_approved_admin(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "root")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Root-pass-1234")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "root@example.org")

    call_command("createsuperuser", "--noinput", verbosity=0)

    root = User.objects.get(username="root")
    assert (root.role, root.approval_status, root.is_superuser) == ("admin", "approved", True)


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_logins(capsys, anon, settings):
    settings.DEBUG = True  # as `make run` does
    call_command("seed_demo")
    first = capsys.readouterr().out
    counts = {model.__name__: model.objects.count() for model in _all_models()}

    call_command("seed_demo")

    assert counts == {model.__name__: model.objects.count() for model in _all_models()}
    assert "admin" in first and "dr_heart" in first and "pat_amina" in first
    token = anon.post("/api/token/", {"username": "dr_heart", "password": "demo-pass-2026"}, format="json")
    assert token.status_code == 200
    pending = anon.post("/api/token/", {"username": "dr_pending", "password": "demo-pass-2026"},
                        format="json")
    assert pending.json()["code"] == "account_pending"


def _all_models():
    from django.apps import apps

    return [m for m in apps.get_models() if m._meta.app_label in
            {"accounts", "appointments", "clinical", "billing"}]


def test_health_is_public_and_answers_ok(anon, db):
    response = anon.get("/api/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
