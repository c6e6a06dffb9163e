"""Laboratory endpoints: the test catalog, and lab orders with their workflow."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from hospital.viewsets import RoleMapViewSet
from laboratory import selectors, services
from laboratory.filters import LabOrderFilterSet, LabTestFilterSet
from laboratory.permissions import (
    LAB_ORDER_OBJECT_RULES,
    LAB_ORDER_ROLE_MAP,
    LAB_TEST_ROLE_MAP,
)
from laboratory.serializers import (
    LabOrderCancelSerializer,
    LabOrderCreateSerializer,
    LabOrderResultsSerializer,
    LabOrderSerializer,
    LabTestSerializer,
    LabTestUpdateSerializer,
)
from trust.audit import AuditedViewSetMixin


@extend_schema_view(
    list=extend_schema(
        summary="List the lab test catalog",
        description="Any approved user. Filters `active`, `q`. Answers 401, 403.",
    ),
    retrieve=extend_schema(
        summary="Read one catalog test",
        description="Any approved user. Answers 401, 403, 404.",
    ),
)
class LabTestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleMapViewSet
):
    """The catalog of orderable tests; admins add and edit them (never delete: deactivate)."""

    serializer_class = LabTestSerializer
    filterset_class = LabTestFilterSet
    ordering_fields = ["name", "code"]
    role_map = LAB_TEST_ROLE_MAP

    def get_queryset(self):
        return selectors.lab_tests_list()

    @extend_schema(
        summary="Add a test to the catalog",
        description="Admins only. A duplicate `code` or a reference range whose low end is above "
                    "its high end is 400. Answers 400, 401, 403.",
        request=LabTestSerializer, responses={201: LabTestSerializer},
    )
    def create(self, request):
        serializer = LabTestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        test = services.lab_test_create(data=serializer.validated_data)
        return Response(LabTestSerializer(test).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Edit a catalog test",
        description="Admins only. `active: false` withdraws a test from new orders; tests are "
                    "never deleted. Answers 400, 401, 403, 404.",
        request=LabTestUpdateSerializer, responses={200: LabTestSerializer},
    )
    def partial_update(self, request, pk=None):
        test = self.get_object()
        serializer = LabTestUpdateSerializer(test, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        test = services.lab_test_update(test=test, data=serializer.validated_data)
        return Response(LabTestSerializer(test).data)


ORDER_ERRORS = "Answers 401, 403 (role or not the ordering doctor), 404 (outside the caller's scope)"


@extend_schema_view(
    list=extend_schema(
        summary="List lab orders",
        description="Patients: their own (values and interpretations null until released); doctors: "
                    "orders they placed and those of patients they treat; lab technicians and "
                    "admins: all. Technicians get the work queue order (urgent first, then "
                    "oldest); everyone else newest first. Answers 401, 403.",
    ),
    retrieve=extend_schema(
        summary="Read one lab order",
        description="Same scope as the list. Answers 401, 403, 404.",
    ),
)
class LabOrderViewSet(
    AuditedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, RoleMapViewSet
):
    """Lab orders in the caller's scope and their workflow: order, collect, results, release, cancel."""

    audit_object_type = "lab_order"
    serializer_class = LabOrderSerializer
    filterset_class = LabOrderFilterSet
    ordering_fields = ["ordered_at"]
    role_map = LAB_ORDER_ROLE_MAP
    object_rules = LAB_ORDER_OBJECT_RULES

    def get_queryset(self):
        return selectors.lab_orders_visible_to(self.request.user)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "viewer": self.request.user}

    def _detail(self, order, status_code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=order.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    @extend_schema(
        summary="Order lab tests",
        description="Doctors, for a patient they treat (optionally within one of the patient's "
                    "admissions). An unknown or inactive test, a patient or admission outside the "
                    "caller's scope is 400. Answers 400, 401, 403.",
        request=LabOrderCreateSerializer, responses={201: LabOrderSerializer},
    )
    def create(self, request):
        serializer = LabOrderCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        order = services.lab_order_create(actor=request.user, **serializer.validated_data)
        self.audit_track(order)
        return self._detail(order, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record the specimen collection",
        description=f"Lab technicians; `ordered → collected`, otherwise 409 `invalid_transition`. "
                    f"{ORDER_ERRORS}, 409.",
        request=None, responses={200: LabOrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def collect(self, request, pk=None):
        order = self.get_object()
        services.lab_order_collect(order=order, actor=request.user)
        return self._detail(order)

    @extend_schema(
        summary="Enter or correct results",
        description="Lab technicians, while `collected` or `resulted`; `interpretation` comes from "
                    "the test's reference range, and the order becomes `resulted` when every item "
                    "has a value. On a `released` order a new value is a correction: the old one "
                    "is kept in `previous_values`, the item is `amended`, the patient is told. "
                    "NaN, infinities, negative values or more than 4 decimal places are 400. "
                    f"{ORDER_ERRORS}, 400, 409 `invalid_transition`.",
        request=LabOrderResultsSerializer, responses={200: LabOrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def results(self, request, pk=None):
        order = self.get_object()
        serializer = LabOrderResultsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.lab_order_results(
            order=order, actor=request.user, results=serializer.validated_data["results"]
        )
        return self._detail(order)

    @extend_schema(
        summary="Release results to the patient",
        description="Lab technicians and the ordering doctor; `resulted → released`: the patient "
                    f"sees the values from now on and is notified. {ORDER_ERRORS}, 409 "
                    "`invalid_transition`.",
        request=None, responses={200: LabOrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        order = self.get_object()
        services.lab_order_release(order=order, actor=request.user)
        return self._detail(order)

    @extend_schema(
        summary="Cancel a lab order",
        description="The ordering doctor and admins, with a `reason`, from `ordered` or "
                    f"`collected`. {ORDER_ERRORS}, 400, 409 `invalid_transition`.",
        request=LabOrderCancelSerializer, responses={200: LabOrderSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        order = self.get_object()
        serializer = LabOrderCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.lab_order_cancel(
            order=order, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return self._detail(order)
