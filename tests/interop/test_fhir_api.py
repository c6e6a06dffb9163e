"""The FHIR endpoints over HTTP: scope per persona, every search parameter, paging, errors, audit."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import PatientProfile, User
from appointments.models import Appointment
from clinical.models import Prescription
from tests.factories.accounts import DoctorProfileFactory, PatientProfileFactory
from tests.factories.appointments import AppointmentFactory
from tests.factories.clinical import PrescriptionFactory, VisitFactory
from tests.interop.conftest import FHIR_JSON, entry_ids, fhir_get
from trust.models import AuditEvent

PERSONAS = ("patient", "other_patient", "doctor", "other_doctor", "admin")


@pytest.fixture
def users(admin_user, doctor, other_doctor, patient, other_patient):
    return {"admin": admin_user, "doctor": doctor.user, "other_doctor": other_doctor.user,
            "patient": patient.user, "other_patient": other_patient.user}


def _ids(*rows) -> list[str]:
    return [str(row.pk) for row in rows]


# The objects of `patient` and `doctor`: who reads them (200) and who finds nothing (404).
READS = {
    "Patient": ("patient", (200, 404, 200, 404, 200)),
    "Practitioner": ("doctor", (200, 200, 200, 200, 200)),
    "Appointment": ("visit", (200, 404, 200, 404, 200)),
    "MedicationRequest": ("rx", (200, 404, 200, 404, 200)),
}


def _target(name, records, patient, doctor):
    return {"patient": patient, "doctor": doctor, **records}[name]


@pytest.mark.parametrize("resource_type", sorted(READS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_read_matrix(api, users, records, patient, doctor, resource_type, persona):
    target_name, statuses = READS[resource_type]
    target = _target(target_name, records, patient, doctor)
    status = statuses[PERSONAS.index(persona)]
    body = fhir_get(api(users[persona]), f"{resource_type}/{target.pk}", status=status)
    if status == 200:
        assert (body["resourceType"], body["id"]) == (resource_type, str(target.pk))


# Every approved user sees every practitioner, so Practitioner has nothing out of scope.
@pytest.mark.parametrize("resource_type", ["Patient", "Appointment", "MedicationRequest"])
def test_out_of_scope_answers_exactly_like_a_missing_id(api, users, records, patient, resource_type):
    hidden = _target(READS[resource_type][0], records, patient, None)
    client = api(users["other_patient"])
    out_of_scope = client.get(f"/fhir/R4/{resource_type}/{hidden.pk}")
    missing = client.get(f"/fhir/R4/{resource_type}/00000000-0000-4000-8000-000000000000")
    not_an_id = client.get(f"/fhir/R4/{resource_type}/nope")
    assert out_of_scope.status_code == missing.status_code == not_an_id.status_code == 404
    assert out_of_scope.content == missing.content == not_an_id.content


def test_search_lists_exactly_what_each_persona_may_see(api, users, records, patient, other_patient,
                                                        doctor, other_doctor):
    visit, upcoming, other_visit = records["visit"], records["upcoming"], records["other_visit"]
    expected = {
        "patient": {"Patient": _ids(patient), "Appointment": _ids(upcoming, visit),
                    "MedicationRequest": _ids(records["rx"])},
        "other_patient": {"Patient": _ids(other_patient), "Appointment": _ids(other_visit),
                          "MedicationRequest": _ids(records["other_rx"])},
        "doctor": {"Patient": _ids(patient), "Appointment": _ids(upcoming, visit),
                   "MedicationRequest": _ids(records["rx"])},
        "admin": {"Patient": _ids(patient, other_patient),  # Case, Other
                  "Appointment": _ids(upcoming, visit, other_visit),
                  "MedicationRequest": _ids(records["other_rx"], records["rx"])},
    }
    for persona, by_type in expected.items():
        client = api(users[persona])
        for resource_type, ids in by_type.items():
            bundle = fhir_get(client, resource_type)
            assert (bundle["total"], entry_ids(bundle)) == (len(ids), ids), (persona, resource_type)
        assert entry_ids(fhir_get(client, "Practitioner")) == _ids(doctor, other_doctor)


def test_anonymous_and_unapproved_callers_get_operation_outcomes(anon, pending_patient, records):
    body = fhir_get(anon, "Appointment", status=401)
    assert body["issue"][0]["code"] == "login"
    response = anon.get("/fhir/R4/Patient", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401 and response["Content-Type"] == FHIR_JSON
    assert response.json()["issue"][0]["code"] == "login"
    pending = APIClient()
    pending.force_authenticate(pending_patient.user)
    body = fhir_get(pending, "Patient", status=403)
    assert body["issue"][0]["code"] == "forbidden"


def test_metadata_needs_no_token_and_lists_every_type_and_parameter(anon):
    statement = fhir_get(anon, "metadata")
    assert statement["fhirVersion"] == "4.0.1"
    served = {r["type"]: [p["name"] for p in r["searchParam"]] for r in statement["rest"][0]["resource"]}
    assert served == {
        "Patient": ["_id", "name", "birthdate"],
        "Practitioner": ["_id", "name"],
        "Appointment": ["_id", "patient", "practitioner", "date", "status"],
        "MedicationRequest": ["_id", "patient", "status"],
    }


def test_unknown_types_routes_and_methods_are_operation_outcomes(api, admin_user):
    client = api(admin_user)
    assert fhir_get(client, "Specimen", status=404)["issue"][0]["code"] == "not-found"
    assert fhir_get(client, "Patient/a/b/c", status=404)["issue"][0]["code"] == "not-found"
    response = client.post("/fhir/R4/Patient", {"resourceType": "Patient"}, format="json")
    assert response.status_code == 405 and response["Content-Type"] == FHIR_JSON
    assert response.json()["issue"][0]["code"] == "not-supported"


# --- search parameters -------------------------------------------------------------------

def test_patient_search_by_id_name_and_birthdate(api, admin_user, patient, other_patient):
    other_patient.date_of_birth = datetime.date(1975, 1, 2)
    other_patient.save()
    client = api(admin_user)
    assert entry_ids(fhir_get(client, "Patient", {"_id": str(patient.pk)})) == _ids(patient)
    assert entry_ids(fhir_get(client, "Patient", {"_id": f"{patient.pk},{other_patient.pk}"})) == _ids(
        patient, other_patient)
    assert entry_ids(fhir_get(client, "Patient", {"name": "car"})) == _ids(patient)
    assert entry_ids(fhir_get(client, "Patient", {"name": "Dave oth"})) == _ids(other_patient)
    assert entry_ids(fhir_get(client, "Patient", {"name": "ase"})) == []
    assert entry_ids(fhir_get(client, "Patient", {"birthdate": "1990-05-17"})) == _ids(patient)
    assert entry_ids(fhir_get(client, "Patient", {"birthdate": "1975"})) == _ids(other_patient)
    assert entry_ids(fhir_get(client, "Patient", {"birthdate": ["ge1970", "lt1980-01"]})) == _ids(
        other_patient)
    assert entry_ids(fhir_get(client, "Patient", {"birthdate": "gt1975-01-02"})) == _ids(patient)
    assert entry_ids(fhir_get(client, "Patient", {"birthdate": "le1975-01-02"})) == _ids(other_patient)


def test_practitioner_search_by_id_and_name(api, patient, doctor, other_doctor):
    client = api(patient.user)
    assert entry_ids(fhir_get(client, "Practitioner", {"name": "dora"})) == _ids(other_doctor)
    assert entry_ids(fhir_get(client, "Practitioner", {"_id": str(doctor.pk)})) == _ids(doctor)


def test_appointment_search_by_patient_practitioner_date_and_status(api, admin_user, records, patient,
                                                                     doctor, other_doctor):
    visit, upcoming, other_visit = records["visit"], records["upcoming"], records["other_visit"]
    cancelled = AppointmentFactory(patient=patient, doctor=other_doctor,
                                   start=upcoming.start + datetime.timedelta(days=1),
                                   status=Appointment.Status.CANCELLED, cancellation_reason="Away")
    client = api(admin_user)

    def search(**params):
        return entry_ids(fhir_get(client, "Appointment", params))

    assert search(patient=f"Patient/{patient.pk}") == _ids(cancelled, upcoming, visit)
    assert search(patient=str(patient.pk), practitioner=f"Practitioner/{doctor.pk}") == _ids(upcoming, visit)
    assert search(practitioner=str(other_doctor.pk)) == _ids(cancelled, other_visit)
    assert search(status="fulfilled") == _ids(visit, other_visit)
    assert search(status="booked,cancelled") == _ids(cancelled, upcoming)
    assert search(status="arrived") == []
    today = timezone.localdate().isoformat()
    assert search(date=f"ge{today}") == _ids(cancelled, upcoming)
    assert search(date=f"lt{today}") == _ids(visit, other_visit)
    local_start = upcoming.start.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    assert search(date=local_start[:16] + "Z") == _ids(upcoming)
    assert search(date=f"eq{upcoming.start.date().isoformat()}", patient=str(patient.pk)) == _ids(upcoming)


def test_medication_request_search_by_patient_and_status(api, admin_user, records, patient):
    cancelled = PrescriptionFactory(appointment=records["visit"], status=Prescription.Status.CANCELLED,
                                    cancellation_reason="Side effects")
    client = api(admin_user)
    assert sorted(entry_ids(fhir_get(client, "MedicationRequest", {"patient": str(patient.pk)}))) == sorted(
        _ids(records["rx"], cancelled))
    assert entry_ids(fhir_get(client, "MedicationRequest", {"status": "cancelled"})) == _ids(cancelled)
    active = {"status": "active", "patient": str(patient.pk)}
    assert entry_ids(fhir_get(client, "MedicationRequest", active)) == _ids(records["rx"])


def test_search_within_scope_never_widens_it(api, records, patient, other_patient):
    client = api(patient.user)
    assert fhir_get(client, "Appointment", {"patient": str(other_patient.pk)})["total"] == 0
    assert fhir_get(client, "Patient", {"_id": str(other_patient.pk)})["total"] == 0


@pytest.mark.parametrize("params", [
    {"date": "tomorrow"}, {"date": "ne2024"}, {"birthdate": "2024-02-30"}, {"_count": "-1"},
    {"_count": "ten"}, {"_page": "0"},
])
def test_malformed_values_are_400_operation_outcomes(api, admin_user, params):
    resource_type = "Patient" if "birthdate" in params else "Appointment"
    body = fhir_get(api(admin_user), resource_type, params, status=400)
    assert body["issue"][0]["code"] == "invalid"


def test_nul_bytes_and_unsupported_formats_are_refused(api, admin_user):
    client = api(admin_user)
    body = fhir_get(client, "Patient", {"name": "ca\x00rol"}, status=400)
    assert body["issue"][0]["diagnostics"] == "name: NUL characters are not allowed."
    assert fhir_get(client, "Patient", {"_format": "xml"}, status=406)["issue"][0]["code"] == "not-supported"
    assert fhir_get(client, "Patient", {"_format": "application/fhir+json"})["resourceType"] == "Bundle"


def test_a_page_far_past_the_end_is_empty(api, admin_user, patient):
    bundle = fhir_get(api(admin_user), "Patient", {"_page": "9" * 30})
    assert bundle["total"] == 1 and "entry" not in bundle


def test_unknown_parameters_are_ignored_unless_handling_is_strict(api, admin_user, records):
    client = api(admin_user)
    lenient = fhir_get(client, "Appointment", {"flavour": "mint", "_sort": "date"})
    assert lenient["total"] == 3
    assert "flavour" not in lenient["link"][0]["url"]
    strict = fhir_get(client, "Appointment", {"flavour": "mint"}, status=400, HTTP_PREFER="handling=strict")
    assert "flavour" in strict["issue"][0]["diagnostics"]
    assert fhir_get(client, "Appointment", {"status": "booked"}, HTTP_PREFER="handling=strict")["total"] == 1


# --- paging ------------------------------------------------------------------------------

def test_paging_walks_every_row_once_with_next_and_previous_links(api, doctor):
    patients = PatientProfileFactory.create_batch(5)
    for patient in patients:
        AppointmentFactory(patient=patient, doctor=doctor)
    client = api(doctor.user)
    seen, url, pages = [], "/fhir/R4/Appointment?_count=2&status=booked", 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        bundle = fhir_get(client, url.removeprefix("/fhir/R4/").removeprefix("http://testserver/fhir/R4/"))
        links = {link["relation"]: link["url"] for link in bundle["link"]}
        assert bundle["total"] == 5
        assert ("previous" in links) == (pages > 0)
        assert "status=booked" in links["self"]
        seen += entry_ids(bundle)
        pages += 1
        url = links.get("next")
    assert pages == 3
    assert sorted(seen) == sorted(str(a.pk) for a in Appointment.objects.all())
    assert len(seen) == len(set(seen))


def test_count_defaults_to_20_and_is_capped_at_100(api, admin_user):
    PatientProfileFactory.create_batch(101)
    client = api(admin_user)
    assert len(fhir_get(client, "Patient")["entry"]) == 20
    assert len(fhir_get(client, "Patient", {"_count": "500"})["entry"]) == 100
    summary = fhir_get(client, "Patient", {"_count": "0"})
    assert summary["total"] == 101 and "entry" not in summary
    assert fhir_get(client, "Patient", {"_page": "99"})["total"] == 101


# --- constant queries and audit ----------------------------------------------------------

def _rows_for(resource_type: str, doctor, count: int):
    patient = PatientProfileFactory()
    for _ in range(count):
        visit = VisitFactory(patient=patient, doctor=doctor)
        PrescriptionFactory(appointment=visit)
        DoctorProfileFactory()


@pytest.mark.parametrize("resource_type", ["Patient", "Practitioner", "Appointment", "MedicationRequest"])
@pytest.mark.parametrize("rows", [1, 50])
def test_search_runs_a_constant_number_of_queries(api, admin_user, doctor, django_assert_max_num_queries,
                                                  resource_type, rows):
    if resource_type == "Patient":
        PatientProfileFactory.create_batch(rows)
    else:
        _rows_for(resource_type, doctor, rows)
    client = api(admin_user)
    with django_assert_max_num_queries(4):
        bundle = fhir_get(client, resource_type, {"_count": "100"})
    assert len(bundle["entry"]) >= rows


def test_reads_and_searches_write_audit_events(api, doctor, records, patient):
    client = api(doctor.user)
    fhir_get(client, "Appointment")
    fhir_get(client, f"MedicationRequest/{records['rx'].pk}")
    fhir_get(client, "Practitioner")
    events = AuditEvent.objects.filter(actor=doctor.user)
    assert sorted(events.values_list("action", "object_type", "object_id", "patient_id")) == sorted([
        ("read", "appointment", str(records["upcoming"].pk), patient.pk),
        ("read", "appointment", str(records["visit"].pk), patient.pk),
        ("read", "prescription", str(records["rx"].pk), patient.pk),
    ])


def test_refused_requests_write_no_audit_event(api, other_patient, records):
    fhir_get(api(other_patient.user), f"Appointment/{records['visit'].pk}", status=404)
    assert not AuditEvent.objects.exists()


def test_deactivated_patient_is_inactive_but_still_served(api, admin_user, patient):
    User.objects.filter(pk=patient.pk).update(is_active=False)
    body = fhir_get(api(admin_user), f"Patient/{patient.pk}")
    assert body["active"] is False
    assert PatientProfile.objects.filter(pk=patient.pk).exists()
