"""Platform endpoints: the JSON index, health, and the schema as a browser sees it."""

import json

from django.conf import settings
from django.db import connection
from django.db.utils import Error as DatabaseError
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from hospital.cache import cache_status
from hospital.errors import database_unavailable_response
from hospital.schema_docs import documented

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


FHIR_BASE = "/fhir/R4/"


class IndexView(APIView):
    """`GET /` and `GET /api/`: where the docs, the schema and the FHIR face are; no token."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @documented(
        "API index", who="anyone, no token.",
        does="Names the API and its version and links the documentation (`docs`, Swagger UI), "
             "the OpenAPI `schema` and the `fhir` base.",
        errors="none; it always answers 200.",
    )
    @extend_schema(
        responses={200: inline_serializer("ApiIndex", {
            "name": serializers.CharField(), "version": serializers.CharField(),
            "docs": serializers.CharField(), "schema": serializers.CharField(),
            "fhir": serializers.CharField(),
        })},
        auth=[],
    )
    def get(self, request):
        return Response({
            "name": settings.SPECTACULAR_SETTINGS["TITLE"],
            "version": settings.SPECTACULAR_SETTINGS["VERSION"],
            "docs": request.build_absolute_uri("/api/docs/"),
            "schema": request.build_absolute_uri("/api/schema/"),
            "fhir": request.build_absolute_uri(FHIR_BASE),
        })


@extend_schema(exclude=True)
class SiteIndexView(IndexView):
    """The same index at `/` (documented once, at `/api/`)."""


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema: YAML for tools, JSON shown inline when a browser asks for HTML.

    A browser's `Accept: text/html,…,*/*` would otherwise pick the YAML media type, which
    browsers download instead of showing; `?format=json` works as well.
    """

    def perform_content_negotiation(self, request, force=False):
        if "text/html" in request.META.get("HTTP_ACCEPT", "") and not request.query_params.get(
            "format"
        ):
            return BrowserJsonRenderer(), BrowserJsonRenderer.media_type
        return super().perform_content_negotiation(request, force)


class BrowserJsonRenderer(OpenApiJsonRenderer):
    """The schema as plain `application/json`, which browsers display instead of saving."""

    media_type = "application/json"


class HealthView(APIView):
    """Report whether the service, its database and its cache answer."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Health of the service and its dependencies",
        description=(
            "Anyone, no token, for monitoring. Reports `database` and `cache` each; 503 when any "
            "of them is down. When the database refuses or hangs past its timeouts the 503 also "
            "carries code `database_unavailable` and a `Retry-After` header. Load balancers use "
            "`/api/health/live/`."
        ),
        responses={
            200: inline_serializer("Health", HEALTH_FIELDS),
            503: inline_serializer("HealthDown", {
                **HEALTH_FIELDS, "detail": serializers.CharField(required=False),
                "code": serializers.CharField(required=False),
            }),
        },
        auth=[],
    )
    @documented(
        "Health check", who="anyone, no token (for monitoring).",
        does="`{status, database, cache}`, all `ok` when every dependency answers.",
        errors="503 with `status: unavailable` and the part that is down; a database outage "
               "adds code `database_unavailable` and `Retry-After`.",
    )
    def get(self, request):
        parts = {"database": database_status(), "cache": cache_status()}
        healthy = all(value == "ok" for value in parts.values())
        response = Response(
            {"status": "ok" if healthy else "unavailable", **parts},
            status=status.HTTP_200_OK if healthy else status.HTTP_503_SERVICE_UNAVAILABLE,
        )
        if parts["database"] != "ok":
            down = database_unavailable_response()
            response.data.update(json.loads(down.content))
            response["Retry-After"] = down["Retry-After"]
        return response


# Everything ReDoc needs is on this server; the browser is told to fetch nothing else.
REDOC_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; font-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline' blob:; "
    "worker-src 'self' blob:; connect-src 'self'"
)


class RedocView(SpectacularRedocView):
    """ReDoc from the sidecar bundle, with no font, logo or script from another origin."""

    template_name = "hospital/redoc.html"

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Security-Policy"] = REDOC_CONTENT_SECURITY_POLICY
        return response


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
