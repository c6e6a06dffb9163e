"""`Patient/{id}/$everything`: exactly the patient's resources the caller may see, in constant queries."""

import pytest

from tests.factories.clinical import PrescriptionFactory, VisitFactory
from tests.interop.conftest import entry_ids, fhir_get
from trust.models import AuditEvent


def _everything(client, patient, params=None, status=200):
    return fhir_get(client, f"Patient/{patient.pk}/$everything", params, status=status)


def _typed(bundle) -> list[tuple[str, str]]:
    return sorted((e["resource"]["resourceType"], e["resource"]["id"]) for e in bundle.get("entry", []))


def _expected(patient, *rows) -> list[tuple[str, str]]:
    names = {"Appointment": "Appointment", "Prescription": "MedicationRequest"}
    return sorted([("Patient", str(patient.pk))] + [(names[type(row).__name__], str(row.pk)) for row in rows])


def test_patient_gets_exactly_her_own_record(api, patient, records):
    bundle = _everything(api(patient.user), patient)
    assert bundle["type"] == "searchset"
    assert bundle["entry"][0]["resource"]["id"] == str(patient.pk)
    assert _typed(bundle) == _expected(patient, records["visit"], records["upcoming"], records["rx"])
    assert bundle["total"] == 4


def test_doctor_sees_only_what_the_rest_api_shows_them(api, patient, doctor, other_doctor, records):
    visit_elsewhere = VisitFactory(patient=patient, doctor=other_doctor)
    rx_elsewhere = PrescriptionFactory(appointment=visit_elsewhere)
    mine = _everything(api(doctor.user), patient)
    assert _typed(mine) == _expected(patient, records["visit"], records["upcoming"], records["rx"])
    theirs = _everything(api(other_doctor.user), patient)
    assert _typed(theirs) == _expected(patient, visit_elsewhere, rx_elsewhere)


def test_admin_sees_every_resource_of_the_patient_and_no_one_elses(api, admin_user, patient, records):
    bundle = _everything(api(admin_user), patient)
    assert _typed(bundle) == _expected(patient, records["visit"], records["upcoming"], records["rx"])


@pytest.mark.parametrize("persona", ["other_patient", "other_doctor"])
def test_outsiders_get_the_missing_patient_answer(api, patient, other_patient, other_doctor, records,
                                                  persona):
    user = {"other_patient": other_patient.user, "other_doctor": other_doctor.user}[persona]
    client = api(user)
    hidden = client.get(f"/fhir/R4/Patient/{patient.pk}/$everything")
    missing = client.get("/fhir/R4/Patient/00000000-0000-4000-8000-000000000000/$everything")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
    assert hidden.json()["resourceType"] == "OperationOutcome"


def test_anonymous_caller_gets_401(anon, patient):
    assert _everything(anon, patient, status=401)["issue"][0]["code"] == "login"


def test_type_narrows_the_bundle(api, patient, records):
    bundle = _everything(api(patient.user), patient, {"_type": "MedicationRequest"})
    assert entry_ids(bundle) == [str(patient.pk), str(records["rx"].pk)]
    body = _everything(api(patient.user), patient, {"_type": "Specimen"}, status=400)
    assert "Specimen" in body["issue"][0]["diagnostics"]


def test_unknown_parameters_refused_only_when_strict(api, patient, records):
    client = api(patient.user)
    assert _everything(client, patient, {"_since": "2024"})["total"] == 4
    response = client.get(f"/fhir/R4/Patient/{patient.pk}/$everything", {"_since": "2024"},
                          HTTP_PREFER="handling=strict")
    assert response.status_code == 400


def test_everything_writes_one_audit_event_per_resource(api, doctor, patient, records):
    _everything(api(doctor.user), patient)
    events = AuditEvent.objects.filter(actor=doctor.user)
    assert sorted(events.values_list("object_type", "object_id")) == sorted([
        ("patient", str(patient.pk)), ("appointment", str(records["visit"].pk)),
        ("appointment", str(records["upcoming"].pk)), ("prescription", str(records["rx"].pk)),
    ])
    assert set(events.values_list("action", "patient_id")) == {("read", patient.pk)}


@pytest.mark.parametrize("visits", [1, 50])
def test_everything_runs_a_constant_number_of_queries(api, patient, doctor, django_assert_max_num_queries,
                                                      visits):
    for _ in range(visits):
        PrescriptionFactory(appointment=VisitFactory(patient=patient, doctor=doctor))
    client = api(patient.user)
    with django_assert_max_num_queries(5):
        bundle = _everything(client, patient)
    assert bundle["total"] == 1 + 2 * visits
