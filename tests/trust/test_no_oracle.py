"""One answer for hidden and missing objects, on every detail route of the schema.

For each operation and persona the authorization matrix expects a 404 (an object outside the
caller's scope), the same call with an id that does not exist must answer the same status and
the very same body.
"""

import uuid

import pytest

from tests.test_authz_matrix import BODIES, MATRIX, PERSONAS, client_of, url_for
from tests.test_authz_matrix import world as _world

world = _world  # the authorization matrix's fixture: records of every kind

HIDDEN = sorted(
    (method, path, persona)
    for (method, path), expected in MATRIX.items()
    for persona, status in zip(PERSONAS, expected, strict=True)
    if status == 404 and ("{id}" in path or "{code}" in path)
)


def test_the_matrix_has_hidden_objects_to_compare():
    assert len(HIDDEN) > 20


@pytest.mark.parametrize(("method", "path", "persona"), HIDDEN, ids=lambda value: value)
def test_a_hidden_object_answers_like_a_missing_one(world, method, path, persona, settings):
    settings.AUTH_THROTTLE_RATE = "1000/min"
    client = client_of(world, persona)
    body = BODIES.get((method, path), lambda w, p: None)(world, persona)
    hidden_url = url_for(world, method, path)
    missing_url = path.replace("{id}", str(uuid.uuid4())).replace("{code}", "NOPE")

    hidden = getattr(client, method.lower())(hidden_url, body, format="json")
    missing = getattr(client, method.lower())(missing_url, body, format="json")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json() == {"detail": "Not found.", "code": "not_found"}


def test_an_admission_invoice_hidden_or_missing_answers_alike(world, api):
    client = api(world.other_doctor.user)

    hidden = client.post(f"/api/admissions/{world.admission.pk}/invoice/")
    missing = client.post(f"/api/admissions/{uuid.uuid4()}/invoice/")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
