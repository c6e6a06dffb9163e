"""Request ids on every answer, and what the audit mixin records about the client."""

import re

import pytest

from trust.middleware import request_id_from
from trust.models import AuditEvent


def test_a_request_id_is_made_when_the_client_sends_none(anon, db):
    response = anon.get("/api/health/")

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_the_clients_request_id_is_echoed_and_recorded(api, admin_user, patient):
    response = api(admin_user).get(f"/api/patients/{patient.pk}/", HTTP_X_REQUEST_ID="trace-7f3a")

    assert response["X-Request-ID"] == "trace-7f3a"
    assert AuditEvent.objects.get().request_id == "trace-7f3a"


@pytest.mark.parametrize(
    ("sent", "kept"),
    [("abc-123_x.y:z", "abc-123_x.y:z"), ("a b\r\nc<script>", "abcscript"), ("x" * 100, "x" * 64)],
)
def test_request_ids_are_sanitised(sent, kept):
    assert request_id_from(sent) == kept


@pytest.mark.parametrize("sent", ["", "   ", "<>;"])
def test_a_request_id_with_nothing_usable_is_replaced(sent):
    assert re.fullmatch(r"[0-9a-f]{32}", request_id_from(sent))


def test_errors_carry_the_request_id_too(anon, db):
    assert anon.get("/api/patients/", HTTP_X_REQUEST_ID="r1")["X-Request-ID"] == "r1"


def test_list_read_records_one_event_per_patient_shown_in_one_insert(
    api, admin_user, patient, other_patient, django_assert_max_num_queries
):
    client = api(admin_user)

    with django_assert_max_num_queries(4):  # the caller, count, page, one audit insert
        response = client.get("/api/patients/", REMOTE_ADDR="10.1.2.3")

    assert response.status_code == 200
    events = AuditEvent.objects.all()
    assert {(e.object_id, e.patient_id) for e in events} == {
        (str(patient.pk), patient.pk), (str(other_patient.pk), other_patient.pk)}
    assert {(e.actor_id, e.action, e.object_type, e.ip) for e in events} == {
        (admin_user.pk, "read", "patient", "10.1.2.3")}


def test_a_refused_request_records_nothing(api, other_patient, patient):
    response = api(patient.user).get(f"/api/patients/{other_patient.pk}/")

    assert response.status_code == 404
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("forwarded", ["not-an-ip", "1.2.3.4, 5.6.7.8", "999.1.1.1"])
def test_a_forged_forwarded_header_cannot_break_or_fake_the_ip(api, admin_user, patient, forwarded):
    response = api(admin_user).get(
        f"/api/patients/{patient.pk}/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.4.4.4"
    )

    assert response.status_code == 200
    assert AuditEvent.objects.get().ip == "10.4.4.4"


def test_one_proxy_is_trusted_when_configured(api, admin_user, patient, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}

    api(admin_user).get(f"/api/patients/{patient.pk}/", HTTP_X_FORWARDED_FOR="203.0.113.9",
                        REMOTE_ADDR="10.0.0.1")

    assert AuditEvent.objects.get().ip == "203.0.113.9"
