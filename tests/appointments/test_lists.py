"""Appointment lists: who sees which rows, the fields, filters, ordering, query counts, audit."""

import datetime

import pytest

from tests.factories.accounts import PatientProfileFactory
from tests.factories.appointments import AppointmentFactory, future_slot, local_at
from trust.models import AuditEvent

URL = "/api/appointments/"
FIELDS = {
    "id", "patient", "doctor", "start", "end", "status", "reason", "notes", "admission",
    "cancellation_reason", "created_at",
}


def ids(response) -> set[str]:
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def booked(doctor, other_doctor, patient, other_patient):
    """One appointment per (doctor, patient) pair."""
    return {
        (d, p): AppointmentFactory(doctor=doctor_profile, patient=patient_profile)
        for d, doctor_profile in (("doctor", doctor), ("other_doctor", other_doctor))
        for p, patient_profile in (("patient", patient), ("other_patient", other_patient))
    }


def test_each_role_sees_exactly_its_own(api, admin_user, doctor, patient, booked):
    everyone = {str(a.pk) for a in booked.values()}
    of_doctor = {str(booked["doctor", p].pk) for p in ("patient", "other_patient")}
    of_patient = {str(booked[d, "patient"].pk) for d in ("doctor", "other_doctor")}

    assert ids(api(admin_user).get(URL)) == everyone
    assert ids(api(doctor.user).get(URL)) == of_doctor
    assert ids(api(patient.user).get(URL)) == of_patient


def test_list_rows_carry_the_contract_fields(api, doctor, patient):
    appointment = AppointmentFactory(doctor=doctor, patient=patient)

    row = api(patient.user).get(URL).json()["results"][0]

    assert set(row) == FIELDS
    assert row["patient"] == {"id": str(patient.pk), "full_name": patient.user.full_name,
                              "age": patient.age}
    assert row["doctor"] == {"id": str(doctor.pk), "full_name": doctor.user.full_name,
                             "department": {"code": "CL", "name": "Cardiology"}}
    assert row["id"] == str(appointment.pk)


def test_list_is_paginated(api, admin_user, doctor):
    for _ in range(3):
        AppointmentFactory(doctor=doctor)

    data = api(admin_user).get(URL, {"page_size": 2}).json()

    assert data["count"] == 3
    assert len(data["results"]) == 2
    assert data["next"]


def test_filters(api, admin_user, doctor, other_doctor, patient, other_patient):
    confirmed = AppointmentFactory(doctor=doctor, patient=patient, start=future_slot(days=1))
    requested = AppointmentFactory(doctor=other_doctor, patient=patient, status="requested",
                                   start=future_slot(days=3))
    other = AppointmentFactory(doctor=doctor, patient=other_patient, status="cancelled",
                               start=future_slot(days=5))
    client = api(admin_user)

    assert ids(client.get(URL, {"status": "requested"})) == {str(requested.pk)}
    assert ids(client.get(URL, {"doctor": str(doctor.pk)})) == {str(confirmed.pk), str(other.pk)}
    assert ids(client.get(URL, {"patient": str(other_patient.pk)})) == {str(other.pk)}
    day3 = future_slot(days=3).date().isoformat()
    assert ids(client.get(URL, {"date_from": day3})) == {str(requested.pk), str(other.pk)}
    assert ids(client.get(URL, {"date_to": day3})) == {str(confirmed.pk), str(requested.pk)}
    assert ids(client.get(URL, {"date_from": day3, "date_to": day3})) == {str(requested.pk)}


def test_date_filters_use_the_local_calendar(api, admin_user, doctor):
    day = future_slot(days=2).date()
    # 00:30 in Lagos (UTC+1) is still the previous day in UTC.
    early = AppointmentFactory(doctor=doctor, start=local_at(day, 0, 30))
    late = AppointmentFactory(doctor=doctor, start=local_at(day, 23, 30))

    found = ids(api(admin_user).get(URL, {"date_from": day, "date_to": day}))

    assert found == {str(early.pk), str(late.pk)}


@pytest.mark.parametrize(
    "params",
    [{"status": "nope"}, {"doctor": "not-a-uuid"}, {"date_from": "2026-02-30"},
     {"date_to": "9999-12-31"}, {"date_from": "0001-01-01"}],
)
def test_bad_filters_are_400(api, admin_user, params):
    assert api(admin_user).get(URL, params).status_code == 400


def test_ordering_by_start(api, admin_user, doctor):
    later = AppointmentFactory(doctor=doctor, start=future_slot(days=4))
    sooner = AppointmentFactory(doctor=doctor, start=future_slot(days=2))
    client = api(admin_user)

    ascending = [r["id"] for r in client.get(URL, {"ordering": "start"}).json()["results"]]
    descending = [r["id"] for r in client.get(URL, {"ordering": "-start"}).json()["results"]]

    assert ascending == [str(sooner.pk), str(later.pk)]
    assert descending == [str(later.pk), str(sooner.pk)]


@pytest.mark.parametrize("rows", [1, 25])
def test_list_query_count_is_constant(api, admin_user, doctor, django_assert_max_num_queries, rows):
    for _ in range(rows):
        AppointmentFactory(doctor=doctor, patient=PatientProfileFactory())
    client = api(admin_user)

    with django_assert_max_num_queries(4):  # user, count, page, audit insert
        response = client.get(URL)

    assert len(response.json()["results"]) == min(rows, 20)


@pytest.mark.parametrize("events", [1, 10])
def test_detail_query_count_is_constant(api, doctor, django_assert_max_num_queries, events):
    from tests.factories.appointments import AppointmentEventFactory
    from tests.factories.clinical import PrescriptionFactory

    appointment = AppointmentFactory(doctor=doctor)
    for _ in range(events):
        AppointmentEventFactory(appointment=appointment)
        PrescriptionFactory(appointment=appointment)
    client = api(doctor.user)

    with django_assert_max_num_queries(5):  # user, appointment, events, prescriptions, audit
        response = client.get(f"{URL}{appointment.pk}/")

    assert len(response.json()["events"]) == events


def test_list_and_detail_reads_are_audited(api, doctor, patient):
    appointment = AppointmentFactory(doctor=doctor, patient=patient)

    api(doctor.user).get(URL)
    api(doctor.user).get(f"{URL}{appointment.pk}/")

    events = AuditEvent.objects.filter(object_type="appointment", object_id=str(appointment.pk))
    assert sorted(events.values_list("action", flat=True)) == ["read", "read"]
    assert {e.patient_id for e in events} == {patient.pk}
    assert {e.actor_id for e in events} == {doctor.pk}


def test_booking_is_audited_as_create(api, patient, doctor, schedule, slot):
    response = api(patient.user).post(
        URL, {"doctor": str(doctor.pk), "start": slot.isoformat(), "reason": "x"}
    )

    event = AuditEvent.objects.get(object_id=response.json()["id"])
    assert (event.action, event.object_type, event.patient_id) == ("create", "appointment", patient.pk)


def test_unauthenticated_list_is_401(anon, db):
    assert anon.get(URL).status_code == 401


def test_pending_user_cannot_list(api, pending_patient):
    assert api(pending_patient.user).get(URL).status_code in (401, 403)


def test_end_is_start_plus_slot_in_the_response(api, admin_user, doctor):
    appointment = AppointmentFactory(doctor=doctor)

    row = api(admin_user).get(URL).json()["results"][0]

    start = datetime.datetime.fromisoformat(row["start"])
    assert start == appointment.start
    assert datetime.datetime.fromisoformat(row["end"]) - start == datetime.timedelta(minutes=30)
