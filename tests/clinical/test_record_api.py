"""The clinical record: encounters, vital signs, allergies and the allergy check on prescriptions."""

import datetime

import pytest
from django.utils import timezone

from clinical.models import Allergy, Encounter, EncounterAddendum, Observation, Prescription
from tests.factories.billing import admission_for
from tests.factories.clinical import (
    AllergyFactory,
    EncounterFactory,
    ObservationFactory,
    VisitFactory,
)
from trust.models import AuditEvent


def ids(response) -> set[str]:
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def visit(doctor, patient):
    return VisitFactory(doctor=doctor, patient=patient)


def rx_body(visit, medicine="Amoxicillin 500 mg", **extra):
    return {"appointment": str(visit.pk), "medicine_name": medicine, "dosage": "500 mg",
            "frequency": "three times daily", "duration_days": 7, "quantity": 21, **extra}


# --- the allergy check ---------------------------------------------------------------------

class TestAllergyCheck:
    def test_conflict_answers_409_with_the_allergy_ids_and_writes_nothing(self, api, doctor, patient, visit):
        allergy = AllergyFactory(patient=patient, substance="Amoxicillin")
        AllergyFactory(patient=patient, substance="Latex", category=Allergy.Category.ENVIRONMENT)

        response = api(doctor.user).post("/api/prescriptions/", rx_body(visit), format="json")

        assert response.status_code == 409
        assert response.json()["code"] == "allergy_conflict"
        assert response.json()["allergies"] == [str(allergy.pk)]
        assert not Prescription.objects.exists()

    def test_override_reason_prescribes_and_is_kept_and_audited(self, api, doctor, patient, visit):
        allergy = AllergyFactory(patient=patient, substance="amoxicillin")

        response = api(doctor.user).post(
            "/api/prescriptions/", rx_body(visit, override_reason="Mild rash only; benefits outweigh"),
            format="json",
        )

        assert response.status_code == 201, response.content
        override = response.json()["allergy_override"]
        assert override == {"reason": "Mild rash only; benefits outweigh", "allergies": [str(allergy.pk)]}
        assert AuditEvent.objects.filter(action="allergy_override", object_id=response.json()["id"],
                                         patient=patient).exists()

    @pytest.mark.parametrize("medicine", ["Penicillinase inhibitor", "Ampicillin"])
    def test_only_whole_words_match(self, api, doctor, patient, visit, medicine):
        AllergyFactory(patient=patient, substance="Penicillin")

        response = api(doctor.user).post("/api/prescriptions/", rx_body(visit, medicine), format="json")

        assert response.status_code == 201
        assert response.json()["allergy_override"] is None

    @pytest.mark.parametrize("status", [Allergy.Status.RESOLVED, Allergy.Status.ENTERED_IN_ERROR])
    def test_inactive_allergies_do_not_block(self, api, doctor, patient, visit, status):
        AllergyFactory(patient=patient, substance="Amoxicillin", status=status)

        assert api(doctor.user).post("/api/prescriptions/", rx_body(visit), format="json").status_code == 201

    def test_blank_override_reason_does_not_override(self, api, doctor, patient, visit):
        AllergyFactory(patient=patient, substance="Amoxicillin")

        response = api(doctor.user).post("/api/prescriptions/", rx_body(visit, override_reason="  "),
                                         format="json")

        assert response.status_code == 409 and not Prescription.objects.exists()


# --- vital signs ---------------------------------------------------------------------------

