"""Settings for the test suite: production settings with fast hashing and no HTTPS redirect."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-suite-secret-key-not-used-anywhere-else-0123456789")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

from hospital.settings import *  # noqa: E402,F403
from hospital.settings import DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
          "fallback": CACHES["fallback"]}  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# No collected static files in tests; the docs' assets come from the finders.
STATIC_ROOT = None
# Tasks run in-process after commit (the embedded default), whatever REDIS_URL says.
CELERY_TASK_ALWAYS_EAGER = True

# A replica alias that reads the test copy of the primary, so the routing tests can turn it on
# (REPLICA_ENABLED); off by default, every read of the suite stays on `default`.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["hospital.replica.ReplicaRouter"]
REPLICA_ENABLED = False
