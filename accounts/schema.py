"""OpenAPI description of the bearer-token authentication."""

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme


class ApprovedJWTScheme(SimpleJWTScheme):
    """Document `ApprovedJWTAuthentication` as `Authorization: Bearer <access>`."""

    target_class = "accounts.authentication.ApprovedJWTAuthentication"
    name = "jwtAuth"
