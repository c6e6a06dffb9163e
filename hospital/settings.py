"""Settings for the hospital API, read from the environment (12-factor).

Every knob is an environment variable listed in the README's configuration table.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from corsheaders.defaults import default_headers as cors_default_headers
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off."
        )
    # Local development only: debug is on, so the key never protects real data.
    SECRET_KEY = "django-insecure-local-development-key-change-me-0123456789"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "appointments",
    "clinical",
    "billing",
    "trust",
    "notifications",
    # Laboratory: test catalog, orders, results (sits between clinical and billing).
    "laboratory",
    # FHIR R4 read-only face; top layer, reads every app.
    "interop",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "trust.middleware.RequestIdMiddleware",
    "hospital.replica.ReplicaRoutingMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "trust.middleware.BodySizeLimitMiddleware",
    # NUL bytes and lone surrogates in the path or query answer 400.
    "trust.middleware.UnsafeTextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "trust.middleware.IdempotencyMiddleware",
]

ROOT_URLCONF = "hospital.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The project's own templates (ReDoc served with local fonts only).
        "DIRS": [BASE_DIR / "hospital" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "hospital.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default="sqlite:///" + str(BASE_DIR / "db.sqlite3"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

# A database that hangs or refuses answers 503 within seconds, never a hung request.
# Connect + statement (and lock) timeouts stay below the 10 s every request must answer in;
# `0` turns a timeout off (e.g. for a one-off data migration run by hand).
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3"))
DATABASE_STATEMENT_TIMEOUT_MS = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "5000"))
DATABASE_RETRY_AFTER = int(os.environ.get("DATABASE_RETRY_AFTER", "5"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "connect_timeout": DATABASE_CONNECT_TIMEOUT,
        "options": (f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}"
                    f" -c lock_timeout={DATABASE_STATEMENT_TIMEOUT_MS}"),
        # A peer that stops acknowledging (partition) fails the socket instead of hanging.
        "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 2,
        "tcp_user_timeout": DATABASE_STATEMENT_TIMEOUT_MS or 0,
    })
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite waits this long for a writer's lock, then answers 503 like a hung server.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "timeout", max(DATABASE_STATEMENT_TIMEOUT_MS / 1000, 1))


# Read replica (optional): list and detail reads go there; see hospital/replica.py.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=DATABASES["default"].get("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
    if DATABASES["replica"]["ENGINE"] == DATABASES["default"]["ENGINE"]:
        DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"].get("OPTIONS", {}))
    # Tests have no replica of their own: the alias reads the test copy of the primary.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["hospital.replica.ReplicaRouter"]
REPLICA_ENABLED = "replica" in DATABASES
REPLICA_PIN_SECONDS = float(os.environ.get("REPLICA_PIN_SECONDS", "5"))
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "10"))
# Adds `X-DB-Route: replica|primary` to routed answers (the cluster test reads it).
REPLICA_ROUTE_HEADER = env_bool("REPLICA_ROUTE_HEADER")
# Behind PgBouncer in transaction mode a server-side cursor cannot outlive its statement.
if env_bool("DATABASE_BEHIND_PGBOUNCER"):
    for _alias in DATABASES.values():
        _alias["DISABLE_SERVER_SIDE_CURSORS"] = True


# The cache holds the throttle counters, so every worker must see the same one: Redis when
# `REDIS_URL` is set, else Django's database cache (its table is made by `createcachetable`,
# run by `make run`, `.ci/run` and the Procfile's release step). Add aliases to CACHES freely.
CACHE_TABLE = "hospital_cache"
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            # An unreachable Redis fails fast instead of holding the request.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
        }
    }

# Trust, third pass: where the sign-in throttles keep counting while the default cache (Redis)
# is down — a database cache every worker shares (table made by trust's migrations).
CACHES["fallback"] = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "hospital_cache_fallback",
}

AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "Africa/Lagos")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Serve the docs' assets even when collectstatic has not run (local use, tests, bench).
WHITENOISE_USE_FINDERS = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Request bodies: the API takes small JSON documents only.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", str(1024 * 1024)))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# CORS: only the listed web frontends.
CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_HEADERS = (*cors_default_headers, "idempotency-key", "x-request-id")
CORS_EXPOSE_HEADERS = ["X-Request-ID", "Idempotent-Replayed", "Retry-After"]

# Security headers; HTTPS settings apply whenever debug is off.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# /api/health/ is probed by load balancers over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^api/health/$", r"^api/health/live/$"]

# E-mail: console by default; SMTP when EMAIL_HOST is set.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "hospital@localhost")
# Trust, third pass: verified e-mail changes. The link's page (a frontend route that POSTs the
# token to /api/me/email/confirm/) and how long the link works.
EMAIL_CHANGE_CONFIRM_URL = os.environ.get(
    "EMAIL_CHANGE_CONFIRM_URL", "http://localhost:8000/confirm-email?token={token}"
)
EMAIL_CHANGE_LINK_HOURS = int(os.environ.get("EMAIL_CHANGE_LINK_HOURS", "24"))

HOSPITAL_CURRENCY = os.environ.get("HOSPITAL_CURRENCY", "BDT")
AUTH_THROTTLE_RATE = os.environ.get("AUTH_THROTTLE_RATE", "20/min")
# How many reverse proxies sit in front of gunicorn (for the client IP of throttling and audit).
# 0 trusts the socket's address only, so a forged X-Forwarded-For cannot dodge the sign-in
# throttle; set it to the number of proxies (e.g. 1 behind one load balancer).
NUM_PROXIES = int(os.environ.get("NUM_PROXIES") or "0")

# Notifications and background work (Celery). With REDIS_URL, Redis is the broker and a
# `worker` process delivers; without it, tasks run in-process right after the commit.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
# A broker that is down must not hold up the request that queues a delivery: the row waits
# in the database and the sweep sends it once the broker is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
CELERY_BEAT_SCHEDULE = {
    "notifications-deliver-due": {
        "task": "notifications.deliver_due",
        "schedule": float(os.environ.get("NOTIFICATION_SWEEP_SECONDS", "30")),
    },
    "appointments-send-due-reminders": {
        "task": "appointments.send_due_reminders",
        "schedule": float(os.environ.get("REMINDER_PASS_SECONDS", "300")),
    },
}
REMINDER_HOURS = int(os.environ.get("REMINDER_HOURS", "24"))
NOTIFICATION_MAX_ATTEMPTS = int(os.environ.get("NOTIFICATION_MAX_ATTEMPTS", "5"))
NOTIFICATION_RETRY_BASE_SECONDS = int(os.environ.get("NOTIFICATION_RETRY_BASE_SECONDS", "60"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["accounts.authentication.ApprovedJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "hospital.permissions.IsApproved",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["hospital.parsers.SafeJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "hospital.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        # DRF's ordering filter with its values listed in the schema (hospital/ordering.py).
        "hospital.ordering.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "hospital.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "hospital.exceptions.exception_handler",
    "NUM_PROXIES": NUM_PROXIES,
    "COERCE_DECIMAL_TO_STRING": True,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=int(os.environ.get("JWT_ACCESS_MINUTES", "60"))),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=int(os.environ.get("JWT_REFRESH_DAYS", "1"))),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    "USER_AUTHENTICATION_RULE": "accounts.authentication.user_may_use_api",
    "SIGNING_KEY": SECRET_KEY,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Hospital API",
    "DESCRIPTION": (
        "Hospital management API: accounts with admin approval, appointments, "
        "clinical records and billing. Authenticate with `POST /api/token/` and send "
        "`Authorization: Bearer <access>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # ReDoc loads no web font: the theme uses the system's (see hospital/templates/hospital/redoc.html).
    "REDOC_UI_SETTINGS": {
        "theme": {"typography": {
            "fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
            "headings": {"fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"},
            "code": {"fontFamily": "ui-monospace, Menlo, Consolas, monospace"},
        }},
    },
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "hospital.openapi.reference_query_enums",
        "hospital.openapi.type_nullable_references",
    ],
    # Typed clients (docs/clients.md): where the API runs, what each tag groups, and one
    # enum component per set of choices, shared by fields and query parameters.
    "SERVERS": [{
        "url": os.environ.get("OPENAPI_SERVER_URL", "http://127.0.0.1:8000"),
        "description": os.environ.get("OPENAPI_SERVER_DESCRIPTION", "Local server (`make run`)"),
    }],
    "TAGS": [
        {"name": "admin", "description": "Admins only: approval queues and the audit trail."},
        {"name": "allergies", "description": "Patients' allergies and intolerances."},
        {"name": "encounters", "description": "Clinical contacts: visits, rounds, emergencies."},
        {"name": "observations", "description": "Vital signs recorded for patients."},
        {"name": "observation-codes", "description": "The catalog of vital-sign codes."},
        {"name": "staff", "description": "Admins only: nurses and lab technicians."},
        {"name": "admissions", "description": "Hospital stays: admit, update, discharge, bill."},
        {"name": "appointments", "description": "Request, confirm, cancel and complete visits."},
        {"name": "departments", "description": "The hospital's departments and room rates."},
        {"name": "doctors", "description": "Doctors, their weekly schedules and free slots."},
        {"name": "health", "description": "Liveness and readiness for load balancers."},
        {"name": "holidays", "description": "Days the hospital is closed to appointments."},
        {"name": "invoices", "description": "Bills in the hospital's currency and their payments."},
        {"name": "lab-orders", "description": "Laboratory orders, their results and release."},
        {"name": "lab-tests", "description": "The catalog of laboratory tests and their prices."},
        {"name": "me", "description": "The signed-in user's account, password and access log."},
        {"name": "patients", "description": "Patients and their clinical history."},
        {"name": "prescriptions", "description": "Medicines prescribed at appointments."},
        {"name": "register", "description": "Self-registration of doctors and patients."},
        {"name": "token", "description": "Sign in, refresh and sign out (JWT)."},
    ],
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "accounts.models.User.Role",
        "RegisterRoleEnum": "accounts.serializers.SELF_REGISTER_ROLES",
        "StaffRoleEnum": "accounts.models.STAFF_ROLES",
        # Clinical record.
        "AllergyCategoryEnum": "clinical.models.Allergy.Category",
        "InvoiceLineCategoryEnum": "billing.models.InvoiceLine.Category",
        "AllergyStatusEnum": "clinical.models.Allergy.Status",
        "ObservationStatusEnum": "clinical.models.Observation.Status",
        "EncounterStatusEnum": "clinical.models.Encounter.Status",
        "AppointmentStatusEnum": "appointments.models.Appointment.Status",
        "ApprovalStatusEnum": "accounts.models.User.ApprovalStatus",
        "SexEnum": "accounts.models.PatientProfile.Sex",
        "PrescriptionStatusEnum": "clinical.models.Prescription.Status",
        "EncounterKindEnum": "clinical.models.Encounter.Kind",
        "NotificationKindEnum": "notifications.models.Notification.Kind",
        "NotificationStatusEnum": "notifications.models.Notification.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per event: Django's own console handler would print `django.*` records a
        # second time beside the root's; they reach the root's handler alone.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
    },
}
