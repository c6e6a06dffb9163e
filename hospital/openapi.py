"""The OpenAPI schema as client generators read it: names, errors, headers, enums, limits.

`AutoSchema` (the project's `DEFAULT_SCHEMA_CLASS`) gives every operation, from what it is,
the parts drf-spectacular leaves out: an operationId that names the action, the error answers
the shared machinery gives (authentication, role tables, exception handler, throttles,
idempotency and body-size middleware) with a schema per kind, the response headers, the
`Idempotency-Key` parameter, `security: []` on public routes and `maxItems` on bounded lists.
The post-processing hooks then reuse enum components in query parameters and give nullable
references the `type` OpenAPI 3.0 wants beside `nullable`. Nothing here is per view: an
operation added later gets the same treatment.
"""

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent, is_list_serializer
from rest_framework.permissions import AllowAny

from hospital.errors import STATUS_BY_CODE
from trust.idempotency import IDEMPOTENCY_HEADER, KEY_MAX_LENGTH, REPLAYED_HEADER
from trust.middleware import REQUEST_ID_HEADER

SCHEMAS = "#/components/schemas/"
HEADERS = "#/components/headers/"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# The router's own actions; any other action is a verb the operationId must name.
ROUTER_ACTIONS = {"list", "retrieve", "create", "update", "partial_update", "destroy"}
# The sign-in views need no token but refuse bad credentials (and unapproved accounts).
TOKEN_REFUSALS = {
    "/api/token/": {"401", "403"},
    "/api/token/refresh/": {"401"},
    "/api/token/blacklist/": {"401"},
}
# Every stable `code` an answer can carry (tests/test_openapi.py finds any left out).
ERROR_CODES = sorted({
    *STATUS_BY_CODE,
    "already_admitted", "bad_request", "has_appointments", "has_records", "holiday_exists",
    "invalid_state", "invalid_transition",
    "invoice_empty", "invoice_locked", "invoice_not_payable", "not_found", "patient_busy",
    "permission_denied", "request_too_large", "server_error",
    "slot_unavailable", "throttled", "token_not_valid",
    "allergy_conflict", "database_unavailable", "duplicate_allergy", "email_taken",
    "encounter_exists", "encounter_locked", "invalid_link", "link_expired",
})

VALIDATION_ERROR = {
    "type": "object",
    "description": (
        "Invalid input: each field that failed maps to its messages, or, for a nested object "
        "or a list of objects, to the same shape one level down. Errors not tied to one field "
        "are under `non_field_errors`."
    ),
    "properties": {
        "non_field_errors": {"type": "array", "items": {"type": "string"}},
    },
    "additionalProperties": {"$ref": f"{SCHEMAS}FieldErrors"},
}
FIELD_ERRORS = {
    "description": (
        "The messages of one field: a list of strings; for a list of objects, one "
        "`ValidationError` per item (empty where the item is valid); for a nested object, "
        "a `ValidationError`."
    ),
    "oneOf": [
        {"type": "array", "items": {"oneOf": [{"type": "string"}, {"$ref": f"{SCHEMAS}ValidationError"}]}},
        {"$ref": f"{SCHEMAS}ValidationError"},
    ],
}
ERROR_DETAIL = {
    "type": "object",
    "description": (
        "A refusal: a human-readable `detail` and, for domain errors, a stable `code` to branch "
        "on. Codes in use: " + ", ".join(f"`{code}`" for code in ERROR_CODES) + "."
    ),
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
    },
}
RESPONSE_HEADERS = {
    REQUEST_ID_HEADER: {
        "description": "The request's id (the client's own `X-Request-ID` when it sent one); "
                       "quote it when reporting a problem.",
        "required": True,
        "schema": {"type": "string"},
    },
    REPLAYED_HEADER: {
        "description": f"`true` when this is the stored answer to an earlier request with the "
                       f"same `{IDEMPOTENCY_HEADER}`.",
        "required": False,
        "schema": {"type": "string", "enum": ["true"]},
    },
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "required": True,
        "schema": {"type": "integer", "minimum": 0},
    },
}
DESCRIPTIONS = {
    "400": "Invalid input (field errors), or a rule about the input refused it (`code`).",
    "401": "Missing, invalid or expired credentials.",
    "403": "The caller may see this object but not do this.",
    "404": "No such object in the caller's scope (or no such page).",
    "409": "The object's state does not allow this (see `code`).",
    "413": "The request body is too large.",
    "415": "The request body is not `application/json`.",
    "422": f"The `{IDEMPOTENCY_HEADER}` was already used with a different request.",
    "429": "Too many requests; retry after `Retry-After` seconds.",
}


