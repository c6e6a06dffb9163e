"""Time `GET /fhir/R4/Patient/{id}/$everything` on one patient with a long record; writes FHIR_RESULTS.md.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fhir_bench .venv/bin/python bench/fhir_everything.py

Creates the database if it is missing and migrates it, gives a fresh patient (username
`fhir_bench_patient_<n>`) the record below, then calls `$everything` in-process through Django's
test client (the whole request: JWT authentication, the selectors, the mapping, the audit insert,
JSON rendering; no network) as the patient herself: a few warm-up calls, then `--runs` timed
ones. It reports p50 and p90 of the wall time, the SQL queries per call and the size of the
answer. Production settings (DEBUG off). Knobs: `--appointments`, `--prescriptions`, `--runs`.
"""

import argparse
import os
import platform
import secrets
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "FHIR_RESULTS.md"


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hospital.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench: set DATABASE_URL to a PostgreSQL database (it is created if missing)")
    sys.path.insert(0, str(ROOT / "bench"))
    from bench import create_database

    create_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def load(*, appointments: int, prescriptions: int):
    """A new patient with `appointments` past visits to one doctor, `prescriptions` spread over them."""
    from django.db import transaction

    from accounts.models import Department, DoctorProfile, PatientProfile, User
    from appointments.models import Appointment
    from clinical.models import Prescription

    tag = uuid.uuid4().hex[:8]
    with transaction.atomic():
        doctor_user = User.objects.create(username=f"fhir_bench_doctor_{tag}", role=User.Role.DOCTOR,
                                          approval_status=User.ApprovalStatus.APPROVED,
                                          first_name="Bench", last_name="Doctor")
        doctor = DoctorProfile.objects.create(user=doctor_user, department=Department.objects.first())
        user = User.objects.create(username=f"fhir_bench_patient_{tag}", role=User.Role.PATIENT,
                                   approval_status=User.ApprovalStatus.APPROVED, email=f"{tag}@example.org",
                                   first_name="Bench", last_name="Patient")
        patient = PatientProfile.objects.create(user=user, sex="female", address="1 Bench Road",
                                                mobile="+234800")
        first = datetime(2024, 1, 1, 9, tzinfo=UTC)
        visits = Appointment.objects.bulk_create(
            Appointment(patient=patient, doctor=doctor, start=first + timedelta(days=n),
                        end=first + timedelta(days=n, minutes=30), status=Appointment.Status.COMPLETED,
                        reason="Follow-up", created_by=doctor_user)
            for n in range(appointments)
        )
        Prescription.objects.bulk_create(
            Prescription(appointment=visits[n % len(visits)], patient=patient, doctor=doctor,
                         medicine_name=f"Medicine {n}", dosage="5 mg", frequency="once daily",
                         duration_days=30, quantity=30, issued_at=first + timedelta(days=n % len(visits)))
            for n in range(prescriptions)
        )
    return patient


def measure(patient, runs: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from rest_framework_simplejwt.tokens import RefreshToken

    token = RefreshToken.for_user(patient.user).access_token
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", SERVER_NAME="127.0.0.1")
    path = f"/fhir/R4/Patient/{patient.pk}/$everything"
    for _ in range(3):
        assert client.get(path).status_code == 200
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    quantiles = statistics.quantiles(times, n=10)
    return {"p50_ms": statistics.median(times) * 1000, "p90_ms": quantiles[-1] * 1000,
            "queries": len(queries), "entries": response.json()["total"], "bytes": len(response.content)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appointments", type=int, default=200)
    parser.add_argument("--prescriptions", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    setup()
    patient = load(appointments=args.appointments, prescriptions=args.prescriptions)
    result = measure(patient, args.runs)
    record = (f"{args.appointments} appointments, {args.prescriptions} prescriptions",
              result)
    line = (f"| {record[0]} | {result['entries']} | {result['p50_ms']:.0f} | {result['p90_ms']:.0f} | "
            f"{result['queries']} | {result['bytes'] / 1024:.0f} |")
    RESULTS.write_text(
        "# FHIR `Patient/$everything`\n\n"
        "Written by `bench/fhir_everything.py` (see its docstring for the command). In-process "
        f"(Django test client, no network), PostgreSQL, {args.runs} timed calls after 3 warm-up calls, "
        f"as the patient herself; {platform.node()}, {os.cpu_count()} cores, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC.\n\n"
        "| record | entries | p50 ms | p90 ms | queries | KiB |\n|---|---|---|---|---|---|\n"
        f"{line}\n"
    )
    print(line)


if __name__ == "__main__":
    main()
