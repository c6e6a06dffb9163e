"""Booking: who may book what, the slot rules and their error codes, the database backstop."""

import datetime
from unittest import mock

import pytest
from django.db import transaction

from appointments import services
from appointments.models import Appointment, AppointmentEvent
from tests.factories.accounts import DoctorProfileFactory, PatientProfileFactory
from tests.factories.appointments import AppointmentFactory, future_slot, working_every_day
from tests.factories.clinical import AdmissionFactory

URL = "/api/appointments/"


def body(**fields):
    fields.setdefault("reason", "Chest pain")
    return {name: (value.isoformat() if isinstance(value, datetime.datetime) else value)
            for name, value in fields.items()}


def test_patient_request_with_a_time_waits_for_confirmation(api, patient, doctor, schedule, slot):
    response = api(patient.user).post(URL, body(doctor=str(doctor.pk), start=slot))

    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "requested"
    assert data["patient"]["id"] == str(patient.pk)
    assert data["doctor"]["id"] == str(doctor.pk)
    assert datetime.datetime.fromisoformat(data["start"]) == slot
    assert datetime.datetime.fromisoformat(data["end"]) == slot + datetime.timedelta(minutes=30)
    assert data["start"].endswith("+01:00")  # Africa/Lagos, the test settings' zone
    assert [(e["action"], e["from_status"], e["to_status"]) for e in data["events"]] == [
        ("request", "", "requested")
    ]
    assert data["events"][0]["actor"]["id"] == str(patient.pk)


def test_patient_may_request_without_a_time(api, patient, doctor):
    response = api(patient.user).post(URL, body(doctor=str(doctor.pk)))

    assert response.status_code == 201
    assert response.json()["start"] is None
    assert response.json()["end"] is None
    assert response.json()["status"] == "requested"


def test_doctor_booking_is_confirmed_and_opens_the_care_relation(
    api, doctor, other_patient, schedule, slot, django_capture_on_commit_callbacks, mailoutbox
):
    client = api(doctor.user)
    assert client.get(f"/api/patients/{other_patient.pk}/").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, body(patient=str(other_patient.pk), start=slot))

    assert response.status_code == 201
    assert response.json()["status"] == "confirmed"
    assert client.get(f"/api/patients/{other_patient.pk}/").status_code == 200
    assert [m.to for m in mailoutbox] == [[other_patient.user.email]]
    assert mailoutbox[0].subject == "Your appointment is confirmed"


def test_admin_books_for_any_patient_and_doctor(api, admin_user, doctor, patient, schedule, slot):
    response = api(admin_user).post(
        URL, body(patient=str(patient.pk), doctor=str(doctor.pk), start=slot)
    )

    assert response.status_code == 201
    assert response.json()["status"] == "confirmed"
    assert Appointment.objects.get().created_by == admin_user


@pytest.mark.parametrize(
    ("role", "fields", "errors"),
    [
        ("patient", {}, {"doctor"}),
        ("doctor", {"patient": "patient"}, {"start"}),
        ("doctor", {"start": "slot"}, {"patient"}),
        ("admin", {"patient": "patient", "start": "slot"}, {"doctor"}),
        ("admin", {"doctor": "doctor", "start": "slot"}, {"patient"}),
        ("admin", {"doctor": "doctor", "patient": "patient"}, {"start"}),
    ],
)
def test_missing_fields_per_role_are_400(api, admin_user, doctor, patient, schedule, slot,
                                         role, fields, errors):
    users = {"patient": patient.user, "doctor": doctor.user, "admin": admin_user}
    values = {"patient": str(patient.pk), "doctor": str(doctor.pk), "slot": slot}
    response = api(users[role]).post(URL, body(**{k: values[v] for k, v in fields.items()}))

    assert response.status_code == 400
    assert set(response.json()) == errors
    assert not Appointment.objects.exists()


def test_reason_is_required(api, patient, doctor):
    response = api(patient.user).post(URL, {"doctor": str(doctor.pk)})

    assert response.status_code == 400
    assert "reason" in response.json()


