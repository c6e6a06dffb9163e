"""Throttles: the sign-in and registration endpoints are limited per client IP."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class AuthRateThrottle(SimpleRateThrottle):
    """Limit `/api/register/` and `/api/token/` to `AUTH_THROTTLE_RATE` per client IP."""

    scope = "auth"

    def get_rate(self):
        return settings.AUTH_THROTTLE_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
