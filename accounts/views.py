"""Accounts endpoints: registration, tokens, me, departments, doctors, patients, approvals."""

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import update_last_login
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework_simplejwt import serializers as jwt_serializers
from rest_framework_simplejwt import views as jwt_views
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from accounts import selectors, services
from accounts.authentication import user_may_use_api
from accounts.filters import AccountApprovalFilterSet, DoctorFilterSet, PatientFilterSet
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
    MeUpdateSerializer,
    PasswordChangeSerializer,
    PatientCreateSerializer,
    PatientSerializer,
    PatientUpdateSerializer,
    RegisterSerializer,
)
from appointments.views import DoctorScheduleActionsMixin
from clinical.views import PatientHistoryMixin
from hospital.errors import DomainError
from hospital.permissions import ADMIN, ANY_ROLE, DOCTOR, PATIENT
from hospital.throttling import AuthRateThrottle
from hospital.viewsets import AdminOnlyViewSet, RoleMapViewSet
from trust.audit import AuditedViewSetMixin, audit_own_profile


class RegisterView(GenericAPIView):
    """Register a doctor or patient account; it waits for an admin's approval."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [AuthRateThrottle]
    serializer_class = RegisterSerializer

    @extend_schema(request=RegisterSerializer, responses={201: AccountSerializer}, auth=[])
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = services.account_register(**serializer.validated_data)
        return Response(AccountSerializer(user).data, status=status.HTTP_201_CREATED)


class TokenObtainSerializer(jwt_serializers.TokenObtainPairSerializer):
    """Issue tokens; a right password on a pending or rejected account is a 403 with a code."""

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


class TokenRefreshSerializer(jwt_serializers.TokenRefreshSerializer):
    """Rotate a refresh token, refused for a user who is no longer active and approved."""

    def validate(self, attrs):
        refresh = self.token_class(attrs["refresh"])
        user_id = refresh.payload.get(jwt_settings.USER_ID_CLAIM)
        user = get_user_model().objects.filter(**{jwt_settings.USER_ID_FIELD: user_id}).first()
        if not user_may_use_api(user):
            raise AuthenticationFailed("No active account found for the given token.",
                                       code="no_active_account")
        return super().validate(attrs)


class TokenObtainView(jwt_views.TokenObtainPairView):
    """Exchange a username and password for an access and a refresh token."""

    serializer_class = TokenObtainSerializer
    throttle_classes = [AuthRateThrottle]

    @extend_schema(responses={200: TokenPairSerializer}, auth=[])
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class TokenRefreshView(jwt_views.TokenRefreshView):
    """Exchange a refresh token for a new pair; the old refresh token is blacklisted."""

    serializer_class = TokenRefreshSerializer

    @extend_schema(responses={200: TokenPairSerializer}, auth=[])
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class TokenBlacklistView(jwt_views.TokenBlacklistView):
    """Log out: the refresh token stops working."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, auth=[])
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class MeView(GenericAPIView):
    """The caller's own account: read it, or change names, e-mail and profile."""

    serializer_class = AccountSerializer

    def get_object(self):
        return self.request.user

    def get(self, request):
        audit_own_profile(request, "read")
        return Response(AccountSerializer(request.user).data)

    @extend_schema(request=MeUpdateSerializer, responses={200: AccountSerializer})
    def patch(self, request):
        serializer = MeUpdateSerializer(data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = services.user_update(user=request.user, data=serializer.validated_data)
        audit_own_profile(request, "update")
        return Response(AccountSerializer(user).data)


class MePasswordView(GenericAPIView):
    """Change the caller's password; every refresh token of the caller is revoked."""

    serializer_class = PasswordChangeSerializer

    @extend_schema(responses={204: None})
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.password_change(user=request.user, new_password=serializer.validated_data["new_password"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class DepartmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleMapViewSet):
    """Hospital departments: everyone reads, admins create and edit."""

    serializer_class = DepartmentSerializer
    lookup_field = "code"
    lookup_value_converter = "str"
    pagination_class = None
    filter_backends = []
    role_map = {
        "list": ANY_ROLE, "retrieve": ANY_ROLE, "create": {ADMIN}, "partial_update": {ADMIN},
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


class DoctorViewSet(
    DoctorScheduleActionsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleMapViewSet
):
    """Approved, active doctors; the doctor self and admins edit, admins create and deactivate."""

    serializer_class = DoctorSerializer
    filterset_class = DoctorFilterSet
    ordering_fields = ["user__last_name", "user__first_name"]
    role_map = {
        "list": ANY_ROLE, "retrieve": ANY_ROLE, "create": {ADMIN},
        "update": {ADMIN, DOCTOR}, "partial_update": {ADMIN, DOCTOR}, "destroy": {ADMIN},
        "available": ANY_ROLE, "schedule": ANY_ROLE, "schedule_update": {ADMIN, DOCTOR},
        "slots": ANY_ROLE,
    }
    object_rules = {
        "update": is_admin_or_self, "partial_update": is_admin_or_self,
        "schedule_update": is_admin_or_self,
    }

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


class PatientViewSet(
    AuditedViewSetMixin, PatientHistoryMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
    RoleMapViewSet,
):
    """Patients in the caller's scope: admins all, doctors their patients, a patient self."""

    audit_object_type = "patient"

    serializer_class = PatientSerializer
    filterset_class = PatientFilterSet
    ordering_fields = ["user__last_name", "user__first_name", "date_of_birth"]
    role_map = {
        "list": ANY_ROLE, "retrieve": ANY_ROLE, "create": {ADMIN},
        "update": {ADMIN, PATIENT}, "partial_update": {ADMIN, PATIENT}, "destroy": {ADMIN},
        "history": ANY_ROLE,
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


@extend_schema(parameters=[OpenApiParameter("status", enum=User.ApprovalStatus.values,
                                            description="Approval status; `pending` when omitted.")])
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


class DoctorApprovalViewSet(AccountApprovalViewSet):
    """Doctor accounts awaiting (or past) an admin's decision."""

    role = User.Role.DOCTOR


class PatientApprovalViewSet(AccountApprovalViewSet):
    """Patient accounts awaiting (or past) an admin's decision."""

    role = User.Role.PATIENT
