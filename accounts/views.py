"""Accounts endpoints: registration, tokens, me, departments, doctors, patients, approvals."""

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import update_last_login
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework_simplejwt import serializers as jwt_serializers
from rest_framework_simplejwt import views as jwt_views
from rest_framework_simplejwt.exceptions import TokenBackendError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.state import token_backend as jwt_token_backend

from accounts import selectors, services
from accounts.authentication import (
    ApprovedJWTAuthentication,
    token_is_revoked,
    token_revoked_error,
    user_may_use_api,
)
from accounts.filters import (
    AccountApprovalFilterSet,
    DoctorFilterSet,
    PatientFilterSet,
    StaffFilterSet,
)
from accounts.models import User
from accounts.serializers import (
    AccountApprovalSerializer,
    AccountRejectSerializer,
    AccountSerializer,
    DepartmentSerializer,
    DepartmentUpdateSerializer,
    DoctorCreateSerializer,
    DoctorSerializer,
    DoctorUpdateSerializer,
    EmailChangeConfirmedSerializer,
    EmailChangeConfirmSerializer,
    MeUpdateSerializer,
    PasswordChangeSerializer,
    PatientCreateSerializer,
    PatientSerializer,
    PatientUpdateSerializer,
    RegisterSerializer,
    StaffCreateSerializer,
    StaffSerializer,
    StaffUpdateSerializer,
)
from accounts.tokens import SessionRefreshToken
from hospital.errors import DomainError
from hospital.permissions import ADMIN, ANY_ROLE, DOCTOR, EVERY_ROLE, NURSE, PATIENT
from hospital.schema_docs import documented
from hospital.throttling import AuthRateThrottle
from hospital.viewsets import AdminOnlyViewSet, RoleMapViewSet
from trust.audit import AuditedViewSetMixin, audit_account_change, audit_own_profile


class RegisterView(GenericAPIView):
    """Register a doctor or patient account; it waits for an admin's approval."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AuthRateThrottle]
    serializer_class = RegisterSerializer
    idempotency_exempt = True

    @documented(
        "Register a doctor or patient account", who="anyone, no token (throttled per client IP).",
        does="Creates the account with its profile, `approval_status: pending`; it signs in only "
             "after an admin approves it. `role: admin` is refused.",
        errors="400 with the invalid fields (passwords that differ or are too weak, a taken "
               "username, an unknown department); 429 past the sign-in rate.",
    )
    @extend_schema(request=RegisterSerializer, responses={201: AccountSerializer}, auth=[])
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.account_register(**serializer.validated_data)
        return Response(AccountSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenObtainSerializer(jwt_serializers.TokenObtainPairSerializer):
    """Issue tokens; a right password on a pending or rejected account is a 403 with a code."""

    token_class = SessionRefreshToken

    def validate(self, attrs):
        user = authenticate(
            request=self.context.get("request"),
            username=attrs[self.username_field],
            password=attrs["password"],
        )
        if user is None:
            raise AuthenticationFailed(
                self.error_messages["no_active_account"], code="no_active_account"
            )
        if user.approval_status == User.ApprovalStatus.PENDING:
            raise DomainError("account_pending", "Your account is waiting for an admin's approval.")
        if user.approval_status == User.ApprovalStatus.REJECTED:
            raise DomainError("account_rejected", "Your account was rejected by an admin.")
        refresh = self.get_token(user)
        update_last_login(None, user)
        return {"access": str(refresh.access_token), "refresh": str(refresh)}


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


def _token_user(payload):
    user_id = payload.get(jwt_settings.USER_ID_CLAIM)
    return get_user_model().objects.filter(**{jwt_settings.USER_ID_FIELD: user_id}).first()


class TokenRefreshSerializer(jwt_serializers.TokenRefreshSerializer):
    """Rotate a refresh token, refused for a user who is no longer active and approved, and
    for a sign-in older than the user's last revocation (401 `token_revoked`)."""

    token_class = SessionRefreshToken

    def validate(self, attrs):
        try:  # signed and unexpired: a revoked sign-in says so before the blacklist does
            payload = jwt_token_backend.decode(attrs["refresh"], verify=True)
        except TokenBackendError:
            payload = None
        if payload is not None:
            user = _token_user(payload)
            if user is not None and token_is_revoked(user, payload):
                raise token_revoked_error()
        refresh = self.token_class(attrs["refresh"])
        user = _token_user(refresh.payload)
        if not user_may_use_api(user):
            raise AuthenticationFailed("No active account found for the given token.",
                                       code="no_active_account")
        return super().validate(attrs)


