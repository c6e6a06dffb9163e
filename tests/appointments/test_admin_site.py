"""Django admin: appointment list, filters, search, history inline, approve/reject actions."""


from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from appointments import selectors
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


def test_bulk_approve_confirms_scheduled_requests_and_links_the_unscheduled(
        staff_client, admin_user, doctor, schedule, django_capture_on_commit_callbacks, mailoutbox):
    approve = AppointmentFactory(doctor=doctor, status="requested")
    unscheduled = AppointmentFactory(doctor=doctor, status="requested", start=None, end=None)

    with django_capture_on_commit_callbacks(execute=True):
        done = staff_client.post(LIST, {"action": "approve_appointments",
                                        "_selected_action": [approve.pk, unscheduled.pk]},
                                 follow=True)

    for appointment in (approve, unscheduled):
        appointment.refresh_from_db()
    assert (approve.status, unscheduled.status) == ("confirmed", "requested")
    assert approve.events.get().actor == admin_user
    assert f"/admin/appointments/appointment/{unscheduled.pk}/approve/" in done.content.decode()
    assert len(mailoutbox) == 1


def test_reject_asks_for_the_reason_the_patient_receives(
        staff_client, doctor, schedule, django_capture_on_commit_callbacks, mailoutbox):
    reject = AppointmentFactory(doctor=doctor, status="requested")
    selected = {"action": "reject_appointments", "_selected_action": [reject.pk]}

    asked = staff_client.post(LIST, selected)
    reject.refresh_from_db()
    still = reject.status
    with django_capture_on_commit_callbacks(execute=True):
        done = staff_client.post(LIST, {**selected, "apply": "Reject", "reason": "Doctor on leave"})

    assert asked.status_code == 200 and 'name="reason"' in asked.content.decode()
    assert still == "requested"
    assert done.status_code == 302
    reject.refresh_from_db()
    assert (reject.status, reject.cancellation_reason) == ("rejected", "Doctor on leave")
    assert len(mailoutbox) == 1


def test_one_unscheduled_request_leads_to_its_approve_page(staff_client, doctor, schedule):
    unscheduled = AppointmentFactory(doctor=doctor, status="requested", start=None, end=None)

    answer = staff_client.post(LIST, {"action": "approve_appointments",
                                      "_selected_action": [unscheduled.pk]})

    assert answer.status_code == 302
    assert answer["Location"] == f"{LIST}{unscheduled.pk}/approve/"


def test_approve_page_offers_the_doctors_free_slots_and_confirms_the_chosen_one(
        staff_client, admin_user, doctor, patient, schedule):
    unscheduled = AppointmentFactory(doctor=doctor, patient=patient, status="requested",
                                     start=None, end=None)
    tomorrow = timezone.localdate() + timedelta(days=1)
    free = selectors.doctor_free_slots(doctor=doctor, first_day=tomorrow, last_day=tomorrow)
    taken = AppointmentFactory(doctor=doctor, status="confirmed", start=free[0].start,
                               end=free[0].end)
    url = f"{LIST}{unscheduled.pk}/approve/?from={tomorrow.isoformat()}"

    page = staff_client.get(url)
    chosen = free[3].start
    bad = staff_client.post(url, {"start": taken.start.isoformat()})
    done = staff_client.post(url, {"start": chosen.isoformat()})

    choices = [value for value, _label in page.context["form"].fields["start"].choices]
    assert taken.start.isoformat() not in choices and chosen.isoformat() in choices
    assert f"{timezone.localtime(chosen):%H:%M}" in page.content.decode()
    assert bad.status_code == 200
    assert done.status_code == 302
    unscheduled.refresh_from_db()
    assert (unscheduled.status, unscheduled.start) == ("confirmed", chosen)
    assert unscheduled.events.get(action="confirm").actor == admin_user


def test_titles_show_the_hospital_zone(staff_client, doctor, schedule):
    appointment = AppointmentFactory(doctor=doctor, status="requested")
    local = timezone.localtime(appointment.start)

    page = staff_client.get(f"{LIST}{appointment.pk}/change/").content.decode()

    assert settings.TIME_ZONE != "UTC" and local.utcoffset()
    assert f"{local:%Y-%m-%d %H:%M}" in str(appointment)
    assert f"{local:%Y-%m-%d %H:%M}" in page


def test_schedule_hours_pick_weekdays_by_name(staff_client, doctor):
    schedule = ScheduleFactory(doctor=doctor)

    page = staff_client.get(f"/admin/appointments/schedule/{schedule.pk}/change/").content.decode()

    assert '<select name="hours-0-weekday"' in page
    assert '<option value="0">Monday</option>' in page


def test_schedule_add_picks_the_doctor_by_search(staff_client):
    page = staff_client.get("/admin/appointments/schedule/add/").content.decode()

    assert "admin-autocomplete" in page


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
