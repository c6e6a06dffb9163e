"""Django admin shows the audit trail but cannot add, change or delete an event."""


from tests.factories.trust import audit_event
from trust.models import AuditEvent


def test_superuser_browses_and_searches_the_trail(staff_client, doctor, patient):
    event = audit_event(actor=doctor.user, patient=patient, request_id="trace-42")

    listing = staff_client.get("/admin/trust/auditevent/", {"q": "trace-42"})
    detail = staff_client.get(f"/admin/trust/auditevent/{event.pk}/change/")

    assert listing.status_code == 200 and "trace-42" in listing.content.decode()
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()


def test_superuser_cannot_add_change_or_delete_events(staff_client, patient):
    event = audit_event(patient=patient, action="read")

    add = staff_client.post("/admin/trust/auditevent/add/", {"action": "forged"})
    change = staff_client.post(f"/admin/trust/auditevent/{event.pk}/change/", {"action": "forged"})
    delete = staff_client.post(f"/admin/trust/auditevent/{event.pk}/delete/", {"post": "yes"})
    bulk = staff_client.post("/admin/trust/auditevent/", {
        "action": "delete_selected", "_selected_action": [str(event.pk)], "post": "yes"})

    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    assert bulk.status_code in (200, 302)
    assert list(AuditEvent.objects.values_list("pk", "action")) == [(event.pk, "read")]
