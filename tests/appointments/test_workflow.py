"""The status workflow: every action × role × status, recorded events, e-mails, scope."""

import datetime

import pytest

from appointments.models import Appointment, AppointmentEvent
from tests.factories.appointments import AppointmentFactory, future_slot
from tests.factories.clinical import AdmissionFactory, PrescriptionFactory

STATUSES = [choice.value for choice in Appointment.Status]

# action → (roles allowed, statuses it starts from, status it leads to), as the contract says.
WORKFLOW = {
    "confirm": ({"doctor", "admin"}, {"requested"}, "confirmed"),
    "cancel": ({"patient", "doctor", "admin"}, {"requested", "confirmed"}, "cancelled"),
    "complete": ({"doctor"}, {"confirmed"}, "completed"),
    "no-show": ({"doctor", "admin"}, {"confirmed"}, "no_show"),
}
BODIES = {"cancel": {"reason": "Feeling better"}, "complete": {"notes": "Resolved"}}
EVENT_ACTIONS = {"no-show": "no_show"}
MAILED = {"confirm", "cancel"}


def url(appointment, action=None):
    return f"/api/appointments/{appointment.pk}/" + (f"{action}/" if action else "")


@pytest.fixture
def users(admin_user, doctor, patient):
    return {"admin": admin_user, "doctor": doctor.user, "patient": patient.user}


CASES = [
    (action, role, status)
    for action in WORKFLOW
    for role in ("patient", "doctor", "admin")
    for status in STATUSES
]


@pytest.mark.parametrize(("action", "role", "status"), CASES)
def test_transition_matrix(api, users, make_appointment, action, role, status,
                           django_capture_on_commit_callbacks, mailoutbox):
    roles, sources, target = WORKFLOW[action]
    appointment = make_appointment(status)

    with django_capture_on_commit_callbacks(execute=True):
        response = api(users[role]).post(url(appointment, action), BODIES.get(action, {}))

    appointment.refresh_from_db()
    if role not in roles:
        assert response.status_code == 403
    elif status not in sources:
        assert response.status_code == 409
        assert response.json()["code"] == "invalid_transition"
    else:
        assert response.status_code == 200
        assert response.json()["status"] == target == appointment.status
        event = appointment.events.get()
        assert (event.action, event.from_status, event.to_status, event.actor) == (
            EVENT_ACTIONS.get(action, action), status, target, users[role]
        )
        assert response.json()["events"][-1]["to_status"] == target
        assert len(mailoutbox) == (1 if action in MAILED else 0)
        return
    assert appointment.status == status
    assert not appointment.events.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("action", [*WORKFLOW, None])
def test_outsiders_get_404(api, other_patient, other_doctor, make_appointment, action):
    appointment = make_appointment("requested")

    for outsider in (other_patient.user, other_doctor.user):
        client = api(outsider)
        response = client.post(url(appointment, action), {}) if action else client.get(url(appointment))
        assert response.status_code == 404
    assert client.patch(url(appointment), {"reason": "x"}).status_code == 404


def test_cancel_requires_a_reason_and_records_it(api, patient, make_appointment):
    appointment = make_appointment("confirmed")

    missing = api(patient.user).post(url(appointment, "cancel"), {})
    blank = api(patient.user).post(url(appointment, "cancel"), {"reason": "  "})
    done = api(patient.user).post(url(appointment, "cancel"), {"reason": "Travelling"})

    assert missing.status_code == blank.status_code == 400
    assert done.status_code == 200
    assert done.json()["cancellation_reason"] == "Travelling"
    assert done.json()["events"][-1]["reason"] == "Travelling"


def test_cancel_frees_the_slot(api, patient, other_patient, doctor, make_appointment):
    appointment = make_appointment("confirmed")
    api(patient.user).post(url(appointment, "cancel"), {"reason": "Travelling"})

    response = api(other_patient.user).post(
        "/api/appointments/",
        {"doctor": str(doctor.pk), "start": appointment.start.isoformat(), "reason": "x"},
    )

    assert response.status_code == 201


def test_cancel_mails_the_patient_after_commit(api, doctor, patient, make_appointment,
                                               django_capture_on_commit_callbacks, mailoutbox):
    appointment = make_appointment("confirmed")

    with django_capture_on_commit_callbacks() as callbacks:
        api(doctor.user).post(url(appointment, "cancel"), {"reason": "Doctor unwell"})
        assert mailoutbox == []  # nothing is sent before the commit
    for callback in callbacks:
        callback()

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [patient.user.email]
    assert mailoutbox[0].subject == "Your appointment was cancelled"
    assert "Doctor unwell" in mailoutbox[0].body


