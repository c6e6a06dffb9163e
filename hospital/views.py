"""Platform endpoints: health."""

from django.db import connection
from django.db.utils import Error as DatabaseError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from hospital.cache import cache_status

HEALTH_FIELDS = {
    "status": serializers.CharField(help_text="`ok`, or `unavailable` when any part is down."),
    "database": serializers.CharField(help_text="`ok` or `unreachable`."),
    "cache": serializers.CharField(help_text="`ok` or `unreachable` (the shared cache, Redis "
                                             "when `REDIS_URL` is set)."),
}


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return "unreachable"
    return "ok"


class HealthView(APIView):
    """Report whether the service, its database and its cache answer."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Health",
        description=(
            "Public, for monitoring. Reports `database` and `cache` each; 503 when any of "
            "them is down (sign-in and booking keep working without the cache)."
        ),
        responses={
            200: inline_serializer("Health", HEALTH_FIELDS),
            503: inline_serializer("HealthDown", HEALTH_FIELDS),
        },
        auth=[],
    )
    def get(self, request):
        parts = {"database": database_status(), "cache": cache_status()}
        healthy = all(value == "ok" for value in parts.values())
        return Response(
            {"status": "ok" if healthy else "unavailable", **parts},
            status=status.HTTP_200_OK if healthy else status.HTTP_503_SERVICE_UNAVAILABLE,
        )
