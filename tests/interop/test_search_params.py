"""FHIR search values parsed on their own: dates with prefixes, tokens, references."""

import datetime

import pytest
from django.utils import timezone

from interop.fhir import FHIRError
from interop.search import (
    EVERYTHING,
    NOTHING,
    DateParam,
    IdParam,
    ReferenceParam,
    StringParam,
    TokenParam,
    date_range,
    split_token,
)

UTC = datetime.UTC


def _local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=timezone.get_current_timezone()).astimezone(UTC)


@pytest.mark.parametrize(("value", "prefix", "start", "end"), [
    ("2024", "eq", _local(2024, 1, 1), _local(2025, 1, 1)),
    ("ge2024-02", "ge", _local(2024, 2, 1), _local(2024, 3, 1)),
    ("le2024-12", "le", _local(2024, 12, 1), _local(2025, 1, 1)),
    ("lt2024-02-29", "lt", _local(2024, 2, 29), _local(2024, 3, 1)),
    ("gt2024-03-01T10:15", "gt", _local(2024, 3, 1, 10, 15), _local(2024, 3, 1, 10, 16)),
    ("eq2024-03-01T10:15:30Z", "eq", datetime.datetime(2024, 3, 1, 10, 15, 30, tzinfo=UTC),
     datetime.datetime(2024, 3, 1, 10, 15, 31, tzinfo=UTC)),
    ("2024-03-01T10:15:30+02:00", "eq", datetime.datetime(2024, 3, 1, 8, 15, 30, tzinfo=UTC),
     datetime.datetime(2024, 3, 1, 8, 15, 31, tzinfo=UTC)),
])
def test_date_values_become_local_intervals(value, prefix, start, end):
    got_prefix, got_start, got_end, _ = date_range(value)
    assert (got_prefix, got_start, got_end) == (prefix, start, end)


@pytest.mark.parametrize("value", [
    "yesterday", "2024-13", "2024-02-30", "ne2024", "sa2024", "1899-12-31", "2101", "2024-01-01T25:00",
    "2024-01-01T10:00+15:00", "２０２４",
])
def test_bad_date_values_are_400(value):
    with pytest.raises(FHIRError) as caught:
        date_range(value)
    assert caught.value.status_code == 400


@pytest.mark.parametrize(("value", "expected"), [
    ("8867-4", (None, "8867-4")),
    ("http://loinc.org|8867-4", ("http://loinc.org", "8867-4")),
    ("|8867-4", ("", "8867-4")),
    ("http://loinc.org|", ("http://loinc.org", "")),
])
def test_tokens_split_into_system_and_code(value, expected):
    assert split_token(value) == expected


def test_token_of_another_system_matches_nothing():
    param = TokenParam(name="code", field="code", system="http://loinc.org")
    assert param.filter_one("http://snomed.info/sct|8867-4") == NOTHING
    assert param.filter_one("http://loinc.org|") == EVERYTHING
    assert param.filter_one("|8867-4") == NOTHING  # these codes always have a system


def test_mapped_token_translates_fhir_codes_to_stored_values():
    param = TokenParam(name="status", field="status", codes=(("cancelled", ("rejected", "cancelled")),))
    assert param.filter_one("cancelled").children == [("status__in", ("rejected", "cancelled"))]
    assert param.filter_one("booked") == NOTHING


def test_reference_accepts_type_prefix_or_bare_id_only_of_its_target():
    param = ReferenceParam(name="patient", field="patient_id", target="Patient")
    pk = "5d3c2a70-2f36-4a63-8a8e-1d0b8d1f0f43"
    assert param.filter_one(f"Patient/{pk}") == param.filter_one(pk)
    assert param.filter_one(f"http://testserver/fhir/R4/Patient/{pk}") == param.filter_one(pk)
    assert param.filter_one(f"Practitioner/{pk}") == NOTHING
    assert param.filter_one("not-a-uuid") == NOTHING
    assert IdParam(name="_id").filter_one("42") == NOTHING


def test_string_search_needs_every_word_to_start_a_field():
    q = StringParam(name="name", fields=("first", "last")).filter_one("ca ce")
    assert str(q).count("istartswith") == 4


def test_date_param_on_a_date_field_uses_local_days():
    q = DateParam(name="birthdate", field="dob", is_date=True).filter_one("1990-05")
    assert q.children == [("dob__gte", datetime.date(1990, 5, 1)), ("dob__lt", datetime.date(1990, 6, 1))]