def test_complete_sets_the_notes(api, doctor, make_appointment):
    appointment = make_appointment("confirmed")

    response = api(doctor.user).post(url(appointment, "complete"), {"notes": "BP 120/80"})

    assert response.status_code == 200
    assert response.json()["notes"] == "BP 120/80"


def test_complete_is_allowed_before_the_visit_time(api, doctor, make_appointment):
    appointment = make_appointment("confirmed", start=future_slot(days=5))

    assert api(doctor.user).post(url(appointment, "complete"), {}).status_code == 200


def test_confirm_without_a_time_needs_one(api, doctor, make_appointment,
                                          django_capture_on_commit_callbacks, mailoutbox):
    appointment = make_appointment("requested", start=None)
    slot = future_slot(days=2, hour=10)

    with django_capture_on_commit_callbacks(execute=True):
        missing = api(doctor.user).post(url(appointment, "confirm"), {})
        done = api(doctor.user).post(url(appointment, "confirm"), {"start": slot.isoformat()})

    assert missing.status_code == 400
    assert "start" in missing.json()
    assert done.status_code == 200
    assert datetime.datetime.fromisoformat(done.json()["start"]) == slot
    assert [(e["action"], e["to_status"]) for e in done.json()["events"]] == [
        ("reschedule", "requested"), ("confirm", "confirmed")
    ]
    assert len(mailoutbox) == 1


def test_confirm_with_a_taken_time_is_409_and_changes_nothing(api, doctor, other_patient,
                                                               make_appointment):
    appointment = make_appointment("requested", start=None)
    taken = AppointmentFactory(doctor=doctor, patient=other_patient, start=future_slot(days=2))

    response = api(doctor.user).post(url(appointment, "confirm"), {"start": taken.start.isoformat()})

    assert response.status_code == 409
    assert response.json()["code"] == "slot_unavailable"
    appointment.refresh_from_db()
    assert (appointment.status, appointment.start) == ("requested", None)
    assert not appointment.events.exists()


def test_confirm_a_request_whose_time_has_passed_is_400(api, doctor, make_appointment):
    appointment = make_appointment("requested", start=future_slot(days=-1))

    response = api(doctor.user).post(url(appointment, "confirm"), {})

    assert response.status_code == 400
    assert response.json()["code"] == "in_past"


def test_detail_shows_events_and_prescriptions(api, doctor, patient, make_appointment):
    appointment = make_appointment("confirmed")
    rx = PrescriptionFactory(appointment=appointment)
    api(doctor.user).post(url(appointment, "complete"), {})

    data = api(patient.user).get(url(appointment)).json()

    assert [e["action"] for e in data["events"]] == ["complete"]
    assert data["events"][0]["actor"] == {
        "id": str(doctor.pk), "full_name": doctor.user.full_name, "role": "doctor"
    }
    assert set(data["events"][0]) == {"at", "actor", "action", "from_status", "to_status", "reason"}
    assert [p["id"] for p in data["prescriptions"]] == [str(rx.pk)]
    assert set(data["prescriptions"][0]) == {
        "id", "appointment", "patient", "doctor", "medicine_name", "dosage", "frequency",
        "duration_days", "quantity", "instructions", "status", "issued_at",
    }


# PATCH: the patient owner while requested; the doctor or an admin while requested or confirmed.
PATCH_RULES = {"patient": {"requested"}, "doctor": {"requested", "confirmed"},
               "admin": {"requested", "confirmed"}}


@pytest.mark.parametrize(("role", "status"), [(r, s) for r in PATCH_RULES for s in STATUSES])
def test_patch_reason_matrix(api, users, make_appointment, role, status):
    appointment = make_appointment(status)

    response = api(users[role]).patch(url(appointment), {"reason": "New reason"})

    appointment.refresh_from_db()
    if status in PATCH_RULES[role]:
        assert response.status_code == 200
        assert appointment.reason == "New reason"
        assert appointment.events.get().action == "update"
    else:
        assert response.status_code == 409
        assert response.json()["code"] == "invalid_transition"
        assert appointment.reason == "Check-up"


def test_patient_reschedules_own_request(api, patient, make_appointment):
    appointment = make_appointment("requested")
    new_start = future_slot(days=3, hour=15)

    response = api(patient.user).patch(url(appointment), {"start": new_start.isoformat()})

    assert response.status_code == 200
    appointment.refresh_from_db()
    assert appointment.start == new_start
    assert appointment.end == new_start + datetime.timedelta(minutes=30)
    event = appointment.events.get()
    assert (event.action, event.from_status, event.to_status) == ("reschedule", "requested", "requested")


