"""A database that refuses or hangs answers 503 `database_unavailable` quickly, then recovers.

Each probe runs the real settings in a fresh process (so the connect, statement and lock
timeouts of `hospital/settings.py` apply) and calls the WSGI app through Django's test client.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, os, sys, time, uuid
os.environ["DJANGO_SETTINGS_MODULE"] = "hospital.settings"
import django
django.setup()
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken
token = AccessToken()
token["user_id"] = sys.argv[1] if len(sys.argv) > 1 else str(uuid.uuid4())
auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
client = Client(raise_request_exception=False)
calls = [("get", "/api/health/live/", {}), ("get", "/api/health/", {}),
         ("get", "/api/me/", auth), ("get", "/api/patients/", auth),
         ("post", "/api/token/", {"data": {"username": "a", "password": "b"},
                                  "content_type": "application/json"}),
         ("post", "/api/register/", {"data": {"username": "a"},
                                     "content_type": "application/json"})]
out = []
for method, path, extra in calls:
    started = time.monotonic()
    response = getattr(client, method)(path, **extra)
    body = response.json() if response["Content-Type"].startswith("application/json") else None
    out.append({"path": path, "status": response.status_code, "body": body,
                "retry_after": response.get("Retry-After"),
                "seconds": round(time.monotonic() - started, 2)})
    if "--once" in sys.argv:
        break
print(json.dumps(out))
"""


def probe(database_url: str, *args: str, **env) -> list[dict]:
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    clean.update(DJANGO_SECRET_KEY="outage-probe-secret-key-" + "x" * 40,
                 DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_ALLOWED_HOSTS="testserver",
                 DATABASE_URL=database_url, **env)
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True,
                            env=clean, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def assert_unavailable(answer: dict) -> None:
    assert answer["status"] == 503, answer
    assert answer["body"]["code"] == "database_unavailable", answer
    assert answer["body"]["detail"], answer
    assert answer["retry_after"] == "5", answer
    assert answer["seconds"] < 10, answer


def test_a_database_refusing_connections_answers_503_on_every_route():
    # Nobody listens on this port: every connection attempt is refused at once.
    answers = probe("postgres://postgres@127.0.0.1:18599/nothing_here")

    live, *others = answers
    assert (live["status"], live["body"]) == (200, {"status": "ok"})
    health = others[0]
    assert_unavailable(health)
    assert (health["body"]["status"], health["body"]["database"]) == ("unavailable", "unreachable")
    for answer in others:
        assert_unavailable(answer)


def test_an_unreachable_database_host_answers_503_within_the_connect_timeout():
    # A non-routable address: the SYN goes unanswered, as with a partitioned database.
    answers = probe("postgres://postgres@10.255.255.1:5432/nothing_here", "--once",
                    DATABASE_CONNECT_TIMEOUT="2")

    assert answers[0]["status"] == 200  # /api/health/live/ touches no dependency
    answers = probe("postgres://postgres@10.255.255.1:5432/nothing_here",
                    DATABASE_CONNECT_TIMEOUT="2")
    for answer in answers[1:]:
        assert_unavailable(answer)


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a second PostgreSQL session")
@pytest.mark.django_db(transaction=True)
def test_a_table_locked_by_another_session_answers_503_quickly_then_recovers(patient):
    settings_dict = connection.settings_dict
    url = (f"postgres://{settings_dict['USER']}@{settings_dict['HOST'] or '127.0.0.1'}:"
           f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}")
    locker = psycopg.connect(url)
    try:
        locker.execute("LOCK TABLE accounts_user IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        answers = probe(url, str(patient.user_id), DATABASE_STATEMENT_TIMEOUT_MS="1500")
        elapsed = time.monotonic() - started
    finally:
        locker.rollback()
        locker.close()

    by_path = {answer["path"]: answer for answer in answers}
    assert by_path["/api/health/live/"]["status"] == 200
    assert by_path["/api/health/"]["status"] == 200  # SELECT 1 needs no table
    for path in ("/api/me/", "/api/patients/", "/api/token/", "/api/register/"):
        assert_unavailable(by_path[path])
        assert by_path[path]["seconds"] < 4, by_path[path]
    assert elapsed < 60
    # The lock is gone: the same settings answer normally again.
    recovered = probe(url, str(patient.user_id))
    assert {a["path"]: a["status"] for a in recovered}["/api/me/"] == 200


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_statement_past_the_timeout_is_cancelled_and_answers_503(api, patient, monkeypatch):
    from hospital import views

    client = api(patient.user)
    real_cursor = views.connection.cursor

    def sleeping_cursor():
        cursor = real_cursor()
        cursor.execute("SET statement_timeout = 500")
        original = cursor.execute
        cursor.execute = lambda sql, params=None: original("SELECT pg_sleep(30)")
        return cursor

    monkeypatch.setattr(views.connection, "cursor", sleeping_cursor)
    started = time.monotonic()
    response = client.get("/api/health/")

    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response.json()["code"] == "database_unavailable"
    assert response["Retry-After"] == "5"


def test_the_default_cache_is_the_database_cache_shared_by_every_worker():
    code = ("import os; os.environ['DJANGO_SETTINGS_MODULE']='hospital.settings';"
            "from django.conf import settings as s; print(s.CACHES['default']['BACKEND'],"
            " s.CACHES['default']['LOCATION'])")
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
    env["DJANGO_SECRET_KEY"] = "x" * 50
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                            cwd=ROOT, timeout=60)

    assert result.stdout.split() == ["django.core.cache.backends.db.DatabaseCache", "hospital_cache"]


DB_CACHE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                        "LOCATION": "hospital_cache"}}


@pytest.mark.django_db(transaction=True)
def test_the_sign_in_throttle_counts_in_the_database_so_all_workers_share_it(anon, settings):
    with override_settings(CACHES=DB_CACHE):
        call_command("createcachetable", verbosity=0)
        caches["default"].clear()
        settings.AUTH_THROTTLE_RATE = "3/min"
        try:
            statuses = [anon.post("/api/token/", {"username": "x", "password": "y"}).status_code
                        for _ in range(4)]
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM hospital_cache")
                rows = cursor.fetchone()[0]
        finally:
            caches["default"].clear()

    assert statuses == [401, 401, 401, 429]
    assert rows >= 1  # the counter is a row every worker process reads
