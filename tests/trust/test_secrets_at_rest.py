"""Nothing secret at rest: after every credential route, sent with an `Idempotency-Key`, no
table holds a token, a password, or an unsalted hash of either."""

import hashlib

import pytest
from django.db import connection

from accounts.tokens import SessionRefreshToken
from tests.factories.accounts import PASSWORD
from trust.idempotency import request_fingerprint
from trust.models import IdempotencyRecord

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "An0ther-long-phrase!"
REGISTER = {
    "username": "fresh_patient", "email": "fresh@example.org", "password": "Very-secret-42",
    "password2": "Very-secret-42", "first_name": "Nia", "last_name": "Obi", "role": "patient",
    "profile": {"date_of_birth": "1992-04-01", "sex": "female", "address": "Ikeja",
                "mobile": "+2348"},
}


def _hashes(secret: str) -> set[str]:
    data = secret.encode()
    return {secret} | {getattr(hashlib, name)(data).hexdigest() for name in ("md5", "sha1", "sha256")}


def _database_text() -> str:
    """Every value of every table (the cache tables too), as text."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        value = bytes(value).decode("utf-8", "replace")
                    parts.append(str(value))
    return "\n".join(parts)


def test_no_token_password_or_bare_hash_is_stored_by_any_credential_route(api, anon, patient):
    client = api(patient.user)
    secrets_seen = {PASSWORD, NEW_PASSWORD, REGISTER["password"]}
    key = iter(f"key-{n}" for n in range(100))

    signed_in = client.post("/api/token/", {"username": patient.user.username, "password": PASSWORD},
                            HTTP_IDEMPOTENCY_KEY=next(key))
    assert signed_in.status_code == 200
    pair = signed_in.json()
    refreshed = client.post("/api/token/refresh/", {"refresh": pair["refresh"]},
                            HTTP_IDEMPOTENCY_KEY=next(key))
    assert refreshed.status_code == 200
    replayed = client.post("/api/token/refresh/", {"refresh": pair["refresh"]},
                           HTTP_IDEMPOTENCY_KEY="key-1")
    assert replayed.status_code == 401  # run again, never replayed: the old token is blacklisted
    registered = client.post("/api/register/", REGISTER, HTTP_IDEMPOTENCY_KEY=next(key))
    assert registered.status_code == 201
    changed = client.post("/api/me/password/", {"old_password": PASSWORD,
                                                "new_password": NEW_PASSWORD},
                          HTTP_IDEMPOTENCY_KEY=next(key))
    assert changed.status_code == 204
    second = anon.post("/api/token/", {"username": patient.user.username, "password": NEW_PASSWORD})
    own = api(patient.user)
    logged_out = own.post("/api/token/blacklist/", {"refresh": second.json()["refresh"]},
                          HTTP_IDEMPOTENCY_KEY=next(key))
    assert logged_out.status_code == 200
    assert own.get("/api/me/").status_code == 401  # its access token ended with the logout
    assert api(patient.user).post("/api/me/logout-all/",
                                  HTTP_IDEMPOTENCY_KEY=next(key)).status_code == 204

    for token in (*pair.values(), *refreshed.json().values(), *second.json().values()):
        secrets_seen.add(token)
        secrets_seen.add(token.rsplit(".", 1)[1])  # the signature alone
    stored = _database_text()
    leaked = [secret for value in secrets_seen for secret in _hashes(value) if secret in stored]
    assert leaked == []
    assert not IdempotencyRecord.objects.exists()


def test_outstanding_tokens_keep_the_jti_only(patient):
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

    token = SessionRefreshToken.for_user(patient.user)
    token.blacklist()

    row = OutstandingToken.objects.get(jti=token["jti"])
    assert row.token == "" and row.blacklistedtoken


def test_fingerprints_are_keyed_by_the_secret_key(settings):
    body = b'{"password": "hunter2"}'
    first = request_fingerprint(method="POST", path="/api/x/", body=body)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    second = request_fingerprint(method="POST", path="/api/x/", body=body)

    assert first != second
    assert hashlib.sha256(body).hexdigest() not in (first, second)


def test_other_posts_are_still_replayed(api, admin_user):
    client = api(admin_user)
    body = {"code": "NEU", "name": "Neurology"}

    first = client.post("/api/departments/", body, HTTP_IDEMPOTENCY_KEY="dept")
    again = client.post("/api/departments/", body, HTTP_IDEMPOTENCY_KEY="dept")

    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
