"""Django admin: appointment list, filters, search, history inline, approve/reject actions."""


from appointments.models import ScheduleHours
from tests.factories.appointments import AppointmentEventFactory, AppointmentFactory, ScheduleFactory

LIST = "/admin/appointments/appointment/"


def test_list_filters_by_status_and_searches_names(staff_client, doctor, patient, other_patient, schedule):
    mine = AppointmentFactory(doctor=doctor, patient=patient, status="requested")
    AppointmentFactory(doctor=doctor, patient=other_patient, status="confirmed")

    by_status = staff_client.get(LIST, {"status__exact": "requested"})
    by_name = staff_client.get(LIST, {"q": other_patient.user.last_name})
    by_day = staff_client.get(LIST, {"start__year": mine.start.year})

    assert by_status.status_code == by_name.status_code == by_day.status_code == 200
    assert by_status.context["cl"].result_count == 1
    assert list(by_name.context["cl"].result_list.values_list("patient", flat=True)) == [other_patient.pk]
    assert by_day.context["cl"].result_count == 2


def test_detail_page_shows_the_events_read_only(staff_client, doctor, schedule):
    event = AppointmentEventFactory(appointment=AppointmentFactory(doctor=doctor), reason="Booked online")

    page = staff_client.get(f"{LIST}{event.appointment.pk}/change/")

    assert page.status_code == 200
    assert "Booked online" in page.content.decode()
    assert 'name="events-0-reason"' not in page.content.decode()  # no editable field


def test_bulk_approve_and_reject(staff_client, admin_user, doctor, schedule,
                                 django_capture_on_commit_callbacks, mailoutbox):
    approve = AppointmentFactory(doctor=doctor, status="requested")
    reject = AppointmentFactory(doctor=doctor, status="requested")
    unscheduled = AppointmentFactory(doctor=doctor, status="requested", start=None, end=None)

    with django_capture_on_commit_callbacks(execute=True):
        first = staff_client.post(LIST, {"action": "approve_appointments",
                                         "_selected_action": [approve.pk, unscheduled.pk]})
        second = staff_client.post(LIST, {"action": "reject_appointments",
                                          "_selected_action": [reject.pk]})

    assert first.status_code == second.status_code == 302
    for appointment in (approve, reject, unscheduled):
        appointment.refresh_from_db()
    assert (approve.status, reject.status, unscheduled.status) == ("confirmed", "rejected", "requested")
    assert reject.cancellation_reason == "Rejected by an administrator."
    assert approve.events.get().actor == admin_user
    assert len(mailoutbox) == 2


def test_schedule_inline_refuses_overlapping_hours(staff_client, doctor):
    schedule = ScheduleFactory(doctor=doctor)
    form = {
        "slot_minutes": 30,
        "hours-TOTAL_FORMS": 2, "hours-INITIAL_FORMS": 0,
        "hours-MIN_NUM_FORMS": 0, "hours-MAX_NUM_FORMS": 1000,
        "hours-0-weekday": 1, "hours-0-start": "09:00", "hours-0-end": "12:00",
        "hours-1-weekday": 1, "hours-1-start": "11:00", "hours-1-end": "13:00",
    }

    refused = staff_client.post(f"/admin/appointments/schedule/{schedule.pk}/change/", form)
    form["hours-1-start"] = "12:00"
    saved = staff_client.post(f"/admin/appointments/schedule/{schedule.pk}/change/", form)

    assert refused.status_code == 200
    assert "overlaps" in refused.content.decode()
    assert saved.status_code == 302
    assert ScheduleHours.objects.filter(schedule=schedule).count() == 2
