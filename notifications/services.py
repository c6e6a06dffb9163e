"""Notification writes: store a message in the caller's transaction, deliver it after commit.

Delivery claims the row in the database: the worker locks it (`SELECT … FOR UPDATE SKIP
LOCKED`) in the transaction that records the outcome, so two workers never send the same
row, and a worker killed mid-send leaves it `queued` and due, for the next sweep.
"""

import logging
from datetime import timedelta
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from hospital.errors import DomainError
from notifications.models import Notification

logger = logging.getLogger(__name__)

# A mail server that refuses or cannot be reached; anything else is a bug and propagates.
DELIVERY_ERRORS = (SMTPException, OSError)


class NoAddress(Exception):
    """The user has nowhere to receive this channel: trying again would not help."""


def _schedule_delivery(notification_id) -> None:
    from notifications import tasks

    # The broker may be down: the row stays queued and the sweep delivers it later.
    transaction.on_commit(lambda: tasks.notification_deliver.delay(str(notification_id)),
                          robust=True)


def notify(*, user, kind: str, subject: str, body: str) -> Notification:
    """Store a message to `user` in the caller's transaction; deliver it once that commits."""
    notification = Notification(
        user=user, kind=kind, subject=subject, body=body,
        channel=Notification.Channel.EMAIL, recipient=user.email or "",
    )
    notification.full_clean(exclude=["user"])
    notification.save()
    _schedule_delivery(notification.pk)
    return notification


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the `attempts`-th failed try: base, 2×base, 4×base…"""
    return timedelta(seconds=settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** (attempts - 1))


def _send(notification: Notification) -> None:
    if not notification.recipient:
        raise NoAddress("The user has no e-mail address.")
    send_mail(notification.subject, notification.body, None, [notification.recipient])


def _deliver_locked(notification: Notification) -> Notification:
    """Try once to send a claimed (locked) row and record the outcome on it."""
    now = timezone.now()
    notification.attempts += 1
    try:
        _send(notification)
    except NoAddress as exc:
        notification.status = Notification.Status.FAILED
        notification.last_error = str(exc)
    except DELIVERY_ERRORS as exc:
        notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            notification.status = Notification.Status.FAILED
        else:
            notification.next_attempt_at = now + retry_delay(notification.attempts)
        logger.warning("Delivery of notification %s failed (try %s): %s",
                       notification.pk, notification.attempts, exc)
    else:
        notification.status = Notification.Status.SENT
        notification.sent_at = now
        notification.last_error = ""
    notification.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at",
                                     "last_error"])
    return notification


def _due():
    return Notification.objects.filter(
        status=Notification.Status.QUEUED, next_attempt_at__lte=timezone.now()
    )


def notification_deliver(*, notification_id) -> Notification | None:
    """Send one queued, due notification unless another worker holds it; None if not claimed."""
    with transaction.atomic():
        notification = (
            _due().select_for_update(skip_locked=True).filter(pk=notification_id).first()
        )
        if notification is None:
            return None
        return _deliver_locked(notification)


def notifications_deliver_due(*, limit: int = 500) -> int:
    """Claim and send due notifications one by one (the sweep); return how many were tried."""
    tried = 0
    while tried < limit:
        with transaction.atomic():
            notification = (
                _due().select_for_update(skip_locked=True).order_by("next_attempt_at").first()
            )
            if notification is None:
                break
            _deliver_locked(notification)
        tried += 1
    return tried


@transaction.atomic
def notification_resend(*, notification: Notification) -> Notification:
    """Queue a failed notification again, with a fresh set of tries."""
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.status != Notification.Status.FAILED:
        raise DomainError("invalid_transition", "Only a failed notification can be sent again.")
    notification.status = Notification.Status.QUEUED
    notification.attempts = 0
    notification.next_attempt_at = timezone.now()
    notification.recipient = notification.user.email or ""
    notification.save(update_fields=["status", "attempts", "next_attempt_at", "recipient"])
    _schedule_delivery(notification.pk)
    return notification


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark a notification read by its user; reading it again keeps the first time."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification
