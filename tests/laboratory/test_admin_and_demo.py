"""Django admin of the laboratory, and its seed_demo step."""

from io import StringIO

from django.core.management import call_command

from accounts.models import User
from laboratory.models import LabOrder, LabOrderItem, LabTest
from tests.factories.laboratory import lab_order


def test_admin_edits_the_catalog_but_never_deletes(staff_client):
    test = LabTest.objects.get(code="tsh")

    page = staff_client.get(f"/admin/laboratory/labtest/{test.pk}/change/")
    response = staff_client.post(f"/admin/laboratory/labtest/{test.pk}/change/", {
        "code": "tsh", "loinc": "3016-3", "name": "TSH", "unit": "m[IU]/L",
        "reference_low": "0.4", "reference_high": "4.0", "price": "950.00",
    })

    assert page.status_code == 200
    assert response.status_code == 302
    test.refresh_from_db()
    assert (test.price, test.active) == (950, False)
    assert staff_client.get(f"/admin/laboratory/labtest/{test.pk}/delete/").status_code == 403


def test_admin_shows_orders_read_only_with_their_items(staff_client, patient, doctor):
    order = lab_order(patient=patient, doctor=doctor, status="released")

    listing = staff_client.get("/admin/laboratory/laborder/")
    page = staff_client.get(f"/admin/laboratory/laborder/{order.pk}/change/")

    assert listing.status_code == page.status_code == 200
    assert b"Hemoglobin" in page.content and b'name="_save"' not in page.content
    assert staff_client.get("/admin/laboratory/laborder/add/").status_code == 403
    assert staff_client.post(f"/admin/laboratory/laborder/{order.pk}/delete/",
                             {"post": "yes"}).status_code == 403
    assert LabOrder.objects.filter(pk=order.pk).exists()


def test_seed_demo_loads_a_released_panel_and_an_urgent_order_once(db, settings):
    settings.DEBUG = True  # as `make run` does; seed_demo refuses a production database
    call_command("seed_demo", stdout=StringIO())
    first = (LabOrder.objects.count(), LabOrderItem.objects.count())
    out = StringIO()
    call_command("seed_demo", "--i-know-this-is-production", stdout=out)

    assert first == (LabOrder.objects.count(), LabOrderItem.objects.count()) == (2, 6)
    assert LabOrder.objects.filter(status="released").count() == 1
    urgent = LabOrder.objects.get(status="ordered")
    assert urgent.priority == "urgent"
    released = LabOrder.objects.get(status="released")
    assert released.admission is not None
    assert not released.items.filter(value__isnull=True).exists()
    assert "lab_lena" in out.getvalue()
    assert User.objects.get(username="lab_lena").role == "lab"
