"""`/api/lab-orders/`: ordering tests, scope per role, the workflow matrix, hidden values, the queue."""

import uuid

import pytest

from laboratory.models import LabOrder, LabOrderEvent, LabOrderItem
from tests.factories.accounts import PatientProfileFactory
from tests.factories.billing import admission_for, visit_for
from tests.factories.laboratory import lab_order
from trust.models import AuditEvent

URL = "/api/lab-orders/"
Status = LabOrder.Status


def detail(order) -> str:
    return f"{URL}{order.pk}/"


# --- ordering -------------------------------------------------------------------------------


def test_doctor_orders_tests_for_a_patient_they_treat(api, doctor, patient, treated):
    admission = admission_for(patient, doctor)
    body = {"patient": str(patient.pk), "tests": ["hemoglobin", "potassium"],
            "priority": "urgent", "admission": str(admission.pk), "note": "Pre-op"}

    response = api(doctor.user).post(URL, body)

    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["priority"], data["admission"], data["note"]) == (
        "ordered", "urgent", str(admission.pk), "Pre-op")
    assert data["ordered_by"] == {"id": str(doctor.pk), "full_name": doctor.user.full_name}
    assert [(item["test"]["code"], item["value"], item["interpretation"]) for item in data["items"]] == [
        ("hemoglobin", None, None), ("potassium", None, None)]
    assert data["items"][0]["test"] == {"code": "hemoglobin", "loinc": "718-7", "name": "Hemoglobin",
                                        "unit": "g/dL", "reference_low": "12.0000",
                                        "reference_high": "17.5000"}
    assert [(e["action"], e["to_status"]) for e in data["events"]] == [("order", "ordered")]
    assert AuditEvent.objects.filter(object_type="lab_order", action="create",
                                     object_id=data["id"], patient=patient).count() == 1


@pytest.mark.parametrize(("body", "field"), [
    ({"tests": ["nope"]}, "tests"),
    ({"tests": []}, "tests"),
    ({"tests": ["sodium", "sodium"]}, "tests"),
    ({"tests": "sodium"}, "tests"),
    ({"priority": "stat"}, "priority"),
    ({"admission": str(uuid.uuid4())}, "admission"),
    ({"patient": str(uuid.uuid4())}, "patient"),
])
def test_bad_orders_are_400_naming_the_field_and_write_nothing(api, doctor, patient, treated,
                                                               body, field):
    response = api(doctor.user).post(URL, {"patient": str(patient.pk), "tests": ["sodium"], **body})

    assert response.status_code == 400
    assert field in response.json()
    assert not LabOrder.objects.exists() and not LabOrderItem.objects.exists()


def test_an_inactive_test_cannot_be_ordered(api, doctor, patient, treated):
    from laboratory.models import LabTest

    LabTest.objects.filter(code="tsh").update(active=False)

    response = api(doctor.user).post(URL, {"patient": str(patient.pk), "tests": ["sodium", "tsh"]})

    assert response.status_code == 400
    assert "inactive" in response.json()["tests"][0]
    assert not LabOrder.objects.exists()


def test_a_patient_the_doctor_does_not_treat_reads_as_unknown(api, doctor, patient, other_patient,
                                                               treated):
    response = api(doctor.user).post(URL, {"patient": str(other_patient.pk), "tests": ["sodium"]})
    missing = api(doctor.user).post(URL, {"patient": str(uuid.uuid4()), "tests": ["sodium"]})

    assert response.status_code == missing.status_code == 400
    assert response.json()["patient"][0].replace(str(other_patient.pk), "?") == \
        missing.json()["patient"][0].split('"')[0] + '"?".'
    assert not LabOrder.objects.exists()


def test_an_admission_of_another_patient_is_refused(api, doctor, patient, other_patient, treated):
    visit_for(other_patient, doctor)
    admission = admission_for(other_patient, doctor)

    response = api(doctor.user).post(
        URL, {"patient": str(patient.pk), "tests": ["sodium"], "admission": str(admission.pk)}
    )

    assert response.status_code == 400
    assert "admission" in response.json()
    assert not LabOrder.objects.exists()


@pytest.mark.parametrize("persona", ["patient", "lab_user", "admin_user"])
def test_only_doctors_order(api, request, persona, patient):
    user = request.getfixturevalue(persona)

    response = api(getattr(user, "user", user)).post(URL, {"patient": str(patient.pk), "tests": ["sodium"]})

    assert response.status_code == 403
    assert not LabOrder.objects.exists()


# --- scope ----------------------------------------------------------------------------------


