"""Factories of the notifications app."""

import factory

from notifications.models import Notification
from tests.factories.accounts import PatientProfileFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.LazyFunction(lambda: PatientProfileFactory().user)
    kind = Notification.Kind.APPOINTMENT_CONFIRMED
    subject = "Your appointment is confirmed"
    body = factory.Sequence(lambda n: f"Message {n}")
    recipient = factory.LazyAttribute(lambda o: o.user.email)
