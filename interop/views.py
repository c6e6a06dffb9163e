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
    """One insert for the `(resource type, rows)` pairs read by this request."""
    audit_batches_record(request=request, batches=[
        ("read", spec.audit_object_type, spec.audit_records(rows))
        for spec, rows in pairs if spec.audit_object_type
    ])


@extend_schema(exclude=True)
class MetadataView(FHIRView):
    """The CapabilityStatement: what this server answers; no token needed."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request):
        return Response(capability_statement(fhir_base(request)))


@extend_schema(exclude=True)
class SearchView(FHIRView):
    """Search one resource type within the caller's scope: a paged `searchset` Bundle."""

    def get(self, request, resource_type):
        spec = resource_type_named(resource_type)
        search = search_from_query(request, spec)
        rows = spec.visible_to(request.user).filter(search.q).order_by(*spec.ordering)
        total = rows.count()
        start = (search.page - 1) * search.count
        page = list(rows[start:start + search.count]) if search.count and start < total else []
        _audit(request, [(spec, page)])
        base = fhir_base(request)
        url = f"{base}{spec.name}?"
        links = [("self", search.page)]
        if start + search.count < total and search.count:
            links.append(("next", search.page + 1))
        if search.page > 1:
            links.append(("previous", search.page - 1))
        return Response(searchset(total, [
            {"relation": relation,
             "url": url + urlencode([*search.used, ("_count", search.count), ("_page", number)])}
            for relation, number in links
        ], [spec.to_fhir(row) for row in page], base))


@extend_schema(exclude=True)
class ReadView(FHIRView):
    """Read one resource; outside the caller's scope it does not exist (404)."""

    def get(self, request, resource_type, resource_id):
        spec = resource_type_named(resource_type)
        pk = parse_uuid(resource_id)
        row = None if pk is None else spec.visible_to(request.user).filter(pk=pk).first()
        if row is None:
            raise resource_not_found()
        _audit(request, [(spec, [row])])
        return Response(spec.to_fhir(row))


@extend_schema(exclude=True)
class PatientEverythingView(FHIRView):
    """`Patient/{id}/$everything`: the patient and every resource about them the caller may see."""

    known_params = ("_type",)

    def get(self, request, resource_id):
        patient_type = resource_type_named("Patient")
        pk = parse_uuid(resource_id)
        patient = None if pk is None else patient_type.visible_to(request.user).filter(pk=pk).first()
        if patient is None:
            raise resource_not_found()
        unknown_params_refused(request, [key for key in request.query_params if key not in self.known_params])
        wanted = RESOURCE_TYPES
        if request.query_params.get("_type"):
            wanted = resource_types_named(request.query_params["_type"])
        pairs = [(patient_type, [patient])]
        for spec in wanted:
            if spec.patient_field and spec is not patient_type:
                rows = spec.visible_to(request.user).filter(**{spec.patient_field: patient.pk})
                pairs.append((spec, list(rows.order_by(*spec.ordering))))
        _audit(request, pairs)
        base = fhir_base(request)
        resources = [spec.to_fhir(row) for spec, rows in pairs for row in rows]
        self_link = [{"relation": "self", "url": request.build_absolute_uri()}]
        return Response(searchset(len(resources), self_link, resources, base))


@extend_schema(exclude=True)
class UnknownRouteView(FHIRView):
    """Anything else under the FHIR base: a 404 OperationOutcome (no token needed to learn that)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request, *args, **kwargs):
        raise resource_not_found()

    post = put = patch = delete = get