@pytest.mark.parametrize(
    ("start", "status", "code"),
    [
        (future_slot(days=-1), 400, "in_past"),
        (future_slot(days=2, hour=7), 400, "outside_schedule"),
        ("taken", 409, "slot_unavailable"),
    ],
)
def test_reschedule_runs_the_slot_rules(api, doctor, other_patient, make_appointment, start, status, code):
    appointment = make_appointment("confirmed")
    if start == "taken":
        start = AppointmentFactory(doctor=doctor, patient=other_patient, start=future_slot(days=2)).start
    before = appointment.start

    response = api(doctor.user).patch(url(appointment), {"start": start.isoformat()})

    assert response.status_code == status
    assert response.json()["code"] == code
    appointment.refresh_from_db()
    assert appointment.start == before
    assert not appointment.events.exists()


def test_reschedule_to_own_slot_changes_nothing(api, doctor, make_appointment):
    appointment = make_appointment("confirmed")

    response = api(doctor.user).patch(url(appointment), {"start": appointment.start.isoformat()})

    assert response.status_code == 200
    assert not appointment.events.exists()


def test_reschedule_may_overlap_own_old_time(api, doctor, schedule, make_appointment):
    schedule.slot_minutes = 60
    schedule.save()
    appointment = make_appointment("confirmed", start=future_slot(hour=9),
                                   end=future_slot(hour=9, minute=30))

    # 09:00–10:00 now overlaps its own old 09:00–09:30 only; the move is allowed.
    response = api(doctor.user).patch(url(appointment), {"start": future_slot(hour=10).isoformat()})

    assert response.status_code == 200


@pytest.mark.parametrize("field", ["notes", "admission"])
def test_patient_cannot_edit_staff_fields(api, patient, make_appointment, field):
    appointment = make_appointment("requested")
    value = str(AdmissionFactory(patient=patient).pk) if field == "admission" else "x"

    response = api(patient.user).patch(url(appointment), {field: value})

    assert response.status_code == 400
    assert field in response.json()


def test_doctor_links_an_admission_and_edits_notes(api, doctor, patient, make_appointment):
    appointment = make_appointment("confirmed")
    admission = AdmissionFactory(patient=patient, assigned_doctor=doctor)

    response = api(doctor.user).patch(
        url(appointment), {"admission": str(admission.pk), "notes": "Admitted"}
    )

    assert response.status_code == 200
    assert response.json()["admission"] == str(admission.pk)
    assert response.json()["notes"] == "Admitted"
    unlink = api(doctor.user).patch(url(appointment), {"admission": None})
    assert unlink.json()["admission"] is None


def test_admission_of_another_patient_cannot_be_linked(api, admin_user, other_patient, make_appointment):
    appointment = make_appointment("confirmed")
    admission = AdmissionFactory(patient=other_patient)

    response = api(admin_user).patch(url(appointment), {"admission": str(admission.pk)})

    assert response.status_code == 400
    assert "admission" in response.json()
    appointment.refresh_from_db()
    assert appointment.admission is None


def test_put_is_not_allowed(api, admin_user, make_appointment):
    appointment = make_appointment("confirmed")

    assert api(admin_user).put(url(appointment), {"reason": "x"}).status_code == 405


def test_delete_is_not_allowed(api, admin_user, make_appointment):
    appointment = make_appointment("confirmed")

    assert api(admin_user).delete(url(appointment)).status_code == 405
    assert Appointment.objects.filter(pk=appointment.pk).exists()


def test_deleting_a_doctor_cancels_future_active_appointments(
    api, admin_user, doctor, patient, other_patient, make_appointment,
    django_capture_on_commit_callbacks, mailoutbox,
):
    future = make_appointment("confirmed")
    unscheduled = make_appointment("requested", start=None, patient=other_patient)
    past = make_appointment("confirmed", start=future_slot(days=-2))
    done = make_appointment("completed", start=future_slot(days=-3))

    with django_capture_on_commit_callbacks(execute=True):
        response = api(admin_user).delete(f"/api/doctors/{doctor.pk}/")

    assert response.status_code == 204
    statuses = dict(Appointment.objects.values_list("pk", "status"))
    assert statuses == {future.pk: "cancelled", unscheduled.pk: "cancelled",
                        past.pk: "confirmed", done.pk: "completed"}
    event = AppointmentEvent.objects.get(appointment=future)
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "cancel", "confirmed", "cancelled", admin_user
    )
    assert event.reason
    assert sorted(m.to[0] for m in mailoutbox) == sorted([patient.user.email, other_patient.user.email])
