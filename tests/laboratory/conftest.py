"""Laboratory personas: a technician beside the shared admin, doctors and patients."""

import pytest

from tests.factories.billing import visit_for
from tests.factories.laboratory import LabTechnicianFactory


@pytest.fixture
def lab_user(db):
    return LabTechnicianFactory(username="lena_lab", first_name="Lena", last_name="Lab")


@pytest.fixture
def treated(patient, doctor):
    """`patient` has had a visit with `doctor`, so `doctor` treats her."""
    return visit_for(patient, doctor)
