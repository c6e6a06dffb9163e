"""Receivers: no token kept in the blacklist table, an audit event for every failed sign-in."""

from django.contrib.auth.signals import user_login_failed
from django.db.models.signals import pre_save
from django.dispatch import receiver
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken


@receiver(pre_save, sender=OutstandingToken)
def outstanding_token_without_secret(sender, instance, **kwargs):
    """simplejwt stores the whole refresh token beside its `jti`; a copy of the table would then
    hold live credentials. Revocation and blacklisting need the `jti` only."""
    instance.token = ""


@receiver(user_login_failed)
def sign_in_failure_audited(sender, credentials, request=None, **kwargs):
    """Every failed sign-in (API or Django admin) leaves an audit event with the client's IP.

    The event names the account when the username exists and nothing otherwise: what was
    typed is never stored (people type passwords into the username field).
    """
    from accounts.models import User
    from trust.audit import client_ip
    from trust.models import AuditEvent

    username = credentials.get("username") if isinstance(credentials, dict) else None
    account_id = (
        User.objects.filter(username=username).values_list("pk", flat=True).first()
        if isinstance(username, str) and username else None
    )
    AuditEvent.objects.create(
        actor=None, action="sign_in_failed", object_type="account",
        object_id=str(account_id or ""),
        ip=client_ip(request) if request is not None else None,
        request_id=getattr(request, "request_id", "") if request is not None else "",
    )