@pytest.fixture
def orders(patient, other_patient, doctor, other_doctor):
    """`mine`: `doctor` for `patient`; `theirs`: `other_doctor` for `other_patient`;
    `shared`: `other_doctor` for `patient` (whom `doctor` treats too)."""
    return {
        "mine": lab_order(patient=patient, doctor=doctor),
        "theirs": lab_order(patient=other_patient, doctor=other_doctor),
        "shared": lab_order(patient=patient, doctor=other_doctor),
    }


@pytest.mark.parametrize(("persona", "visible"), [
    ("patient", {"mine", "shared"}),
    ("other_patient", {"theirs"}),
    ("doctor", {"mine", "shared"}),
    ("other_doctor", {"mine", "theirs", "shared"}),
    ("lab_user", {"mine", "theirs", "shared"}),
    ("admin_user", {"mine", "theirs", "shared"}),
])
def test_each_role_lists_exactly_its_scope(api, request, orders, persona, visible):
    user = request.getfixturevalue(persona)

    response = api(getattr(user, "user", user)).get(URL)

    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {str(orders[n].pk) for n in visible}


def test_an_order_outside_scope_is_the_same_404_as_a_missing_one(api, other_patient, orders):
    client = api(other_patient.user)

    hidden = client.get(detail(orders["mine"]))
    missing = client.get(f"{URL}{uuid.uuid4()}/")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    assert client.post(f"{detail(orders['mine'])}cancel/", {"reason": "x"}).status_code == 404


def test_the_lab_sees_only_the_patients_name_birth_date_and_sex(api, lab_user, patient, orders):
    body = api(lab_user).get(detail(orders["mine"])).json()

    assert body["patient"] == {"id": str(patient.pk), "full_name": patient.user.full_name,
                               "date_of_birth": "1990-05-17", "sex": "female"}


def test_list_filters(api, admin_user, doctor, patient, orders):
    urgent = lab_order(patient=patient, doctor=doctor, priority="urgent", status=Status.COLLECTED)
    client = api(admin_user)

    def ids(**params):
        return {row["id"] for row in client.get(URL, params).json()["results"]}

    assert ids(patient=str(patient.pk)) == {str(orders["mine"].pk), str(orders["shared"].pk),
                                            str(urgent.pk)}
    assert ids(ordered_by=str(doctor.pk)) == {str(orders["mine"].pk), str(urgent.pk)}
    assert ids(status="collected") == {str(urgent.pk)}
    assert ids(priority="urgent") == {str(urgent.pk)}
    assert ids(date_from="2000-01-01", date_to="2000-01-02") == set()
    assert client.get(URL, {"status": "lost"}).status_code == 400


def test_reads_are_audited_per_order(api, lab_user, patient, orders):
    api(lab_user).get(URL)

    events = AuditEvent.objects.filter(actor=lab_user, object_type="lab_order", action="read")
    assert {(e.object_id, e.patient_id) for e in events} == {
        (str(order.pk), order.patient_id) for order in orders.values()}


# --- the work queue -------------------------------------------------------------------------


def test_the_queue_lists_urgent_first_then_oldest(api, lab_user, doctor, patient):
    first_routine = lab_order(patient=patient, doctor=doctor)
    first_urgent = lab_order(patient=patient, doctor=doctor, priority="urgent")
    second_routine = lab_order(patient=patient, doctor=doctor)
    second_urgent = lab_order(patient=patient, doctor=doctor, priority="urgent")
    lab_order(patient=patient, doctor=doctor, priority="urgent", status=Status.COLLECTED)

    response = api(lab_user).get(URL, {"status": "ordered"})

    assert [row["id"] for row in response.json()["results"]] == [
        str(o.pk) for o in (first_urgent, second_urgent, first_routine, second_routine)]
    urgent = api(lab_user).get(URL, {"status": "ordered", "priority": "urgent"}).json()
    assert [row["id"] for row in urgent["results"]] == [str(first_urgent.pk), str(second_urgent.pk)]


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize("persona", ["lab_user", "doctor", "patient"])
def test_lists_cost_the_same_queries_for_1_and_50_orders(api, request, django_assert_max_num_queries,
                                                         doctor, patient, lab_user, persona, rows):
    for index in range(rows):
        lab_order(patient=patient, doctor=doctor, lab=lab_user,
                  status=Status.RELEASED if index % 2 else Status.COLLECTED)
    user = request.getfixturevalue(persona)
    client = api(getattr(user, "user", user))

    with django_assert_max_num_queries(9):
        response = client.get(URL, {"page_size": 100})

    assert response.json()["count"] == rows


