"""The clinical demo step: one discharged admission with completed visits and prescriptions, once."""

from accounts import demo as accounts_demo
from appointments.models import Appointment, AppointmentEvent
from clinical import demo
from clinical.models import Admission, Prescription


def counts() -> tuple[int, ...]:
    return (Admission.objects.count(), Appointment.objects.count(),
            AppointmentEvent.objects.count(), Prescription.objects.count())


def seed_twice() -> tuple[dict, tuple, tuple]:
    people: dict = {}
    accounts_demo.seed(people)
    demo.seed(people)
    first = counts()
    again: dict = {}
    accounts_demo.seed(again)
    lines = demo.seed(again)
    assert again["admission"] == people["admission"] and lines
    return people, first, counts()


def test_demo_admission_is_created_once(db):
    people, first, second = seed_twice()

    assert first == second == (1, 2, 4, 3)
    admission = people["admission"]
    assert admission.patient == people["patients"][0]
    assert admission.discharged_at is not None


def test_demo_visits_are_past_completed_and_recorded(db):
    people, _, _ = seed_twice()
    visits = people["admission"].appointments.all()

    assert {visit.status for visit in visits} == {Appointment.Status.COMPLETED}
    assert all(visit.end <= people["admission"].discharged_at for visit in visits)
    assert all(
        list(visit.events.values_list("to_status", flat=True)) == ["confirmed", "completed"]
        for visit in visits
    )
    assert all(visit.prescriptions.exists() for visit in visits)
