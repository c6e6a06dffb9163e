"""Fill the database with a large, realistic hospital for the load benchmark (`bench/`).

Deterministic: the same `--seed` in the same week gives the same rows, ids included. The
timeline is anchored on the Monday of the current local week: two years of weekly schedules,
21 months before the anchor and three after. Appointments before the anchor are closed
(completed, cancelled, no-show, rejected); those after it are active or cancelled. Each
doctor's appointments take distinct slots of the doctor's grid, and no patient holds two
active appointments at one time, so the database constraints hold.

On PostgreSQL the rows go in with COPY; elsewhere (tests on SQLite) with `bulk_create`.

It lives in billing because it writes the rows of every domain (accounts, appointments,
clinical, billing) and billing is the top app, the one allowed to import all of them; a
lower app holding it would import upwards.
"""

import random
import time as clock
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from psycopg.types.json import Jsonb

from accounts.models import Department, DoctorProfile, PatientProfile, User
from appointments.models import Appointment, AppointmentEvent, Schedule, ScheduleHours
from billing.models import Invoice, InvoiceCounter, InvoiceLine, Payment
from clinical.models import Admission, Prescription

BENCH_PASSWORD = "bench-pass-2026"
ADMIN_USERNAME = "bench_admin"
DOCTOR_USERNAME = "bench_doctor"
PATIENT_USERNAME = "bench_patient"

WEEKS_BEFORE = 91
WEEKS_AFTER = 13
WEEKDAY_HOURS = ((time(8), time(12)), (time(13), time(17)))
SATURDAY_HOURS = ((time(9), time(13)),)
# The busy doctor fills this share of the grid; the others fill what their weight asks.
BUSY_SHARE = 0.9
BUSY_WEIGHT = 1.6
PERSONA_APPOINTMENTS = 250
ADMISSION_RATE = 0.05
PERSONA_ADMISSION_RATE = 0.2
PRESCRIPTION_RATE = 0.25
OUTPATIENT_INVOICE_RATE = 0.08

Status = Appointment.Status
PAST_STATUSES = (
    (Status.COMPLETED, 0.75), (Status.CANCELLED, 0.12), (Status.NO_SHOW, 0.06),
    (Status.REJECTED, 0.07),
)
FUTURE_STATUSES = ((Status.CONFIRMED, 0.6), (Status.REQUESTED, 0.25), (Status.CANCELLED, 0.15))
EVENT_FOR = {
    # status: (action, from_status, actor role)
    Status.REQUESTED: ("request", "", "patient"),
    Status.CONFIRMED: ("confirm", Status.REQUESTED, "doctor"),
    Status.COMPLETED: ("complete", Status.CONFIRMED, "doctor"),
    Status.CANCELLED: ("cancel", Status.CONFIRMED, "patient"),
    Status.NO_SHOW: ("no_show", Status.CONFIRMED, "doctor"),
    Status.REJECTED: ("reject", Status.REQUESTED, "admin"),
}

FIRST_NAMES = ("Amina", "Chidi", "Funke", "Grace", "Tunde", "Ngozi", "Samuel", "Kemi", "Ibrahim",
               "Zainab", "Emeka", "Bisi", "Yusuf", "Halima", "Obinna", "Aisha", "Femi", "Uche")
LAST_NAMES = ("Adeyemi", "Bello", "Eze", "Okon", "Alade", "Musa", "Okafor", "Nwosu", "Ade",
              "Yusuf", "Balogun", "Ibe", "Lawal", "Danjuma", "Onyeka", "Salami", "Garba")
SPECIALTIES = ("General practice", "Cardiology", "Dermatology", "Emergency medicine",
               "Immunology", "Anesthesia", "Colorectal surgery", "Internal medicine")
REASONS = ("Check-up", "Follow-up visit", "Chest pain", "Skin rash", "Headache", "Fever",
           "Blood pressure review", "Allergy", "Back pain", "Lab results")
MEDICINES = (("Amoxicillin", "500 mg"), ("Paracetamol", "1 g"), ("Atorvastatin", "20 mg"),
             ("Lisinopril", "10 mg"), ("Cetirizine", "10 mg"), ("Metformin", "850 mg"),
             ("Ibuprofen", "400 mg"), ("Omeprazole", "20 mg"))