# --- the workflow matrix --------------------------------------------------------------------

ACTIONS = {
    "collect": {},
    "results": None,  # built from the order's items
    "release": {},
    "cancel": {"reason": "Sample haemolysed"},
}
# (action, persona) → the status each starting status answers, for the order's own doctor etc.
FROM = [Status.ORDERED, Status.COLLECTED, Status.RESULTED, Status.RELEASED, Status.CANCELLED]
MATRIX = {
    #                  ordered collected resulted released cancelled
    ("collect", "lab_user"):   (200, 409, 409, 409, 409),
    ("collect", "doctor"):     (403, 403, 403, 403, 403),
    ("collect", "admin_user"): (403, 403, 403, 403, 403),
    ("collect", "patient"):    (403, 403, 403, 403, 403),
    ("results", "lab_user"):   (409, 200, 200, 200, 409),
    ("results", "doctor"):     (403, 403, 403, 403, 403),
    ("results", "admin_user"): (403, 403, 403, 403, 403),
    ("results", "patient"):    (403, 403, 403, 403, 403),
    ("release", "lab_user"):   (409, 409, 200, 409, 409),
    ("release", "doctor"):     (409, 409, 200, 409, 409),
    ("release", "other_doctor"): (403, 403, 403, 403, 403),
    ("release", "admin_user"): (403, 403, 403, 403, 403),
    ("release", "patient"):    (403, 403, 403, 403, 403),
    ("cancel", "doctor"):      (200, 200, 409, 409, 409),
    ("cancel", "other_doctor"): (403, 403, 403, 403, 403),
    ("cancel", "admin_user"):  (200, 200, 409, 409, 409),
    ("cancel", "lab_user"):    (403, 403, 403, 403, 403),
    ("cancel", "patient"):     (403, 403, 403, 403, 403),
}


@pytest.mark.parametrize("start", FROM)
@pytest.mark.parametrize(("action", "persona"), sorted(MATRIX))
def test_transition_matrix(api, request, doctor, other_doctor, patient, lab_user,
                           action, persona, start):
    # `other_doctor` treats the patient too, so they see the order but did not place it.
    visit_for(patient, other_doctor)
    order = lab_order(patient=patient, doctor=doctor, lab=lab_user, status=start)
    expected = MATRIX[(action, persona)][FROM.index(start)]
    body = ACTIONS[action]
    if body is None:
        body = {"results": [{"item": str(item.pk), "value": "13.5"} for item in order.items.all()]}
    events_before = LabOrderEvent.objects.filter(order=order).count()
    user = request.getfixturevalue(persona)

    response = api(getattr(user, "user", user)).post(f"{detail(order)}{action}/", body)

    assert response.status_code == expected, response.content
    order.refresh_from_db()
    if expected == 200:
        assert response.json()["id"] == str(order.pk)
    else:
        assert order.status == start
        assert LabOrderEvent.objects.filter(order=order).count() == events_before
        if expected == 409:
            assert response.json()["code"] == "invalid_transition"


def test_each_change_is_recorded_with_who_and_when(api, doctor, patient, lab_user):
    order = lab_order(patient=patient, doctor=doctor, lab=lab_user, status=Status.RELEASED)

    events = api(doctor.user).get(detail(order)).json()["events"]

    assert [(e["action"], e["from_status"], e["to_status"], e["actor"]["id"]) for e in events] == [
        ("order", "", "ordered", str(doctor.pk)),
        ("collect", "ordered", "collected", str(lab_user.pk)),
        ("results", "collected", "resulted", str(lab_user.pk)),
        ("release", "resulted", "released", str(lab_user.pk)),
    ]
    assert all(e["at"] for e in events)


def test_cancel_needs_a_reason(api, doctor, patient):
    order = lab_order(patient=patient, doctor=doctor)

    response = api(doctor.user).post(f"{detail(order)}cancel/", {"reason": "  "})

    assert response.status_code == 400
    order.refresh_from_db()
    assert order.status == Status.ORDERED


def test_cancel_records_the_reason(api, admin_user, doctor, patient):
    order = lab_order(patient=patient, doctor=doctor)

    body = api(admin_user).post(f"{detail(order)}cancel/", {"reason": "Duplicate"}).json()

    assert (body["status"], body["cancel_reason"]) == ("cancelled", "Duplicate")


def test_a_new_patient_has_no_orders(api):
    newcomer = PatientProfileFactory()

    assert api(newcomer.user).get(URL).json()["count"] == 0
