"""Who may call what: every operation of the OpenAPI schema × every persona → one expected status.

The table below is the review gate for new endpoints: an operation that the schema lists but
the table does not makes `test_every_operation_is_in_the_matrix` fail. Each (operation,
persona) pair runs in a fresh world where the path's object belongs to `patient` and `doctor`,
so the outsiders (`other_patient`, `other_doctor`) show the 404-before-403 rule of the contract.
Write bodies are valid for the allowed roles, so a 2xx proves access and a 4xx proves refusal.
`STAFF_MATRIX` holds the nurse and lab personas over the same operations, in a table of its
own so that rows can be added to either without widening the other.
"""

import datetime

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.services import email_change_token
from accounts.tokens import SessionRefreshToken as RefreshToken
from appointments.models import Holiday, TimeOff
from laboratory.models import LabTest
from tests.conftest import client_for
from tests.factories.accounts import PASSWORD
from tests.factories.appointments import days_ahead, future_slot
from tests.factories.laboratory import lab_order
from tests.factories.notifications import NotificationFactory
from tests.factories.trust import hospital_world

PERSONAS = ("anon", "pending", "patient", "other_patient", "doctor", "other_doctor", "admin")
STAFF_PERSONAS = ("nurse", "other_nurse", "lab")

# fmt: off
MATRIX = {
    #                                                     anon pend  pat opat  doc odoc  adm
    ("GET",    "/api/"):                                 (200, 200, 200, 200, 200, 200, 200),
    ("GET",    "/api/health/"):                          (200, 200, 200, 200, 200, 200, 200),
    ("GET",    "/api/health/live/"):                     (200, 200, 200, 200, 200, 200, 200),
    ("POST",   "/api/register/"):                        (201, 201, 201, 201, 201, 201, 201),
    ("POST",   "/api/token/"):                           (200, 200, 200, 200, 200, 200, 200),
    ("POST",   "/api/token/refresh/"):                   (200, 200, 200, 200, 200, 200, 200),
    ("POST",   "/api/token/blacklist/"):                 (200, 200, 200, 200, 200, 200, 200),
    ("GET",    "/api/me/"):                              (401, 401, 200, 200, 200, 200, 200),
    ("PATCH",  "/api/me/"):                              (401, 401, 200, 200, 200, 200, 200),
    ("POST",   "/api/me/password/"):                     (401, 401, 204, 204, 204, 204, 204),
    ("POST",   "/api/me/logout-all/"):                   (401, 401, 204, 204, 204, 204, 204),
    ("POST",   "/api/me/email/confirm/"):                (200, 200, 200, 200, 200, 200, 200),
    ("GET",    "/api/me/access-log/"):                   (401, 401, 200, 200, 403, 403, 403),
    ("GET",    "/api/departments/"):                     (401, 401, 200, 200, 200, 200, 200),
    ("POST",   "/api/departments/"):                     (401, 401, 403, 403, 403, 403, 201),
    ("GET",    "/api/departments/{code}/"):              (401, 401, 200, 200, 200, 200, 200),
    ("PATCH",  "/api/departments/{code}/"):              (401, 401, 403, 403, 403, 403, 200),
    ("GET",    "/api/doctors/"):                         (401, 401, 200, 200, 200, 200, 200),
    ("POST",   "/api/doctors/"):                         (401, 401, 403, 403, 403, 403, 201),
    ("GET",    "/api/doctors/available/"):               (401, 401, 200, 200, 200, 200, 200),
    ("GET",    "/api/doctors/{id}/"):                    (401, 401, 200, 200, 200, 200, 200),
    ("PUT",    "/api/doctors/{id}/"):                    (401, 401, 403, 403, 200, 403, 200),
    ("PATCH",  "/api/doctors/{id}/"):                    (401, 401, 403, 403, 200, 403, 200),
    ("DELETE", "/api/doctors/{id}/"):                    (401, 401, 403, 403, 403, 403, 204),
    ("GET",    "/api/doctors/{id}/schedule/"):           (401, 401, 200, 200, 200, 200, 200),
    ("PUT",    "/api/doctors/{id}/schedule/"):           (401, 401, 403, 403, 200, 403, 200),
    ("GET",    "/api/doctors/{id}/slots/"):              (401, 401, 200, 200, 200, 200, 200),
    ("GET",    "/api/patients/"):                        (401, 401, 200, 200, 200, 200, 200),
    ("POST",   "/api/patients/"):                        (401, 401, 403, 403, 403, 403, 201),
    ("GET",    "/api/patients/{id}/"):                   (401, 401, 200, 404, 200, 404, 200),
    ("PUT",    "/api/patients/{id}/"):                   (401, 401, 200, 404, 403, 404, 200),
    ("PATCH",  "/api/patients/{id}/"):                   (401, 401, 200, 404, 403, 404, 200),
    ("DELETE", "/api/patients/{id}/"):                   (401, 401, 403, 404, 403, 404, 204),
    ("GET",    "/api/patients/{id}/history/"):           (401, 401, 200, 404, 200, 404, 200),
    ("GET",    "/api/appointments/"):                    (401, 401, 200, 200, 200, 200, 200),
    ("POST",   "/api/appointments/"):                    (401, 401, 201, 201, 201, 201, 201),
    ("GET",    "/api/appointments/{id}/"):               (401, 401, 200, 404, 200, 404, 200),
    ("PATCH",  "/api/appointments/{id}/"):               (401, 401, 200, 404, 200, 404, 200),
    ("POST",   "/api/appointments/{id}/confirm/"):       (401, 401, 403, 404, 200, 404, 200),
    ("POST",   "/api/appointments/{id}/cancel/"):        (401, 401, 200, 404, 200, 404, 200),
    ("POST",   "/api/appointments/{id}/complete/"):      (401, 401, 403, 404, 200, 404, 403),
    ("POST",   "/api/appointments/{id}/no-show/"):       (401, 401, 403, 404, 200, 404, 200),
    ("GET",    "/api/admissions/"):                      (401, 401, 200, 200, 200, 200, 200),
    ("POST",   "/api/admissions/"):                      (401, 401, 403, 403, 201, 201, 201),
    ("GET",    "/api/admissions/{id}/"):                 (401, 401, 200, 404, 200, 404, 200),
    ("PATCH",  "/api/admissions/{id}/"):                 (401, 401, 403, 404, 200, 404, 200),
    ("DELETE", "/api/admissions/{id}/"):                 (401, 401, 403, 404, 403, 404, 204),
    ("POST",   "/api/admissions/{id}/discharge/"):       (401, 401, 403, 404, 200, 404, 200),
    ("POST",   "/api/admissions/{id}/invoice/"):         (401, 401, 403, 404, 403, 404, 201),
    ("GET",    "/api/prescriptions/"):                   (401, 401, 200, 200, 200, 200, 200),
    ("POST",   "/api/prescriptions/"):                   (401, 401, 403, 403, 201, 400, 403),
    ("GET",    "/api/prescriptions/{id}/"):              (401, 401, 200, 404, 200, 404, 200),
    ("PATCH",  "/api/prescriptions/{id}/"):              (401, 401, 403, 404, 200, 404, 403),
    ("POST",   "/api/prescriptions/{id}/cancel/"):       (401, 401, 403, 404, 200, 404, 200),
    ("GET",    "/api/invoices/"):                        (401, 401, 200, 200, 200, 200, 200),
    ("POST",   "/api/invoices/"):                        (401, 401, 403, 403, 403, 403, 201),
    ("GET",    "/api/invoices/{id}/"):                   (401, 401, 200, 404, 404, 404, 200),
    ("PATCH",  "/api/invoices/{id}/"):                   (401, 401, 403, 404, 404, 404, 200),
    ("POST",   "/api/invoices/{id}/issue/"):             (401, 401, 403, 404, 404, 404, 200),
    ("POST",   "/api/invoices/{id}/payments/"):          (401, 401, 403, 404, 404, 404, 201),
    ("POST",   "/api/invoices/{id}/void/"):              (401, 401, 403, 404, 404, 404, 200),
    ("GET",    "/api/staff/"):                              (401, 401, 403, 403, 403, 403, 200),
    ("POST",   "/api/staff/"):                              (401, 401, 403, 403, 403, 403, 201),
    ("GET",    "/api/staff/{id}/"):                         (401, 401, 403, 403, 403, 403, 200),
    ("PATCH",  "/api/staff/{id}/"):                         (401, 401, 403, 403, 403, 403, 200),
    ("DELETE", "/api/staff/{id}/"):                         (401, 401, 403, 403, 403, 403, 204),
    ("GET",    "/api/encounters/"):                         (401, 401, 200, 200, 200, 200, 200),
    ("POST",   "/api/encounters/"):                         (401, 401, 403, 403, 201, 201, 403),
    ("GET",    "/api/encounters/{id}/"):                    (401, 401, 200, 404, 200, 404, 200),
    ("PATCH",  "/api/encounters/{id}/"):                    (401, 401, 403, 404, 200, 404, 403),
    ("POST",   "/api/encounters/{id}/finish/"):             (401, 401, 403, 404, 200, 404, 403),
    ("POST",   "/api/encounters/{id}/addenda/"):            (401, 401, 403, 404, 201, 404, 403),
    ("GET",    "/api/observation-codes/"):                  (401, 401, 200, 200, 200, 200, 200),
    ("GET",    "/api/observations/"):                       (401, 401, 200, 200, 200, 200, 200),
    ("POST",   "/api/observations/"):                       (401, 401, 403, 403, 201, 400, 403),
    ("GET",    "/api/observations/{id}/"):                  (401, 401, 200, 404, 200, 404, 200),
    ("POST",   "/api/observations/{id}/void/"):             (401, 401, 403, 404, 200, 404, 200),
    ("GET",    "/api/allergies/"):                          (401, 401, 200, 200, 200, 200, 200),
    ("POST",   "/api/allergies/"):                          (401, 401, 201, 400, 201, 400, 403),
    ("GET",    "/api/allergies/{id}/"):                     (401, 401, 200, 404, 200, 404, 200),
    ("PATCH",  "/api/allergies/{id}/"):                     (401, 401, 403, 404, 200, 404, 403),
    ("GET",    "/api/lab-tests/"):                       (401, 401, 200, 200, 200, 200, 200),
    ("POST",   "/api/lab-tests/"):                       (401, 401, 403, 403, 403, 403, 201),
    ("GET",    "/api/lab-tests/{id}/"):                  (401, 401, 200, 200, 200, 200, 200),
    ("PATCH",  "/api/lab-tests/{id}/"):                  (401, 401, 403, 403, 403, 403, 200),
    ("GET",    "/api/lab-orders/"):                      (401, 401, 200, 200, 200, 200, 200),
    ("POST",   "/api/lab-orders/"):                      (401, 401, 403, 403, 201, 400, 403),
    ("GET",    "/api/lab-orders/{id}/"):                 (401, 401, 200, 404, 200, 404, 200),
    ("POST",   "/api/lab-orders/{id}/collect/"):         (401, 401, 403, 404, 403, 404, 403),
    ("POST",   "/api/lab-orders/{id}/results/"):         (401, 401, 403, 404, 403, 404, 403),
    ("POST",   "/api/lab-orders/{id}/release/"):         (401, 401, 403, 404, 200, 404, 403),
    ("POST",   "/api/lab-orders/{id}/cancel/"):          (401, 401, 403, 404, 200, 404, 200),
    ("GET",    "/api/admin/approvals/doctors/"):         (401, 401, 403, 403, 403, 403, 200),
    ("GET",    "/api/admin/approvals/doctors/{id}/"):    (401, 401, 403, 403, 403, 403, 200),
    ("POST",   "/api/admin/approvals/doctors/{id}/approve/"):  (401, 401, 403, 403, 403, 403, 200),
    ("POST",   "/api/admin/approvals/doctors/{id}/reject/"):   (401, 401, 403, 403, 403, 403, 200),
    ("GET",    "/api/admin/approvals/patients/"):        (401, 401, 403, 403, 403, 403, 200),
    ("GET",    "/api/admin/approvals/patients/{id}/"):   (401, 401, 403, 403, 403, 403, 200),
    ("POST",   "/api/admin/approvals/patients/{id}/approve/"): (401, 401, 403, 403, 403, 403, 200),
    ("POST",   "/api/admin/approvals/patients/{id}/reject/"):  (401, 401, 403, 403, 403, 403, 200),
    ("GET",    "/api/admin/approvals/appointments/"):    (401, 401, 403, 403, 403, 403, 200),
    ("GET",    "/api/admin/approvals/appointments/{id}/"):     (401, 401, 403, 403, 403, 403, 200),
    ("POST",   "/api/admin/approvals/appointments/{id}/approve/"): (401, 401, 403, 403, 403, 403, 200),
    ("POST",   "/api/admin/approvals/appointments/{id}/reject/"):  (401, 401, 403, 403, 403, 403, 200),
    ("GET",    "/api/admin/audit-events/"):              (401, 401, 403, 403, 403, 403, 200),
    ("GET",    "/api/admin/audit-events/{id}/"):         (401, 401, 403, 403, 403, 403, 200),
    ("GET",    "/api/me/notifications/"):                (401, 401, 200, 200, 200, 200, 200),
    ("POST",   "/api/me/notifications/{id}/read/"):      (401, 401, 200, 404, 404, 404, 404),
    ("GET",    "/api/doctors/{id}/time-off/"):           (401, 401, 200, 200, 200, 200, 200),
    ("POST",   "/api/doctors/{id}/time-off/"):           (401, 401, 403, 403, 201, 403, 201),
    ("DELETE", "/api/doctors/{id}/time-off/{block_id}/"): (401, 401, 403, 403, 204, 403, 204),
    ("GET",    "/api/holidays/"):                        (401, 401, 200, 200, 200, 200, 200),
    ("POST",   "/api/holidays/"):                        (401, 401, 403, 403, 403, 403, 201),
    ("DELETE", "/api/holidays/{id}/"):                   (401, 401, 403, 403, 403, 403, 204),
}
# fmt: on

