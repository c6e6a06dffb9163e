"""`/api/lab-tests/`: the catalog every approved user reads and admins edit."""

from decimal import Decimal

import pytest

from laboratory.models import LabTest
from tests.factories.laboratory import lab_order

URL = "/api/lab-tests/"

CONTRACT_TESTS = {
    # loinc: (unit, low, high)
    "718-7": ("g/dL", "12.0000", "17.5000"),
    "6690-2": ("10*3/uL", "4.0000", "11.0000"),
    "777-3": ("10*3/uL", "150.0000", "450.0000"),
    "1558-6": ("mg/dL", "70.0000", "99.0000"),
    "4548-4": ("%", "4.0000", "5.6000"),
    "2160-0": ("mg/dL", "0.6000", "1.3000"),
    "2951-2": ("mmol/L", "135.0000", "145.0000"),
    "2823-3": ("mmol/L", "3.5000", "5.1000"),
    "1742-6": ("U/L", "7.0000", "56.0000"),
    "3016-3": ("m[IU]/L", "0.4000", "4.0000"),
}

NEW_TEST = {"code": "ferritin", "loinc": "2276-4", "name": "Ferritin", "unit": "ng/mL",
            "reference_low": "30", "reference_high": "400", "price": "600.00"}


def test_the_data_migration_loads_the_contract_tests(api, patient):
    response = api(patient.user).get(URL, {"page_size": 100})

    assert response.status_code == 200
    rows = {row["loinc"]: row for row in response.json()["results"]}
    assert {loinc: (row["unit"], row["reference_low"], row["reference_high"])
            for loinc, row in rows.items()} == CONTRACT_TESTS
    assert all(Decimal(row["price"]) > 0 and row["price"].count(".") == 1
               and len(row["price"].split(".")[1]) == 2 for row in rows.values())
    assert set(rows["718-7"]) == {"id", "code", "loinc", "name", "unit", "reference_low",
                                  "reference_high", "price", "active"}


@pytest.mark.parametrize("persona", ["patient", "doctor", "lab_user", "admin_user"])
def test_every_approved_role_reads_the_catalog(api, request, persona):
    user = request.getfixturevalue(persona)
    user = getattr(user, "user", user)

    assert api(user).get(URL).status_code == 200
    test = LabTest.objects.get(code="sodium")
    assert api(user).get(f"{URL}{test.pk}/").json()["loinc"] == "2951-2"


def test_pending_and_anonymous_callers_cannot_read_it(api, anon, pending_patient):
    assert anon.get(URL).status_code == 401
    assert api(pending_patient.user).get(URL).status_code == 401


@pytest.mark.parametrize(("persona", "status"), [
    ("patient", 403), ("doctor", 403), ("lab_user", 403), ("admin_user", 201),
])
def test_only_admins_add_tests(api, request, persona, status):
    user = request.getfixturevalue(persona)

    response = api(getattr(user, "user", user)).post(URL, NEW_TEST)

    assert response.status_code == status
    assert LabTest.objects.filter(code="ferritin").exists() == (status == 201)


def test_admin_edits_and_deactivates_a_test(api, admin_user, lab_user):
    test = LabTest.objects.get(code="tsh")

    response = api(admin_user).patch(f"{URL}{test.pk}/", {"price": "950.50", "active": False})

    assert response.status_code == 200
    assert (response.json()["price"], response.json()["active"]) == ("950.50", False)
    assert api(lab_user).patch(f"{URL}{test.pk}/", {"active": True}).status_code == 403
    test.refresh_from_db()
    assert (test.price, test.active) == (Decimal("950.50"), False)


@pytest.mark.parametrize("body", [
    {**NEW_TEST, "reference_low": "500"},
    {**NEW_TEST, "price": "-1.00"},
    {**NEW_TEST, "price": "1.005"},
    {**NEW_TEST, "loinc": "not-loinc"},
    {**NEW_TEST, "code": "hemoglobin"},
    {**NEW_TEST, "reference_low": "NaN"},
])
def test_bad_catalog_input_is_a_400_and_stores_nothing(api, admin_user, body):
    before = LabTest.objects.count()

    response = api(admin_user).post(URL, body)

    assert response.status_code == 400
    assert LabTest.objects.count() == before


def test_tests_are_never_deleted(api, admin_user, patient, doctor):
    order = lab_order(patient=patient, doctor=doctor, tests=("alt",))
    test = order.items.get().test

    assert api(admin_user).delete(f"{URL}{test.pk}/").status_code == 405
    assert LabTest.objects.filter(pk=test.pk).exists()


def test_the_catalog_filters_by_active_and_words(api, admin_user):
    LabTest.objects.filter(code="tsh").update(active=False)

    active = api(admin_user).get(URL, {"active": "true", "page_size": 100}).json()
    found = api(admin_user).get(URL, {"q": "gluc"}).json()

    assert "tsh" not in {row["code"] for row in active["results"]}
    assert [row["code"] for row in found["results"]] == ["glucose_fasting"]
