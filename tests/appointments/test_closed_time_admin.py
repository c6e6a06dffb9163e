"""Django admin: time off and holidays keep the API's conflict rule; failed notifications re-send."""

from appointments.models import Appointment, Holiday, TimeOff
from notifications.models import Notification
from tests.factories.appointments import AppointmentFactory, days_ahead, future_slot
from tests.factories.notifications import NotificationFactory


def test_admin_holiday_over_appointments_is_refused_and_stores_nothing(
    staff_client, doctor, patient
):
    appointment = AppointmentFactory(doctor=doctor, patient=patient, start=future_slot(4, 9))

    response = staff_client.post("/admin/appointments/holiday/add/",
                                 {"date": days_ahead(4).isoformat(), "name": "Closed"})

    assert response.status_code == 200
    assert str(appointment.pk) in response.content.decode()
    assert not Holiday.objects.exists()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CONFIRMED


def test_admin_holiday_with_cancel_cancels_and_notifies(staff_client, doctor, patient):
    appointment = AppointmentFactory(doctor=doctor, patient=patient, start=future_slot(4, 9))

    response = staff_client.post("/admin/appointments/holiday/add/", {
        "date": days_ahead(4).isoformat(), "name": "Closed", "cancel_appointments": "on"})

    assert response.status_code == 302
    assert Holiday.objects.filter(date=days_ahead(4)).exists()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED
    assert Notification.objects.filter(user=patient.user,
                                       kind=Notification.Kind.APPOINTMENT_CANCELLED).exists()


def test_admin_time_off_of_over_90_days_is_refused(staff_client, doctor):
    start = future_slot(2, 0)

    response = staff_client.post("/admin/appointments/timeoff/add/", {
        "doctor": str(doctor.pk), "start_0": start.date().isoformat(), "start_1": "00:00",
        "end_0": days_ahead(120).isoformat(), "end_1": "00:00", "reason": "Long"})

    assert response.status_code == 200
    assert not TimeOff.objects.exists()


def test_admin_resends_failed_notifications_only(staff_client, patient, mailoutbox,
                                                 django_capture_on_commit_callbacks):
    failed = NotificationFactory(user=patient.user, status=Notification.Status.FAILED, attempts=5)
    sent = NotificationFactory(user=patient.user, status=Notification.Status.SENT, attempts=1)

    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post("/admin/notifications/notification/", {
            "action": "resend", "_selected_action": [str(failed.pk), str(sent.pk)]})

    assert response.status_code == 302
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert failed.status == Notification.Status.SENT
    assert sent.attempts == 1
    assert len(mailoutbox) == 1


def test_admin_notification_page_is_read_only(staff_client, patient):
    notification = NotificationFactory(user=patient.user)

    page = staff_client.get(f"/admin/notifications/notification/{notification.pk}/change/")

    assert page.status_code == 200
    assert 'name="subject"' not in page.content.decode()
