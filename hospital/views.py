"""Platform endpoints: health (for monitoring) and liveness (for load balancers)."""

from django.db import connection
from django.db.utils import Error as DatabaseError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from hospital.errors import database_unavailable_response


class HealthView(APIView):
    """Report whether the service and its database answer."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Health of the service and its dependencies",
        description=(
            "Anyone, no token. 200 when the database answers; 503 with code "
            "`database_unavailable` and a `Retry-After` header when it refuses or hangs past "
            "its timeouts. For monitoring: load balancers use `/api/health/live/`."
        ),
        responses={
            200: inline_serializer("Health", {"status": serializers.CharField(),
                                              "database": serializers.CharField()}),
            503: inline_serializer("HealthDown", {"status": serializers.CharField(),
                                                  "database": serializers.CharField(),
                                                  "detail": serializers.CharField(),
                                                  "code": serializers.CharField()}),
        },
        auth=[],
    )
    def get(self, request):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError:
            down = database_unavailable_response()
            response = Response(
                {"status": "unavailable", "database": "unreachable",
                 "detail": "The database is unavailable; retry shortly.",
                 "code": "database_unavailable"},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
            response["Retry-After"] = down["Retry-After"]
            return response
        return Response({"status": "ok", "database": "ok"})


class LiveView(APIView):
    """Answer whenever the process can: no token, no database, no cache."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(
        summary="Liveness for load balancers",
        description=(
            "Anyone, no token. Always 200 `{\"status\": \"ok\"}` while the process answers; "
            "it touches no dependency, so an outage of the database or the cache never takes "
            "every app server out of rotation."
        ),
        responses={200: inline_serializer("Live", {"status": serializers.CharField()})},
        auth=[],
    )
    def get(self, request):
        return Response({"status": "ok"})
