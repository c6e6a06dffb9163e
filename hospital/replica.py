"""Read replica routing: the reads of list and detail endpoints go to `replica` when one is set.

Everything else stays on the primary (`default`): writes, reads inside a transaction (so
`select_for_update` and every service), the audit events a read writes, the per-request user
read (authentication reads `default` explicitly, so a revoked or deactivated account never
passes on a lagging replica), Django admin and the health check.

Read-your-writes: after a user's write, that user's reads stay on the primary for
`REPLICA_PIN_SECONDS`, tracked in the shared cache by user id (JWT clients keep no cookies).
A replica that is unreachable or lags more than `REPLICA_MAX_LAG_SECONDS` is skipped; a read
that fails on the replica is answered again from the primary, never as a 5xx.
"""

import contextlib
import contextvars
import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = "default"

# The alias this request's plain reads go to; unset outside a routed request.
_read_alias: contextvars.ContextVar[str] = contextvars.ContextVar("read_alias", default=PRIMARY)


@contextlib.contextmanager
def primary_reads():
    """Read from the primary inside this block, whatever the request's route."""
    token = _read_alias.set(PRIMARY)
    try:
        yield
    finally:
        _read_alias.reset(token)


def replica_configured() -> bool:
    return settings.REPLICA_ENABLED and REPLICA in settings.DATABASES


def pin_key(user_id) -> str:
    return f"replica-pin:{user_id}"


def pin_user(user_id) -> None:
    """Keep the user's reads on the primary for `REPLICA_PIN_SECONDS` after a write."""
    try:
        cache.set(pin_key(user_id), 1, timeout=settings.REPLICA_PIN_SECONDS)
    except Exception:  # noqa: BLE001 - a cache outage must not fail the write that succeeded
        logger.warning("replica pin not stored for user %s: cache unavailable", user_id)


def user_is_pinned(user_id) -> bool:
    try:
        return cache.get(pin_key(user_id)) is not None
    except Exception:  # noqa: BLE001 - without the cache, the safe answer is the primary
        return True


class ReplicaHealth:
    """Whether the replica answers and how far behind it is, checked at most every `interval` s."""

    LAG_SQL = (
        "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
        "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
    )

    def __init__(self, interval: float = 1.0):
        self.interval = interval
        self._lock = threading.Lock()
        self._checked_at = 0.0
        self._usable = False

    def mark_down(self) -> None:
        with self._lock:
            self._usable = False
            self._checked_at = time.monotonic()

    def usable(self) -> bool:
        now = time.monotonic()
        with self._lock:
            if now - self._checked_at < self.interval:
                return self._usable
            self._checked_at = now
        usable = self._probe()
        with self._lock:
            self._usable = usable
        return usable

    def _lag_seconds(self) -> float:
        """How far the replica's replay is behind what it has received (0 when caught up)."""
        connection = connections[REPLICA]
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                cursor.execute("SELECT 1")
                cursor.fetchone()
                return 0.0
            cursor.execute(self.LAG_SQL)
            return float(cursor.fetchone()[0] or 0)

    def _probe(self) -> bool:
        try:
            lag = self._lag_seconds()
        except DatabaseError:
            logger.warning("read replica unreachable; reads go to the primary")
            with contextlib.suppress(DatabaseError):
                connections[REPLICA].close()
            return False
        if lag > settings.REPLICA_MAX_LAG_SECONDS:
            logger.warning("read replica %.1f s behind; reads go to the primary", lag)
            return False
        return True


health = ReplicaHealth()


class ReplicaRouter:
    """Send plain reads of a routed request to the replica; everything else to the primary."""

    def db_for_read(self, model, **hints):
        alias = _read_alias.get()
        if alias == REPLICA and not connections[PRIMARY].in_atomic_block:
            return REPLICA
        return PRIMARY

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def _token_user_id(request):
    """The user id of a valid bearer token, read without touching the database."""
    from rest_framework_simplejwt.authentication import JWTAuthentication
    from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

    authentication = JWTAuthentication()
    header = authentication.get_header(request)
    if header is None:
        return None
    raw = authentication.get_raw_token(header)
    if raw is None:
        return None
    try:
        token = authentication.get_validated_token(raw)
    except (InvalidToken, TokenError):
        return None
    return token.get(settings.SIMPLE_JWT.get("USER_ID_CLAIM", "user_id"))


class ReplicaRoutingMiddleware:
    """Choose the read database per request and pin a user to the primary after her writes."""

    ROUTED_PREFIXES = ("/api/", "/fhir/")
    PRIMARY_PREFIXES = ("/api/health/", "/api/schema/", "/api/docs/", "/api/redoc/")
    SAFE_METHODS = ("GET", "HEAD")

    def __init__(self, get_response):
        self.get_response = get_response

    def _wants_replica(self, request, user_id) -> bool:
        path = request.path
        if request.method not in self.SAFE_METHODS:
            return False
        if not path.startswith(self.ROUTED_PREFIXES) or path.startswith(self.PRIMARY_PREFIXES):
            return False
        if user_id is not None and user_is_pinned(user_id):
            return False
        return health.usable()

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        user_id = _token_user_id(request)
        alias = REPLICA if self._wants_replica(request, user_id) else PRIMARY
        token = _read_alias.set(alias)
        try:
            response = self.get_response(request)
        finally:
            _read_alias.reset(token)
        if alias == REPLICA and response.status_code >= 500:
            # The replica failed under this read: skip it and answer from the primary.
            health.mark_down()
            token = _read_alias.set(PRIMARY)
            try:
                response = self.get_response(request)
            finally:
                _read_alias.reset(token)
            alias = PRIMARY
        if request.method not in self.SAFE_METHODS and user_id is not None and response.status_code < 500:
            pin_user(user_id)
        if settings.REPLICA_ROUTE_HEADER:
            response["X-DB-Route"] = "replica" if alias == REPLICA else "primary"
        return response
