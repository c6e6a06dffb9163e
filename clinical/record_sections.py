"""Sections that apps above clinical add to each admission of a patient's history.

Clinical never imports those apps: each registers its section from its `AppConfig.ready()`, and
the history serializer and view read the registry. A section prefetches its rows onto a page of
admissions in a constant number of queries, within the viewer's own scope of those rows, and
names the rows it showed so that the history's audit insert records them.
"""

from collections.abc import Callable, Iterable
from typing import NamedTuple

from rest_framework import serializers


class AdmissionSection(NamedTuple):
    """A list shown under `name` on each admission of the history."""

    name: str
    # Builds the read-only field that renders (and documents) the section.
    field: Callable[[], serializers.Field]
    # `(admissions, viewer)`: loads the section onto the admissions, returns the audit batch
    # `(object_type, [(object_id, patient_id), ...])` of what it loaded.
    attach: Callable[[list, object], tuple[str, list]]


ADMISSION_SECTIONS: dict[str, AdmissionSection] = {}


def admission_section_register(section: AdmissionSection) -> None:
    """Add a section to the history (once per name: a reloaded app replaces its own)."""
    ADMISSION_SECTIONS[section.name] = section


def admission_sections_fields() -> dict[str, serializers.Field]:
    return {name: section.field() for name, section in ADMISSION_SECTIONS.items()}


def admission_sections_attach(admissions: Iterable, *, viewer) -> list[tuple[str, list]]:
    """Load every section onto the page of admissions; return their audit batches."""
    admissions = list(admissions)
    return [section.attach(admissions, viewer) for section in ADMISSION_SECTIONS.values()]
