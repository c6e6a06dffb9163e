"""Refresh tokens that carry the instant of the sign-in they descend from."""

import time

from rest_framework_simplejwt.tokens import RefreshToken

# Copied to every access token and kept through refresh rotation (simplejwt copies custom claims).
AUTH_TIME_CLAIM = "auth_time"


class SessionRefreshToken(RefreshToken):
    """A refresh token stamped with `auth_time`, to the microsecond, at sign-in.

    Revocation compares it with `User.tokens_revoked_at`: `iat` has whole seconds only, and a
    rotated refresh token gets a new `iat` although it belongs to the same sign-in.
    """

    @classmethod
    def for_user(cls, user):
        token = super().for_user(user)
        token[AUTH_TIME_CLAIM] = time.time()
        return token


def token_signed_in_at(payload) -> float:
    """The sign-in instant of a token (its `iat` for tokens issued without `auth_time`)."""
    value = payload.get(AUTH_TIME_CLAIM, payload.get("iat", 0))
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0