def _ref(name: str) -> dict:
    return {"$ref": f"{SCHEMAS}{name}"}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's inference plus what every operation of this API shares."""

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is not None and "security" not in operation:
            # Say "no credentials needed" rather than leave it unstated.
            operation["security"] = []
        return operation

    def get_operation_id(self) -> str:
        """`appointments_confirm`, `token_blacklist`: a POST that is no router create is named
        by its path alone; everything else keeps drf-spectacular's `<path>_<action>`."""
        if self.method == "POST" and getattr(self.view, "action", None) not in ROUTER_ACTIONS:
            return "_".join(t.replace("-", "_") for t in self._tokenize_path()) or "root"
        return super().get_operation_id()

    def _get_parameters(self):
        parameters = super()._get_parameters()
        if self.method == "POST" and self._is_secured():
            parameters.append({
                "in": "header", "name": IDEMPOTENCY_HEADER, "required": False,
                "schema": {"type": "string", "minLength": 1, "maxLength": KEY_MAX_LENGTH},
                "description": (
                    "Retry safely: the same key from the same user within 24 hours answers "
                    "with the first response and creates nothing."
                ),
            })
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        self._register_components()
        for status, response in responses.items():
            response.setdefault("headers", {}).update(self._success_headers(status))
        for status in sorted(self._error_statuses()):
            # An operation that documents its own error answer (another media type) keeps it.
            responses.setdefault(status, {
                "description": DESCRIPTIONS[status],
                "headers": self._error_headers(status),
                "content": {"application/json": {"schema": self._error_schema(status)}},
            })
        return responses

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # drf-spectacular drops a ListSerializer's bounds; the server enforces them.
        if is_list_serializer(field) and schema and schema.get("type") == "array":
            if field.max_length is not None:
                schema["maxItems"] = field.max_length
            if field.min_length is not None:
                schema["minItems"] = field.min_length
            elif not field.allow_empty:
                schema["minItems"] = 1
        return schema

    def _is_secured(self) -> bool:
        return bool(self.view.get_authenticators()) and not any(
            isinstance(permission, AllowAny) for permission in self.view.get_permissions()
        )

    def _has_body(self) -> bool:
        return self.method in {"POST", "PUT", "PATCH"} and self.get_request_serializer() is not None

    def _error_statuses(self) -> set[str]:
        secured = self._is_secured()
        has_body = self._has_body()
        statuses = set(TOKEN_REFUSALS.get(self.path, ()))
        has_query = any(parameter["in"] == "query" for parameter in self._get_parameters())
        # A POST may also carry a malformed `Idempotency-Key`.
        if has_body or has_query or (secured and self.method == "POST"):
            statuses.add("400")
        if has_body:
            statuses |= {"413", "415"}
        if secured:
            statuses |= {"401", "403"}
        if "{" in self.path or (self._is_list_view() and self._get_paginator() is not None):
            statuses.add("404")
        if secured and self.method in UNSAFE_METHODS:
            statuses.add("409")
        if secured and self.method == "POST":
            statuses.add("422")
        if getattr(self.view, "throttle_classes", None):
            statuses.add("429")
        return statuses

    def _error_schema(self, status: str) -> dict:
        if status != "400":
            return _ref("ErrorDetail")
        if self.method in UNSAFE_METHODS:
            # Field errors from the serializer, or `{detail, code}` from a domain rule
            # (`in_past`, `outside_schedule`) or a malformed `Idempotency-Key`.
            return {"oneOf": [_ref("ValidationError"), _ref("ErrorDetail")]}
        return _ref("ValidationError")

    def _success_headers(self, status: str) -> dict:
        headers = {REQUEST_ID_HEADER: {"$ref": f"{HEADERS}{REQUEST_ID_HEADER}"}}
        if self.method == "POST" and self._is_secured() and status.startswith("2"):
            headers[REPLAYED_HEADER] = {"$ref": f"{HEADERS}{REPLAYED_HEADER}"}
        return headers

    def _error_headers(self, status: str) -> dict:
        headers = {REQUEST_ID_HEADER: {"$ref": f"{HEADERS}{REQUEST_ID_HEADER}"}}
        if status == "429":
            headers["Retry-After"] = {"$ref": f"{HEADERS}Retry-After"}
        return headers

    def _register_components(self) -> None:
        for name, schema in (
            ("ValidationError", VALIDATION_ERROR),
            ("FieldErrors", FIELD_ERRORS),
            ("ErrorDetail", ERROR_DETAIL),
        ):
            self.registry.register_on_missing(
                ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
            )
        for name, header in RESPONSE_HEADERS.items():
            self.registry.register_on_missing(
                ResolvedComponent(name=name, type=ResolvedComponent.HEADER, object=name, schema=header)
            )


def _walk_schemas(node):
    """Yield every schema object below `node` (properties, items, compositions)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk_schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk_schemas(value)


def reference_query_enums(result, generator, request, public):
    """Point query parameters at the enum components their values match, so a client has one
    `AppointmentStatusEnum` for the field and the filter alike."""
    schemas = result.get("components", {}).get("schemas", {})
    by_values = {
        tuple(sorted(schema["enum"], key=str)): name
        for name, schema in schemas.items()
        if "enum" in schema and None not in schema["enum"]
    }
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                schema = parameter.get("schema", {})
                target = schema.get("items", schema) if schema.get("type") == "array" else schema
                name = by_values.get(tuple(sorted(target.get("enum", ()), key=str)))
                if name is None:
                    continue
                target.clear()
                target["$ref"] = f"{SCHEMAS}{name}"
    return result


def type_nullable_references(result, generator, request, public):
    """`nullable` needs a `type` beside it in OpenAPI 3.0: give `allOf`/`oneOf` of references
    (a nested object, an enum or `NullEnum`) the one type the referenced schemas share."""
    schemas = result.get("components", {}).get("schemas", {})
    for schema in _walk_schemas(result):
        refs = schema.get("allOf", ())
        if (schema.get("nullable") and len(refs) == 1 and "NullEnum" in schemas
                and schemas.get(refs[0].get("$ref", "").removeprefix(SCHEMAS), {}).get("type")
                == "object"):
            # A nullable nested object: generators read "the object or null" as a `oneOf`.
            schema["oneOf"] = [refs[0], {"$ref": f"{SCHEMAS}NullEnum"}]
            del schema["allOf"]
            schema.pop("type", None)
            del schema["nullable"]
            continue
        if not schema.get("nullable") or "type" in schema:
            continue
        parts = [*schema.get("allOf", ()), *schema.get("oneOf", ()), *schema.get("anyOf", ())]
        types = {
            schemas.get(part.get("$ref", "").removeprefix(SCHEMAS), {}).get("type")
            for part in parts
        } - {None}
        if len(types) == 1:
            schema["type"] = types.pop()
    return result
