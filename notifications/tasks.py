"""Celery tasks for notifications: thin wrappers around the services."""

from celery import shared_task

from notifications import services


@shared_task(name="notifications.deliver", ignore_result=True)
def notification_deliver(notification_id: str) -> None:
    """Deliver one notification, scheduling the next try after a failure."""
    notification = services.notification_deliver(notification_id=notification_id)
    retry = notification is not None and notification.status == notification.Status.QUEUED
    # Without a broker (eager) the sweep runs the retries; an eager eta would not wait.
    if retry and not notification_deliver.app.conf.task_always_eager:
        # Backoff: the row is due again at next_attempt_at; the sweep would also catch it.
        notification_deliver.apply_async((notification_id,), eta=notification.next_attempt_at)


@shared_task(name="notifications.deliver_due", ignore_result=True)
def notifications_deliver_due() -> int:
    """Sweep: deliver every queued notification that is due (retries, lost or killed sends)."""
    return services.notifications_deliver_due()
