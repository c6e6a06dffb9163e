"""Every read and write of patient data leaves an audit event naming the actor and the patient."""

import pytest

from tests.conftest import client_for
from tests.factories.appointments import future_slot
from tests.factories.trust import hospital_world
from trust.models import AuditEvent

LINES = [{"category": "other", "description": "Dressing", "quantity": 1, "unit_price": "100.00"}]

# (who, method, path with the world object named in braces, body, expected action, object type)
ACCESSES = [
    ("admin", "get", "/api/patients/", None, "read", "patient"),
    ("doctor", "get", "/api/patients/{patient}/", None, "read", "patient"),
    ("patient", "patch", "/api/patients/{patient}/", {"address": "9 Road"}, "update", "patient"),
    ("admin", "delete", "/api/patients/{patient}/", None, "delete", "patient"),
    ("doctor", "get", "/api/patients/{patient}/history/", None, "read", "admission"),
    ("patient", "get", "/api/appointments/", None, "read", "appointment"),
    ("doctor", "get", "/api/appointments/{confirmed}/", None, "read", "appointment"),
    ("patient", "post", "/api/appointments/", "booking", "create", "appointment"),
    ("patient", "patch", "/api/appointments/{requested}/", {"reason": "Follow-up"}, "update",
     "appointment"),
    ("doctor", "post", "/api/appointments/{requested}/confirm/", {}, "confirm", "appointment"),
    ("patient", "post", "/api/appointments/{confirmed}/cancel/", {"reason": "Away"}, "cancel",
     "appointment"),
    ("doctor", "post", "/api/appointments/{confirmed}/complete/", {}, "complete", "appointment"),
    ("admin", "get", "/api/admin/approvals/appointments/", None, "read", "appointment"),
    ("admin", "get", "/api/admissions/", None, "read", "admission"),
    ("patient", "get", "/api/admissions/{admission}/", None, "read", "admission"),
    ("doctor", "patch", "/api/admissions/{admission}/", {"symptoms": "Cough"}, "update", "admission"),
    ("doctor", "post", "/api/admissions/{admission}/discharge/", {}, "discharge", "admission"),
    ("admin", "delete", "/api/admissions/{admission}/", None, "delete", "admission"),
    ("doctor", "get", "/api/prescriptions/", None, "read", "prescription"),
    ("patient", "get", "/api/prescriptions/{prescription}/", None, "read", "prescription"),
    ("doctor", "post", "/api/prescriptions/", "prescription", "create", "prescription"),
    ("doctor", "patch", "/api/prescriptions/{prescription}/", {"dosage": "1 mg"}, "update",
     "prescription"),
    ("admin", "post", "/api/prescriptions/{prescription}/cancel/", {"reason": "Allergy"}, "cancel",
     "prescription"),
    ("patient", "get", "/api/invoices/", None, "read", "invoice"),
    ("admin", "get", "/api/invoices/{draft}/", None, "read", "invoice"),
    ("admin", "post", "/api/invoices/", {"lines": LINES}, "create", "invoice"),
    ("admin", "patch", "/api/invoices/{draft}/", {"lines": LINES}, "update", "invoice"),
    ("admin", "post", "/api/invoices/{draft}/issue/", {}, "issue", "invoice"),
    ("admin", "post", "/api/invoices/{issued}/payments/", {"amount": "10.00", "method": "cash"},
     "payments", "invoice"),
    ("admin", "post", "/api/invoices/{draft}/void/", {"reason": "Duplicate"}, "void", "invoice"),
    ("admin", "post", "/api/admissions/{admission}/invoice/", None, "create", "invoice"),
]


@pytest.fixture
def world(admin_user, doctor, other_doctor, patient, other_patient, pending_patient):
    return hospital_world(admin=admin_user, doctor=doctor, other_doctor=other_doctor,
                          patient=patient, other_patient=other_patient, pending=pending_patient)


def body_for(world, body):
    if body == "booking":
        return {"doctor": str(world.doctor.pk), "start": future_slot(2, 14).isoformat(),
                "reason": "Check-up"}
    if body == "prescription":
        return {"appointment": str(world.visit.pk), "medicine_name": "Paracetamol",
                "dosage": "500 mg", "frequency": "daily", "duration_days": 5, "quantity": 5,
                "instructions": ""}
    if isinstance(body, dict) and "lines" in body:
        return {"patient": str(world.patient.pk), **body}
    return body


# The audited type of each world object named in a path.
TYPE_OF = {"patient": "patient", "confirmed": "appointment", "requested": "appointment",
           "admission": "admission", "prescription": "prescription", "draft": "invoice",
           "issued": "invoice"}


@pytest.mark.parametrize(("who", "method", "path", "body", "action", "object_type"), ACCESSES,
                         ids=[f"{a[1]} {a[2]} {a[0]}" for a in ACCESSES])
def test_access_to_patient_data_is_audited(world, who, method, path, body, action, object_type):
    actor = world.admin if who == "admin" else getattr(world, who).user
    target = path[path.index("{") + 1:path.index("}")] if "{" in path else None
    url = path.replace(f"{{{target}}}", str(getattr(world, target).pk)) if target else path

    response = getattr(client_for(actor), method)(url, body_for(world, body), format="json")

    assert response.status_code < 300, response.content[:300]
    events = AuditEvent.objects.exclude(pk=world.event.pk).filter(
        actor=actor, action=action, object_type=object_type, patient=world.patient)
    assert events.exists(), list(AuditEvent.objects.values_list("action", "object_type"))
    if target and TYPE_OF[target] == object_type:
        assert events.filter(object_id=str(getattr(world, target).pk)).exists()
    assert "" not in {event.request_id for event in events}


def test_a_patient_reading_their_own_profile_through_me_is_audited(api, patient):
    client = api(patient.user)

    client.get("/api/me/")
    client.patch("/api/me/", {"first_name": "Caroline"}, format="json")

    assert set(AuditEvent.objects.values_list("actor", "patient", "action", "object_type",
                                              "object_id")) == {
        (patient.user.pk, patient.pk, "read", "patient", str(patient.pk)),
        (patient.user.pk, patient.pk, "update", "patient", str(patient.pk)),
    }


def test_other_roles_reading_me_leave_no_event(api, doctor, admin_user):
    api(doctor.user).get("/api/me/")
    api(admin_user).get("/api/me/")

    assert not AuditEvent.objects.exists()
