"""Accounts serializers: input (`<Model><Action>Serializer`) and output (`<Model>Serializer`)."""

from django.contrib.auth import password_validation
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import STAFF_ROLES, Department, DoctorProfile, PatientProfile, StaffProfile, User

SELF_REGISTER_ROLES = [User.Role.DOCTOR, User.Role.PATIENT]


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["code", "name", "daily_room_rate"]


class DepartmentUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["name", "daily_room_rate"]


class DepartmentRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["code", "name"]


class DoctorRefSerializer(serializers.ModelSerializer):
    """A doctor as other records show it: id, name, department."""

    id = serializers.UUIDField(source="user_id", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    department = DepartmentRefSerializer(read_only=True)

    class Meta:
        model = DoctorProfile
        fields = ["id", "full_name", "department"]


def validate_date_of_birth(value):
    if value is not None and value > timezone.localdate():
        raise serializers.ValidationError("Date of birth cannot be in the future.")
    return value


class ProfileInputSerializer(serializers.Serializer):
    """Profile fields of either role; which ones apply is checked against the role."""

    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False,
        help_text="Doctors and nurses only: department code, e.g. `CL`.",
    )
    specialty = serializers.CharField(max_length=120, required=False, allow_blank=True,
                                      help_text="Doctors only.")
    date_of_birth = serializers.DateField(required=False, allow_null=True,
                                          validators=[validate_date_of_birth],
                                          help_text="Patients only.")
    sex = serializers.ChoiceField(choices=PatientProfile.Sex.choices, required=False,
                                  help_text="Patients only.")
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    mobile = serializers.CharField(max_length=32, required=False, allow_blank=True)



PROFILE_FIELDS = {
    User.Role.DOCTOR: {"department", "specialty", "address", "mobile"},
    User.Role.PATIENT: {"date_of_birth", "sex", "address", "mobile"},
    User.Role.NURSE: {"department", "mobile"},
    User.Role.LAB: {"mobile"},
}


def profile_for_role(role: str, profile: dict, submitted, *, creating: bool) -> dict:
    """Refuse profile fields of another role and require what a new profile needs."""
    allowed = PROFILE_FIELDS.get(role, set())
    keys = set(submitted) if isinstance(submitted, dict) else set()
    errors = {name: [f"Not a {role} profile field."] for name in sorted(keys - allowed)}
    if creating and role in (User.Role.DOCTOR, User.Role.NURSE) and "department" not in profile:
        errors["department"] = ["This field is required."]
    if creating and role == User.Role.PATIENT and "date_of_birth" not in profile:
        errors["date_of_birth"] = ["This field is required."]
    if errors:
        raise serializers.ValidationError({"profile": errors})
    return profile


class AccountCreateSerializer(serializers.Serializer):
    """Fields shared by self-registration and admin-created accounts."""

    username = serializers.RegexField(r"^[\w.@+-]+\Z", max_length=150)
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(write_only=True, style={"input_type": "password"})
    password2 = serializers.CharField(write_only=True, style={"input_type": "password"})
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    profile = ProfileInputSerializer()

    role_fixed: str | None = None

    def validate_username(self, value):
        if User.objects.filter(username__iexact=value).exists():
            raise serializers.ValidationError("A user with that username already exists.")
        return value

    def validate_email(self, value):
        if User.objects.filter(email__iexact=value).exists():
            raise serializers.ValidationError("A user with this e-mail already exists.")
        return value.lower()

    def validate(self, attrs):
        role = self.role_fixed or attrs.get("role")
        if attrs["password"] != attrs.get("password2", attrs["password"]):
            raise serializers.ValidationError({"password2": ["The two passwords do not match."]})
        candidate = User(
            username=attrs["username"], email=attrs["email"],
            first_name=attrs["first_name"], last_name=attrs["last_name"],
        )
        try:
            password_validation.validate_password(attrs["password"], candidate)
        except Exception as exc:  # django.core.exceptions.ValidationError
            raise serializers.ValidationError({"password": list(exc.messages)}) from exc
        attrs["profile"] = profile_for_role(
            role, attrs["profile"], self.initial_data.get("profile"), creating=True
        )
        attrs["role"] = role
        attrs.pop("password2", None)
        return attrs


class RegisterSerializer(AccountCreateSerializer):
    role = serializers.ChoiceField(
        choices=SELF_REGISTER_ROLES,
        error_messages={"invalid_choice": "Role must be doctor or patient; \"{input}\" cannot register."},
    )


class DoctorCreateSerializer(AccountCreateSerializer):
    role_fixed = User.Role.DOCTOR
    consultation_fee = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False
    )


class PatientCreateSerializer(AccountCreateSerializer):
    role_fixed = User.Role.PATIENT


class StaffCreateSerializer(AccountCreateSerializer):
    """A nurse (with her department) or a lab technician, created by an admin."""

    password2 = serializers.CharField(write_only=True, required=False,
                                      style={"input_type": "password"},
                                      help_text="Optional confirmation; must equal `password`.")
    role = serializers.ChoiceField(
        choices=STAFF_ROLES,
        error_messages={"invalid_choice": "Role must be nurse or lab; \"{input}\" is not a staff role."},
    )


class StaffProfileInputSerializer(serializers.Serializer):
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False,
        help_text="Nurses only: department code, e.g. `CL`.",
    )
    mobile = serializers.CharField(max_length=32, required=False, allow_blank=True)


class StaffUpdateSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=150, required=False)
    last_name = serializers.CharField(max_length=150, required=False)
    email = serializers.EmailField(max_length=254, required=False)
    profile = StaffProfileInputSerializer(required=False)

    def validate_email(self, value):
        staff = self.context["staff"]
        if User.objects.filter(email__iexact=value).exclude(pk=staff.user_id).exists():
            raise serializers.ValidationError("A user with this e-mail already exists.")
        return value.lower()

    def validate(self, attrs):
        if "profile" in attrs:
            role = self.context["staff"].user.role
            attrs["profile"] = profile_for_role(
                role, attrs["profile"], self.initial_data["profile"], creating=False
            )
            if role == User.Role.NURSE and attrs["profile"].get("department", True) is None:
                raise serializers.ValidationError({"profile": {"department": ["A nurse needs one."]}})
        return attrs


class StaffProfileSerializer(serializers.ModelSerializer):
    department = DepartmentRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = StaffProfile
        fields = ["department", "mobile"]


class DoctorProfileSerializer(serializers.ModelSerializer):
    department = DepartmentRefSerializer(read_only=True)

    class Meta:
        model = DoctorProfile
        fields = ["department", "specialty", "address", "mobile", "consultation_fee"]


class PatientProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = PatientProfile
        fields = ["date_of_birth", "age", "sex", "address", "mobile"]
        read_only_fields = fields

    age = serializers.IntegerField(read_only=True, allow_null=True)


class ProfileSerializer(serializers.Serializer):
    """The profile of the user's role (doctor, patient or staff fields); admins have none."""

    department = DepartmentRefSerializer(required=False)
    specialty = serializers.CharField(required=False)
    consultation_fee = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    age = serializers.IntegerField(required=False, allow_null=True)
    sex = serializers.ChoiceField(choices=PatientProfile.Sex.choices, required=False)
    address = serializers.CharField(required=False)
    mobile = serializers.CharField(required=False)


def profile_data(user: User):
    if user.role == User.Role.DOCTOR and hasattr(user, "doctor_profile"):
        return DoctorProfileSerializer(user.doctor_profile).data
    if user.role == User.Role.PATIENT and hasattr(user, "patient_profile"):
        return PatientProfileSerializer(user.patient_profile).data
    if user.role in STAFF_ROLES and hasattr(user, "staff_profile"):
        return StaffProfileSerializer(user.staff_profile).data
    return None


class AccountSerializer(serializers.ModelSerializer):
    """A user as the user self or an admin sees it."""

    full_name = serializers.CharField(read_only=True)
    profile = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id", "username", "email", "first_name", "last_name", "full_name", "role",
            "approval_status", "is_active", "date_joined", "profile",
        ]
        read_only_fields = fields

    @extend_schema_field(ProfileSerializer(allow_null=True))
    def get_profile(self, user):
        return profile_data(user)


class AccountApprovalSerializer(AccountSerializer):
    """An account in the admin approval queue."""

    approved_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta(AccountSerializer.Meta):
        fields = AccountSerializer.Meta.fields + ["approved_by", "approved_at", "rejection_reason"]
        read_only_fields = fields


class AccountRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class MeUpdateSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254, required=False)
    first_name = serializers.CharField(max_length=150, required=False)
    last_name = serializers.CharField(max_length=150, required=False)
    profile = ProfileInputSerializer(required=False)

    def validate_email(self, value):
        # Whether another account has it is never told here (the change is verified by link).
        return value.lower()

    def validate(self, attrs):
        user = self.context["request"].user
        if "profile" in attrs:
            if user.role == User.Role.ADMIN:
                raise serializers.ValidationError({"profile": ["Admins have no profile."]})
            attrs["profile"] = profile_for_role(
                user.role, attrs["profile"], self.initial_data["profile"], creating=False
            )
            if user.role in (User.Role.DOCTOR, User.Role.NURSE) and "department" in attrs["profile"]:
                raise serializers.ValidationError(
                    {"profile": {"department": ["Only an admin can change your department."]}}
                )
        return attrs


class EmailChangeConfirmSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=2000)


class EmailChangeConfirmedSerializer(serializers.Serializer):
    email = serializers.EmailField()


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(write_only=True, style={"input_type": "password"})
    new_password = serializers.CharField(write_only=True, style={"input_type": "password"})

    def validate_old_password(self, value):
        if not self.context["request"].user.check_password(value):
            raise serializers.ValidationError("The current password is wrong.")
        return value

    def validate(self, attrs):
        try:
            password_validation.validate_password(attrs["new_password"], self.context["request"].user)
        except Exception as exc:
            raise serializers.ValidationError({"new_password": list(exc.messages)}) from exc
        return attrs


class DoctorSerializer(serializers.ModelSerializer):
    """A doctor; `email`, `address` and `mobile` only to the doctor self and admins."""

    id = serializers.UUIDField(source="user_id", read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    department = DepartmentRefSerializer(read_only=True)
    # Output-only, but not marked read-only so the schema shows them as optional.
    email = serializers.EmailField(source="user.email", required=False)
    address = serializers.CharField(required=False)
    mobile = serializers.CharField(required=False)

    PRIVATE_FIELDS = ("email", "address", "mobile")

    class Meta:
        model = DoctorProfile
        fields = [
            "id", "first_name", "last_name", "full_name", "department", "specialty",
            "consultation_fee", "email", "address", "mobile",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        user = self.context["request"].user if "request" in self.context else None
        if not (user and (user.is_admin or user.pk == instance.user_id)):
            for name in self.PRIVATE_FIELDS:
                data.pop(name, None)
        return data


class DoctorUpdateSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=150, required=False)
    last_name = serializers.CharField(max_length=150, required=False)
    email = serializers.EmailField(max_length=254, required=False)
    specialty = serializers.CharField(max_length=120, required=False, allow_blank=True)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    mobile = serializers.CharField(max_length=32, required=False, allow_blank=True)
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False,
        help_text="Admins only.",
    )
    consultation_fee = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, help_text="Admins only."
    )

    ADMIN_ONLY = ("department", "consultation_fee")

    def validate_email(self, value):
        doctor = self.context["doctor"]
        if User.objects.filter(email__iexact=value).exclude(pk=doctor.user_id).exists():
            raise serializers.ValidationError("A user with this e-mail already exists.")
        return value.lower()

    def validate(self, attrs):
        if not self.context["request"].user.is_admin:
            errors = {name: ["Only an admin can change this field."]
                      for name in self.ADMIN_ONLY if name in attrs}
            if errors:
                raise serializers.ValidationError(errors)
        return attrs


class PatientSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="user_id", read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    age = serializers.IntegerField(read_only=True, allow_null=True)
    approval_status = serializers.ChoiceField(
        source="user.approval_status", choices=User.ApprovalStatus.choices, read_only=True
    )
    is_active = serializers.BooleanField(source="user.is_active", read_only=True)

    class Meta:
        model = PatientProfile
        fields = [
            "id", "first_name", "last_name", "full_name", "date_of_birth", "age", "sex",
            "address", "mobile", "email", "approval_status", "is_active",
        ]
        read_only_fields = fields


class PatientUpdateSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=150, required=False)
    last_name = serializers.CharField(max_length=150, required=False)
    email = serializers.EmailField(max_length=254, required=False)
    date_of_birth = serializers.DateField(required=False, allow_null=True,
                                          validators=[validate_date_of_birth])
    sex = serializers.ChoiceField(choices=PatientProfile.Sex.choices, required=False)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    mobile = serializers.CharField(max_length=32, required=False, allow_blank=True)

    def validate_email(self, value):
        patient = self.context["patient"]
        if User.objects.filter(email__iexact=value).exclude(pk=patient.user_id).exists():
            raise serializers.ValidationError("A user with this e-mail already exists.")
        return value.lower()


class StaffSerializer(serializers.ModelSerializer):
    """A nurse or lab technician as the admin sees them."""

    id = serializers.UUIDField(source="user_id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    role = serializers.ChoiceField(source="user.role", choices=STAFF_ROLES, read_only=True)
    approval_status = serializers.CharField(source="user.approval_status", read_only=True)
    is_active = serializers.BooleanField(source="user.is_active", read_only=True)
    date_joined = serializers.DateTimeField(source="user.date_joined", read_only=True)
    profile = StaffProfileSerializer(source="*", read_only=True)

    class Meta:
        model = StaffProfile
        fields = [
            "id", "username", "email", "first_name", "last_name", "full_name", "role",
            "approval_status", "is_active", "date_joined", "profile",
        ]
        read_only_fields = fields
