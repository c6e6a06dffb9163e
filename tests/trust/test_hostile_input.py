"""Hostile input on every operation of the schema: never a 5xx, and a 4xx writes nothing.

Hypothesis draws, per operation, a hostile value (deep nesting, NUL, lone surrogates, huge
numbers, NaN/Infinity, dates at and beyond 1900…2100, overlong strings) and puts it in one
field of a valid body, in a query parameter, in the path's id, or in place of the whole body.
The default run is short (`HOSTILE_MAX_EXAMPLES`, 4 per operation); `make fuzz` runs longer.
"""

import json
import os
from urllib.parse import quote

import hypothesis
import pytest
from django.apps import apps
from hypothesis import strategies as st

from tests.test_authz_matrix import BODIES, MATRIX, url_for
from tests.test_authz_matrix import world as _world

world = _world  # the authorization matrix's fixture: records of every kind

MAX_EXAMPLES = int(os.environ.get("HOSTILE_MAX_EXAMPLES", "4"))
DOMAIN_APPS = ("accounts", "appointments", "clinical", "billing")

HOSTILE_VALUES = st.one_of(
    st.sampled_from([
        "a\x00b", "\ud800", "x\udfffy", "\x00", 10**30, -(10**30), 1e308, 2**63, "1e999",
        "0001-01-01", "1899-12-31", "1900-01-01", "2100-12-31", "2101-01-01", "9999-12-31",
        "0001-01-01T00:00:00Z", "1899-12-31T23:59:59+00:00", "2100-12-31T23:59:59+14:00",
        "2101-01-01T00:00:00Z", "x" * 20000, "", None, [], {}, True, -1, 0.1,
    ]),
    st.text(alphabet=st.sampled_from(["a", "\x00", "\ud800", "\udc00", "é", "1", "-"]),
            max_size=8),
    st.integers(min_value=1, max_value=4000).map(lambda n: "[" * n + "]" * n),
)
RAW_BODIES = st.sampled_from([
    "[" * 5000, "{" * 3000, '{"a": NaN}', '{"a": Infinity}', '{"a": -Infinity}', "{",
    '{"a": 1e999}', '{"a": ' + "9" * 5000 + "}", '"\\u0000"', '{"\\u0000": 1}',
    '{"a": "\\ud800"}', "\xff\xfe", "null", "[]", "42",
])

OPERATIONS = sorted(MATRIX)


def row_count() -> int:
    return sum(model.objects.count() for name in DOMAIN_APPS
               for model in apps.get_app_config(name).get_models())


def _raw(value) -> str:
    if isinstance(value, str) and value.startswith("[[["):
        return value  # raw deep nesting, not a JSON string
    return json.dumps(value)


def _body_with(body, value) -> str:
    """A valid body with `value` put in its first field (or a nested one), as JSON text."""
    if not isinstance(body, dict) or not body:
        return "{" + f'"value": {_raw(value)}' + "}"
    parts = []
    for index, (key, item) in enumerate(body.items()):
        text = _raw(value) if index == 0 else json.dumps(item)
        parts.append(f"{json.dumps(key)}: {text}")
    return "{" + ", ".join(parts) + "}"


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=lambda value: value)
def test_hostile_input_answers_4xx_and_writes_nothing(world, api, method, path, settings):
    settings.AUTH_THROTTLE_RATE = "100000/min"
    client = api(world.admin)
    client.raise_request_exception = True
    valid = BODIES.get((method, path), lambda w, p: None)(world, "admin")
    url = url_for(world, method, path)

    @hypothesis.settings(max_examples=MAX_EXAMPLES, deadline=None, database=None,
                         derandomize=os.environ.get("FUZZ_RANDOM") != "1",
                         suppress_health_check=list(hypothesis.HealthCheck))
    @hypothesis.given(where=st.sampled_from(["body", "query", "path", "raw"]),
                      value=HOSTILE_VALUES, raw=RAW_BODIES)
    def check(where, value, raw):
        target, text = url, _body_with(valid, value)
        if where == "raw":
            text = raw
        elif where == "query":
            shown = value if isinstance(value, str) else json.dumps(value)
            target = f"{url}?page={quote(shown[:2000])}&date_from={quote(shown[:2000])}"
        elif where == "path" and "{id}" in path:
            shown = value if isinstance(value, str) else json.dumps(value)
            target = path.replace("{id}", quote(shown[:500], safe="", errors="surrogatepass"))
        before = row_count()
        response = client.generic(method, target, text.encode("utf-8", "surrogatepass"),
                                  content_type="application/json")
        assert response.status_code < 500, (where, target[:200], text[:200], response.content[:300])
        if 400 <= response.status_code < 500:
            assert row_count() == before, (where, target[:200], text[:200])

    check()
