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


# What client generators need (docs/clients.md); Node-based checks run in `make clients-check`.


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def test_action_operation_ids_name_the_action(schema):
    ids = {(path, method): op["operationId"] for path, method, op in operations(schema)}

    assert ids[("/api/appointments/{id}/confirm/", "post")] == "appointments_confirm"
    assert ids[("/api/invoices/{id}/void/", "post")] == "invoices_void"
    assert ids[("/api/token/blacklist/", "post")] == "token_blacklist"
    assert ids[("/api/token/", "post")] == "token_obtain"
    assert ids[("/api/appointments/", "post")] == "appointments_create"
    assert len(set(ids.values())) == len(ids)


def test_error_answers_use_the_error_components(schema):
    responses = schema["paths"]["/api/appointments/{id}/confirm/"]["post"]["responses"]

    def body(status):
        return responses[status]["content"]["application/json"]["schema"]

    assert body("400") == {"oneOf": [
        {"$ref": "#/components/schemas/ValidationError"},
        {"$ref": "#/components/schemas/ErrorDetail"},
    ]}
    for status in ("401", "403", "404", "409", "413", "415", "422"):
        assert body(status) == {"$ref": "#/components/schemas/ErrorDetail"}, status
    listed = schema["paths"]["/api/appointments/"]["get"]["responses"]
    assert listed["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ValidationError"
    }
    throttled = schema["paths"]["/api/token/"]["post"]["responses"]["429"]
    assert throttled["headers"]["Retry-After"] == {"$ref": "#/components/headers/Retry-After"}
    assert schema["components"]["schemas"]["ErrorDetail"]["required"] == ["detail"]
    assert "additionalProperties" in schema["components"]["schemas"]["ValidationError"]


def test_every_error_code_in_the_code_is_documented(schema):
    """A new `DomainError("code", …)` must be named in the ErrorDetail description."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    pattern = re.compile(r'DomainError\(\s*"([a-z_]+)"|"detail": [^}]*"code": "([a-z_]+)"')
    codes = {
        next(group for group in match.groups() if group)
        for source in root.glob("*/*.py")
        if not source.parts[-2].startswith((".", "tests"))
        for match in pattern.finditer(source.read_text())
    }
    description = schema["components"]["schemas"]["ErrorDetail"]["description"]

    assert {code for code in codes if f"`{code}`" not in description} == set()


def test_every_operation_answers_with_documented_statuses_and_request_id(schema):
    for path, method, operation in operations(schema):
        for status, response in operation["responses"].items():
            assert "X-Request-ID" in response.get("headers", {}), (path, method, status)


def test_public_operations_say_so(schema):
    for path in ("/api/register/", "/api/token/", "/api/token/refresh/", "/api/health/"):
        operation = schema["paths"][path]["post" if "health" not in path else "get"]
        assert operation["security"] == []


def test_query_enums_reference_the_field_enums(schema):
    def query(path, name):
        parameters = schema["paths"][path]["get"]["parameters"]
        return next(p["schema"] for p in parameters if p["name"] == name)

    assert query("/api/appointments/", "status") == {
        "$ref": "#/components/schemas/AppointmentStatusEnum"
    }
    assert query("/api/admin/approvals/patients/", "status") == {
        "$ref": "#/components/schemas/ApprovalStatusEnum"
    }
    for path, _method, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            # `ordering` lists sort keys, not field values.
            if parameter["name"] != "ordering":
                assert "enum" not in parameter["schema"], (path, parameter["name"])


def test_parameters_only_where_the_server_reads_them(schema):
    for path in ("/api/admin/approvals/doctors/{id}/", "/api/admin/approvals/doctors/{id}/approve/"):
        for operation in schema["paths"][path].values():
            assert all(p["in"] != "query" for p in operation.get("parameters", [])), path
    queue = schema["paths"]["/api/admin/approvals/appointments/"]["get"]["parameters"]
    assert "status" not in {p["name"] for p in queue}


def test_enum_valued_fields_are_typed_as_their_enum(schema):
    components = schema["components"]["schemas"]

    def refs(component, field):
        return str(components[component]["properties"][field])

    assert "ApprovalStatusEnum" in refs("Patient", "approval_status")
    assert "SexEnum" in refs("Profile", "sex")
    assert "AppointmentStatusEnum" in refs("AppointmentEvent", "from_status")
    assert "AppointmentStatusEnum" in refs("AppointmentEvent", "to_status")
    assert "PrescriptionStatusEnum" in refs("AppointmentPrescription", "status")
    assert "AppointmentPrescriptionStatusEnum" not in components


def test_declared_limits_match_the_server(schema):
    from billing.serializers import MAX_LINES

    parameters = schema["paths"]["/api/appointments/"]["get"]["parameters"]
    page_size = next(p["schema"] for p in parameters if p["name"] == "page_size")
    assert page_size["maximum"] == 100 and page_size["minimum"] == 1
    lines = schema["components"]["schemas"]["InvoiceCreateRequest"]["properties"]["lines"]
    assert lines["maxItems"] == MAX_LINES


def test_nullable_references_carry_a_type(schema):
    for name, component in schema["components"]["schemas"].items():
        for field, prop in component.get("properties", {}).items():
            if prop.get("nullable"):
                assert "type" in prop, (name, field)


def test_servers_and_tags_are_declared(schema):
    assert schema["servers"][0]["url"]
    declared = {tag["name"]: tag.get("description") for tag in schema["tags"]}
    used = {tag for _path, _method, op in operations(schema) for tag in op.get("tags", [])}

    assert used - set(declared) == set()
    assert all(declared.values())
