"""Regressions for what fuzzing found, and the error answers the schema now documents."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from accounts.models import Department

pytestmark = pytest.mark.django_db


def test_a_department_without_a_room_rate_is_created_at_zero(api, admin_user):
    response = api(admin_user).post("/api/departments/", {"code": "NEU", "name": "Neurology"},
                                    format="json")

    assert response.status_code == 201
    assert Department.objects.get(code="NEU").daily_room_rate == 0


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_error_answers_are_documented_per_operation(schema):
    paths = schema["paths"]

    assert set(paths["/api/appointments/{id}/confirm/"]["post"]["responses"]) == {
        "200", "400", "401", "403", "404", "409", "413", "415", "422"}
    assert set(paths["/api/me/"]["get"]["responses"]) == {"200", "401", "403"}
    assert set(paths["/api/token/"]["post"]["responses"]) == {
        "200", "400", "401", "403", "413", "415", "429"}
    assert set(paths["/api/appointments/"]["get"]["responses"]) == {
        "200", "400", "401", "403", "404"}
    assert set(paths["/api/health/"]["get"]["responses"]) == {"200", "503"}


def test_authenticated_posts_document_the_idempotency_key(schema):
    header = {"in": "header", "name": "Idempotency-Key", "required": False}
    posts = {path: item["post"] for path, item in schema["paths"].items() if "post" in item}

    for path, operation in posts.items():
        documented = any(header.items() <= p.items() for p in operation.get("parameters", []))
        assert documented == ({"jwtAuth": []} in operation.get("security", [])), path
