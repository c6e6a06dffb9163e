"""FHIR R4 endpoints: the CapabilityStatement, read, search and `Patient/{id}/$everything`."""

from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from interop.capability import capability_statement
from interop.fhir import FHIRView, resource_not_found
from interop.resources import RESOURCE_TYPES, resource_type_named, resource_types_named
from interop.search import parse_uuid, search_from_query, unknown_params_refused
from trust.audit import audit_batches_record


def fhir_base(request) -> str:
    """The absolute base URL of the FHIR server, ending in a slash."""
    return request.build_absolute_uri(reverse("fhir-metadata"))[: -len("metadata")]


def searchset(total: int, links: list[dict], resources: list[dict], base: str) -> dict:
    """A `searchset` Bundle; FHIR allows no empty array, so a page without rows has no `entry`."""
    bundle = {"resourceType": "Bundle", "type": "searchset", "total": total, "link": links}
    if resources:
        bundle["entry"] = [bundle_entry(base, resource) for resource in resources]
    return bundle


def bundle_entry(base: str, resource: dict, mode: str = "match") -> dict:
    return {
        "fullUrl": f"{base}{resource['resourceType']}/{resource['id']}",
        "resource": resource,
        "search": {"mode": mode},
    }


def _audit(request, pairs) -> None:
    """One insert for the `(source, rows)` pairs this request read; each object recorded once."""
    batches = []
    for source, rows in pairs:
        if source.audit_object_type:
            keys = dict.fromkeys(source.audit_key(row) for row in rows)
            batches.append(("read", source.audit_object_type, list(keys)))
    audit_batches_record(request=request, batches=batches)


def _resources(pairs) -> list[dict]:
    return [source.to_fhir(row) for source, rows in pairs for row in rows]


@extend_schema(exclude=True)
class MetadataView(FHIRView):
    """The CapabilityStatement: what this server answers; no token needed."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request):
        return Response(capability_statement(fhir_base(request)))


@extend_schema(exclude=True)
class SearchView(FHIRView):
    """Search one resource type within the caller's scope: a paged `searchset` Bundle.

    The rows of a type with several sources follow one another, source by source, so a page
    costs two queries per source (its count and its slice) however deep it is.
    """

    def get(self, request, resource_type):
        spec = resource_type_named(resource_type)
        search = search_from_query(request, spec)
        start = (search.page - 1) * search.count
        end = start + search.count
        total, pairs = 0, []
        for source, q in zip(spec.sources, search.filters, strict=True):
            rows = source.visible_to(request.user).filter(q).order_by(*source.ordering)
            size = rows.count()
            low, high = max(start - total, 0), min(end - total, size)
            if low < high:
                pairs.append((source, list(rows[low:high])))
            total += size
        _audit(request, pairs)
        base = fhir_base(request)
        links = [("self", search.page)]
        if search.count and end < total:
            links.append(("next", search.page + 1))
        if search.page > 1:
            links.append(("previous", search.page - 1))
        url = f"{base}{spec.name}?"
        return Response(searchset(total, [
            {"relation": relation,
             "url": url + urlencode([*search.used, ("_count", search.count), ("_page", number)])}
            for relation, number in links
        ], _resources(pairs), base))


def _visible_row(source, user, resource_id):
    pk = parse_uuid(resource_id)
    return None if pk is None else source.visible_to(user).filter(pk=pk).first()


@extend_schema(exclude=True)
class ReadView(FHIRView):
    """Read one resource; outside the caller's scope it does not exist (404)."""

    def get(self, request, resource_type, resource_id):
        for source in resource_type_named(resource_type).sources:
            row = _visible_row(source, request.user, resource_id)
            if row is not None:
                _audit(request, [(source, [row])])
                return Response(source.to_fhir(row))
        raise resource_not_found()


@extend_schema(exclude=True)
class PatientEverythingView(FHIRView):
    """`Patient/{id}/$everything`: the patient and every resource about them the caller may see.

    One query per source whatever the size of the record, and one audit insert.
    """

    known_params = ("_type", "_format")

    def get(self, request, resource_id):
        (patients,) = resource_type_named("Patient").sources
        patient = _visible_row(patients, request.user, resource_id)
        if patient is None:
            raise resource_not_found()
        unknown_params_refused(request, [key for key in request.query_params if key not in self.known_params])
        wanted = RESOURCE_TYPES
        if request.query_params.get("_type"):
            wanted = resource_types_named(request.query_params["_type"])
        pairs = [(patients, [patient])]
        for spec in wanted:
            for source in spec.sources:
                if source.patient_lookup and source is not patients:
                    rows = source.visible_to(request.user).filter(**{source.patient_lookup: patient.pk})
                    pairs.append((source, list(rows.order_by(*source.ordering))))
        _audit(request, pairs)
        self_link = [{"relation": "self", "url": request.build_absolute_uri()}]
        resources = _resources(pairs)
        return Response(searchset(len(resources), self_link, resources, fhir_base(request)))


@extend_schema(exclude=True)
class UnknownRouteView(FHIRView):
    """Anything else under the FHIR base: a 404 OperationOutcome (no token needed to learn that)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request, *args, **kwargs):
        raise resource_not_found()

    post = put = patch = delete = get
