"""Drive the generated Python client, in strict mode, through the main flows and every error class.

Run by `clients/check` against a live server loaded with `seed_demo`; every answer must come
back with a documented status and parse into the model the schema names for it.
Usage: drive_python_client.py BASE_URL ADMIN_USERNAME PASSWORD
"""

import datetime
import sys
import uuid
from decimal import Decimal

from hospital_api_client import AuthenticatedClient, Client
from hospital_api_client.api.admin import (
    admin_approvals_doctors_approve,
    admin_approvals_patients_approve,
)
from hospital_api_client.api.admissions import admissions_create
from hospital_api_client.api.appointments import (
    appointments_confirm,
    appointments_create,
    appointments_list,
    appointments_retrieve,
)
from hospital_api_client.api.doctors import doctors_schedule_update, doctors_slots_list
from hospital_api_client.api.invoices import (
    invoices_create,
    invoices_issue,
    invoices_payments,
)
from hospital_api_client.api.me import me_retrieve
from hospital_api_client.api.prescriptions import prescriptions_create
from hospital_api_client.api.register import register
from hospital_api_client.api.token import token_blacklist, token_obtain, token_refresh
from hospital_api_client.models import (
    Account,
    AccountApproval,
    Admission,
    AdmissionCreateRequest,
    AppointmentConfirmRequest,
    AppointmentCreateRequest,
    AppointmentDetail,
    AppointmentStatusEnum,
    ApprovalStatusEnum,
    ErrorDetail,
    Invoice,
    InvoiceCreateRequest,
    InvoiceLineCategoryEnum,
    InvoiceLineInputRequest,
    InvoiceStatusEnum,
    MethodEnum,
    PaginatedAppointmentList,
    PaymentCreateRequest,
    Prescription,
    PrescriptionCreateRequest,
    ProfileInputRequest,
    RegisterRequest,
    RegisterRoleEnum,
    Schedule,
    ScheduleHoursRequest,
    ScheduleRequest,
    SexEnum,
    TokenBlacklistRequest,
    TokenObtainRequest,
    TokenPair,
    TokenRefreshRequest,
    ValidationError,
)

CHECKS: list[str] = []


def expect(response, status: int, model: type, what: str):
    """The answer has `status`, parses into `model` and carries the request id header."""
    assert response.status_code == status, f"{what}: {response.status_code} {response.content!r}"
    assert isinstance(response.parsed, model), f"{what}: parsed {type(response.parsed)}"
    assert response.headers.get("X-Request-ID"), f"{what}: no X-Request-ID"
    CHECKS.append(f"{status} {model.__name__}: {what}")
    return response.parsed


def as_plain_text(request) -> None:
    """Label the JSON body as plain text, as a misconfigured client would."""
    request.headers["Content-Type"] = "text/plain"


def registration(username: str, role: RegisterRoleEnum, profile: ProfileInputRequest):
    return RegisterRequest(
        username=username, email=f"{username}@clients.example", password="Cl1ents-pass-2026",
        password2="Cl1ents-pass-2026", first_name="Client", last_name=username.title(),
        role=role, profile=profile,
    )


def sign_in(
    anon: Client, base_url: str, username: str, password: str
) -> tuple[AuthenticatedClient, TokenPair]:
    pair = expect(
        token_obtain.sync_detailed(client=anon, body=TokenObtainRequest(username, password)),
        200, TokenPair, f"token_obtain {username}",
    )
    return AuthenticatedClient(base_url, pair.access, raise_on_unexpected_status=True), pair