FREQUENCIES = ("once daily", "twice daily", "three times daily", "at night")
METHODS = [choice for choice, _ in Payment.Method.choices]

# Tables emptied by --wipe (departments stay: a migration creates them).
WIPED_MODELS = (
    Payment, InvoiceLine, Invoice, InvoiceCounter, Prescription, AppointmentEvent, Appointment,
    Admission, ScheduleHours, Schedule, PatientProfile, DoctorProfile, User,
)


def _pick(rng: random.Random, weighted) -> str:
    roll, total = rng.random(), 0.0
    for value, weight in weighted:
        total += weight
        if roll < total:
            return value
    return weighted[-1][0]


class Writer:
    """Buffer rows of one model and write them in batches: COPY on PostgreSQL, else bulk_create."""

    def __init__(self, model: type[models.Model], columns: list[str], batch_size: int):
        self.model = model
        self.columns = columns
        self.batch_size = batch_size
        self.rows: list[tuple] = []
        self.written = 0
        fields = [model._meta.get_field(name) for name in columns]
        self.sql = "COPY {} ({}) FROM STDIN".format(
            connection.ops.quote_name(model._meta.db_table),
            ", ".join(connection.ops.quote_name(field.column) for field in fields),
        )

    def add(self, *row) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor, cursor.cursor.copy(self.sql) as copy:
                for row in self.rows:
                    copy.write_row([Jsonb(value) if isinstance(value, dict) else value
                                    for value in row])
        else:
            self.model.objects.bulk_create(
                [self.model(**dict(zip(self.columns, row, strict=True))) for row in self.rows],
                batch_size=500,
            )
        self.written += len(self.rows)
        self.rows = []


