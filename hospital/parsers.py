"""The one JSON parser of the API: any malformed or hostile body is a 400, never a 500.

It refuses, for the whole body at once: JSON that does not parse, `NaN` and `Infinity`
(not JSON), nesting deeper than `MAX_DEPTH`, and any string (key or value) with a NUL
byte or a lone UTF-16 surrogate, naming the field in the error.
"""

import json

from django.conf import settings
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser

from hospital.text import unsafe_text_reason

# No document of the API nests deeper than a few levels; 32 leaves room and stops the
# recursion of every later step (validation, rendering) long before Python's limit.
MAX_DEPTH = 32


def _refuse_constant(name):
    raise ValueError(f"{name} is not valid JSON.")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"The number {text[:20]} is out of range.")
    return value


def _field_name(path: list) -> str:
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "non_field_errors"


def check_document(data) -> None:
    """Walk the parsed document without recursion; raise a 400 for the first hostile part."""
    stack = [(data, [], 1)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.")
        if isinstance(value, str):
            reason = unsafe_text_reason(value)
            if reason:
                raise ValidationError({_field_name(path): [reason]})
        elif isinstance(value, dict):
            for key, item in value.items():
                if unsafe_text_reason(key):
                    raise ValidationError({"non_field_errors": [
                        "A field name must not contain NUL bytes or lone UTF-16 surrogates."]})
                stack.append((item, [*path, key], depth + 1))
        elif isinstance(value, list):
            stack.extend((item, [*path, index], depth + 1) for index, item in enumerate(value))


class SafeJSONParser(JSONParser):
    """DRF's JSON parser, hardened: see the module docstring."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding) if stream is not None else ""
        except UnicodeDecodeError as exc:
            raise ParseError("The request body is not valid UTF-8.") from exc
        if not text.strip():
            # An empty body parses as no data, as DRF does for a missing one.
            return {}
        try:
            data = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
        except RecursionError as exc:
            raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.") from exc
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc
        check_document(data)
        return data