def main(base_url: str, admin_username: str, admin_password: str) -> None:
    anon = Client(base_url, raise_on_unexpected_status=True)
    suffix = uuid.uuid4().hex[:8]

    # Register a patient and a doctor; field errors come back flat and nested.
    invalid = expect(
        register.sync_detailed(client=anon, body=registration(
            f"bad{suffix}", RegisterRoleEnum.PATIENT,
            ProfileInputRequest(sex=SexEnum.FEMALE, date_of_birth=datetime.date(2999, 1, 1)),
        )),
        400, ValidationError, "register with a birth date in the future (nested field error)",
    )
    nested = invalid["profile"]
    assert isinstance(nested, ValidationError), invalid.to_dict()
    assert isinstance(nested["date_of_birth"], list) and isinstance(nested["date_of_birth"][0], str)
    flat = expect(
        register.sync_detailed(client=anon, body=registration(
            "not a username!", RegisterRoleEnum.PATIENT,
            ProfileInputRequest(date_of_birth=datetime.date(1990, 5, 17), sex=SexEnum.FEMALE),
        )),
        400, ValidationError, "register with an invalid username (flat field error)",
    )
    assert isinstance(flat["username"], list) and isinstance(flat["username"][0], str)

    patient_name, doctor_name = f"pat{suffix}", f"doc{suffix}"
    patient = expect(
        register.sync_detailed(client=anon, body=registration(
            patient_name, RegisterRoleEnum.PATIENT,
            ProfileInputRequest(date_of_birth=datetime.date(1990, 5, 17), sex=SexEnum.FEMALE),
        )),
        201, Account, "register a patient",
    )
    assert patient.approval_status == ApprovalStatusEnum.PENDING
    doctor = expect(
        register.sync_detailed(client=anon, body=registration(
            doctor_name, RegisterRoleEnum.DOCTOR,
            ProfileInputRequest(department="CL", specialty="Cardiology"),
        )),
        201, Account, "register a doctor",
    )
    pending = expect(
        token_obtain.sync_detailed(
            client=anon, body=TokenObtainRequest(patient_name, "Cl1ents-pass-2026")
        ),
        403, ErrorDetail, "sign in while pending (403 with code)",
    )
    assert pending.code == "account_pending", pending.to_dict()
    wrong = expect(
        token_obtain.sync_detailed(client=anon, body=TokenObtainRequest(patient_name, "wrong")),
        401, ErrorDetail, "sign in with a wrong password",
    )
    assert wrong.detail

    # The admin approves both.
    admin, _ = sign_in(anon, base_url, admin_username, admin_password)
    expect(admin_approvals_patients_approve.sync_detailed(patient.id, client=admin), 200,
           AccountApproval, "approve the patient")
    expect(admin_approvals_doctors_approve.sync_detailed(doctor.id, client=admin), 200,
           AccountApproval, "approve the doctor")
    again = expect(admin_approvals_patients_approve.sync_detailed(patient.id, client=admin), 409,
                   ErrorDetail, "approve an approved account (409 with code)")
    assert again.code, again.to_dict()

    # The doctor opens every day; the patient books the first free slot tomorrow.
    doc, _ = sign_in(anon, base_url, doctor_name, "Cl1ents-pass-2026")
    pat, pat_pair = sign_in(anon, base_url, patient_name, "Cl1ents-pass-2026")
    hours = [ScheduleHoursRequest(weekday=day, start="00:00", end="23:30")
             for day in range(7)]
    expect(doctors_schedule_update.sync_detailed(
        doctor.id, client=doc, body=ScheduleRequest(slot_minutes=30, hours=hours)), 200, Schedule,
        "set the doctor's schedule")
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    slots = doctors_slots_list.sync_detailed(doctor.id, client=pat, date=tomorrow)
    assert slots.status_code == 200 and isinstance(slots.parsed, list) and slots.parsed, slots.content
    CHECKS.append("200 list[Slot]: free slots")
    start = slots.parsed[0].start
    in_past = expect(appointments_create.sync_detailed(client=pat, body=AppointmentCreateRequest(
        reason="Chest pain", doctor=doctor.id, start=start - datetime.timedelta(days=30))),
        400, ErrorDetail, "book a slot in the past (400 with code)")
    assert in_past.code in {"in_past", "outside_schedule"}, in_past.to_dict()
    appointment = expect(appointments_create.sync_detailed(client=pat, body=AppointmentCreateRequest(
        reason="Chest pain", doctor=doctor.id, start=start)), 201, AppointmentDetail, "book")
    confirmed = expect(appointments_confirm.sync_detailed(
        appointment.id, client=doc, body=AppointmentConfirmRequest()), 200, AppointmentDetail,
        "confirm")
    assert confirmed.status == AppointmentStatusEnum.CONFIRMED
    listed = expect(appointments_list.sync_detailed(
        client=pat, status=AppointmentStatusEnum.CONFIRMED, page_size=100), 200,
        PaginatedAppointmentList, "list confirmed appointments by the enum")
    assert [row.id for row in listed.results] == [appointment.id]
    expect(appointments_retrieve.sync_detailed(uuid.uuid4(), client=pat), 404, ErrorDetail,
           "an appointment that does not exist")
    expect(me_retrieve.sync_detailed(client=Client(base_url, raise_on_unexpected_status=True)),
           401, ErrorDetail, "me without a token")

    # Admit, prescribe, invoice and pay.
    expect(admissions_create.sync_detailed(client=doc, body=AdmissionCreateRequest(
        patient=patient.id, department="CL", assigned_doctor=doctor.id)), 201, Admission, "admit")
    expect(prescriptions_create.sync_detailed(client=doc, body=PrescriptionCreateRequest(
        appointment=appointment.id, medicine_name="Aspirin", dosage="75 mg", frequency="daily",
        duration_days=30, quantity=30)), 201, Prescription, "prescribe")
    lines = [InvoiceLineInputRequest(category=InvoiceLineCategoryEnum.DOCTOR_FEE, description="Visit",
                                     quantity=1, unit_price="1500.00")]
    refused = expect(invoices_create.sync_detailed(
        client=pat, body=InvoiceCreateRequest(patient=patient.id, lines=lines)), 403, ErrorDetail,
        "a patient may not bill")
    assert refused.detail
    invoice = expect(invoices_create.sync_detailed(
        client=admin, body=InvoiceCreateRequest(patient=patient.id, lines=lines),
        idempotency_key=f"invoice-{suffix}"), 201, Invoice, "invoice")
    reused = expect(invoices_create.sync_detailed(
        client=admin, body=InvoiceCreateRequest(patient=patient.id, lines=lines * 2),
        idempotency_key=f"invoice-{suffix}"), 422, ErrorDetail, "an idempotency key reused")
    assert reused.code == "idempotency_key_reused"
    issued = expect(invoices_issue.sync_detailed(invoice.id, client=admin), 200, Invoice, "issue")
    assert issued.status == InvoiceStatusEnum.ISSUED
    paid = expect(invoices_payments.sync_detailed(invoice.id, client=admin, body=PaymentCreateRequest(
        amount=issued.balance_due, method=MethodEnum.CASH)), 201, Invoice, "pay in full")
    assert paid.status == InvoiceStatusEnum.PAID and Decimal(paid.balance_due) == 0

    # Too large, wrong content type.
    expect(appointments_create.sync_detailed(client=pat, body=AppointmentCreateRequest(
        reason="x" * (2 * 1024 * 1024), doctor=doctor.id, start=start)), 413, ErrorDetail,
        "a body over the size limit")
    as_text = AuthenticatedClient(
        base_url, pat_pair.access, raise_on_unexpected_status=True,
        httpx_args={"event_hooks": {"request": [as_plain_text]}},
    )
    expect(appointments_create.sync_detailed(client=as_text, body=AppointmentCreateRequest(
        reason="Chest pain", doctor=doctor.id, start=start)), 415, ErrorDetail,
        "a body that is not JSON")

    # Refresh, sign out, and the refresh token stops working.
    fresh = expect(token_refresh.sync_detailed(client=anon, body=TokenRefreshRequest(pat_pair.refresh)),
                   200, TokenPair, "refresh")
    blacklisted = token_blacklist.sync_detailed(client=anon, body=TokenBlacklistRequest(fresh.refresh))
    assert blacklisted.status_code == 200, blacklisted.content
    CHECKS.append("200 object: blacklist")
    expect(token_refresh.sync_detailed(client=anon, body=TokenRefreshRequest(fresh.refresh)),
           401, ErrorDetail, "refresh with a blacklisted token")

    # The sign-in throttle answers 429 with Retry-After.
    for _ in range(100):
        answer = token_obtain.sync_detailed(client=anon, body=TokenObtainRequest(patient_name, "wrong"))
        if answer.status_code == 429:
            break
    throttled = expect(answer, 429, ErrorDetail, "too many sign-ins")
    assert throttled.code == "throttled" and answer.headers.get("Retry-After")

    print(f"Python client: {len(CHECKS)} answers parsed into their models")
    for line in CHECKS:
        print(f"  {line}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