def test_patient_cannot_book_for_another_patient(api, patient, other_patient, doctor, schedule, slot):
    response = api(patient.user).post(
        URL, body(doctor=str(doctor.pk), patient=str(other_patient.pk), start=slot)
    )

    assert response.status_code == 400
    assert "patient" in response.json()
    assert not Appointment.objects.exists()


def test_doctor_books_for_self_only(api, doctor, other_doctor, patient, other_schedule, slot):
    response = api(doctor.user).post(
        URL, body(doctor=str(other_doctor.pk), patient=str(patient.pk), start=slot)
    )

    assert response.status_code == 400
    assert "doctor" in response.json()
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("which", ["pending", "inactive", "unknown"])
def test_patient_books_only_approved_active_doctors(api, patient, pending_doctor, which):
    target = pending_doctor
    if which == "inactive":
        target = DoctorProfileFactory(user__is_active=False)
    working_every_day(target)
    doctor_id = "00000000-0000-0000-0000-000000000000" if which == "unknown" else str(target.pk)

    response = api(patient.user).post(URL, body(doctor=doctor_id, start=future_slot()))

    assert response.status_code == 400
    assert "doctor" in response.json()
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("which", ["pending", "rejected", "inactive"])
def test_doctor_books_only_approved_active_patients(
    api, doctor, schedule, slot, pending_patient, rejected_patient, which
):
    target = {"pending": pending_patient, "rejected": rejected_patient,
              "inactive": PatientProfileFactory(user__is_active=False)}[which]

    response = api(doctor.user).post(URL, body(patient=str(target.pk), start=slot))

    assert response.status_code == 400
    assert "patient" in response.json()
    assert not Appointment.objects.exists()


def test_booking_in_the_past_is_400_in_past(api, patient, doctor, schedule):
    yesterday = future_slot(days=-1)

    response = api(patient.user).post(URL, body(doctor=str(doctor.pk), start=yesterday))

    assert response.status_code == 400
    assert response.json()["code"] == "in_past"
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    "start",
    [
        future_slot(hour=7),                                             # before opening
        future_slot(hour=18),                                            # at closing
        future_slot(hour=9, minute=10),                                  # not on a slot boundary
        future_slot(hour=9) + datetime.timedelta(seconds=1),
    ],
    ids=["before-hours", "at-closing", "off-boundary", "one-second-off"],
)
def test_booking_outside_the_schedule_is_400(api, patient, doctor, schedule, start):
    response = api(patient.user).post(URL, body(doctor=str(doctor.pk), start=start))

    assert response.status_code == 400
    assert response.json()["code"] == "outside_schedule"
    assert not Appointment.objects.exists()


def test_doctor_without_schedule_has_no_slots_to_book(api, patient, doctor):
    response = api(patient.user).post(URL, body(doctor=str(doctor.pk), start=future_slot()))

    assert response.status_code == 400
    assert response.json()["code"] == "outside_schedule"


def test_start_in_another_zone_is_the_same_instant(api, patient, doctor, schedule, slot):
    in_utc = slot.astimezone(datetime.UTC).isoformat()

    response = api(patient.user).post(URL, body(doctor=str(doctor.pk), start=in_utc))

    assert response.status_code == 201
    assert datetime.datetime.fromisoformat(response.json()["start"]) == slot


@pytest.mark.parametrize("status", ["requested", "confirmed"])
def test_taken_slot_is_409_slot_unavailable(api, patient, other_patient, doctor, schedule, slot, status):
    AppointmentFactory(doctor=doctor, patient=other_patient, start=slot, status=status)

    response = api(patient.user).post(URL, body(doctor=str(doctor.pk), start=slot))

    assert response.status_code == 409
    assert response.json()["code"] == "slot_unavailable"
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize("status", ["cancelled", "rejected", "completed", "no_show"])
def test_slot_of_an_inactive_appointment_is_free(api, patient, other_patient, doctor, schedule, slot,
                                                 status):
    AppointmentFactory(doctor=doctor, patient=other_patient, start=slot, status=status)

    response = api(patient.user).post(URL, body(doctor=str(doctor.pk), start=slot))

    assert response.status_code == 201


