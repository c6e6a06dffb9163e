"""Operation docs in one shape: a summary, what it does, who may call it, the errors it answers.

`documented(...)` returns drf-spectacular's `extend_schema` with those texts, for a view method
or, inside `extend_schema_view`, for a viewset's actions. The answers every operation can give
(400 invalid input, 401, 403, 404, 429, …) are added to each operation by hospital/openapi.py;
`errors` names the ones this operation gives for its own reasons, with their `code`.
"""

from drf_spectacular.utils import extend_schema


def documented(summary: str, *, who: str, does: str = "", errors: str = "", **schema):
    parts = [does] if does else []
    parts.append(f"**Who may call it:** {who}")
    parts.append(f"**Errors:** {errors}" if errors else "**Errors:** only the common ones below.")
    return extend_schema(summary=summary, description="\n\n".join(parts), **schema)