# The staff personas over the same operations: (nurse in scope, nurse out of scope, lab).
# `nurse` works in the department of `admission`, so `patient` is in her care; `other_nurse`
# works in another; a lab technician reads no patient record outside the laboratory.
# fmt: off
STAFF_MATRIX = {
    #                                                       nurse onurse lab
    ("GET",    "/api/health/"):                             (200, 200, 200),
    ("GET",    "/api/health/live/"):                        (200, 200, 200),
    ("POST",   "/api/me/email/confirm/"):                   (200, 200, 200),
    ("GET",    "/api/me/notifications/"):                   (200, 200, 200),
    ("POST",   "/api/me/notifications/{id}/read/"):         (404, 404, 404),
    ("GET",    "/api/holidays/"):                           (200, 200, 200),
    ("POST",   "/api/holidays/"):                           (403, 403, 403),
    ("DELETE", "/api/holidays/{id}/"):                      (403, 403, 403),
    ("GET",    "/api/doctors/{id}/time-off/"):              (200, 200, 200),
    ("POST",   "/api/doctors/{id}/time-off/"):              (403, 403, 403),
    ("DELETE", "/api/doctors/{id}/time-off/{block_id}/"):   (403, 403, 403),
    ("POST",   "/api/register/"):                           (201, 201, 201),
    ("POST",   "/api/token/"):                              (200, 200, 200),
    ("POST",   "/api/token/refresh/"):                      (200, 200, 200),
    ("POST",   "/api/token/blacklist/"):                    (200, 200, 200),
    ("GET",    "/api/me/"):                                 (200, 200, 200),
    ("PATCH",  "/api/me/"):                                 (200, 200, 200),
    ("POST",   "/api/me/password/"):                        (204, 204, 204),
    ("GET",    "/api/me/access-log/"):                      (403, 403, 403),
    ("GET",    "/api/departments/"):                        (200, 200, 200),
    ("POST",   "/api/departments/"):                        (403, 403, 403),
    ("GET",    "/api/departments/{code}/"):                 (200, 200, 200),
    ("PATCH",  "/api/departments/{code}/"):                 (403, 403, 403),
    ("GET",    "/api/doctors/"):                            (200, 200, 200),
    ("POST",   "/api/doctors/"):                            (403, 403, 403),
    ("GET",    "/api/doctors/available/"):                  (200, 200, 200),
    ("GET",    "/api/doctors/{id}/"):                       (200, 200, 200),
    ("PUT",    "/api/doctors/{id}/"):                       (403, 403, 403),
    ("PATCH",  "/api/doctors/{id}/"):                       (403, 403, 403),
    ("DELETE", "/api/doctors/{id}/"):                       (403, 403, 403),
    ("GET",    "/api/doctors/{id}/schedule/"):              (200, 200, 200),
    ("PUT",    "/api/doctors/{id}/schedule/"):              (403, 403, 403),
    ("GET",    "/api/doctors/{id}/slots/"):                 (200, 200, 200),
    ("GET",    "/api/patients/"):                           (200, 200, 403),
    ("POST",   "/api/patients/"):                           (403, 403, 403),
    ("GET",    "/api/patients/{id}/"):                      (200, 404, 404),
    ("PUT",    "/api/patients/{id}/"):                      (403, 404, 404),
    ("PATCH",  "/api/patients/{id}/"):                      (403, 404, 404),
    ("DELETE", "/api/patients/{id}/"):                      (403, 404, 404),
    ("GET",    "/api/patients/{id}/history/"):              (200, 404, 404),
    ("GET",    "/api/appointments/"):                       (403, 403, 403),
    ("POST",   "/api/appointments/"):                       (403, 403, 403),
    ("GET",    "/api/appointments/{id}/"):                  (404, 404, 404),
    ("PATCH",  "/api/appointments/{id}/"):                  (404, 404, 404),
    ("POST",   "/api/appointments/{id}/confirm/"):          (404, 404, 404),
    ("POST",   "/api/appointments/{id}/cancel/"):           (404, 404, 404),
    ("POST",   "/api/appointments/{id}/complete/"):         (404, 404, 404),
    ("POST",   "/api/appointments/{id}/no-show/"):          (404, 404, 404),
    ("GET",    "/api/admissions/"):                         (403, 403, 403),
    ("POST",   "/api/admissions/"):                         (403, 403, 403),
    ("GET",    "/api/admissions/{id}/"):                    (404, 404, 404),
    ("PATCH",  "/api/admissions/{id}/"):                    (404, 404, 404),
    ("DELETE", "/api/admissions/{id}/"):                    (404, 404, 404),
    ("POST",   "/api/admissions/{id}/discharge/"):          (404, 404, 404),
    ("POST",   "/api/admissions/{id}/invoice/"):            (404, 404, 404),
    ("GET",    "/api/prescriptions/"):                      (403, 403, 403),
    ("POST",   "/api/prescriptions/"):                      (403, 403, 403),
    ("GET",    "/api/prescriptions/{id}/"):                 (404, 404, 404),
    ("PATCH",  "/api/prescriptions/{id}/"):                 (404, 404, 404),
    ("POST",   "/api/prescriptions/{id}/cancel/"):          (404, 404, 404),
    ("GET",    "/api/invoices/"):                           (403, 403, 403),
    ("POST",   "/api/invoices/"):                           (403, 403, 403),
    ("GET",    "/api/invoices/{id}/"):                      (404, 404, 404),
    ("PATCH",  "/api/invoices/{id}/"):                      (404, 404, 404),
    ("POST",   "/api/invoices/{id}/issue/"):                (404, 404, 404),
    ("POST",   "/api/invoices/{id}/payments/"):             (404, 404, 404),
    ("POST",   "/api/invoices/{id}/void/"):                 (404, 404, 404),
    ("GET",    "/api/admin/approvals/doctors/"):            (403, 403, 403),
    ("GET",    "/api/admin/approvals/doctors/{id}/"):       (403, 403, 403),
    ("POST",   "/api/admin/approvals/doctors/{id}/approve/"):(403, 403, 403),
    ("POST",   "/api/admin/approvals/doctors/{id}/reject/"):(403, 403, 403),
    ("GET",    "/api/admin/approvals/patients/"):           (403, 403, 403),
    ("GET",    "/api/admin/approvals/patients/{id}/"):      (403, 403, 403),
    ("POST",   "/api/admin/approvals/patients/{id}/approve/"):(403, 403, 403),
    ("POST",   "/api/admin/approvals/patients/{id}/reject/"):(403, 403, 403),
    ("GET",    "/api/admin/approvals/appointments/"):       (403, 403, 403),
    ("GET",    "/api/admin/approvals/appointments/{id}/"):  (403, 403, 403),
    ("POST",   "/api/admin/approvals/appointments/{id}/approve/"):(403, 403, 403),
    ("POST",   "/api/admin/approvals/appointments/{id}/reject/"):(403, 403, 403),
    ("GET",    "/api/admin/audit-events/"):                 (403, 403, 403),
    ("GET",    "/api/admin/audit-events/{id}/"):            (403, 403, 403),
    ("GET",    "/api/encounters/"):                         (200, 200, 403),
    ("POST",   "/api/encounters/"):                         (403, 403, 403),
    ("GET",    "/api/encounters/{id}/"):                    (200, 404, 404),
    ("PATCH",  "/api/encounters/{id}/"):                    (403, 404, 404),
    ("POST",   "/api/encounters/{id}/finish/"):             (403, 404, 404),
    ("POST",   "/api/encounters/{id}/addenda/"):            (403, 404, 404),
    ("GET",    "/api/observation-codes/"):                  (200, 200, 200),
    ("GET",    "/api/observations/"):                       (200, 200, 403),
    ("POST",   "/api/observations/"):                       (201, 400, 403),
    ("GET",    "/api/observations/{id}/"):                  (200, 404, 404),
    ("POST",   "/api/observations/{id}/void/"):             (403, 404, 404),
    ("GET",    "/api/allergies/"):                          (200, 200, 403),
    ("POST",   "/api/allergies/"):                          (201, 400, 403),
    ("GET",    "/api/allergies/{id}/"):                     (200, 404, 404),
    ("PATCH",  "/api/allergies/{id}/"):                     (200, 404, 404),
    ("GET",    "/api/lab-tests/"):                          (403, 403, 200),
    ("POST",   "/api/lab-tests/"):                          (403, 403, 403),
    ("GET",    "/api/lab-tests/{id}/"):                     (403, 403, 200),
    ("PATCH",  "/api/lab-tests/{id}/"):                     (403, 403, 403),
    ("GET",    "/api/lab-orders/"):                         (403, 403, 200),
    ("POST",   "/api/lab-orders/"):                         (403, 403, 403),
    ("GET",    "/api/lab-orders/{id}/"):                    (404, 404, 200),
    ("POST",   "/api/lab-orders/{id}/collect/"):            (404, 404, 200),
    ("POST",   "/api/lab-orders/{id}/results/"):            (404, 404, 200),
    ("POST",   "/api/lab-orders/{id}/release/"):            (404, 404, 200),
    ("POST",   "/api/lab-orders/{id}/cancel/"):             (404, 404, 403),
    ("POST",   "/api/me/logout-all/"):                      (204, 204, 204),
    ("GET",    "/api/"):                                    (200, 200, 200),
    ("GET",    "/api/staff/"):                              (403, 403, 403),
    ("POST",   "/api/staff/"):                              (403, 403, 403),
    ("GET",    "/api/staff/{id}/"):                         (403, 403, 403),
    ("PATCH",  "/api/staff/{id}/"):                         (403, 403, 403),
    ("DELETE", "/api/staff/{id}/"):                         (403, 403, 403),
}
# fmt: on

