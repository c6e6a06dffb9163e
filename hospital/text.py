"""Text every layer refuses: NUL bytes (PostgreSQL cannot store them) and lone surrogates."""

import re

_SURROGATE = re.compile("[\ud800-\udfff]")


def unsafe_text_reason(value: str) -> str | None:
    """Why `value` cannot be accepted as text, or None when it can."""
    if "\x00" in value:
        return "Must not contain NUL bytes."
    if _SURROGATE.search(value):
        return "Must not contain lone UTF-16 surrogates."
    return None
