"""Celery tasks for appointments: thin wrappers around the services."""

from celery import shared_task

from appointments import services


@shared_task(name="appointments.send_due_reminders", ignore_result=True)
def send_due_reminders() -> int:
    """One reminder pass (beat runs it every few minutes)."""
    return services.appointment_reminders_send()