# Which object of the world a path's `{id}` names, when it is not the path's obvious owner.
TARGETS = {
    ("PATCH", "/api/appointments/{id}/"): "requested",
    ("POST", "/api/appointments/{id}/confirm/"): "requested",
    ("POST", "/api/invoices/{id}/payments/"): "issued",
    ("POST", "/api/encounters/{id}/addenda/"): "finished_encounter",
    ("POST", "/api/lab-orders/{id}/results/"): "lab_collected",
    ("POST", "/api/lab-orders/{id}/release/"): "lab_resulted",
}
TARGET_BY_PREFIX = {
    "/api/doctors/": "doctor",
    "/api/patients/": "patient",
    "/api/appointments/": "confirmed",
    "/api/admissions/": "admission",
    "/api/prescriptions/": "prescription",
    "/api/invoices/": "draft",
    "/api/admin/approvals/doctors/": "pending_doctor",
    "/api/admin/approvals/patients/": "pending_patient",
    "/api/admin/approvals/appointments/": "requested",
    "/api/admin/audit-events/": "event",
    "/api/me/notifications/": "notification",
    "/api/holidays/": "holiday",
    "/api/staff/": "lab",
    "/api/encounters/": "encounter",
    "/api/observations/": "observation",
    "/api/allergies/": "allergy",
    "/api/lab-tests/": "lab_test",
    "/api/lab-orders/": "lab_ordered",
}