def test_slot_overlapping_a_longer_appointment_is_taken(api, patient, other_patient, doctor, schedule,
                                                       slot):
    # Booked when the doctor's slots lasted an hour: it still covers 09:30.
    AppointmentFactory(doctor=doctor, patient=other_patient, start=slot,
                       end=slot + datetime.timedelta(hours=1))

    response = api(patient.user).post(
        URL, body(doctor=str(doctor.pk), start=slot + datetime.timedelta(minutes=30))
    )

    assert response.status_code == 409
    assert response.json()["code"] == "slot_unavailable"


def test_patient_cannot_hold_two_appointments_at_once(
    api, patient, doctor, other_doctor, schedule, other_schedule, slot
):
    AppointmentFactory(doctor=other_doctor, patient=patient, start=slot)

    response = api(patient.user).post(URL, body(doctor=str(doctor.pk), start=slot))

    assert response.status_code == 409
    assert response.json()["code"] == "patient_busy"
    assert Appointment.objects.count() == 1


def test_admission_of_the_same_patient_is_linked(api, doctor, patient, schedule, slot):
    admission = AdmissionFactory(patient=patient, assigned_doctor=doctor)

    response = api(doctor.user).post(
        URL, body(patient=str(patient.pk), start=slot, admission=str(admission.pk))
    )

    assert response.status_code == 201
    assert response.json()["admission"] == str(admission.pk)


def test_admission_of_another_patient_is_400(api, admin_user, doctor, patient, other_patient,
                                             schedule, slot):
    admission = AdmissionFactory(patient=other_patient, assigned_doctor=doctor)

    response = api(admin_user).post(URL, body(
        patient=str(patient.pk), doctor=str(doctor.pk), start=slot, admission=str(admission.pk)
    ))

    assert response.status_code == 400
    assert "admission" in response.json()
    assert not Appointment.objects.exists()


def test_admission_the_caller_cannot_see_is_400(api, patient, other_patient, doctor, schedule, slot):
    hidden = AdmissionFactory(patient=other_patient)

    response = api(patient.user).post(
        URL, body(doctor=str(doctor.pk), start=slot, admission=str(hidden.pk))
    )

    assert response.status_code == 400
    assert "admission" in response.json()
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("start", ["tomorrow", "2026-13-01T09:00:00+01:00", 12])
def test_malformed_start_is_400(api, patient, doctor, start):
    response = api(patient.user).post(URL, body(doctor=str(doctor.pk), start=start))

    assert response.status_code == 400
    assert "start" in response.json()


def test_unauthenticated_booking_is_401(anon, doctor):
    assert anon.post(URL, body(doctor=str(doctor.pk))).status_code == 401


@pytest.mark.django_db
def test_unique_constraint_backstop_answers_409_and_keeps_the_transaction_usable(
    doctor, patient, other_patient, schedule, slot
):
    AppointmentFactory(doctor=doctor, patient=other_patient, start=slot)
    # Skip the service's own check, as a concurrent insert would have: the database refuses.
    end = slot + datetime.timedelta(minutes=30)
    skip_check = mock.patch.object(services, "_check_slot", return_value=end)
    with skip_check, transaction.atomic():
        with pytest.raises(services.DomainError) as refused:
            services.appointment_request(
                actor=patient.user, doctor=doctor, patient=patient, reason="x", start=slot
            )
        # The savepoint was rolled back: the outer transaction still answers queries.
        assert Appointment.objects.count() == 1

    assert refused.value.code == "slot_unavailable"
    assert refused.value.status_code == 409
    assert not AppointmentEvent.objects.exists()


@pytest.mark.django_db
def test_unique_constraint_backstop_names_patient_busy(doctor, other_doctor, patient, schedule, slot):
    AppointmentFactory(doctor=other_doctor, patient=patient, start=slot)
    end = slot + datetime.timedelta(minutes=30)
    skip_check = mock.patch.object(services, "_check_slot", return_value=end)
    with skip_check, pytest.raises(services.DomainError) as refused:
        services.appointment_request(
            actor=patient.user, doctor=doctor, patient=patient, reason="x", start=slot
        )

    assert refused.value.code == "patient_busy"
    assert Appointment.objects.count() == 1
