"""notify() and delivery: stored with the change, sent after commit, claimed once, retried."""

import datetime
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from accounts import services as account_services
from notifications import services
from notifications.models import Notification
from tests.factories.notifications import NotificationFactory


def test_notify_stores_the_row_and_delivers_after_commit(
    patient, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = services.notify(user=patient.user, kind="account_approved",
                                       subject="Hello", body="Body")
        assert mailoutbox == []

    assert len(callbacks) == 1
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1
    assert notification.sent_at is not None
    assert [m.to for m in mailoutbox] == [[patient.user.email]]
    assert mailoutbox[0].subject == "Hello"


def test_a_rolled_back_change_stores_and_sends_nothing(
    patient, django_capture_on_commit_callbacks, mailoutbox
):
    with (django_capture_on_commit_callbacks(execute=True) as callbacks,
          pytest.raises(RuntimeError), transaction.atomic()):
        services.notify(user=patient.user, kind="account_approved", subject="S", body="B")
        raise RuntimeError

    assert callbacks == []
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_notify_rejects_an_unknown_kind_and_stores_nothing(patient):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.notify(user=patient.user, kind="nonsense", subject="S", body="B")

    assert not Notification.objects.exists()


def test_smtp_failure_retries_with_backoff_then_fails(patient, settings, mailoutbox):
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 10
    notification = NotificationFactory(user=patient.user)

    with mock.patch("notifications.services.send_mail", side_effect=SMTPServerDisconnected("down")):
        before = timezone.now()
        services.notification_deliver(notification_id=notification.pk)
        notification.refresh_from_db()
        assert notification.status == Notification.Status.QUEUED
        assert notification.attempts == 1
        assert notification.next_attempt_at >= before + datetime.timedelta(seconds=10)
        assert "down" in notification.last_error

        # Not due yet: a delivery attempt before the backoff elapses claims nothing.
        assert services.notification_deliver(notification_id=notification.pk) is None

        Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())
        services.notification_deliver(notification_id=notification.pk)
        notification.refresh_from_db()
        assert notification.attempts == 2
        assert notification.next_attempt_at >= timezone.now() + datetime.timedelta(seconds=19)

        Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())
        services.notification_deliver(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 3
    assert notification.sent_at is None
    assert mailoutbox == []


def test_a_sent_notification_is_never_sent_again(patient, mailoutbox):
    notification = NotificationFactory(user=patient.user)

    services.notification_deliver(notification_id=notification.pk)
    services.notification_deliver(notification_id=notification.pk)
    services.notifications_deliver_due()

    assert len(mailoutbox) == 1
    notification.refresh_from_db()
    assert notification.attempts == 1


def test_sweep_delivers_only_due_queued_rows(patient, other_patient, mailoutbox):
    due = NotificationFactory(user=patient.user)
    later = NotificationFactory(user=patient.user,
                                next_attempt_at=timezone.now() + datetime.timedelta(hours=1))
    failed = NotificationFactory(user=other_patient.user, status=Notification.Status.FAILED)

    assert services.notifications_deliver_due() == 1

    assert [m.body for m in mailoutbox] == [due.body]
    later.refresh_from_db()
    failed.refresh_from_db()
    assert later.status == Notification.Status.QUEUED
    assert failed.status == Notification.Status.FAILED


def test_a_user_without_address_fails_at_once(patient, mailoutbox):
    patient.user.email = ""
    patient.user.save()
    notification = NotificationFactory(user=patient.user, recipient="")

    services.notification_deliver(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.status == Notification.Status.FAILED
    assert notification.attempts == 1
    assert mailoutbox == []


def test_resend_queues_a_failed_row_again(patient, django_capture_on_commit_callbacks, mailoutbox):
    notification = NotificationFactory(user=patient.user, status=Notification.Status.FAILED,
                                       attempts=5)

    with django_capture_on_commit_callbacks(execute=True):
        services.notification_resend(notification=notification)

    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    assert notification.attempts == 1
    assert len(mailoutbox) == 1


def test_resend_refuses_a_row_that_is_not_failed(patient):
    from hospital.errors import DomainError

    notification = NotificationFactory(user=patient.user, status=Notification.Status.SENT)

    with pytest.raises(DomainError) as caught:
        services.notification_resend(notification=notification)

    assert caught.value.code == "invalid_transition"
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT


def test_a_user_with_notifications_is_protected_from_deletion(patient):
    from django.db.models import ProtectedError

    NotificationFactory(user=patient.user)

    with pytest.raises(ProtectedError):
        patient.user.delete()


@pytest.mark.parametrize(("approve", "kind"), [(True, "account_approved"), (False, "account_rejected")])
def test_account_decisions_notify_the_account(
    admin_user, pending_patient, django_capture_on_commit_callbacks, mailoutbox, approve, kind
):
    with django_capture_on_commit_callbacks(execute=True):
        if approve:
            account_services.account_approve(account=pending_patient.user, actor=admin_user)
        else:
            account_services.account_reject(account=pending_patient.user, actor=admin_user,
                                            reason="Duplicate")

    notification = Notification.objects.get(user=pending_patient.user)
    assert notification.kind == kind
    assert notification.status == Notification.Status.SENT
    assert [m.to for m in mailoutbox] == [[pending_patient.user.email]]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_row_locked_by_one_worker_is_skipped_by_another(patient):
    notification = NotificationFactory(user=patient.user)

    with transaction.atomic():
        Notification.objects.select_for_update().get(pk=notification.pk)
        from concurrent.futures import ThreadPoolExecutor

        from django.db import connection

        def other_worker():
            try:
                return services.notification_deliver(notification_id=notification.pk)
            finally:
                connection.close()

        with ThreadPoolExecutor(1) as pool:
            assert pool.submit(other_worker).result(timeout=10) is None

    notification.refresh_from_db()
    assert notification.status == Notification.Status.QUEUED
    assert notification.attempts == 0