def _slot(world, hour=14):
    return future_slot(days=2, hour=hour).isoformat()


def _new_account(world, persona):
    return {
        "username": f"new_{persona}", "email": f"new_{persona}@example.org",
        "password": PASSWORD, "password2": PASSWORD, "first_name": "New", "last_name": "Person",
    }


def _appointment_body(world, persona):
    body = {"start": _slot(world), "reason": "Check-up"}
    if persona in ("patient", "other_patient", "admin"):
        body["doctor"] = str(world.doctor.pk)
    if persona in ("doctor", "other_doctor", "admin"):
        body["patient"] = str(world.patient.pk)
    return body


def _admission_body(world, persona):
    doctor = world.other_doctor if persona == "other_doctor" else world.doctor
    return {"patient": str(world.other_patient.pk), "department": doctor.department.code,
            "symptoms": "Fever", "assigned_doctor": str(doctor.pk)}


LINES = [{"category": "other", "description": "Dressing", "quantity": 1, "unit_price": "100.00"}]

# The body of each write (a function of the world and the persona when it must differ).
BODIES = {
    ("POST", "/api/register/"): lambda w, p: {
        **_new_account(w, p), "role": "patient",
        "profile": {"date_of_birth": "1990-01-01", "sex": "female", "address": "1 Road",
                    "mobile": "+2348000000000"}},
    ("POST", "/api/token/"): lambda w, p: {"username": w.patient.user.username, "password": PASSWORD},
    ("POST", "/api/token/refresh/"): lambda w, p: {"refresh": str(RefreshToken.for_user(w.patient.user))},
    ("POST", "/api/token/blacklist/"): lambda w, p: {"refresh": str(RefreshToken.for_user(w.patient.user))},
    ("PATCH", "/api/me/"): lambda w, p: {"first_name": "Renamed"},
    ("POST", "/api/me/email/confirm/"): lambda w, p: {"token": email_change_token(
        user=w.patient.user, new_email=f"moved-{p}@example.org")},
    ("POST", "/api/me/password/"): lambda w, p: {"old_password": PASSWORD,
                                                 "new_password": "An0ther-good-phrase"},
    ("POST", "/api/departments/"): lambda w, p: {"code": "NEU", "name": "Neurology",
                                                 "daily_room_rate": "1700.00"},
    ("PATCH", "/api/departments/{code}/"): lambda w, p: {"name": "Cardiology and Vascular"},
    ("POST", "/api/doctors/"): lambda w, p: {
        **_new_account(w, p), "profile": {"department": "CL", "specialty": "Cardiology",
                                          "address": "2 Road", "mobile": "+2348000000001"}},
    ("PUT", "/api/doctors/{id}/"): lambda w, p: {"specialty": "Heart failure"},
    ("PATCH", "/api/doctors/{id}/"): lambda w, p: {"specialty": "Heart failure"},
    ("PUT", "/api/doctors/{id}/schedule/"): lambda w, p: {
        "slot_minutes": 20, "hours": [{"weekday": 0, "start": "09:00", "end": "12:00"}]},
    ("POST", "/api/patients/"): lambda w, p: {
        **_new_account(w, p), "profile": {"date_of_birth": "1990-01-01", "sex": "male",
                                          "address": "3 Road", "mobile": "+2348000000002"}},
    ("PUT", "/api/patients/{id}/"): lambda w, p: {"address": "4 Road"},
    ("PATCH", "/api/patients/{id}/"): lambda w, p: {"address": "4 Road"},
    ("POST", "/api/appointments/"): _appointment_body,
    ("PATCH", "/api/appointments/{id}/"): lambda w, p: {"reason": "Follow-up"},
    ("POST", "/api/appointments/{id}/confirm/"): lambda w, p: {},
    ("POST", "/api/appointments/{id}/cancel/"): lambda w, p: {"reason": "Travelling"},
    ("POST", "/api/appointments/{id}/complete/"): lambda w, p: {"notes": "Seen."},
    ("POST", "/api/admissions/"): _admission_body,
    ("PATCH", "/api/admissions/{id}/"): lambda w, p: {"symptoms": "Fever and cough"},
    ("POST", "/api/admissions/{id}/discharge/"): lambda w, p: {},
    ("POST", "/api/prescriptions/"): lambda w, p: {
        "appointment": str(w.visit.pk), "medicine_name": "Paracetamol", "dosage": "500 mg",
        "frequency": "three times daily", "duration_days": 5, "quantity": 15,
        "instructions": "After meals"},
    ("PATCH", "/api/prescriptions/{id}/"): lambda w, p: {"dosage": "250 mg"},
    ("POST", "/api/prescriptions/{id}/cancel/"): lambda w, p: {"reason": "Allergy"},
    ("POST", "/api/invoices/"): lambda w, p: {"patient": str(w.patient.pk), "lines": LINES},
    ("PATCH", "/api/invoices/{id}/"): lambda w, p: {"lines": LINES},
    ("POST", "/api/invoices/{id}/payments/"): lambda w, p: {"amount": "100.00", "method": "cash"},
    ("POST", "/api/invoices/{id}/void/"): lambda w, p: {"reason": "Duplicate"},
    ("POST", "/api/encounters/"): lambda w, p: {
        "patient": str(w.patient.pk), "kind": "emergency", "subjective": "Collapsed at home."},
    ("PATCH", "/api/encounters/{id}/"): lambda w, p: {"plan": "Admit for observation."},
    ("POST", "/api/encounters/{id}/addenda/"): lambda w, p: {"text": "Troponin came back normal."},
    ("POST", "/api/observations/"): lambda w, p: {
        "patient": str(w.patient.pk), "vitals": {"heart_rate": "80", "systolic_bp": "118"}},
    ("POST", "/api/observations/{id}/void/"): lambda w, p: {"reason": "Wrong patient"},
    ("POST", "/api/allergies/"): lambda w, p: {
        "patient": str(w.patient.pk), "substance": "Peanut", "category": "food"},
    ("PATCH", "/api/allergies/{id}/"): lambda w, p: {"criticality": "high"},
    ("POST", "/api/staff/"): lambda w, p: {
        **_new_account(w, p), "role": "nurse", "profile": {"department": "CL", "mobile": "+2348000000003"}},
    ("PATCH", "/api/staff/{id}/"): lambda w, p: {"profile": {"mobile": "+2348000000004"}},
    ("POST", "/api/lab-tests/"): lambda w, p: {
        "code": "ferritin", "loinc": "2276-4", "name": "Ferritin", "unit": "ng/mL",
        "reference_low": "30", "reference_high": "400", "price": "600.00"},
    ("PATCH", "/api/lab-tests/{id}/"): lambda w, p: {"price": "260.00"},
    ("POST", "/api/lab-orders/"): lambda w, p: {"patient": str(w.patient.pk), "tests": ["sodium"]},
    ("POST", "/api/lab-orders/{id}/results/"): lambda w, p: {"results": [
        {"item": str(item.pk), "value": "13.5"} for item in w.lab_collected.items.all()]},
    ("POST", "/api/lab-orders/{id}/cancel/"): lambda w, p: {"reason": "Not needed"},
    ("POST", "/api/admin/approvals/doctors/{id}/reject/"): lambda w, p: {"reason": "Unverified"},
    ("POST", "/api/admin/approvals/patients/{id}/reject/"): lambda w, p: {"reason": "Duplicate"},
    ("POST", "/api/admin/approvals/appointments/{id}/reject/"): lambda w, p: {"reason": "Full"},
    ("POST", "/api/doctors/{id}/time-off/"): lambda w, p: {
        "start": future_slot(days=40, hour=0).isoformat(),
        "end": future_slot(days=41, hour=0).isoformat(), "reason": "Leave"},
    ("POST", "/api/holidays/"): lambda w, p: {"date": days_ahead(45).isoformat(), "name": "Eid"},
}


