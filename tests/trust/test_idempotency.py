"""`Idempotency-Key` on POST: a retry replays the first answer and creates nothing new."""

import datetime
import threading
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from accounts.models import PatientProfile, User
from appointments.models import Appointment
from tests.conftest import client_for
from tests.factories.accounts import PASSWORD, AdminFactory
from tests.factories.appointments import future_slot, working_every_day
from trust.models import IdempotencyRecord

APPOINTMENTS = "/api/appointments/"
PATIENTS = "/api/patients/"


@pytest.fixture
def booking(doctor):
    working_every_day(doctor)
    return {"doctor": str(doctor.pk), "start": future_slot(days=1, hour=9).isoformat(),
            "reason": "Chest pain"}


def patient_body(username="new_patient"):
    return {
        "username": username, "email": f"{username}@example.org", "password": PASSWORD,
        "password2": PASSWORD, "first_name": "New", "last_name": "Patient",
        "profile": {"date_of_birth": "1990-01-01", "sex": "female", "address": "1 Road",
                    "mobile": "+2348000000001"},
    }


def test_two_identical_appointment_requests_book_once(api, patient, booking):
    client = api(patient.user)

    first = client.post(APPOINTMENTS, booking, HTTP_IDEMPOTENCY_KEY="book-1")
    retry = client.post(APPOINTMENTS, booking, HTTP_IDEMPOTENCY_KEY="book-1")

    assert first.status_code == 201
    assert (retry.status_code, retry.json()) == (201, first.json())
    assert retry["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Appointment.objects.count() == 1


def test_without_a_key_the_retry_is_a_second_request(api, patient, booking):
    client = api(patient.user)

    client.post(APPOINTMENTS, booking)
    retry = client.post(APPOINTMENTS, booking)

    assert retry.status_code == 409
    assert Appointment.objects.count() == 1


def test_the_same_key_with_another_body_is_422(api, patient, booking):
    client = api(patient.user)
    client.post(APPOINTMENTS, booking, HTTP_IDEMPOTENCY_KEY="book-1")

    other = client.post(APPOINTMENTS, {**booking, "reason": "Headache"}, HTTP_IDEMPOTENCY_KEY="book-1")

    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert set(other.json()) == {"detail", "code"}
    assert Appointment.objects.get().reason == "Chest pain"


def test_the_same_key_on_another_path_is_422(api, admin_user):
    client = api(admin_user)
    client.post(PATIENTS, patient_body(), HTTP_IDEMPOTENCY_KEY="k")

    other = client.post("/api/doctors/", patient_body("other"), HTTP_IDEMPOTENCY_KEY="k")

    assert other.status_code == 422


def test_json_key_order_does_not_make_another_request(api, admin_user):
    client = api(admin_user)
    body = patient_body()
    reordered = dict(reversed(list(body.items())))

    client.post(PATIENTS, body, HTTP_IDEMPOTENCY_KEY="k")
    retry = client.post(PATIENTS, reordered, HTTP_IDEMPOTENCY_KEY="k")

    assert retry.status_code == 201 and retry["Idempotent-Replayed"] == "true"
    assert PatientProfile.objects.count() == 1


def test_keys_belong_to_one_user(api, admin_user):
    other_admin = AdminFactory()

    first = api(admin_user).post(PATIENTS, patient_body("one"), HTTP_IDEMPOTENCY_KEY="k")
    second = api(other_admin).post(PATIENTS, patient_body("two"), HTTP_IDEMPOTENCY_KEY="k")

    assert (first.status_code, second.status_code) == (201, 201)
    assert "Idempotent-Replayed" not in second
    assert set(PatientProfile.objects.values_list("user__username", flat=True)) == {"one", "two"}


def test_an_error_answer_is_replayed_too(api, admin_user):
    client = api(admin_user)
    bad = {**patient_body(), "password2": "different"}

    first = client.post(PATIENTS, bad, HTTP_IDEMPOTENCY_KEY="k")
    retry = client.post(PATIENTS, bad, HTTP_IDEMPOTENCY_KEY="k")

    assert first.status_code == 400
    assert (retry.status_code, retry.json(), retry["Idempotent-Replayed"]) == (
        400, first.json(), "true")


def test_a_server_error_is_not_stored_so_the_retry_runs(api, admin_user):
    client = api(admin_user)
    client.raise_request_exception = False

    with mock.patch("accounts.services.PatientProfile.save", side_effect=RuntimeError("boom")):
        failed = client.post(PATIENTS, patient_body(), HTTP_IDEMPOTENCY_KEY="k")
    retry = client.post(PATIENTS, patient_body(), HTTP_IDEMPOTENCY_KEY="k")

    assert failed.status_code == 500
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry
    assert PatientProfile.objects.count() == 1


@pytest.mark.parametrize(("key", "expected"), [("k" * 255, 201), ("k" * 256, 400), ("", 400)])
def test_key_length_is_checked(api, admin_user, key, expected):
    response = api(admin_user).post(PATIENTS, patient_body(), HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == expected
    if expected == 400:
        assert response.json()["code"] == "invalid_input"
        assert not PatientProfile.objects.exists()


def test_anonymous_posts_ignore_the_header(anon, db):
    body = {**patient_body(), "role": "patient"}

    first = anon.post("/api/register/", body, HTTP_IDEMPOTENCY_KEY="k" * 300)
    second = anon.post("/api/register/", {**body, "username": "another", "email": "a@example.org"},
                       HTTP_IDEMPOTENCY_KEY="k" * 300)

    assert (first.status_code, second.status_code) == (201, 201)
    assert not IdempotencyRecord.objects.exists()


def test_an_invalid_token_is_left_to_the_view(anon, db):
    anon.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    response = anon.post(PATIENTS, patient_body(), HTTP_IDEMPOTENCY_KEY="k")

    assert response.status_code == 401


def test_other_methods_ignore_the_header(api, admin_user, patient):
    client = api(admin_user)

    for mobile in ("+2348000000002", "+2348000000003"):
        response = client.patch(f"{PATIENTS}{patient.pk}/", {"mobile": mobile},
                                HTTP_IDEMPOTENCY_KEY="k")
        assert "Idempotent-Replayed" not in response
    patient.refresh_from_db()
    assert patient.mobile == "+2348000000003"


def test_a_key_older_than_a_day_is_forgotten(api, admin_user):
    client = api(admin_user)
    client.post(PATIENTS, patient_body("one"), HTTP_IDEMPOTENCY_KEY="k")
    IdempotencyRecord.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))

    later = client.post(PATIENTS, patient_body("two"), HTTP_IDEMPOTENCY_KEY="k")

    assert later.status_code == 201 and "Idempotent-Replayed" not in later
    assert PatientProfile.objects.count() == 2


def test_purge_deletes_only_expired_records(api, admin_user, capsys):
    client = api(admin_user)
    client.post(PATIENTS, patient_body("one"), HTTP_IDEMPOTENCY_KEY="old")
    IdempotencyRecord.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    client.post(PATIENTS, patient_body("two"), HTTP_IDEMPOTENCY_KEY="fresh")

    call_command("purge_idempotency_keys")

    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]
    assert "Deleted 1" in capsys.readouterr().out


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_run_once(doctor, patient):
    working_every_day(doctor)
    booking = {"doctor": str(doctor.pk), "start": future_slot(days=1, hour=9).isoformat(),
               "reason": "Chest pain"}
    barrier = threading.Barrier(4)
    answers = []

    def send():
        try:
            client = client_for(patient.user)
            barrier.wait()
            response = client.post(APPOINTMENTS, booking, HTTP_IDEMPOTENCY_KEY="same")
            answers.append((response.status_code, response.json()["id"]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(answers) == 4
    assert {status for status, _ in answers} == {201}
    assert len({appointment_id for _, appointment_id in answers}) == 1
    assert Appointment.objects.count() == 1
    assert User.objects.filter(pk=patient.user.pk).exists()
