"""Schema post-processing: the error answers every operation can give, and the retry header.

drf-spectacular documents the success answers; the refusals come from shared machinery (the
authentication, the role tables, the exception handler, the throttles, the idempotency and
body-size middleware), so they are documented here once, from what each operation is.
"""

from trust.idempotency import IDEMPOTENCY_HEADER, KEY_MAX_LENGTH

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}
# The sign-in views need no token but refuse bad credentials (and unapproved accounts).
TOKEN_REFUSALS = {
    "/api/token/": {"401", "403"},
    "/api/token/refresh/": {"401"},
    "/api/token/blacklist/": {"401"},
}
UNSAFE_METHODS = {"post", "put", "patch", "delete"}

ERROR_SCHEMA = {
    "description": (
        "`{detail, code}` for refusals and domain errors, or `{field: [messages]}` for "
        "invalid input."
    ),
    "anyOf": [
        {
            "type": "object",
            "required": ["detail"],
            "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
        },
        {
            "type": "object",
            "additionalProperties": {"anyOf": [{"type": "array"}, {"type": "object"}]},
        },
    ],
}

DESCRIPTIONS = {
    "400": "Invalid input.",
    "401": "Missing, invalid or expired credentials.",
    "403": "The caller may see this object but not do this.",
    "404": "No such object in the caller's scope (or no such page).",
    "409": "The object's state does not allow this (see `code`).",
    "413": "The request body is too large.",
    "422": f"The `{IDEMPOTENCY_HEADER}` was already used with a different request.",
    "429": "Too many requests; retry after `Retry-After` seconds.",
}


def _views_by_operation(generator) -> dict[tuple[str, str], type]:
    views = {}
    for path, _regex, method, callback in generator.endpoints or []:
        views[(path, method.lower())] = getattr(callback, "cls", None)
    return views


def document_error_responses(result, generator, request, public):
    """Add the error answers of each operation, and `Idempotency-Key` on authenticated POSTs."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    views = _views_by_operation(generator)
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            view = views.get((path, method))
            secured = any("jwtAuth" in requirement for requirement in operation.get("security", []))
            codes = _error_codes(path, method, operation, view, secured)
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(code, {
                    "description": DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                })
            if method == "post" and secured:
                operation.setdefault("parameters", []).append({
                    "in": "header", "name": IDEMPOTENCY_HEADER, "required": False,
                    "schema": {"type": "string", "minLength": 1, "maxLength": KEY_MAX_LENGTH},
                    "description": (
                        "Retry safely: the same key from the same user within 24 hours answers "
                        "with the first response and creates nothing."
                    ),
                })
    return result


def _error_codes(path, method, operation, view, secured) -> set[str]:
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    codes = set(TOKEN_REFUSALS.get(path, ()))
    # A POST may also carry a malformed `Idempotency-Key`.
    if has_body or any(p.get("in") == "query" for p in parameters) or (
        secured and method == "post"
    ):
        codes.add("400")
    if has_body:
        codes.add("413")
    if secured:
        codes |= {"401", "403"}
    if "{" in path or any(p.get("name") == "page" for p in parameters):
        codes.add("404")
    if secured and method in UNSAFE_METHODS:
        codes.add("409")
    if secured and method == "post":
        codes.add("422")
    if view is not None and getattr(view, "throttle_classes", None):
        codes.add("429")
    return codes