def schema_operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }


@pytest.mark.django_db
def test_every_operation_is_in_the_matrix():
    operations = schema_operations()

    assert operations - set(MATRIX) == set(), "operations with no row in MATRIX"
    assert set(MATRIX) - operations == set(), "rows in MATRIX for operations the schema lacks"


@pytest.mark.django_db
def test_every_operation_is_in_the_staff_matrix():
    operations = schema_operations()

    assert operations - set(STAFF_MATRIX) == set(), "operations with no row in STAFF_MATRIX"
    assert set(STAFF_MATRIX) - operations == set(), "rows in STAFF_MATRIX the schema lacks"


@pytest.fixture
def world(admin_user, doctor, other_doctor, patient, other_patient, pending_patient,
          nurse, other_nurse, lab):
    world = hospital_world(admin=admin_user, doctor=doctor, other_doctor=other_doctor,
                           patient=patient, other_patient=other_patient, pending=pending_patient,
                           nurse=nurse, other_nurse=other_nurse, lab=lab)
    world.notification = NotificationFactory(user=patient.user)
    block_start = future_slot(days=20, hour=0)
    world.time_off = TimeOff.objects.create(doctor=doctor, start=block_start,
                                            end=block_start + datetime.timedelta(hours=8))
    world.holiday = Holiday.objects.create(date=days_ahead(30), name="Closed")
    world.lab_test = LabTest.objects.get(code="hemoglobin")
    for status in ("ordered", "collected", "resulted"):
        setattr(world, f"lab_{status}", lab_order(patient=patient, doctor=doctor, status=status))
    return world


