"""Laboratory over FHIR: released results as Observations (LOINC, UCUM), released orders as reports."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from interop import mappers
from laboratory.models import LabOrder, LabOrderItem
from tests.factories.laboratory import LabTechnicianFactory, lab_order
from tests.interop.conftest import assert_valid_fhir, entry_ids, fhir_get
from trust.models import AuditEvent

Status = LabOrder.Status


@pytest.fixture
def lab(db):
    return LabTechnicianFactory()


@pytest.fixture
def labs(records, patient, other_patient, doctor, other_doctor, lab):
    """`patient`: a released blood count (hemoglobin low, sodium) and a resulted, unreleased
    potassium; `other_patient`: a released TSH."""
    released = lab_order(patient=patient, doctor=doctor, lab=lab, status=Status.RELEASED,
                         values=[Decimal("10.5"), Decimal("140")])
    unreleased = lab_order(patient=patient, doctor=doctor, lab=lab, tests=("potassium",),
                           status=Status.RESULTED)
    other = lab_order(patient=other_patient, doctor=other_doctor, lab=lab, tests=("tsh",),
                      status=Status.RELEASED)
    items = {item.test.code: item for item in LabOrderItem.objects.select_related("test")}
    return {"released": released, "unreleased": unreleased, "other": other, "items": items}


def _ids(*rows) -> list[str]:
    return [str(row.pk) for row in rows]


def test_lab_observation_mapping(labs):
    item = LabOrderItem.objects.select_related("test", "order__patient__user").get(
        pk=labs["items"]["hemoglobin"].pk)
    resource = assert_valid_fhir(mappers.lab_observation_resource(item))
    assert resource["status"] == "final"
    assert resource["category"][0]["coding"][0]["code"] == "laboratory"
    assert resource["code"]["coding"] == [{"system": "http://loinc.org", "code": "718-7",
                                           "display": item.test.name}]
    assert resource["valueQuantity"] == {"value": Decimal("10.5000"), "unit": "g/dL",
                                         "system": "http://unitsofmeasure.org", "code": "g/dL"}
    assert resource["interpretation"][0]["coding"][0]["code"] == "L"
    assert resource["referenceRange"] == [{
        "low": {"value": Decimal("12.0000"), "unit": "g/dL", "system": "http://unitsofmeasure.org",
                "code": "g/dL"},
        "high": {"value": Decimal("17.5000"), "unit": "g/dL", "system": "http://unitsofmeasure.org",
                 "code": "g/dL"},
    }]
    assert resource["subject"]["reference"] == f"Patient/{item.order.patient_id}"
    assert resource["issued"] == timezone.localtime(item.order.released_at).isoformat()


def test_diagnostic_report_mapping_points_at_its_results(labs):
    order = LabOrder.objects.select_related("patient__user").prefetch_related("items__test").get(
        pk=labs["released"].pk)
    resource = assert_valid_fhir(mappers.diagnostic_report_resource(order))
    assert resource["status"] == "final"
    assert resource["code"]["coding"] == [mappers.LAB_REPORT_CODE]
    assert [ref["reference"] for ref in resource["result"]] == [
        f"Observation/{labs['items']['hemoglobin'].pk}", f"Observation/{labs['items']['sodium'].pk}"]


PERSONAS = ("patient", "other_patient", "doctor", "other_doctor", "admin", "lab")


@pytest.fixture
def users(admin_user, doctor, other_doctor, patient, other_patient, lab):
    return {"admin": admin_user, "doctor": doctor.user, "other_doctor": other_doctor.user,
            "patient": patient.user, "other_patient": other_patient.user, "lab": lab}


@pytest.mark.parametrize("persona", PERSONAS)
def test_read_matrix(api, users, labs, persona):
    client = api(users[persona])
    expected = 404 if persona in ("other_patient", "other_doctor") else 200
    fhir_get(client, f"Observation/{labs['items']['hemoglobin'].pk}", status=expected)
    fhir_get(client, f"DiagnosticReport/{labs['released'].pk}", status=expected)
    # Nobody reads what is not released, over FHIR.
    fhir_get(client, f"Observation/{labs['items']['potassium'].pk}", status=404)
    fhir_get(client, f"DiagnosticReport/{labs['unreleased'].pk}", status=404)


@pytest.mark.parametrize("persona", PERSONAS)
def test_searches_list_exactly_the_released_work_in_scope(api, users, labs, persona):
    items = labs["items"]
    own = {"observations": _ids(items["hemoglobin"], items["sodium"]), "reports": _ids(labs["released"])}
    other = {"observations": _ids(items["tsh"]), "reports": _ids(labs["other"])}
    everyone = {"observations": own["observations"] + other["observations"],
                "reports": _ids(labs["other"], labs["released"])}
    expected = {"patient": own, "doctor": own, "other_patient": other, "other_doctor": other,
                "admin": everyone, "lab": everyone}[persona]
    client = api(users[persona])
    observations = fhir_get(client, "Observation", {"category": "laboratory"})
    assert sorted(entry_ids(observations)) == sorted(expected["observations"])
    assert sorted(entry_ids(fhir_get(client, "DiagnosticReport"))) == sorted(expected["reports"])


def test_observation_search_by_patient_code_date_and_category(api, admin_user, labs, patient):
    items = labs["items"]
    client = api(admin_user)

    def search(**params):
        return sorted(entry_ids(fhir_get(client, "Observation", params)))

    assert search(patient=f"Patient/{patient.pk}") == sorted(_ids(items["hemoglobin"], items["sodium"]))
    assert search(code="http://loinc.org|718-7") == _ids(items["hemoglobin"])
    assert search(code="2951-2,3016-3") == sorted(_ids(items["sodium"], items["tsh"]))
    assert search(code="http://snomed.info/sct|718-7") == []
    assert search(category="http://terminology.hl7.org/CodeSystem/observation-category|laboratory",
                  patient=str(patient.pk)) == sorted(_ids(items["hemoglobin"], items["sodium"]))
    assert search(category="vital-signs", patient=str(patient.pk)) == []
    today = timezone.localdate()
    assert len(search(date=f"ge{today.isoformat()}")) == 3
    assert search(date=f"le{(today - datetime.timedelta(days=1)).isoformat()}") == []
    assert len(search(date=[f"ge{today.isoformat()}", f"le{today.isoformat()}"])) == 3


def test_diagnostic_report_search_by_patient(api, admin_user, labs, other_patient):
    bundle = fhir_get(api(admin_user), "DiagnosticReport", {"patient": str(other_patient.pk)})
    assert entry_ids(bundle) == _ids(labs["other"])


def test_lab_reads_write_lab_order_audit_events_once_per_order(api, doctor, labs, patient):
    fhir_get(api(doctor.user), "Observation", {"patient": str(patient.pk)})
    events = AuditEvent.objects.filter(actor=doctor.user)
    assert list(events.values_list("action", "object_type", "object_id", "patient_id")) == [
        ("read", "lab_order", str(labs["released"].pk), patient.pk)]


def test_everything_holds_released_results_and_never_unreleased_values(api, patient, records, labs):
    bundle = fhir_get(api(patient.user), f"Patient/{patient.pk}/$everything")
    items = labs["items"]
    assert sorted(entry_ids(bundle, "Observation")) == sorted(_ids(items["hemoglobin"], items["sodium"]))
    assert entry_ids(bundle, "DiagnosticReport") == _ids(labs["released"])
    assert str(items["potassium"].pk) not in str(bundle)
    assert str(labs["unreleased"].pk) not in str(bundle)


@pytest.mark.parametrize("orders", [1, 50])
def test_lab_searches_and_everything_run_constant_queries(api, patient, doctor, lab, orders,
                                                          django_assert_max_num_queries):
    for _ in range(orders):
        lab_order(patient=patient, doctor=doctor, lab=lab, status=Status.RELEASED)
    client = api(patient.user)
    with django_assert_max_num_queries(4):
        assert fhir_get(client, "Observation", {"_count": "100"})["total"] == 2 * orders
    with django_assert_max_num_queries(5):
        assert fhir_get(client, "DiagnosticReport", {"_count": "100"})["total"] == orders
    with django_assert_max_num_queries(9):
        fhir_get(client, f"Patient/{patient.pk}/$everything")
