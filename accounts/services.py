"""Accounts writes: registration, approval, profile updates, deactivation, passwords."""

from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts.models import STAFF_ROLES, Department, DoctorProfile, PatientProfile, StaffProfile, User
from hospital.errors import DomainError
from notifications.models import Notification
from notifications.services import notify

USER_FIELDS = ("first_name", "last_name", "email")
EMAIL_CHANGE_SALT = "accounts.email_change"


@transaction.atomic
def account_register(
    *,
    username: str,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    role: str,
    profile: dict,
    consultation_fee: Decimal | None = None,
    approved_by: User | None = None,
) -> User:
    """Create a doctor or patient with a profile; pending unless an admin creates it."""
    if role not in (User.Role.DOCTOR, User.Role.PATIENT):
        raise DomainError("invalid_input", "Only doctor and patient accounts can be created.")
    user = User(
        username=username, email=email, first_name=first_name, last_name=last_name, role=role
    )
    if approved_by is not None:
        user.approval_status = User.ApprovalStatus.APPROVED
        user.approved_by = approved_by
        user.approved_at = timezone.now()
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    if role == User.Role.DOCTOR:
        doctor = DoctorProfile(user=user, **profile)
        if consultation_fee is not None:
            doctor.consultation_fee = consultation_fee
        doctor.full_clean(exclude=["user"])
        doctor.save()
    else:
        patient = PatientProfile(user=user, **profile)
        patient.full_clean(exclude=["user"])
        patient.save()
    return user


def _greeting(account: User) -> str:
    return f"Dear {account.full_name or account.username},"


@transaction.atomic
def staff_create(
    *,
    username: str,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    role: str,
    profile: dict,
    created_by: User,
) -> User:
    """Create a nurse or lab technician, approved at once by the admin who creates it."""
    if role not in STAFF_ROLES:
        raise DomainError("invalid_input", "Staff accounts are nurses or lab technicians.")
    user = User(
        username=username, email=email, first_name=first_name, last_name=last_name, role=role,
        approval_status=User.ApprovalStatus.APPROVED, approved_by=created_by,
        approved_at=timezone.now(),
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    staff = StaffProfile(user=user, **profile)
    staff.full_clean(exclude=["user"])
    staff.save()
    return user


@transaction.atomic
def staff_update(*, staff: StaffProfile, data: dict) -> StaffProfile:
    """Update a staff member's name, e-mail, mobile and (for a nurse) department."""
    user = staff.user
    if _apply(user, data, USER_FIELDS):
        user.full_clean(exclude=["password"])
        user.save()
    if _apply(staff, data.get("profile") or {}, ("department", "mobile")):
        staff.full_clean(exclude=["user"])
        staff.save()
    return staff


def _lock_account(account: User) -> User:
    return User.objects.select_for_update().get(pk=account.pk)


@transaction.atomic
def account_approve(*, account: User, actor: User) -> User:
    """Approve a pending (or previously rejected) account."""
    account = _lock_account(account)
    if account.approval_status == User.ApprovalStatus.APPROVED:
        raise DomainError("invalid_transition", "This account is already approved.")
    account.approval_status = User.ApprovalStatus.APPROVED
    account.approved_by = actor
    account.approved_at = timezone.now()
    account.rejection_reason = ""
    account.save(update_fields=["approval_status", "approved_by", "approved_at", "rejection_reason"])
    notify(
        user=account, kind=Notification.Kind.ACCOUNT_APPROVED,
        subject="Your account is approved",
        body=f"{_greeting(account)}\n\nYour {account.get_role_display().lower()} account "
             f"is approved: you can now sign in.\n",
    )
    return account


@transaction.atomic
def account_reject(*, account: User, actor: User, reason: str) -> User:
    """Reject an account; its tokens stop working at once."""
    account = _lock_account(account)
    if account.approval_status == User.ApprovalStatus.REJECTED:
        raise DomainError("invalid_transition", "This account is already rejected.")
    if account.is_superuser:
        raise DomainError("invalid_transition", "A superuser cannot be rejected.")
    if not reason or not reason.strip():
        raise DomainError("invalid_input", "A reason is required to reject an account.")
    account.approval_status = User.ApprovalStatus.REJECTED
    account.approved_by = actor
    account.approved_at = timezone.now()
    account.rejection_reason = reason.strip()
    account.save(update_fields=["approval_status", "approved_by", "approved_at", "rejection_reason"])
    tokens_revoke_all(user=account)
    notify(
        user=account, kind=Notification.Kind.ACCOUNT_REJECTED,
        subject="Your account request was declined",
        body=f"{_greeting(account)}\n\nWe could not approve your account.\n"
             f"Reason: {account.rejection_reason}\n",
    )
    return account


def _apply(instance, data: dict, fields) -> list[str]:
    changed = []
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])
            changed.append(name)
    return changed


@transaction.atomic
def user_update(*, user: User, data: dict) -> User:
    """Update a user's own fields and profile (`data["profile"]`), as `/api/me/` allows.

    A new `email` is not set here: it starts a verified change (`email_change_request`).
    """
    data = dict(data)
    new_email = data.pop("email", None)
    if new_email is not None and new_email.lower() != (user.email or "").lower():
        email_change_request(user=user, new_email=new_email)
    if _apply(user, data, USER_FIELDS):
        user.full_clean(exclude=["password"])
        user.save()
    profile_data = data.get("profile") or {}
    if profile_data:
        profile = (
            user.doctor_profile if user.is_doctor
            else user.staff_profile if user.is_staff_member
            else user.patient_profile
        )
        _apply(profile, profile_data, profile_data.keys())
        profile.full_clean(exclude=["user"])
        profile.save()
    return user


