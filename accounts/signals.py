"""Keep secrets out of the database: the token blacklist stores `jti`s, not tokens."""

from django.db.models.signals import pre_save
from django.dispatch import receiver
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken


@receiver(pre_save, sender=OutstandingToken)
def outstanding_token_without_secret(sender, instance, **kwargs):
    """simplejwt stores the whole refresh token beside its `jti`; a copy of the table would then
    hold live credentials. Revocation and blacklisting need the `jti` only."""
    instance.token = ""