class Command(BaseCommand):
    help = "Load a large deterministic hospital (doctors, patients, appointments, records, bills)."

    def add_arguments(self, parser):
        parser.add_argument("--doctors", type=int, default=200)
        parser.add_argument("--patients", type=int, default=50_000)
        parser.add_argument("--appointments", type=int, default=1_000_000)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--batch-size", type=int, default=10_000)
        parser.add_argument(
            "--wipe", action="store_true",
            help="Empty the accounts, appointments, clinical, billing and audit tables first.",
        )

    def handle(self, *args, **options):
        doctors, patients = options["doctors"], options["patients"]
        if doctors < 1 or patients < 1 or options["appointments"] < 0 or options["batch_size"] < 1:
            raise CommandError("--doctors and --patients must be at least 1, --batch-size too.")
        self.started = clock.monotonic()
        if options["wipe"]:
            self._wipe()
        elif User.objects.exists():
            raise CommandError("The database already has users; pass --wipe to replace them.")
        self.rng = random.Random(options["seed"])
        self.batch_size = options["batch_size"]
        self.zone = timezone.get_current_timezone()
        today = timezone.localdate()
        self.anchor_day = today - timedelta(days=today.weekday())
        self.anchor = datetime.combine(self.anchor_day, time.min, tzinfo=self.zone).astimezone(UTC)
        self.first_day = self.anchor_day - timedelta(weeks=WEEKS_BEFORE)
        self.password = make_password(BENCH_PASSWORD)
        # One transaction: a failed load leaves nothing behind.
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO off")
            self._people(doctors, patients)
            self._appointments(options["appointments"])
            self._invoices()
        if connection.vendor == "postgresql":
            self._log("analyzing")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self._summary()

    # Setup -----------------------------------------------------------------------------

    def _wipe(self):
        tables = [model._meta.db_table for model in WIPED_MODELS]
        tables += ["trust_auditevent", "trust_idempotencyrecord",
                   "token_blacklist_blacklistedtoken", "token_blacklist_outstandingtoken",
                   "accounts_user_groups", "accounts_user_user_permissions", "django_admin_log"]
        existing = set(connection.introspection.table_names())
        statements = connection.ops.sql_flush(
            no_style(), [table for table in tables if table in existing], allow_cascade=True
        )
        if connection.vendor == "postgresql":
            # Check deferred foreign keys now: TRUNCATE refuses tables with pending checks.
            statements = ["SET CONSTRAINTS ALL IMMEDIATE", *statements, "SET CONSTRAINTS ALL DEFERRED"]
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self._log("wiped")

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def _log(self, message: str) -> None:
        self.stdout.write(f"[{clock.monotonic() - self.started:7.1f}s] {message}")

    def _progress(self, label: str, done: int, total: int, last: list) -> None:
        """Print a bar each time another tenth is done."""
        tenth = done * 10 // max(total, 1)
        if tenth > last[0] or done == total:
            last[0] = tenth
            bar = "#" * tenth + "." * (10 - tenth)
            self._log(f"{label:<13}[{bar}] {done:>9,}/{total:,}")

    def _user_row(self, writer: Writer, *, username, role, first, last, joined, approved_by):
        user_id = self._uuid()
        writer.add(
            user_id, self.password, None, False, username, first, last,
            f"{username}@bench.hospital.example", role == User.Role.ADMIN, True, joined, role,
            User.ApprovalStatus.APPROVED, approved_by, joined, "", {},
        )
        return user_id

    def _people(self, doctors: int, patients: int):
        rng = self.rng
        users = Writer(User, [
            "id", "password", "last_login", "is_superuser", "username", "first_name",
            "last_name", "email", "is_staff", "is_active", "date_joined", "role",
            "approval_status", "approved_by_id", "approved_at", "rejection_reason",
            "revoked_access_jtis",
        ], self.batch_size)
        joined = self.anchor - timedelta(weeks=WEEKS_BEFORE + 4)
        self.admin_id = self._user_row(
            users, username=ADMIN_USERNAME, role=User.Role.ADMIN, first="Ada", last="Okafor",
            joined=joined, approved_by=None,
        )
        departments = list(Department.objects.order_by("code"))
        if not departments:
            raise CommandError("No departments: run the migrations first.")
        doctor_rows = Writer(DoctorProfile, [
            "user_id", "department_id", "specialty", "address", "mobile", "consultation_fee",
        ], self.batch_size)
        schedules = Writer(Schedule, ["doctor_id", "slot_minutes"], self.batch_size)
        hours = Writer(ScheduleHours, ["schedule_id", "weekday", "start", "end"], self.batch_size)
        self.doctors = []
        for index in range(doctors):
            username = DOCTOR_USERNAME if index == 0 else f"bench_doctor_{index:04d}"
            doctor_id = self._user_row(
                users, username=username, role=User.Role.DOCTOR, first=rng.choice(FIRST_NAMES),
                last=rng.choice(LAST_NAMES), joined=joined, approved_by=self.admin_id,
            )
            department = departments[index % len(departments)]
            fee = Decimal(rng.randrange(10, 60) * 50)
            doctor_rows.add(doctor_id, department.pk, rng.choice(SPECIALTIES),
                            "Bench Hospital, Lagos", "+2348000000000", fee)
            slot_minutes = 30 if index == 0 else rng.choice((15, 20, 30, 30))
            schedules.add(doctor_id, slot_minutes)
            week = dict.fromkeys(range(5), WEEKDAY_HOURS)
            if rng.random() < 0.3:
                week[5] = SATURDAY_HOURS
            for weekday, ranges in week.items():
                for start, end in ranges:
                    hours.add(doctor_id, weekday, start, end)
            rate = department.daily_room_rate or Decimal("1500.00")
            self.doctors.append((doctor_id, department.pk, fee, slot_minutes, week, rate))
        patient_rows = Writer(PatientProfile, [
            "user_id", "date_of_birth", "sex", "address", "mobile",
        ], self.batch_size)
        sexes = [choice for choice, _ in PatientProfile.Sex.choices]
        self.patients = []
        last = [0]
        for index in range(patients):
            username = PATIENT_USERNAME if index == 0 else f"bench_patient_{index:06d}"
            patient_id = self._user_row(
                users, username=username, role=User.Role.PATIENT, first=rng.choice(FIRST_NAMES),
                last=rng.choice(LAST_NAMES), joined=joined, approved_by=self.admin_id,
            )
            born = date(1940, 1, 1) + timedelta(days=rng.randrange(80 * 365))
            patient_rows.add(patient_id, born, rng.choice(sexes), "Lagos", "+2348110000000")
            self.patients.append(patient_id)
            self._progress("patients", index + 1, patients, last)
        for writer in (users, doctor_rows, schedules, hours, patient_rows):
            writer.flush()
        self._log(f"users        {users.written:,} (1 admin, {doctors:,} doctors, {patients:,} patients)")

    # Appointments and what hangs off them ----------------------------------------------

    def _grid(self, slot_minutes: int, week: dict) -> list[datetime]:
        """Every slot start of the doctor's schedule over the two years, in time order."""
        step = timedelta(minutes=slot_minutes)
        starts = []
        for offset in range((WEEKS_BEFORE + WEEKS_AFTER) * 7):
            day = self.first_day + timedelta(days=offset)
            for range_start, range_end in week.get(day.weekday(), ()):
                cursor = datetime.combine(day, range_start, tzinfo=self.zone).astimezone(UTC)
                stop = datetime.combine(day, range_end, tzinfo=self.zone).astimezone(UTC)
                while cursor + step <= stop:
                    starts.append(cursor)
                    cursor += step
        return starts

    def _shares(self, total: int, grids: list[int]) -> list[int]:
        """How many appointments each doctor gets: the busy one first, the rest by weight."""
        weights = [BUSY_WEIGHT] + [0.5 + self.rng.random() for _ in grids[1:]]
        capacity = [int(size * BUSY_SHARE) for size in grids]
        if total > sum(capacity):
            raise CommandError(
                f"{total:,} appointments do not fit the schedules of {len(grids)} doctors "
                f"(at most {sum(capacity):,}); add doctors."
            )
        scale = total / sum(weights)
        shares = [min(cap, int(weight * scale)) for cap, weight in zip(capacity, weights, strict=True)]
        missing, index = total - sum(shares), 0
        while missing:
            if shares[index] < capacity[index]:
                shares[index] += 1
                missing -= 1
            index = (index + 1) % len(shares)
        return shares

    def _appointments(self, total: int):
        rng = self.rng
        # Doctors with the same slot length and weekdays share one grid.
        cache: dict = {}
        grids = []
        for _, _, _, slot_minutes, week, _ in self.doctors:
            key = (slot_minutes, tuple(week))
            if key not in cache:
                cache[key] = self._grid(slot_minutes, week)
            grids.append(cache[key])
        shares = self._shares(total, [len(grid) for grid in grids])
        persona = self.patients[0]
        persona_share = min(PERSONA_APPOINTMENTS, total // 20) / max(total, 1)
        others = len(self.patients) - 1
        self.active_patient_starts: set = set()
        self.invoices: list = []
        writers = {
            "admissions": Writer(Admission, [
                "id", "patient_id", "assigned_doctor_id", "department_id", "symptoms",
                "admitted_at", "discharged_at", "created_by_id", "created_at",
            ], self.batch_size),
            "appointments": Writer(Appointment, [
                "id", "patient_id", "doctor_id", "start", "end", "status", "reason", "notes",
                "admission_id", "cancellation_reason", "created_by_id", "created_at",
                "updated_at",
            ], self.batch_size),
            "events": Writer(AppointmentEvent, [
                "appointment_id", "actor_id", "action", "from_status", "to_status", "reason", "at",
            ], self.batch_size),
            "prescriptions": Writer(Prescription, [
                "id", "appointment_id", "patient_id", "doctor_id", "medicine_name", "dosage",
                "frequency", "duration_days", "quantity", "instructions", "status", "issued_at",
                "cancelled_at", "cancellation_reason", "cancelled_by_id",
            ], self.batch_size),
        }
        done, last = 0, [0]
        for doctor, grid, share in zip(self.doctors, grids, shares, strict=True):
            step = timedelta(minutes=doctor[3])
            for slot in sorted(rng.sample(range(len(grid)), share)):
                if others and rng.random() >= persona_share:
                    patient = self.patients[1 + rng.randrange(others)]
                else:
                    patient = persona
                self._appointment(writers, doctor, patient, grid[slot], grid[slot] + step)
            done += share
            self._progress("appointments", done, total, last)
        for writer in writers.values():
            writer.flush()
        counts = ", ".join(f"{writer.written:,} {name}" for name, writer in writers.items())
        self._log(f"loaded       {counts}")

    def _appointment(self, writers, doctor, patient, start, end):
        rng = self.rng
        doctor_id, department_id, fee, _, _, room_rate = doctor
        past = start < self.anchor
        status = _pick(rng, PAST_STATUSES if past else FUTURE_STATUSES)
        if status in Appointment.ACTIVE_STATUSES:
            key = (patient, start)
            if key in self.active_patient_starts:
                # The patient is busy then; this one was cancelled instead.
                status = Status.CANCELLED
            else:
                self.active_patient_starts.add(key)
        appointment_id = self._uuid()
        created_at = min(start, self.anchor) - timedelta(hours=rng.randrange(1, 24 * 30))
        updated_at = start + timedelta(minutes=20) if past else created_at
        actor = {"patient": patient, "doctor": doctor_id, "admin": self.admin_id}
        action, from_status, role = EVENT_FOR[status]
        reason = rng.choice(REASONS)
        cancellation = "Cannot make it." if status == Status.CANCELLED else ""
        admission_id = None
        if status == Status.COMPLETED:
            rate = PERSONA_ADMISSION_RATE if patient == self.patients[0] else ADMISSION_RATE
            if rng.random() < rate:
                admission_id = self._admission(writers, doctor, patient, start, room_rate)
            elif rng.random() < OUTPATIENT_INVOICE_RATE:
                self._invoice(patient, None, appointment_id, start + timedelta(hours=1),
                              [("doctor_fee", "Consultation", 1, fee)])
        writers["appointments"].add(
            appointment_id, patient, doctor_id, start, end, status, reason,
            "Seen; advice given." if status == Status.COMPLETED else "", admission_id,
            cancellation, patient if role == "patient" else doctor_id, created_at, updated_at,
        )
        writers["events"].add(appointment_id, actor[role], action, from_status, status,
                              cancellation, updated_at)
        if status == Status.COMPLETED and rng.random() < PRESCRIPTION_RATE:
            for _ in range(rng.choice((1, 1, 2))):
                name, dosage = rng.choice(MEDICINES)
                cancelled = rng.random() < 0.1
                issued = start + timedelta(minutes=15)
                writers["prescriptions"].add(
                    self._uuid(), appointment_id, patient, doctor_id, name, dosage,
                    rng.choice(FREQUENCIES), rng.choice((3, 5, 7, 14, 30)), rng.randrange(1, 60),
                    "After meals.", "cancelled" if cancelled else "active", issued,
                    issued + timedelta(days=1) if cancelled else None,
                    "Changed medication." if cancelled else "", doctor_id if cancelled else None,
                )

    def _admission(self, writers, doctor, patient, start, room_rate):
        rng = self.rng
        doctor_id, department_id, fee, _, _, _ = doctor
        admission_id = self._uuid()
        nights = rng.randrange(1, 8)
        discharged = start + timedelta(days=nights, hours=rng.randrange(1, 6))
        if discharged > self.anchor:
            discharged = None
        writers["admissions"].add(
            admission_id, patient, doctor_id, department_id, rng.choice(REASONS), start,
            discharged, doctor_id, start,
        )
        lines = [("room", f"Room: {nights} nights", nights, room_rate),
                 ("doctor_fee", "Consultation", 1, fee)]
        if rng.random() < 0.5:
            name, dosage = rng.choice(MEDICINES)
            lines.append(("medicine", f"{name} {dosage}", rng.randrange(1, 4), Decimal("250.00")))
        self._invoice(patient, admission_id, None, discharged, lines, opened_at=start)
        return admission_id

    def _invoice(self, patient, admission_id, appointment_id, billed_at, lines, opened_at=None):
        """Keep the invoice in memory: numbers are given in issue order once all are known.

        An admission still open gets a draft, drawn up some hours after it began.
        """
        if billed_at is None:
            status = Invoice.Status.DRAFT
            drafted = opened_at + timedelta(minutes=self.rng.randrange(60, 48 * 60))
            created_at = min(drafted, self.anchor - timedelta(seconds=self.rng.randrange(1, 3600)))
        else:
            status = _pick(self.rng, ((Invoice.Status.PAID, 0.7), (Invoice.Status.ISSUED, 0.2),
                                      (Invoice.Status.VOID, 0.05), (Invoice.Status.DRAFT, 0.05)))
            created_at = billed_at
        self.invoices.append((self._uuid(), patient, admission_id, appointment_id, status,
                              created_at, lines, self.rng.random()))

    def _invoices(self):
        invoice_rows = Writer(Invoice, [
            "id", "number", "patient_id", "admission_id", "appointment_id", "status", "currency",
            "issued_at", "voided_at", "void_reason", "created_by_id", "created_at",
        ], self.batch_size)
        line_rows = Writer(InvoiceLine, [
            "id", "invoice_id", "category", "description", "quantity", "unit_price", "position",
        ], self.batch_size)
        payment_rows = Writer(Payment, [
            "id", "invoice_id", "amount", "method", "received_by_id", "paid_at",
        ], self.batch_size)
        counters: dict[int, int] = {}
        self.invoices.sort(key=lambda row: row[5])
        for row in self.invoices:
            invoice_id, patient, admission_id, appointment_id, status, created_at, lines, roll = row
            issued_at = voided_at = number = None
            if status != Invoice.Status.DRAFT:
                issued_at = created_at + timedelta(hours=2)
                if status != Invoice.Status.VOID:
                    year = timezone.localtime(issued_at, self.zone).year
                    counters[year] = counters.get(year, 0) + 1
                    number = f"{year}-{counters[year]:06d}"
                else:
                    voided_at = issued_at
            invoice_rows.add(
                invoice_id, number, patient, admission_id, appointment_id, status,
                settings.HOSPITAL_CURRENCY, issued_at, voided_at,
                "Billed in error." if voided_at else "", self.admin_id, created_at,
            )
            total = Decimal("0.00")
            for position, (category, description, quantity, price) in enumerate(lines):
                line_rows.add(self._uuid(), invoice_id, category, description, quantity, price,
                              position)
                total += quantity * price
            paid = Decimal("0.00")
            if status == Invoice.Status.PAID:
                paid = total
            elif status == Invoice.Status.ISSUED and roll < 0.5:
                paid = (total / 2).quantize(Decimal("0.01"))
            if paid > 0:
                payment_rows.add(self._uuid(), invoice_id, paid, METHODS[int(roll * len(METHODS))],
                                 self.admin_id, issued_at + timedelta(days=1))
        for writer in (invoice_rows, line_rows, payment_rows):
            writer.flush()
        InvoiceCounter.objects.bulk_create(
            [InvoiceCounter(year=year, last=last) for year, last in counters.items()]
        )
        self._log(f"billing      {invoice_rows.written:,} invoices, {line_rows.written:,} lines, "
                  f"{payment_rows.written:,} payments")

    def _summary(self):
        doctor = User.objects.get(username=DOCTOR_USERNAME)
        patient = User.objects.get(username=PATIENT_USERNAME)
        self.stdout.write(self.style.SUCCESS(
            f"Bench data ready in {clock.monotonic() - self.started:.1f}s. Logins (password for all: "
            f"{BENCH_PASSWORD}):"
        ))
        self.stdout.write(f"  admin    {ADMIN_USERNAME}")
        self.stdout.write(f"  doctor   {DOCTOR_USERNAME}  (id {doctor.pk}, "
                          f"{Appointment.objects.filter(doctor_id=doctor.pk).count():,} appointments)")
        self.stdout.write(f"  patient  {PATIENT_USERNAME}  (id {patient.pk}, "
                          f"{Appointment.objects.filter(patient_id=patient.pk).count():,} appointments, "
                          f"{Admission.objects.filter(patient_id=patient.pk).count():,} admissions)")
