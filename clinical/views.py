"""Clinical endpoints: admissions, prescriptions, encounters, vitals, allergies, the patient record."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.selectors import patients_visible_to
from accounts.serializers import PatientSerializer
from clinical import selectors, services
from clinical.catalog import CATALOG
from clinical.filters import (
    AdmissionFilterSet,
    AllergyFilterSet,
    EncounterFilterSet,
    ObservationFilterSet,
    PrescriptionFilterSet,
)
from clinical.permissions import (
    is_admin_or_assigned_doctor,
    is_admin_or_prescriber,
    is_admin_or_recorder,
    is_encounter_doctor,
    is_prescriber,
)
from clinical.record_sections import admission_sections_attach
from clinical.serializers import (
    AddendumCreateSerializer,
    AddendumSerializer,
    AdmissionCreateSerializer,
    AdmissionDischargeSerializer,
    AdmissionHistorySerializer,
    AdmissionSerializer,
    AdmissionUpdateSerializer,
    AllergyCreateSerializer,
    AllergySerializer,
    AllergyUpdateSerializer,
    EncounterCreateSerializer,
    EncounterSerializer,
    EncounterUpdateSerializer,
    ObservationCodeSerializer,
    ObservationCreateSerializer,
    ObservationSerializer,
    ObservationVoidSerializer,
    PrescriptionCancelSerializer,
    PrescriptionCreateSerializer,
    PrescriptionSerializer,
    PrescriptionUpdateSerializer,
)
from hospital.permissions import ADMIN, ANY_ROLE, DOCTOR, NURSE, PATIENT
from hospital.schema_docs import documented
from hospital.viewsets import RoleMapViewSet
from trust.audit import AuditedViewSetMixin


@extend_schema_view(
    list=documented(
        "List admissions",
        who="patients (their own), doctors (where assigned or treating), admins (all).",
        does="Filters `patient`, `department`, `active` (not discharged). Every row read is audited.",
    ),
    retrieve=documented("Read an admission", who="as the list.",
                        errors="404 outside the caller's scope."),
    create=documented(
        "Admit a patient", who="admins and doctors (any approved patient).",
        does="`{patient, department, symptoms, assigned_doctor, admitted_at?}`.",
        errors="409 `already_admitted` while the patient has an open admission; 400 "
               "`invalid_input` for a future time or a party that is not approved.",
    ),
    partial_update=documented(
        "Change an admission", who="admins and the assigned doctor.",
        errors="400 `invalid_input` for a future time; 403 for another doctor.",
    ),
    discharge=documented(
        "Discharge a patient", who="admins and the assigned doctor.",
        does="Now, or at `discharged_at` (past, after admission).",
        errors="409 `invalid_transition` when already discharged; 400 `invalid_input` for a bad time.",
    ),
    destroy=documented(
        "Delete an admission entered by mistake", who="admins.",
        errors="409 `has_records` while appointments, prescriptions or invoices refer to it.",
    ),
)
class AdmissionViewSet(
    AuditedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleMapViewSet
):
    """Admissions in the caller's scope; admins and doctors admit, the assigned doctor discharges."""

    audit_object_type = "admission"

    serializer_class = AdmissionSerializer
    filterset_class = AdmissionFilterSet
    ordering_fields = ["admitted_at", "discharged_at", "created_at"]
    role_map = {
        "list": ANY_ROLE, "retrieve": ANY_ROLE, "create": {ADMIN, DOCTOR},
        "partial_update": {ADMIN, DOCTOR}, "discharge": {ADMIN, DOCTOR}, "destroy": {ADMIN},
    }
    object_rules = {
        "partial_update": is_admin_or_assigned_doctor, "discharge": is_admin_or_assigned_doctor,
    }

    def get_queryset(self):
        return selectors.admissions_visible_to(self.request.user)

    @extend_schema(request=AdmissionCreateSerializer, responses={201: AdmissionSerializer})
    def create(self, request):
        """Admit an approved patient under an approved doctor."""
        serializer = AdmissionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        admission = services.admission_create(actor=request.user, **serializer.validated_data)
        self.audit_track(admission)
        return Response(self.get_serializer(admission).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AdmissionUpdateSerializer, responses={200: AdmissionSerializer})
    def partial_update(self, request, pk=None):
        """Change the department, assigned doctor, symptoms or admission time."""
        admission = self.get_object()
        serializer = AdmissionUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        admission = services.admission_update(admission=admission, data=serializer.validated_data)
        return Response(self.get_serializer(admission).data)

    @extend_schema(request=AdmissionDischargeSerializer, responses={200: AdmissionSerializer})
    @action(detail=True, methods=["post"])
    def discharge(self, request, pk=None):
        """Discharge the patient, now or at a given past time; only once."""
        admission = self.get_object()
        serializer = AdmissionDischargeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        admission = services.admission_discharge(
            admission=admission, discharged_at=serializer.validated_data.get("discharged_at")
        )
        return Response(self.get_serializer(admission).data)

    @extend_schema(responses={204: None})
    def destroy(self, request, pk=None):
        """Delete an admission that no appointment, prescription or invoice refers to."""
        services.admission_delete(admission=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=documented(
        "List prescriptions",
        who="patients (their own), doctors (those they wrote), admins (all).",
        does="Filters `patient`, `appointment`, `status`. Every row read is audited.",
    ),
    retrieve=documented("Read a prescription", who="as the list.",
                        errors="404 outside the caller's scope."),
    create=documented(
        "Prescribe", who="the appointment's doctor.",
        errors="409 `invalid_state` unless the appointment is `confirmed` or `completed`; 400 for "
               "another doctor's appointment.",
    ),
    partial_update=documented(
        "Edit a prescription", who="the writing doctor.",
        errors="409 `invalid_state` unless active; 403 for anyone else.",
    ),
    cancel=documented(
        "Cancel a prescription", who="the writing doctor and admins.",
        does="`reason` required; the prescription stays on record.",
        errors="400 `invalid_input` without a reason; 409 `invalid_transition` when not active.",
    ),
)
class PrescriptionViewSet(
    AuditedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleMapViewSet
):
    """Prescriptions in the caller's scope; the appointment's doctor writes, nobody deletes."""

    audit_object_type = "prescription"

    serializer_class = PrescriptionSerializer
    filterset_class = PrescriptionFilterSet
    ordering_fields = ["issued_at"]
    role_map = {
        "list": ANY_ROLE, "retrieve": ANY_ROLE, "create": {DOCTOR},
        "partial_update": {DOCTOR}, "cancel": {ADMIN, DOCTOR},
    }
    object_rules = {"partial_update": is_prescriber, "cancel": is_admin_or_prescriber}

    def get_queryset(self):
        return selectors.prescriptions_visible_to(self.request.user)

    @extend_schema(
        request=PrescriptionCreateSerializer, responses={201: PrescriptionSerializer},
        description="The doctor of the appointment. 409 `invalid_state` unless the appointment "
        "is confirmed or completed; 409 `allergy_conflict` (with `allergies: [ids]`, nothing "
        "written) when the medicine names an active medication allergy of the patient, unless "
        "`override_reason` is sent: the prescription then carries `allergy_override` and the "
        "audit trail an `allergy_override` event.",
    )
    def create(self, request):
        """Prescribe at one of the caller's confirmed or completed appointments."""
        serializer = PrescriptionCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        prescription = services.prescription_create(
            doctor=request.user.doctor_profile, **serializer.validated_data
        )
        self.audit_track(prescription)
        if prescription.allergy_override:
            self.audit_track_other(action="allergy_override", object_type="prescription",
                                   records=[(prescription.pk, prescription.patient_id)])
        return Response(self.get_serializer(prescription).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PrescriptionUpdateSerializer, responses={200: PrescriptionSerializer})
    def partial_update(self, request, pk=None):
        """Edit one's own prescription while it is active."""
        prescription = self.get_object()
        serializer = PrescriptionUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        prescription = services.prescription_update(
            prescription=prescription, data=serializer.validated_data
        )
        return Response(self.get_serializer(prescription).data)

    @extend_schema(request=PrescriptionCancelSerializer, responses={200: PrescriptionSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel the prescription with a reason; it stays on record."""
        prescription = self.get_object()
        serializer = PrescriptionCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        prescription = services.prescription_cancel(
            prescription=prescription, actor=request.user,
            reason=serializer.validated_data["reason"],
        )
        return Response(self.get_serializer(prescription).data)


@extend_schema_view(history=documented(
    "Read a patient's history",
    who="the patient self, admins, and doctors who treat the patient.",
    does="The patient's admissions, newest first, each with its appointments, prescriptions and "
         "`costs` (summed over the admission's non-void invoices; zeros when none).",
    errors="404 outside the caller's scope.",
))
class PatientHistoryViewSet(AuditedViewSetMixin, RoleMapViewSet):
    """`GET /api/patients/{id}/history/`: a patient's admissions with visits, prescriptions, costs.

    Registered on the `patients` prefix with the accounts patient scope, so the same scope
    decides who sees it (404 outside it); reading it records the patient read.
    """

    audit_object_type = "patient"
    serializer_class = PatientSerializer
    role_map = {"history": ANY_ROLE | {NURSE}}

    def get_queryset(self):
        return patients_visible_to(self.request.user)

    def audit_patient_id(self, obj):
        return obj.user_id

    @extend_schema(responses={200: AdmissionHistorySerializer(many=True)})
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request, pk=None):
        """The patient's admissions, newest first, each with visits, prescriptions and costs."""
        patient = self.get_object()
        queryset = selectors.patient_history(patient)
        # The paginator directly: this viewset's audit hooks track patient rows, not admissions.
        page = selectors.admissions_attach_costs(
            self.paginator.paginate_queryset(queryset, request, view=self)
        )
        for object_type, records in admission_sections_attach(page, viewer=request.user):
            self.audit_track_other(action="read", object_type=object_type, records=records)
        data = AdmissionHistorySerializer(page, many=True, context={"viewer": request.user}).data
        self.audit_track_other(
            action="read", object_type="admission",
            records=[(admission.pk, admission.patient_id) for admission in page],
        )
        return self.paginator.get_paginated_response(data)


RECORD_READERS = ANY_ROLE | {NURSE}
CLINICIANS = {DOCTOR, NURSE}


@extend_schema_view(
    list=extend_schema(
        summary="List encounters",
        description="Patients: their own; doctors: their own encounters and those of patients they "
        "treat; nurses: patients in their department's care; admins: all. Lab: 403.",
    ),
    retrieve=extend_schema(summary="Read an encounter", description="As the list; 404 outside it."),
)
class EncounterViewSet(
    AuditedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleMapViewSet
):
    """Encounters in the caller's record scope; doctors open, note, finish and amend their own."""

    audit_object_type = "encounter"

    serializer_class = EncounterSerializer
    filterset_class = EncounterFilterSet
    ordering_fields = ["started_at"]
    role_map = {
        "list": RECORD_READERS, "retrieve": RECORD_READERS, "create": {DOCTOR},
        "partial_update": {DOCTOR}, "finish": {DOCTOR}, "addenda": {DOCTOR},
    }
    object_rules = {
        "partial_update": is_encounter_doctor, "finish": is_encounter_doctor,
        "addenda": is_encounter_doctor,
    }

    def get_queryset(self):
        return selectors.encounters_visible_to(self.request.user)

    @extend_schema(
        summary="Open an encounter",
        description="Doctors only. `outpatient` needs a confirmed or completed `appointment` of "
        "this doctor and patient (409 `encounter_exists` if it has an open one, 409 "
        "`invalid_state` otherwise); `inpatient` an open `admission` of the patient; "
        "`emergency` any approved patient (this opens the care relation). 400 on bad input.",
        request=EncounterCreateSerializer, responses={201: EncounterSerializer},
    )
    def create(self, request):
        serializer = EncounterCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        encounter = services.encounter_create(
            doctor=request.user.doctor_profile, **serializer.validated_data
        )
        self.audit_track(encounter)
        return Response(self._detail(encounter), status=status.HTTP_201_CREATED)

    def _detail(self, encounter):
        return self.get_serializer(self.get_queryset().get(pk=encounter.pk)).data

    @extend_schema(
        summary="Edit an encounter's notes",
        description="Its doctor only (403 for others in scope, 404 outside it). The four note "
        "fields, while `in_progress`; 409 `encounter_locked` once finished.",
        request=EncounterUpdateSerializer, responses={200: EncounterSerializer},
    )
    def partial_update(self, request, pk=None):
        encounter = self.get_object()
        serializer = EncounterUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        encounter = services.encounter_update(encounter=encounter, data=serializer.validated_data)
        return Response(self._detail(encounter))

    @extend_schema(
        summary="Finish an encounter",
        description="Its doctor only. → `finished` with `ended_at`; the notes are locked. "
        "Twice → 409 `invalid_transition`.",
        request=None, responses={200: EncounterSerializer},
    )
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        encounter = services.encounter_finish(encounter=self.get_object())
        return Response(self._detail(encounter))

    @extend_schema(
        summary="Amend a finished encounter",
        description="Its doctor only. `{text}` → 201 with the addendum; 409 `invalid_state` on "
        "an encounter still in progress (edit its notes instead).",
        request=AddendumCreateSerializer, responses={201: AddendumSerializer},
    )
    @action(detail=True, methods=["post"])
    def addenda(self, request, pk=None):
        encounter = self.get_object()
        serializer = AddendumCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        addendum = services.encounter_add_addendum(
            encounter=encounter, author=request.user, text=serializer.validated_data["text"]
        )
        return Response(AddendumSerializer(addendum).data, status=status.HTTP_201_CREATED)


class ObservationCodeView(APIView):
    """The vital-sign catalog: LOINC code, unit, plausible and normal ranges."""

    @extend_schema(
        summary="The vital-sign catalog",
        description="Any approved user. A plain array; `normal_*` are null where a code has no "
        "normal range.",
        responses={200: ObservationCodeSerializer(many=True)},
    )
    def get(self, request):
        rows = [sign.as_dict() for sign in CATALOG.values()]
        return Response(ObservationCodeSerializer(rows, many=True).data)


@extend_schema_view(
    list=extend_schema(
        summary="List observations (vital signs)",
        description="Scope as encounters. Newest first by default; `ordering=effective_at` for "
        "oldest first. Voided rows stay listed with status `entered_in_error`.",
    ),
    retrieve=extend_schema(summary="Read an observation", description="As the list; 404 outside it."),
)
class ObservationViewSet(
    AuditedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleMapViewSet
):
    """Vital signs in the caller's record scope; doctors and nurses record, recorders void."""

    audit_object_type = "observation"

    serializer_class = ObservationSerializer
    filterset_class = ObservationFilterSet
    ordering_fields = ["effective_at"]
    ordering = ["-effective_at", "-recorded_at"]
    role_map = {
        "list": RECORD_READERS, "retrieve": RECORD_READERS, "create": CLINICIANS,
        "void": {ADMIN, DOCTOR, NURSE},
    }
    object_rules = {"void": is_admin_or_recorder}

    def get_queryset(self):
        return selectors.observations_visible_to(self.request.user)

    @extend_schema(
        summary="Record vital signs",
        description="Doctors and nurses, for patients in their scope (any other patient id → 400 "
        "as unknown). One `{code, value}` → 201 with it; a `vitals` set → 201 with a plain "
        "array, stored all or none. 400 `implausible_value` outside a code's plausible range; "
        "400 when `effective_at` is in the future.",
        request=ObservationCreateSerializer,
        responses={201: ObservationSerializer(many=True)},
        filters=False,
    )
    def create(self, request):
        serializer = ObservationCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        values = data.get("vitals") or {data.get("code"): data.get("value")}
        observations = services.observations_record(
            recorded_by=request.user, patient=data["patient"], values=values,
            effective_at=data.get("effective_at"), encounter=data.get("encounter"),
        )
        self.audit_track(*observations)
        body = self.get_serializer(observations, many=True).data
        return Response(body if "vitals" in data else body[0], status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Void an observation",
        description="Its recorder or an admin (403 for others in scope). `{reason}` → "
        "`entered_in_error`; it is never deleted. Twice → 409 `invalid_transition`.",
        request=ObservationVoidSerializer, responses={200: ObservationSerializer},
    )
    @action(detail=True, methods=["post"])
    def void(self, request, pk=None):
        observation = self.get_object()
        serializer = ObservationVoidSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        observation = services.observation_void(
            observation=observation, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(self.get_serializer(observation).data)


@extend_schema_view(
    list=extend_schema(summary="List allergies", description="Scope as encounters."),
    retrieve=extend_schema(summary="Read an allergy", description="As the list; 404 outside it."),
)
class AllergyViewSet(
    AuditedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleMapViewSet
):
    """Allergies in the caller's record scope; clinicians record and edit, a patient reports."""

    audit_object_type = "allergy"

    serializer_class = AllergySerializer
    filterset_class = AllergyFilterSet
    ordering_fields = ["substance", "recorded_at"]
    role_map = {
        "list": RECORD_READERS, "retrieve": RECORD_READERS, "create": {DOCTOR, NURSE, PATIENT},
        "partial_update": CLINICIANS,
    }

    def get_queryset(self):
        return selectors.allergies_visible_to(self.request.user)

    @extend_schema(
        summary="Record an allergy",
        description="Doctors and nurses for patients in their scope; a patient for herself "
        "(stored `unconfirmed` until a doctor or nurse confirms it). Any other patient id → 400 "
        "as unknown. The same active substance twice → 409 `duplicate_allergy`.",
        request=AllergyCreateSerializer, responses={201: AllergySerializer},
    )
    def create(self, request):
        serializer = AllergyCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        allergy = services.allergy_create(recorded_by=request.user, **serializer.validated_data)
        self.audit_track(allergy)
        return Response(self.get_serializer(allergy).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit or confirm an allergy",
        description="Doctors and nurses in scope (403 for the patient). Status, criticality, "
        "reactions, note; `verification: confirmed`. Reactivating a duplicate → 409 "
        "`duplicate_allergy`.",
        request=AllergyUpdateSerializer, responses={200: AllergySerializer},
    )
    def partial_update(self, request, pk=None):
        allergy = self.get_object()
        serializer = AllergyUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        allergy = services.allergy_update(allergy=allergy, data=serializer.validated_data)
        return Response(self.get_serializer(allergy).data)