def client_of(world, persona: str) -> APIClient:
    if persona == "anon":
        return APIClient()
    user = {"pending": world.pending.user, "admin": world.admin}.get(persona)
    return client_for(user or getattr(world, persona).user)


def url_for(world, method: str, path: str) -> str:
    if "{code}" in path:
        return path.replace("{code}", world.doctor.department.code)
    path = path.replace("{block_id}", str(world.time_off.pk))
    if "{id}" not in path:
        return path
    target = TARGETS.get((method, path)) or next(
        name for prefix, name in TARGET_BY_PREFIX.items() if path.startswith(prefix)
    )
    return path.replace("{id}", str(getattr(world, target).pk))


def _expected(method, path, persona) -> int:
    if persona in STAFF_PERSONAS:
        return STAFF_MATRIX[(method, path)][STAFF_PERSONAS.index(persona)]
    return MATRIX[(method, path)][PERSONAS.index(persona)]


@pytest.mark.parametrize("persona", PERSONAS + STAFF_PERSONAS)
@pytest.mark.parametrize(("method", "path"), sorted(MATRIX), ids=lambda value: value)
def test_authorization(world, method, path, persona, settings):
    settings.AUTH_THROTTLE_RATE = "1000/min"
    expected = _expected(method, path, persona)
    body = BODIES.get((method, path), lambda w, p: None)(world, persona)

    response = getattr(client_of(world, persona), method.lower())(
        url_for(world, method, path), body, format="json"
    )

    assert response.status_code == expected, (persona, method, path, response.content[:300])