def _email_change_state(user: User) -> str:
    """What a link is bound to: once the address changes, every older link is void."""
    changed = user.email_changed_at.isoformat() if user.email_changed_at else ""
    return f"{(user.email or '').lower()}|{changed}"


def email_change_token(*, user: User, new_email: str) -> str:
    """The signed claim of a link moving `user` to `new_email` (expiry checked on the way back)."""
    return signing.dumps(
        {"user": str(user.pk), "email": new_email.lower(), "state": _email_change_state(user)},
        salt=EMAIL_CHANGE_SALT, compress=True,
    )


def email_change_request(*, user: User, new_email: str) -> None:
    """Ask to move `user` to `new_email`, answering alike whether the address is taken or not.

    A fresh address gets a signed, expiring, single-use link; the owner of a taken one gets a
    notice instead; the current address is told of the request either way.
    """
    from accounts import emails

    new_email = new_email.lower()
    name = user.full_name or user.username
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        emails.email_change_taken_notice(address=new_email)
    else:
        emails.email_change_link(new_address=new_email, name=name,
                                 token=email_change_token(user=user, new_email=new_email))
    emails.email_change_requested_notice(current_address=user.email, name=name)


@transaction.atomic
def email_change_confirm(*, token: str) -> User:
    """Follow an e-mail change link: the address changes, once, before the link expires."""
    try:
        claim = signing.loads(token, salt=EMAIL_CHANGE_SALT,
                              max_age=settings.EMAIL_CHANGE_LINK_HOURS * 3600)
    except signing.SignatureExpired as exc:
        raise DomainError("link_expired", "This link has expired; ask for a new one.",
                          status_code=400) from exc
    except signing.BadSignature as exc:
        raise DomainError("invalid_link", "This link is not valid.", status_code=400) from exc
    user = User.objects.select_for_update().filter(pk=claim.get("user"), is_active=True).first()
    if user is None or claim.get("state") != _email_change_state(user):
        raise DomainError("invalid_link", "This link was already used or is no longer valid.",
                          status_code=400)
    user.email = claim["email"]
    user.email_changed_at = timezone.now()
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "email_changed_at"])
    except IntegrityError as exc:
        raise DomainError("email_taken", "This address now belongs to another account.") from exc
    return user


@transaction.atomic
def doctor_update(*, doctor: DoctorProfile, data: dict) -> DoctorProfile:
    """Update a doctor's name, contact and profile fields."""
    user = doctor.user
    if _apply(user, data, USER_FIELDS):
        user.full_clean(exclude=["password"])
        user.save()
    if _apply(doctor, data, ("department", "specialty", "address", "mobile", "consultation_fee")):
        doctor.full_clean(exclude=["user"])
        doctor.save()
    return doctor


@transaction.atomic
def patient_update(*, patient: PatientProfile, data: dict) -> PatientProfile:
    """Update a patient's name, contact and personal fields."""
    user = patient.user
    if _apply(user, data, USER_FIELDS):
        user.full_clean(exclude=["password"])
        user.save()
    if _apply(patient, data, ("date_of_birth", "sex", "address", "mobile")):
        patient.full_clean(exclude=["user"])
        patient.save()
    return patient


@transaction.atomic
def account_deactivate(*, account: User, actor: User) -> User:
    """Deactivate an account, keeping every record; a doctor's future visits are cancelled."""
    account = _lock_account(account)
    if account.pk == actor.pk:
        raise DomainError("invalid_transition", "You cannot deactivate your own account.")
    account.is_active = False
    account.save(update_fields=["is_active"])
    tokens_revoke_all(user=account)
    if account.is_doctor:
        from appointments.services import appointments_cancel_for_departing_doctor

        appointments_cancel_for_departing_doctor(
            doctor=account.doctor_profile, actor=actor,
            reason="The doctor is no longer available at this hospital.",
        )
    return account


@transaction.atomic
def password_change(*, user: User, new_password: str) -> User:
    """Set a new password and end every session of the user (access and refresh tokens)."""
    user.set_password(new_password)
    user.save(update_fields=["password", "tokens_revoked_at"])
    tokens_revoke_all(user=user, at=user.tokens_revoked_at)
    return user


@transaction.atomic
def tokens_revoke_all(*, user: User, at=None) -> None:
    """End every token of the user at once: older access tokens answer 401 `token_revoked`,
    and every outstanding refresh token is blacklisted."""
    at = at or timezone.now()
    User.objects.filter(pk=user.pk).update(tokens_revoked_at=at)
    user.tokens_revoked_at = at
    outstanding = OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )


@transaction.atomic
def access_token_end(*, user_id, jti: str, expires: int) -> None:
    """End one access token before it expires (logout): its `jti` joins the user's denylist
    until `expires` (epoch seconds); expired entries are dropped on the way."""
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        return
    now = timezone.now().timestamp()
    denied = {key: exp for key, exp in (user.revoked_access_jtis or {}).items() if exp > now}
    if expires > now:
        denied[jti] = expires
    user.revoked_access_jtis = denied
    user.save(update_fields=["revoked_access_jtis"])


@transaction.atomic
def department_create(*, code: str, name: str, daily_room_rate: Decimal = Decimal("0.00")) -> Department:
    department = Department(code=code, name=name, daily_room_rate=daily_room_rate)
    department.full_clean()
    department.save()
    return department


@transaction.atomic
def department_update(*, department: Department, data: dict) -> Department:
    _apply(department, data, ("name", "daily_room_rate"))
    department.full_clean()
    department.save()
    return department
