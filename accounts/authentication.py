"""JWT authentication that re-reads the user on every request and checks approval and revocation."""

from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed, InvalidToken
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from accounts.tokens import token_signed_in_at
from hospital.replica import primary_reads

TOKEN_REVOKED_MESSAGE = "This token was revoked; sign in again."


def token_revoked_error() -> AuthenticationFailed:
    """401 `{"detail", "code": "token_revoked"}`."""
    return AuthenticationFailed(TOKEN_REVOKED_MESSAGE, code="token_revoked")



def user_may_use_api(user) -> bool:
    """Allow tokens only for active users an admin approved."""
    return user is not None and user.is_active and user.is_approved


def token_is_revoked(user, payload) -> bool:
    """Whether a token of `user` was signed in before the user's last revocation or ended alone.

    `auth_time` has microseconds; a token with only `iat` (whole seconds, rounded down) from
    the second of a revocation counts as revoked, so a revocation never lets a token through.
    """
    if payload.get(jwt_settings.JTI_CLAIM) in (user.revoked_access_jtis or {}):
        return True
    revoked_at = user.tokens_revoked_at
    return revoked_at is not None and token_signed_in_at(payload) < revoked_at.timestamp()


class ApprovedJWTAuthentication(JWTAuthentication):
    """Refuse an access token whose user was deactivated, rejected or deleted since it was issued,
    or that was revoked (logout, logout-all, password change, deactivation)."""

    def get_user(self, validated_token):
        # The primary, never a lagging replica: a revoked account must stop at once.
        with primary_reads():
            try:
                user_id = validated_token[jwt_settings.USER_ID_CLAIM]
            except KeyError as exc:
                raise InvalidToken("Token contained no recognizable user identification") from exc
            user = self.user_model.objects.filter(**{jwt_settings.USER_ID_FIELD: user_id}).first()
            if user is None:
                raise AuthenticationFailed("User not found", code="user_not_found")
            if token_is_revoked(user, validated_token.payload):
                raise token_revoked_error()
        if not user_may_use_api(user):
            raise AuthenticationFailed("User is inactive or not approved.", code="user_inactive")
        return user
