"""E-mails about an account's address: the confirmation link and the security notices.

Sent after the commit (a mail server failure never undoes or fails the change); they move to
the notifications app's `notify(kind="email_change" | "security_notice")` once it exists.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction


def _send_after_commit(address: str, subject: str, body: str) -> None:
    if not address:
        return
    transaction.on_commit(lambda: send_mail(subject, body, None, [address]), robust=True)


def email_change_link(*, new_address: str, name: str, token: str) -> None:
    """The signed link that proves the new address belongs to the user."""
    hours = settings.EMAIL_CHANGE_LINK_HOURS
    link = settings.EMAIL_CHANGE_CONFIRM_URL.format(token=token)
    _send_after_commit(
        new_address, "Confirm your new e-mail address",
        f"Dear {name},\n\nTo make this the e-mail address of your hospital account, open\n\n"
        f"  {link}\n\n(or POST {{\"token\": \"{token}\"}} to /api/me/email/confirm/).\n"
        f"The link works once, for {hours} hours. If you did not ask for this, ignore it.\n",
    )


def email_change_taken_notice(*, address: str) -> None:
    """To the owner of an address someone else tried to move their account to."""
    _send_after_commit(
        address, "Someone tried to use your e-mail address",
        "Another hospital account asked to use this e-mail address. Nothing changed: this "
        "address stays with your account. If this was you, sign in with your own account "
        "instead.\n",
    )


def email_change_requested_notice(*, current_address: str, name: str) -> None:
    """To the account's current address: a change was asked for."""
    _send_after_commit(
        current_address, "A change of your e-mail address was requested",
        f"Dear {name},\n\nSomeone signed in to your hospital account asked to change its "
        "e-mail address. It changes only when the link sent to the new address is opened. "
        "If this was not you, change your password and use \"log out everywhere\".\n",
    )
