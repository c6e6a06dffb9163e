"""Throttles: every sign-in door is limited to `AUTH_THROTTLE_RATE`, per client IP and per username.

The same classes serve DRF views (`throttle_classes`) and plain Django views (the admin login,
through `throttle_sign_in`); their counters live in `resilient_cache`, so a Redis outage moves
them to the database cache instead of failing the sign-in.
"""

import hashlib
import hmac
from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from rest_framework.throttling import SimpleRateThrottle

from hospital.cache import resilient_cache


class AuthRateThrottle(SimpleRateThrottle):
    """Limit a sign-in door (`/api/register/`, `/api/token/`, refresh, password change, OTP
    verification, `/admin/login/`) to `AUTH_THROTTLE_RATE` per client IP."""

    scope = "auth"
    cache = resilient_cache

    def get_rate(self):
        return settings.AUTH_THROTTLE_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def _submitted_username(request) -> str:
    data = getattr(request, "data", None)
    if data is None:  # a plain Django request (the admin login form)
        data = request.POST
    try:
        value = data.get("username")
    except AttributeError:  # a JSON body that is not an object
        return ""
    return value.strip().lower() if isinstance(value, str) else ""


class AuthUsernameThrottle(AuthRateThrottle):
    """The same limit per submitted username, whatever the IP (a distributed guess of one
    account's password). The key is a keyed hash: a password typed into the username field
    never reaches the cache."""

    scope = "auth_username"

    def get_cache_key(self, request, view):
        username = _submitted_username(request)
        if not username:
            return None
        ident = hmac.new(settings.SECRET_KEY.encode(), username.encode(), hashlib.sha256)
        return self.cache_format % {"scope": self.scope, "ident": ident.hexdigest()}


SIGN_IN_THROTTLES = (AuthRateThrottle, AuthUsernameThrottle)


def throttle_sign_in(view):
    """Apply the sign-in throttles to the POSTs of a plain Django view (429 with `Retry-After`)."""

    @wraps(view)
    def throttled(request, *args, **kwargs):
        if request.method == "POST":
            waits = []
            for throttle_class in SIGN_IN_THROTTLES:
                throttle = throttle_class()
                if not throttle.allow_request(request, None):
                    waits.append(throttle.wait() or 1)
            if waits:
                retry_after = max(1, int(max(waits)))
                response = HttpResponse(
                    "Too many sign-in attempts. Try again in "
                    f"{retry_after} seconds.\n", status=429, content_type="text/plain; charset=utf-8",
                )
                response["Retry-After"] = str(retry_after)
                return response
        return view(request, *args, **kwargs)

    return throttled
