"""The OpenAPI schema generates without warnings and documents every route of the API."""

import pytest
from django.core.management import call_command
from django.urls import get_resolver
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

UNDOCUMENTED = {"/api/schema/", "/api/docs/", "/api/redoc/"}


def api_paths() -> set[str]:
    """Every URL pattern under /api/, written the way OpenAPI writes paths."""
    import re

    paths = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, route)
            else:
                path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route).lstrip("^").rstrip("$")
                # drf-spectacular names a `pk` path parameter `id`.
                path = path.replace("{pk}", "{id}")
                if path.startswith("/api/"):
                    paths.add(path)

    walk(get_resolver().url_patterns, "")
    return paths - UNDOCUMENTED


def test_schema_generates_with_no_warnings(capsys):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")


def test_schema_lists_every_route():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    assert api_paths() - set(schema["paths"]) == set()


def test_schema_declares_bearer_auth():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    scheme = schema["components"]["securitySchemes"]["jwtAuth"]
    assert scheme == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    assert {"jwtAuth": []} in schema["paths"]["/api/me/"]["get"]["security"]
    for path in ("/api/register/", "/api/token/", "/api/health/"):
        operation = schema["paths"][path]["post" if "health" not in path else "get"]
        assert {"jwtAuth": []} not in operation.get("security", [])


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/", "/api/redoc/"])
def test_docs_are_public(anon, path):
    assert anon.get(path).status_code == 200


def test_docs_assets_are_served_locally(anon):
    page = anon.get("/api/docs/").content.decode()

    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
    assert "/static/drf_spectacular_sidecar/" in page


HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def schema_operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def test_every_operation_has_a_summary_and_a_description():
    """Swagger UI and ReDoc show a human title and say who may call it, for every operation."""
    missing = [
        f"{method} {path}" for method, path, operation in schema_operations()
        if not operation.get("summary", "").strip() or not operation.get("description", "").strip()
    ]

    assert missing == []


def test_operations_documented_here_name_who_may_call_them_and_their_errors():
    operations = schema_operations()
    described = [op["description"] for _m, _p, op in operations if "**Who may call it:**" in op.get(
        "description", "")]

    assert len(described) >= 60
    assert all("**Errors:**" in description for description in described)
    summaries = [op["summary"] for _m, _p, op in operations]
    assert len(set(summaries)) == len(summaries)


def test_ordering_lists_the_values_the_view_accepts(api, admin_user):
    from appointments.views import AppointmentViewSet

    operations = {(m, p): op for m, p, op in schema_operations()}
    parameter = next(p for p in operations[("GET", "/api/appointments/")]["parameters"]
                     if p["name"] == "ordering")
    undocumented = api(admin_user).get("/api/appointments/", {"ordering": "reason"})

    assert parameter["schema"]["enum"] == [
        value for field in AppointmentViewSet.ordering_fields for value in (field, f"-{field}")
    ]
    for value in parameter["schema"]["enum"]:
        assert api(admin_user).get("/api/appointments/", {"ordering": value}).status_code == 200
    assert undocumented.status_code == 200  # DRF ignores an unknown order, as documented


def test_operations_without_a_list_filter_offer_no_ordering():
    for method, path, operation in schema_operations():
        names = [p["name"] for p in operation.get("parameters", [])]
        if "ordering" in names:
            assert method == "GET" and "page" in names, path