class TestObservations:
    def test_vitals_set_is_stored_with_units_and_interpretation(self, api, nurse, doctor, patient):
        admission_for(patient, doctor)
        body = {"patient": str(patient.pk),
                "vitals": {"heart_rate": "110", "body_temperature": "36.6", "body_weight": "70.5"}}

        response = api(nurse.user).post("/api/observations/", body, format="json")

        assert response.status_code == 201, response.content
        rows = {row["code"]: row for row in response.json()}
        assert rows["heart_rate"]["interpretation"] == "high"
        assert rows["heart_rate"]["loinc"] == "8867-4" and rows["heart_rate"]["unit"] == "/min"
        assert rows["body_temperature"]["interpretation"] == "normal"
        assert rows["body_weight"]["interpretation"] is None
        assert rows["heart_rate"]["recorded_by"]["role"] == "nurse"

    def test_one_implausible_value_rolls_back_the_whole_set(self, api, doctor, patient, visit):
        body = {"patient": str(patient.pk), "vitals": {"heart_rate": "80", "systolic_bp": "400"}}

        response = api(doctor.user).post("/api/observations/", body, format="json")

        assert response.status_code == 400
        assert response.json()["code"] == "implausible_value"
        assert not Observation.objects.exists()

    def test_future_effective_at_is_refused(self, api, doctor, patient, visit):
        later = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
        body = {"patient": str(patient.pk), "code": "heart_rate", "value": "70", "effective_at": later}

        response = api(doctor.user).post("/api/observations/", body, format="json")

        assert response.status_code == 400 and not Observation.objects.exists()

    @pytest.mark.parametrize("body", [
        {"code": "heart_rate"}, {"code": "pulse", "value": "70"}, {"value": "70"},
        {"vitals": {"heart_rate": "x"}}, {"vitals": {"nope": "1"}},
        {"code": "heart_rate", "value": "70", "vitals": {"heart_rate": "70"}},
        {"code": "heart_rate", "value": "1e9"},
    ])
    def test_bad_input_is_a_400(self, api, doctor, patient, visit, body):
        response = api(doctor.user).post("/api/observations/", {"patient": str(patient.pk), **body},
                                         format="json")

        assert response.status_code == 400 and not Observation.objects.exists()

    def test_patient_outside_scope_reads_as_unknown(self, api, other_nurse, patient, doctor):
        admission_for(patient, doctor)
        body = {"patient": str(patient.pk), "code": "heart_rate", "value": "70"}

        response = api(other_nurse.user).post("/api/observations/", body, format="json")

        assert response.status_code == 400 and "patient" in response.json()
        assert not Observation.objects.exists()

    def test_void_keeps_the_row_listed(self, api, doctor, patient, visit):
        observation = ObservationFactory(patient=patient, recorded_by=doctor.user)
        client = api(doctor.user)

        response = client.post(f"/api/observations/{observation.pk}/void/", {"reason": "Wrong cuff"},
                               format="json")

        assert response.status_code == 200 and response.json()["status"] == "entered_in_error"
        assert ids(client.get("/api/observations/?status=entered_in_error")) == {str(observation.pk)}
        again = client.post(f"/api/observations/{observation.pk}/void/", {"reason": "x"}, format="json")
        assert again.status_code == 409

    def test_catalog(self, api, lab):
        body = api(lab.user).get("/api/observation-codes/").json()

        assert [row["code"] for row in body][:2] == ["heart_rate", "respiratory_rate"]
        height = next(row for row in body if row["code"] == "body_height")
        assert height["normal_low"] is None and height["plausible_high"] == "260.00"

    @pytest.mark.parametrize("rows", [1, 50])
    def test_list_exact_ids_and_constant_queries(self, api, doctor, patient, other_patient, visit,
                                                 rows, django_assert_max_num_queries):
        mine = ObservationFactory.create_batch(rows, patient=patient, recorded_by=doctor.user)
        ObservationFactory(patient=other_patient)
        client = api(doctor.user)

        with django_assert_max_num_queries(6):
            response = client.get("/api/observations/?page_size=100")

        assert ids(response) == {str(o.pk) for o in mine}
        assert AuditEvent.objects.filter(object_type="observation", action="read").count() == rows


# --- encounters ----------------------------------------------------------------------------

