"""Notifications a user may see: their own, newest first."""

from notifications.models import Notification


def notifications_of(user):
    """The notifications sent to `user`; none for anonymous callers."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")
