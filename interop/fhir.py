"""FHIR on the wire: the `application/fhir+json` renderer, OperationOutcome errors, the base view."""

from rest_framework import exceptions, status
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from hospital.exceptions import exception_handler as api_exception_handler

FHIR_MEDIA_TYPE = "application/fhir+json"

# The OperationOutcome `issue.code` (http://hl7.org/fhir/issue-type) of each HTTP error status.
ISSUE_CODES = {
    status.HTTP_400_BAD_REQUEST: "invalid",
    status.HTTP_401_UNAUTHORIZED: "login",
    status.HTTP_403_FORBIDDEN: "forbidden",
    status.HTTP_404_NOT_FOUND: "not-found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "not-supported",
    status.HTTP_406_NOT_ACCEPTABLE: "not-supported",
    status.HTTP_409_CONFLICT: "conflict",
    status.HTTP_429_TOO_MANY_REQUESTS: "throttled",
}

NOT_FOUND_MESSAGE = "Resource not found."
# `_format` values meaning JSON (http://hl7.org/fhir/R4/http.html#mime-type).
ACCEPTED_FORMATS = ("json", "application/json", FHIR_MEDIA_TYPE)


class FHIRJSONRenderer(JSONRenderer):
    """Render FHIR resources as `application/fhir+json` (UTF-8, as JSON always is)."""

    media_type = FHIR_MEDIA_TYPE
    format = "json"


class FHIRContentNegotiation(BaseContentNegotiation):
    """Always answer FHIR JSON: the only format this server speaks, whatever `Accept` asks."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class FHIRError(exceptions.APIException):
    """A request FHIR refuses: answered as an OperationOutcome with `issue_code`."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "Invalid request."

    def __init__(self, detail: str, *, status_code: int = 400, issue_code: str | None = None):
        super().__init__(detail)
        self.status_code = status_code
        self.issue_code = issue_code or ISSUE_CODES.get(status_code, "processing")


def resource_not_found() -> FHIRError:
    """The one answer for a missing id and an id outside the caller's scope."""
    return FHIRError(NOT_FOUND_MESSAGE, status_code=status.HTTP_404_NOT_FOUND)


def operation_outcome(issues: list[tuple[str, str, str]]) -> dict:
    """An OperationOutcome of `(severity, code, diagnostics)` issues."""
    return {
        "resourceType": "OperationOutcome",
        "issue": [
            {"severity": severity, "code": code, "diagnostics": diagnostics}
            for severity, code, diagnostics in issues
        ],
    }


def _diagnostics(data) -> str:
    if isinstance(data, dict) and "detail" in data:
        return str(data["detail"])
    if isinstance(data, list):
        return " ".join(str(item) for item in data)
    return str(data)


def fhir_exception_handler(exc, context):
    """The API's handler (DRF's auth failures, throttling, domain errors), its body as an OperationOutcome."""
    if isinstance(exc, exceptions.NotFound) and not isinstance(exc, FHIRError):
        exc = resource_not_found()
    response = api_exception_handler(exc, context)
    if response is None:
        return None
    code = getattr(exc, "issue_code", None) or ISSUE_CODES.get(response.status_code, "processing")
    response.data = operation_outcome([("error", code, _diagnostics(response.data))])
    return response


class FHIRView(APIView):
    """Base of every FHIR endpoint: FHIR JSON in every answer, errors as OperationOutcome."""

    renderer_classes = [FHIRJSONRenderer]
    content_negotiation_class = FHIRContentNegotiation

    def get_exception_handler(self):
        return fhir_exception_handler

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        fmt = request.query_params.get("_format")
        if fmt is not None and fmt not in ACCEPTED_FORMATS:
            raise FHIRError(f"_format '{fmt}' is not supported: this server answers JSON only.",
                            status_code=status.HTTP_406_NOT_ACCEPTABLE)
        for name, values in request.query_params.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise FHIRError(f"{name.replace(chr(0), '')}: NUL characters are not allowed.")
