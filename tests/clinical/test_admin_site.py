"""Django admin: admissions with their visits and prescriptions, searchable; prescriptions never deleted."""

import pytest

from clinical.models import Admission, Prescription
from tests.factories.accounts import department
from tests.factories.clinical import AdmissionFactory, PrescriptionFactory, VisitFactory


@pytest.fixture
def discharged(admin_user, other_patient, other_doctor):
    admission = AdmissionFactory(patient=other_patient, assigned_doctor=other_doctor,
                                 department=department("DL"), created_by=admin_user)
    admission.discharged_at = admission.admitted_at
    admission.save()
    return admission


def listed(page) -> str:
    return page.content.decode()


def test_admission_search_by_patient(staff_client, admission, discharged, patient, other_patient):
    by_name = listed(staff_client.get(f"/admin/clinical/admission/?q={patient.user.last_name}"))
    by_username = listed(staff_client.get(
        f"/admin/clinical/admission/?q={other_patient.user.username}"))

    assert f"/admin/clinical/admission/{admission.pk}/" in by_name
    assert f"/admin/clinical/admission/{discharged.pk}/" not in by_name
    assert f"/admin/clinical/admission/{discharged.pk}/" in by_username


def test_admission_filters_by_department_and_active(staff_client, admission, discharged):
    by_department = listed(staff_client.get("/admin/clinical/admission/?department__id__exact="
                                            f"{department('DL').pk}"))
    active = listed(staff_client.get("/admin/clinical/admission/?active=yes"))
    done = listed(staff_client.get("/admin/clinical/admission/?active=no"))

    assert str(discharged.pk) in by_department and str(admission.pk) not in by_department
    assert str(admission.pk) in active and str(discharged.pk) not in active
    assert str(discharged.pk) in done and str(admission.pk) not in done


def test_admission_page_shows_visits_and_prescriptions(staff_client, admission):
    visit = VisitFactory(patient=admission.patient, doctor=admission.assigned_doctor,
                         admission=admission, reason="Ward round")
    PrescriptionFactory(appointment=visit, medicine_name="Furosemide")

    page = staff_client.get(f"/admin/clinical/admission/{admission.pk}/change/")

    assert page.status_code == 200
    assert "Ward round" in listed(page)
    assert "Furosemide" in listed(page)


def test_admin_refuses_to_delete_an_admission_with_records(staff_client, admission):
    VisitFactory(patient=admission.patient, doctor=admission.assigned_doctor, admission=admission)

    page = staff_client.post(f"/admin/clinical/admission/{admission.pk}/delete/", {"post": "yes"})

    assert page.status_code == 200
    assert "Cannot delete" in listed(page)
    assert Admission.objects.filter(pk=admission.pk).exists()


def test_admin_deletes_an_admission_nothing_refers_to(staff_client, admission):
    page = staff_client.post(f"/admin/clinical/admission/{admission.pk}/delete/", {"post": "yes"})

    assert page.status_code == 302
    assert not Admission.objects.filter(pk=admission.pk).exists()


def test_prescription_admin_is_read_only_and_never_deletes(staff_client):
    rx = PrescriptionFactory(medicine_name="Salbutamol")

    listing = staff_client.get("/admin/clinical/prescription/?q=Salbutamol")
    view = staff_client.get(f"/admin/clinical/prescription/{rx.pk}/change/")
    delete = staff_client.post(f"/admin/clinical/prescription/{rx.pk}/delete/", {"post": "yes"})
    bulk = staff_client.post("/admin/clinical/prescription/",
                             {"action": "delete_selected", "_selected_action": [str(rx.pk)],
                              "post": "yes"})

    assert listing.status_code == 200 and "Salbutamol" in listed(listing)
    assert view.status_code == 200
    assert delete.status_code == 403
    assert bulk.status_code in (200, 302)
    assert Prescription.objects.filter(pk=rx.pk).exists()
