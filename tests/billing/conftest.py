"""Billing personas' records: a draft and an issued invoice of `patient`, one of `other_patient`."""

import pytest

from tests.factories.billing import example_invoice, issued_invoice


@pytest.fixture
def draft(patient, admin_user):
    """`patient`'s draft with the contract's example lines (total 4560.00)."""
    return example_invoice(patient, created_by=admin_user)


@pytest.fixture
def issued(patient, admin_user):
    """`patient`'s issued invoice with the example lines, nothing paid yet."""
    return issued_invoice(patient, created_by=admin_user, number="2026-900001")


@pytest.fixture
def others_invoice(other_patient, admin_user):
    return issued_invoice(other_patient, created_by=admin_user, number="2026-900002")
