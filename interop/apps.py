from django.apps import AppConfig


class InteropConfig(AppConfig):
    """A read-only FHIR R4 face on the records of the other apps."""

    name = "interop"
    verbose_name = "FHIR R4"
