"""FHIR search parameters turned into the ORM filters of the REST lists.

Each parameter type parses its values and returns a `Q`. Repeating a parameter ANDs its
occurrences; a comma inside one value ORs its parts, as the FHIR search rules say.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from interop.fhir import FHIRError

DATE_PREFIXES = ("eq", "ge", "le", "gt", "lt")
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
NOTHING = Q(pk__in=[])
EVERYTHING = ~NOTHING  # not Q(): an empty Q vanishes when ORed with another

_DATE_VALUE = re.compile(
    r"^(?P<prefix>[a-z]{2})?(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,6}))?)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?)?)?)?$",
    re.ASCII,
)


def parse_uuid(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1, day=1)


def date_range(value: str) -> tuple[str, datetime, datetime, bool]:
    """`(prefix, start, end, is_day_precision)` of a FHIR date search value; `[start, end)` in UTC.

    A value without a time means the whole local year, month or day (the hospital's zone);
    a time without an offset is local time too.
    """
    match = _DATE_VALUE.match(value)
    if not match:
        raise FHIRError(f"'{value}' is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or a dateTime).")
    parts = match.groupdict()
    prefix = parts["prefix"] or "eq"
    if prefix not in DATE_PREFIXES:
        raise FHIRError(f"The date prefix '{prefix}' is not supported (use {', '.join(DATE_PREFIXES)}).")
    year = int(parts["year"])
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise FHIRError(f"Dates must lie between {EARLIEST_YEAR} and {LATEST_YEAR}.")
    zone = timezone.get_current_timezone()
    try:
        if parts["hour"] is not None:
            fraction = (parts["fraction"] or "").ljust(6, "0")
            start = datetime(
                year, int(parts["month"]), int(parts["day"]), int(parts["hour"]),
                int(parts["minute"]), int(parts["second"] or 0), int(fraction or 0),
            )
            if parts["zone"]:
                offset = timedelta() if parts["zone"] == "Z" else _offset(parts["zone"])
                start = start.replace(tzinfo=UTC) - offset
            else:
                start = start.replace(tzinfo=zone)
            step = (
                timedelta(microseconds=1) if parts["fraction"]
                else timedelta(seconds=1) if parts["second"] else timedelta(minutes=1)
            )
            return prefix, start.astimezone(UTC), (start + step).astimezone(UTC), False
        first = date(year, int(parts["month"] or 1), int(parts["day"] or 1))
    except ValueError as exc:
        raise FHIRError(f"'{value}' is not a valid date.") from exc
    if parts["day"]:
        after = first + timedelta(days=1)
    elif parts["month"]:
        after = _add_months(first, 1)
    else:
        after = first.replace(year=year + 1)
    start = datetime.combine(first, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(after, datetime.min.time(), tzinfo=zone)
    return prefix, start.astimezone(UTC), end.astimezone(UTC), True


def _offset(zone: str) -> timedelta:
    sign = -1 if zone[0] == "-" else 1
    hours, minutes = zone[1:].split(":")
    if int(hours) > 14 or int(minutes) > 59:
        raise ValueError(zone)
    return sign * timedelta(hours=int(hours), minutes=int(minutes))


def _compare(field: str, prefix: str, start, end) -> Q:
    """The rows whose point value `field` satisfies `prefix` against the interval `[start, end)`."""
    return {
        "eq": Q(**{f"{field}__gte": start, f"{field}__lt": end}),
        "ge": Q(**{f"{field}__gte": start}),
        "gt": Q(**{f"{field}__gte": end}),
        "le": Q(**{f"{field}__lt": end}),
        "lt": Q(**{f"{field}__lt": start}),
    }[prefix]


def split_token(value: str) -> tuple[str | None, str]:
    """`(system, code)` of a token: `code` → (None, code); `system|code`; `|code` → ("", code)."""
    if "|" not in value:
        return None, value
    system, code = value.split("|", 1)
    return system, code


@dataclass(frozen=True)
class SearchParam:
    """One search parameter of a resource type: its name, FHIR type and how it filters."""

    name: str
    type: str

    def filter(self, value: str) -> Q:
        """The rows one occurrence of the parameter selects (its comma-separated parts ORed)."""
        q = NOTHING
        for part in value.split(","):
            q |= self.filter_one(part.strip())
        return q

    def filter_one(self, value: str) -> Q:
        raise NotImplementedError


@dataclass(frozen=True)
class IdParam(SearchParam):
    """`_id`: the API's UUID; anything else matches nothing."""

    field: str = "pk"
    type: str = "token"

    def filter_one(self, value: str) -> Q:
        found = parse_uuid(value)
        return NOTHING if found is None else Q(**{self.field: found})


@dataclass(frozen=True)
class ReferenceParam(SearchParam):
    """A reference to a resource of `target`: `Patient/<id>` or the bare `<id>`."""

    field: str = ""
    target: str = ""
    type: str = "reference"

    def filter_one(self, value: str) -> Q:
        if "/" in value:
            kind, _, value = value.rpartition("/")
            if kind.rsplit("/", 1)[-1] != self.target:
                return NOTHING
        found = parse_uuid(value)
        return NOTHING if found is None else Q(**{self.field: found})


@dataclass(frozen=True)
class TokenParam(SearchParam):
    """A coded value: `code`, `system|code`, `|code` (no system) or `system|` (any code in it).

    `codes` maps each FHIR code to the stored values it stands for; without it the code is
    stored as is. `system` is the code system of the stored codes (None: codes have none).
    """

    field: str = ""
    system: str | None = None
    codes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    type: str = "token"

    def filter_one(self, value: str) -> Q:
        system, code = split_token(value)
        if system is not None and system != (self.system or ""):
            return NOTHING
        if system and not code:
            return EVERYTHING
        if self.codes:
            stored = dict(self.codes).get(code)
            return NOTHING if stored is None else Q(**{f"{self.field}__in": stored})
        return Q(**{self.field: code})


@dataclass(frozen=True)
class StringParam(SearchParam):
    """FHIR string search: every word of the value starts one of `fields` (case-insensitive)."""

    fields: tuple[str, ...] = ()
    type: str = "string"

    def filter_one(self, value: str) -> Q:
        q = EVERYTHING
        for word in value.split():
            any_field = NOTHING
            for field in self.fields:
                any_field |= Q(**{f"{field}__istartswith": word})
            q &= any_field
        return q


@dataclass(frozen=True)
class DateParam(SearchParam):
    """A date search on a datetime field, or on a date field when `is_date`."""

    field: str = ""
    is_date: bool = False
    type: str = "date"

    def filter_one(self, value: str) -> Q:
        prefix, start, end, _ = date_range(value)
        if self.is_date:
            zone = timezone.get_current_timezone()
            start, end = start.astimezone(zone).date(), end.astimezone(zone).date()
            if start == end:  # a time inside one day: that whole day
                end = start + timedelta(days=1)
        return _compare(self.field, prefix, start, end)


# Parameters every search understands besides the resource type's own.
CONTROL_PARAMS = ("_count", "_page", "_format")
DEFAULT_COUNT, MAX_COUNT = 20, 100


@dataclass(frozen=True)
class Search:
    """A parsed search: the filter, the page asked for, and the parameters used (for the links)."""

    q: Q
    count: int
    page: int
    used: tuple[tuple[str, str], ...]


def handling_is_strict(request) -> bool:
    """Whether the client sent `Prefer: handling=strict`."""
    prefer = request.headers.get("Prefer", "")
    return any(
        part.strip().replace(" ", "") == "handling=strict"
        for part in prefer.replace(";", ",").split(",")
    )


def unknown_params_refused(request, unknown: list[str]) -> None:
    """Unknown parameters are ignored, unless the client asked for strict handling (then a 400)."""
    if unknown and handling_is_strict(request):
        raise FHIRError(f"Unknown search parameters: {', '.join(sorted(set(unknown)))}.")


def _positive_int(request, name: str, default: int, low: int) -> int:
    value = request.query_params.get(name)
    if value is None:
        return default
    if not value.isascii() or not value.isdigit() or int(value) < low:
        raise FHIRError(f"{name} must be an integer of at least {low}.")
    return int(value)


def search_from_query(request, resource_type) -> Search:
    """Parse a search request for `resource_type`; a malformed value is a 400."""
    q = EVERYTHING
    used, unknown = [], []
    for name, values in request.query_params.lists():
        param = resource_type.param(name)
        if param is None:
            if name not in CONTROL_PARAMS:
                unknown.append(name)
            continue
        for value in values:
            q &= param.filter(value)
            used.append((name, value))
    unknown_params_refused(request, unknown)
    count = min(_positive_int(request, "_count", DEFAULT_COUNT, 0), MAX_COUNT)
    page = _positive_int(request, "_page", 1, 1)
    return Search(q=q, count=count, page=page, used=tuple(used))