class TokenObtainView(jwt_views.TokenObtainPairView):
    """Exchange a username and password for an access and a refresh token."""

    serializer_class = TokenObtainSerializer
    throttle_classes = [AuthRateThrottle]
    idempotency_exempt = True

    @documented(
        "Sign in: get an access and a refresh token", who="anyone, no token (throttled per client IP).",
        does="The access token (60 minutes) goes in `Authorization: Bearer …`; the refresh token "
             "(1 day) gets a new pair from `/api/token/refresh/`.",
        errors="401 `no_active_account` for a wrong username or password; 403 `account_pending` "
               "before an admin's approval, 403 `account_rejected` after a rejection; 429.",
    )
    @extend_schema(operation_id="token_obtain", responses={200: TokenPairSerializer}, auth=[])
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class TokenRefreshView(jwt_views.TokenRefreshView):
    """Exchange a refresh token for a new pair; the old refresh token is blacklisted."""

    serializer_class = TokenRefreshSerializer
    throttle_classes = [AuthRateThrottle]
    idempotency_exempt = True

    @extend_schema(
        summary="Refresh the token pair",
        description=(
            "Anyone holding a refresh token. The old refresh token is blacklisted. "
            "401 `token_not_valid` for an invalid, expired or blacklisted token, 401 "
            "`token_revoked` for a sign-in older than a logout-all, password change or "
            "deactivation, 401 `no_active_account` for a deactivated or unapproved user, "
            "429 `throttled` past `AUTH_THROTTLE_RATE` per client IP."
        ),
        responses={200: TokenPairSerializer}, auth=[],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


def access_token_of(request):
    """The valid access token in the request's `Authorization` header, or None."""
    authentication = ApprovedJWTAuthentication()
    header = authentication.get_header(request)
    raw = authentication.get_raw_token(header) if header else None
    if raw is None:
        return None
    try:
        return authentication.get_validated_token(raw)
    except AuthenticationFailed:
        return None


class TokenBlacklistView(jwt_views.TokenBlacklistView):
    """Log out: the refresh token stops working, and so does the access token sent with it."""

    idempotency_exempt = True

    @extend_schema(
        summary="Log out",
        description=(
            "Anyone holding a refresh token. Blacklists `refresh`; a valid access token in "
            "the `Authorization: Bearer` header ends at once too (401 `token_revoked` "
            "afterwards). 401 `token_not_valid` for an invalid or already blacklisted refresh "
            "token."
        ),
        responses={200: OpenApiTypes.OBJECT}, auth=[],
    )
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        access = access_token_of(request)
        if access is not None:
            services.access_token_end(
                user_id=access.payload.get(jwt_settings.USER_ID_CLAIM),
                jti=access.payload.get(jwt_settings.JTI_CLAIM), expires=access.payload["exp"],
            )
        return response


class LogoutAllView(GenericAPIView):
    """End every session of the caller."""

    serializer_class = None
    idempotency_exempt = True

    @extend_schema(
        summary="Log out everywhere",
        description=(
            "Any signed-in user. Ends every access and refresh token of the caller at once: "
            "they answer 401 `token_revoked` afterwards. 401 without a valid token."
        ),
        request=None, responses={204: None},
    )
    def post(self, request):
        services.tokens_revoke_all(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(GenericAPIView):
    """The caller's own account: read it, or change names, e-mail and profile."""

    serializer_class = AccountSerializer

    def get_object(self):
        return self.request.user

    @documented(
        "Read one's own account", who="any approved user.",
        does="The caller's fields, `role`, `approval_status` and `profile` (a patient's read is audited).",
    )
    def get(self, request):
        audit_own_profile(request, "read")
        return Response(AccountSerializer(request.user).data)

    @extend_schema(
        summary="Change my account",
        description=(
            "Any signed-in user. Names and profile change at once. A new `email` does not: "
            "the answer is the same whether the address is taken or not (200 with the account "
            "as it stands), a signed link valid for `EMAIL_CHANGE_LINK_HOURS` is sent to a "
            "fresh address (confirm it with `POST /api/me/email/confirm/`), the owner of a "
            "taken one gets a notice instead, and the current address is told of the request. "
            "400 for invalid fields."
        ),
        request=MeUpdateSerializer, responses={200: AccountSerializer},
    )
    def patch(self, request):
        serializer = MeUpdateSerializer(data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = services.user_update(user=request.user, data=serializer.validated_data)
        audit_own_profile(request, "update")
        return Response(AccountSerializer(user).data)


class EmailChangeConfirmView(GenericAPIView):
    """Follow the link of an e-mail change: the new address becomes the account's."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AuthRateThrottle]
    serializer_class = EmailChangeConfirmSerializer

    @extend_schema(
        summary="Confirm a new e-mail address",
        description=(
            "Anyone holding the link sent to the new address (no sign-in needed: it may be "
            "opened on another device). The link works once. 400 `invalid_link` for a "
            "tampered, used or superseded link, 400 `link_expired` past "
            "`EMAIL_CHANGE_LINK_HOURS`, 409 `email_taken` when the address went to another "
            "account meanwhile, 429 `throttled` past `AUTH_THROTTLE_RATE`."
        ),
        responses={200: EmailChangeConfirmedSerializer}, auth=[],
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.email_change_confirm(token=serializer.validated_data["token"])
        audit_account_change(request, user)
        return Response({"email": user.email})


class MePasswordView(GenericAPIView):
    """Change the caller's password; every refresh token of the caller is revoked."""

    serializer_class = PasswordChangeSerializer
    throttle_classes = [AuthRateThrottle]
    idempotency_exempt = True

    @extend_schema(
        summary="Change my password",
        description=(
            "Any signed-in user. Every access and refresh token of the caller ends (401 "
            "`token_revoked` afterwards); sign in again with the new password. 400 for a wrong "
            "current password or a weak new one, 429 `throttled` past `AUTH_THROTTLE_RATE`."
        ),
        responses={204: None},
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_change(user=request.user, new_password=serializer.validated_data["new_password"])
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=documented("List departments", who="any approved user.",
                    does="Every department with its code, name and daily room rate (not paginated)."),
    retrieve=documented("Read a department", who="any approved user.",
                        errors="404 for an unknown code."),
    create=documented("Create a department", who="admins.",
                      errors="400 for a taken code or an invalid rate."),
    partial_update=documented("Change a department's name or room rate", who="admins.",
                              errors="400 with the invalid fields; 404 for an unknown code."),
)
class DepartmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleMapViewSet):
    """Hospital departments: everyone reads, admins create and edit."""

    serializer_class = DepartmentSerializer
    lookup_field = "code"
    lookup_value_converter = "str"
    pagination_class = None
    filter_backends = []
    role_map = {
        "list": EVERY_ROLE, "retrieve": EVERY_ROLE, "create": {ADMIN}, "partial_update": {ADMIN},
    }

    def get_queryset(self):
        return selectors.departments_list()

    @extend_schema(request=DepartmentSerializer, responses={201: DepartmentSerializer})
    def create(self, request):
        serializer = DepartmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        department = services.department_create(**serializer.validated_data)
        return Response(DepartmentSerializer(department).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DepartmentUpdateSerializer, responses={200: DepartmentSerializer})
    def partial_update(self, request, code=None):
        department = self.get_object()
        serializer = DepartmentUpdateSerializer(department, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        department = services.department_update(department=department, data=serializer.validated_data)
        return Response(DepartmentSerializer(department).data)


def is_admin_or_self(user, profile) -> bool:
    return user.is_admin or profile.user_id == user.pk


@extend_schema_view(
    list=documented(
        "List doctors", who="any approved user.",
        does="Approved, active doctors; filter by `department` code or `q` (name, specialty). "
             "`email`, `address` and `mobile` only to the doctor self and admins.",
    ),
    retrieve=documented("Read a doctor", who="any approved user.",
                        errors="404 for an unknown, inactive or unapproved doctor."),
    create=documented("Create a doctor account", who="admins.",
                      does="The account is approved at once (same body as registration, no `role`).",
                      errors="400 with the invalid fields."),
    update=documented("Replace a doctor's profile", who="the doctor self and admins.",
                      does="`consultation_fee` and `department` are changed by admins only.",
                      errors="400 with the invalid fields; 403 for another doctor's profile."),
    partial_update=documented("Change a doctor's profile", who="the doctor self and admins.",
                              does="`consultation_fee` and `department` are changed by admins only.",
                              errors="400 with the invalid fields; 403 for another doctor's profile."),
    destroy=documented(
        "Deactivate a doctor", who="admins.",
        does="The account stops working; the doctor's future active appointments are cancelled "
             "with a reason; no clinical or billing record is deleted.",
        errors="409 `invalid_transition` for one's own account.",
    ),
)
class DoctorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleMapViewSet):
    """Approved, active doctors; the doctor self and admins edit, admins create and deactivate."""

    serializer_class = DoctorSerializer
    filterset_class = DoctorFilterSet
    ordering_fields = ["user__last_name", "user__first_name"]
    role_map = {
        "list": EVERY_ROLE, "retrieve": EVERY_ROLE, "create": {ADMIN},
        "update": {ADMIN, DOCTOR}, "partial_update": {ADMIN, DOCTOR}, "destroy": {ADMIN},
    }
    object_rules = {"update": is_admin_or_self, "partial_update": is_admin_or_self}

    def get_queryset(self):
        return selectors.doctors_visible_to(self.request.user)

    @extend_schema(request=DoctorCreateSerializer, responses={201: DoctorSerializer})
    def create(self, request):
        serializer = DoctorCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.account_register(**serializer.validated_data, approved_by=request.user)
        return Response(
            self.get_serializer(user.doctor_profile).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=DoctorUpdateSerializer, responses={200: DoctorSerializer})
    def update(self, request, pk=None, partial=False):
        doctor = self.get_object()
        serializer = DoctorUpdateSerializer(
            data=request.data, partial=partial, context={"request": request, "doctor": doctor}
        )
        serializer.is_valid(raise_exception=True)
        doctor = services.doctor_update(doctor=doctor, data=serializer.validated_data)
        return Response(self.get_serializer(doctor).data)

    @extend_schema(request=DoctorUpdateSerializer, responses={200: DoctorSerializer})
    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        doctor = self.get_object()
        services.account_deactivate(account=doctor.user, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=documented(
        "List patients", who="admins (all), doctors (patients with an appointment or admission "
        "with them), patients (themselves).", does="Filter `q` by name; every row read is audited.",
    ),
    retrieve=documented("Read a patient", who="as the list.",
                        errors="404 outside the caller's scope."),
    create=documented("Create a patient account", who="admins.",
                      does="The account is approved at once.", errors="400 with the invalid fields."),
    update=documented("Replace a patient's profile", who="the patient self and admins.",
                      errors="400 with the invalid fields; 403 for a doctor; 404 outside the scope."),
    partial_update=documented("Change a patient's profile", who="the patient self and admins.",
                              errors="400 with the invalid fields; 403 for a doctor; 404 outside "
                                     "the scope."),
    destroy=documented("Deactivate a patient", who="admins.",
                       does="The account stops working; every record is kept.",
                       errors="409 `invalid_transition` for one's own account."),
)
class PatientViewSet(
    AuditedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleMapViewSet
):
    """Patients in the caller's scope: admins all, doctors their patients, nurses those in
    their department's care, a patient self."""

    audit_object_type = "patient"

    serializer_class = PatientSerializer
    filterset_class = PatientFilterSet
    ordering_fields = ["user__last_name", "user__first_name", "date_of_birth"]
    role_map = {
        "list": ANY_ROLE | {NURSE}, "retrieve": ANY_ROLE | {NURSE}, "create": {ADMIN},
        "update": {ADMIN, PATIENT}, "partial_update": {ADMIN, PATIENT}, "destroy": {ADMIN},
    }
    object_rules = {"update": is_admin_or_self, "partial_update": is_admin_or_self}

    def get_queryset(self):
        return selectors.patients_visible_to(self.request.user)

    def audit_patient_id(self, obj):
        return obj.user_id

    @extend_schema(request=PatientCreateSerializer, responses={201: PatientSerializer})
    def create(self, request):
        serializer = PatientCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.account_register(**serializer.validated_data, approved_by=request.user)
        self.audit_track(user.patient_profile)
        return Response(
            self.get_serializer(user.patient_profile).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=PatientUpdateSerializer, responses={200: PatientSerializer})
    def update(self, request, pk=None, partial=False):
        patient = self.get_object()
        serializer = PatientUpdateSerializer(
            data=request.data, partial=partial, context={"request": request, "patient": patient}
        )
        serializer.is_valid(raise_exception=True)
        patient = services.patient_update(patient=patient, data=serializer.validated_data)
        return Response(self.get_serializer(patient).data)

    @extend_schema(request=PatientUpdateSerializer, responses={200: PatientSerializer})
    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        patient = self.get_object()
        services.account_deactivate(account=patient.user, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(
        summary="List nurses and lab technicians",
        description="Admins only (403 for every other role). Filters `role`, `department`, `q`.",
    ),
    retrieve=extend_schema(
        summary="Read a staff member", description="Admins only. 404 for an unknown id.",
    ),
)
class StaffViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleMapViewSet,
):
    """Nurses and lab technicians: admins create, read, edit and deactivate them."""

    serializer_class = StaffSerializer
    filterset_class = StaffFilterSet
    ordering_fields = ["user__last_name", "user__first_name"]
    role_map = {
        "list": {ADMIN}, "retrieve": {ADMIN}, "create": {ADMIN}, "partial_update": {ADMIN},
        "destroy": {ADMIN},
    }

    def get_queryset(self):
        return selectors.staff_list()

    @extend_schema(
        summary="Create a nurse or lab technician",
        description="Admins only (403 for every other role). The account is approved at once. "
        "A nurse needs `profile.department`; 400 on a taken username or e-mail, a weak "
        "password or a role other than `nurse`/`lab`.",
        request=StaffCreateSerializer, responses={201: StaffSerializer},
    )
    def create(self, request):
        serializer = StaffCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.staff_create(**serializer.validated_data, created_by=request.user)
        return Response(self.get_serializer(user.staff_profile).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a staff member",
        description="Admins only. Names, e-mail, `profile.mobile`, and a nurse's "
        "`profile.department`. 404 for an unknown id, 400 on invalid fields.",
        request=StaffUpdateSerializer, responses={200: StaffSerializer},
    )
    def partial_update(self, request, pk=None):
        staff = self.get_object()
        serializer = StaffUpdateSerializer(
            data=request.data, partial=True, context={"request": request, "staff": staff}
        )
        serializer.is_valid(raise_exception=True)
        staff = services.staff_update(staff=staff, data=serializer.validated_data)
        return Response(self.get_serializer(staff).data)

    @extend_schema(
        summary="Deactivate a staff member",
        description="Admins only. The account can no longer sign in (204); every record it "
        "wrote is kept. 404 for an unknown id.",
        responses={204: None},
    )
    def destroy(self, request, pk=None):
        staff = self.get_object()
        services.account_deactivate(account=staff.user, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AccountApprovalViewSet(
    AuditedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, AdminOnlyViewSet
):
    """The admin's queue of accounts of one role to approve or reject.

    Every account shown (list rows, detail) and every decision is an audit event of type
    `account`, with `patient` set when the account is a patient's: it is in their access log.
    """

    audit_object_type = "account"

    serializer_class = AccountApprovalSerializer
    filterset_class = AccountApprovalFilterSet
    ordering_fields = ["date_joined", "last_name"]
    role: str = ""

    def get_queryset(self):
        return selectors.accounts_for_approval(role=self.role)

    def audit_patient_id(self, obj):
        return obj.pk if obj.role == User.Role.PATIENT else None

    def get_object(self):
        # Detail lookups ignore the `?status=` default so any account of the role is found.
        account = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.audit_track(account)
        return account

    @extend_schema(request=None, responses={200: AccountApprovalSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        services.account_approve(account=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=AccountRejectSerializer, responses={200: AccountApprovalSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        serializer = AccountRejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.account_reject(
            account=self.get_object(), actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(self.get_serializer(self.get_object()).data)


def approval_docs(noun: str):
    """The approval router's docs for one role's accounts."""
    return extend_schema_view(
        list=documented(
            f"List {noun} accounts by approval status", who="admins.",
            does="`?status=pending` (the default), `approved` or `rejected`; oldest first.",
        ),
        retrieve=documented(f"Read one {noun} account", who="admins.",
                            errors=f"404 for an id that is not a {noun} account."),
        approve=documented(
            f"Approve a {noun} account", who="admins.",
            does="Records `approved_by` and `approved_at`; the account may sign in from now on.",
            errors="409 `invalid_transition` for an account already approved.",
        ),
        reject=documented(
            f"Reject a {noun} account", who="admins.",
            does="`reason` is required and kept; the account's tokens stop working at once.",
            errors="400 `invalid_input` without a reason; 409 `invalid_transition` for an account "
                   "already rejected or a superuser.",
        ),
    )


@approval_docs("doctor")
class DoctorApprovalViewSet(AccountApprovalViewSet):
    """Doctor accounts awaiting (or past) an admin's decision."""

    role = User.Role.DOCTOR


@approval_docs("patient")
class PatientApprovalViewSet(AccountApprovalViewSet):
    """Patient accounts awaiting (or past) an admin's decision."""

    role = User.Role.PATIENT
