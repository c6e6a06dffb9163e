"""Demo accounts: an admin, approved doctors in several departments, patients, pending ones."""

import datetime
import secrets
from decimal import Decimal

from django.utils import timezone

from accounts.models import Department, DoctorProfile, PatientProfile, User

DEMO_PASSWORD = "demo-pass-2026"
# The key in `people` of the passwords set in this run: `{username: password}`.
PASSWORDS = "passwords"


def demo_password_set(user: User, people: dict) -> None:
    """The shared demo password, or (`people["random_passwords"]`) a random one per account,
    remembered in `people[PASSWORDS]` so the command prints it once."""
    password = secrets.token_urlsafe(15) if people.get("random_passwords") else DEMO_PASSWORD
    user.set_password(password)
    user.save(update_fields=["password", "tokens_revoked_at"])
    people.setdefault(PASSWORDS, {})[user.username] = password

ADMIN = ("admin", "Ada", "Okafor")
DOCTORS = [
    # username, first, last, department, specialty, fee
    ("dr_heart", "Grace", "Adeyemi", "CL", "Interventional cardiology", Decimal("1250.00")),
    ("dr_skin", "Tunde", "Bello", "DL", "Clinical dermatology", Decimal("900.00")),
    ("dr_er", "Ngozi", "Eze", "EMC", "Emergency medicine", Decimal("1500.00")),
    ("dr_immuno", "Samuel", "Okon", "IL", "Allergy and immunology", Decimal("1100.00")),
]
PATIENTS = [
    # username, first, last, date of birth, sex
    ("pat_amina", "Amina", "Yusuf", datetime.date(1988, 3, 14), PatientProfile.Sex.FEMALE),
    ("pat_chidi", "Chidi", "Nwosu", datetime.date(1975, 11, 2), PatientProfile.Sex.MALE),
    ("pat_funke", "Funke", "Ade", datetime.date(2001, 7, 23), PatientProfile.Sex.FEMALE),
]
PENDING_DOCTOR = ("dr_pending", "Kemi", "Alade", "AL", "Anesthesia", Decimal("1000.00"))
PENDING_PATIENT = ("pat_pending", "Ibrahim", "Musa", datetime.date(1995, 1, 9), PatientProfile.Sex.MALE)


def _user(username, first, last, role, *, people, approved_by=None, approved=True) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": f"{username}@demo.hospital.example",
            "first_name": first,
            "last_name": last,
            "role": role,
            "approval_status": (
                User.ApprovalStatus.APPROVED if approved else User.ApprovalStatus.PENDING
            ),
            "approved_by": approved_by if approved else None,
            "approved_at": timezone.now() if approved else None,
        },
    )
    if created:
        demo_password_set(user, people)
    return user


def _doctor(row, *, people, admin, approved=True) -> DoctorProfile:
    username, first, last, code, specialty, fee = row
    user = _user(username, first, last, User.Role.DOCTOR, people=people, approved_by=admin,
                 approved=approved)
    profile, _ = DoctorProfile.objects.get_or_create(
        user=user,
        defaults={
            "department": Department.objects.get(code=code),
            "specialty": specialty,
            "consultation_fee": fee,
            "mobile": "+2348000000000",
            "address": "Demo Hospital, Lagos",
        },
    )
    return profile


def _patient(row, *, people, admin, approved=True) -> PatientProfile:
    username, first, last, born, sex = row
    user = _user(username, first, last, User.Role.PATIENT, people=people, approved_by=admin,
                 approved=approved)
    profile, _ = PatientProfile.objects.get_or_create(
        user=user,
        defaults={"date_of_birth": born, "sex": sex, "mobile": "+2348110000000",
                  "address": "Lagos"},
    )
    return profile


def seed(people: dict) -> list[str]:
    """Create the demo accounts (idempotent) and put them in `people`."""
    username, first, last = ADMIN
    admin, created = User.objects.get_or_create(
        username=username,
        defaults={"email": "admin@demo.hospital.example", "first_name": first, "last_name": last,
                  "role": User.Role.ADMIN, "approval_status": User.ApprovalStatus.APPROVED,
                  "approved_at": timezone.now(), "is_staff": True, "is_superuser": True},
    )
    if created:
        demo_password_set(admin, people)
    people["admin"] = admin
    people["doctors"] = [_doctor(row, people=people, admin=admin) for row in DOCTORS]
    people["patients"] = [_patient(row, people=people, admin=admin) for row in PATIENTS]
    people["pending_doctor"] = _doctor(PENDING_DOCTOR, people=people, admin=admin, approved=False)
    people["pending_patient"] = _patient(PENDING_PATIENT, people=people, admin=admin,
                                         approved=False)
    return [
        f"admin     {ADMIN[0]:<12} (Django admin and the admin API)",
        *(f"doctor    {row[0]:<12} ({row[3]}, {row[4]})" for row in DOCTORS),
        *(f"patient   {row[0]:<12}" for row in PATIENTS),
        f"pending   {PENDING_DOCTOR[0]:<12} (doctor awaiting approval)",
        f"pending   {PENDING_PATIENT[0]:<12} (patient awaiting approval)",
    ]
