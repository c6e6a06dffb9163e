"""JWT authentication that re-reads the user on every request and checks approval."""

from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed

from hospital.replica import primary_reads


def user_may_use_api(user) -> bool:
    """Allow tokens only for active users an admin approved."""
    return user is not None and user.is_active and user.is_approved


class ApprovedJWTAuthentication(JWTAuthentication):
    """Refuse an access token whose user was deactivated, rejected or deleted since it was issued."""

    def get_user(self, validated_token):
        # The primary, never a lagging replica: a revoked account must stop at once.
        with primary_reads():
            user = super().get_user(validated_token)
        if not user_may_use_api(user):
            raise AuthenticationFailed("User is inactive or not approved.", code="user_inactive")
        return user
