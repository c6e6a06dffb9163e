"""Factories of accounts: users of each role, profiles, departments."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import Department, DoctorProfile, PatientProfile, StaffProfile, User

PASSWORD = "Str0ng-pass-phrase!"


def department(code: str = "CL") -> Department:
    """One of the six departments the data migration loads."""
    return Department.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = User.Role.PATIENT
    approval_status = User.ApprovalStatus.APPROVED
    approved_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AdminFactory(UserFactory):
    role = User.Role.ADMIN
    username = factory.Sequence(lambda n: f"admin{n}")


class DoctorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DoctorProfile

    user = factory.SubFactory(
        UserFactory, role=User.Role.DOCTOR, username=factory.Sequence(lambda n: f"doctor{n}")
    )
    department = factory.LazyFunction(department)
    specialty = "General cardiology"
    address = "12 Hospital Road"
    mobile = factory.Sequence(lambda n: f"+234800{n:07d}")
    consultation_fee = Decimal("1250.00")


class PatientProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatientProfile

    user = factory.SubFactory(
        UserFactory, role=User.Role.PATIENT, username=factory.Sequence(lambda n: f"patient{n}")
    )
    date_of_birth = datetime.date(1990, 5, 17)
    sex = PatientProfile.Sex.FEMALE
    address = "3 Market Street"
    mobile = factory.Sequence(lambda n: f"+234811{n:07d}")


class NurseFactory(factory.django.DjangoModelFactory):
    """A nurse's staff profile, in Cardiology unless told otherwise."""

    class Meta:
        model = StaffProfile

    user = factory.SubFactory(
        UserFactory, role=User.Role.NURSE, username=factory.Sequence(lambda n: f"nurse{n}")
    )
    department = factory.LazyFunction(department)
    mobile = factory.Sequence(lambda n: f"+234822{n:07d}")


class LabTechnicianFactory(NurseFactory):
    """A laboratory technician's staff profile (no department)."""

    user = factory.SubFactory(
        UserFactory, role=User.Role.LAB, username=factory.Sequence(lambda n: f"lab{n}")
    )
    department = None
