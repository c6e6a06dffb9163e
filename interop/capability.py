"""The CapabilityStatement, built from the table of served resource types."""

from interop.fhir import FHIR_MEDIA_TYPE
from interop.resources import RESOURCE_TYPES

# The date this statement last changed (FHIR requires one); bump it with the served resources.
PUBLISHED = "2026-12-01"
EVERYTHING_DEFINITION = "http://hl7.org/fhir/OperationDefinition/Patient-everything"


def _resource(spec) -> dict:
    entry = {
        "type": spec.name,
        "interaction": [{"code": "read"}, {"code": "search-type"}],
        "searchParam": [{"name": param.name, "type": param.type} for param in spec.params],
    }
    if spec.name == "Patient":
        entry["operation"] = [{"name": "everything", "definition": EVERYTHING_DEFINITION}]
    return entry


def capability_statement(base_url: str) -> dict:
    """What this server answers: read and search of each type, with its search parameters."""
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": PUBLISHED,
        "publisher": "Hospital API",
        "kind": "instance",
        "software": {"name": "Hospital API"},
        "implementation": {"description": "Read-only FHIR R4 face of the hospital API",
                           "url": base_url.rstrip("/")},
        "fhirVersion": "4.0.1",
        "format": [FHIR_MEDIA_TYPE, "json"],
        "rest": [{
            "mode": "server",
            "security": {
                "service": [{"coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                    "code": "OAuth",
                }]}],
                "description": "Bearer access tokens from POST /api/token/, as for the REST API.",
            },
            "resource": [_resource(spec) for spec in RESOURCE_TYPES],
        }],
    }