class TestEncounters:
    def test_outpatient_workflow_locks_notes_and_takes_addenda(self, api, doctor, patient, visit):
        client = api(doctor.user)
        response = client.post("/api/encounters/", {"patient": str(patient.pk), "kind": "outpatient",
                                                    "appointment": str(visit.pk), "subjective": "Cough"},
                               format="json")
        assert response.status_code == 201, response.content
        url = f"/api/encounters/{response.json()['id']}/"

        again = client.post("/api/encounters/", {"patient": str(patient.pk), "kind": "outpatient",
                                                 "appointment": str(visit.pk)}, format="json")
        assert again.status_code == 409 and again.json()["code"] == "encounter_exists"

        assert client.patch(url, {"plan": "Rest"}, format="json").json()["plan"] == "Rest"
        assert client.post(f"{url}addenda/", {"text": "early"}, format="json").status_code == 409
        finished = client.post(f"{url}finish/", format="json")
        assert finished.status_code == 200 and finished.json()["ended_at"]
        assert client.post(f"{url}finish/", format="json").json()["code"] == "invalid_transition"
        locked = client.patch(url, {"plan": "Other"}, format="json")
        assert locked.status_code == 409 and locked.json()["code"] == "encounter_locked"
        added = client.post(f"{url}addenda/", {"text": "X-ray clear."}, format="json")
        assert added.status_code == 201 and added.json()["author"]["id"] == str(doctor.pk)
        body = client.get(url).json()
        assert body["plan"] == "Rest" and [a["text"] for a in body["addenda"]] == ["X-ray clear."]

    def test_outpatient_needs_an_appointment_of_this_doctor(self, api, other_doctor, patient, visit):
        response = api(other_doctor.user).post(
            "/api/encounters/", {"patient": str(patient.pk), "kind": "outpatient",
                                 "appointment": str(visit.pk)}, format="json")

        assert response.status_code == 400 and not Encounter.objects.exists()

    def test_inpatient_needs_the_open_admission(self, api, doctor, patient):
        admission = admission_for(patient, doctor)
        client = api(doctor.user)

        missing = client.post("/api/encounters/", {"patient": str(patient.pk), "kind": "inpatient"},
                              format="json")
        ok = client.post("/api/encounters/", {"patient": str(patient.pk), "kind": "inpatient",
                                              "admission": str(admission.pk)}, format="json")

        assert missing.status_code == 400
        assert ok.status_code == 201 and ok.json()["admission"] == str(admission.pk)

    def test_emergency_opens_the_care_relation(self, api, other_doctor, other_patient):
        client = api(other_doctor.user)
        assert client.get(f"/api/patients/{other_patient.pk}/").status_code == 404

        response = client.post("/api/encounters/", {"patient": str(other_patient.pk),
                                                    "kind": "emergency"}, format="json")

        assert response.status_code == 201
        assert client.get(f"/api/patients/{other_patient.pk}/").status_code == 200

    def test_nurse_reads_but_does_not_write_notes(self, api, nurse, other_nurse, doctor, patient, visit):
        admission_for(patient, doctor)
        encounter = EncounterFactory(appointment=visit)

        assert ids(api(nurse.user).get("/api/encounters/")) == {str(encounter.pk)}
        assert ids(api(other_nurse.user).get("/api/encounters/")) == set()
        assert api(nurse.user).patch(f"/api/encounters/{encounter.pk}/", {"plan": "x"},
                                     format="json").status_code == 403
        assert not EncounterAddendum.objects.exists()

    @pytest.mark.parametrize("rows", [1, 50])
    def test_list_constant_queries(self, api, doctor, patient, rows, django_assert_max_num_queries):
        made = [EncounterFactory(appointment=VisitFactory(doctor=doctor, patient=patient))
                for _ in range(rows)]
        client = api(doctor.user)

        with django_assert_max_num_queries(7):
            response = client.get("/api/encounters/?page_size=100")

        assert ids(response) == {str(e.pk) for e in made}


# --- allergies -----------------------------------------------------------------------------

class TestAllergies:
    def test_patient_report_is_unconfirmed_until_a_nurse_confirms(self, api, patient, nurse, doctor):
        admission_for(patient, doctor)
        response = api(patient.user).post(
            "/api/allergies/", {"patient": str(patient.pk), "substance": "Peanut", "category": "food",
                                "reactions": ["swelling"]}, format="json")
        assert response.status_code == 201 and response.json()["verification"] == "unconfirmed"

        confirmed = api(nurse.user).patch(f"/api/allergies/{response.json()['id']}/",
                                          {"verification": "confirmed"}, format="json")

        assert confirmed.status_code == 200 and confirmed.json()["verification"] == "confirmed"
        assert api(patient.user).patch(f"/api/allergies/{response.json()['id']}/",
                                       {"note": "x"}, format="json").status_code == 403

    def test_same_active_substance_twice_is_409(self, api, doctor, patient, visit):
        AllergyFactory(patient=patient, substance="Penicillin")

        response = api(doctor.user).post(
            "/api/allergies/", {"patient": str(patient.pk), "substance": " PENICILLIN ",
                                "category": "medication"}, format="json")

        assert response.status_code == 409 and response.json()["code"] == "duplicate_allergy"
        assert Allergy.objects.count() == 1

    def test_patient_cannot_report_for_someone_else(self, api, patient, other_patient):
        response = api(patient.user).post(
            "/api/allergies/", {"patient": str(other_patient.pk), "substance": "Dust",
                                "category": "environment"}, format="json")

        assert response.status_code == 400 and not Allergy.objects.exists()

    @pytest.mark.parametrize("rows", [1, 50])
    def test_list_exact_ids_and_constant_queries(self, api, patient, other_patient, rows,
                                                 django_assert_max_num_queries):
        mine = [AllergyFactory(patient=patient, substance=f"Drug {n}") for n in range(rows)]
        AllergyFactory(patient=other_patient)
        client = api(patient.user)

        with django_assert_max_num_queries(6):
            response = client.get("/api/allergies/?page_size=100")

        assert ids(response) == {str(a.pk) for a in mine}
