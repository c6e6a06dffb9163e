"""The laboratory's sections of a patient's record: each admission's lab orders in `history`."""

from django.db.models import Prefetch, prefetch_related_objects

from clinical.record_sections import AdmissionSection
from laboratory.selectors import NEWEST_FIRST, lab_orders_visible_to

ATTRIBUTE = "history_lab_orders"


def _field():
    from laboratory.serializers import LabOrderSerializer

    # Empty where no section was attached (a serializer used outside the history view).
    return LabOrderSerializer(source=ATTRIBUTE, many=True, read_only=True, default=list)


def _attach(admissions: list, viewer) -> tuple[str, list]:
    """Prefetch each admission's lab orders that the viewer may see, newest first."""
    orders = lab_orders_visible_to(viewer).order_by(*NEWEST_FIRST)
    prefetch_related_objects(admissions, Prefetch("lab_orders", queryset=orders, to_attr=ATTRIBUTE))
    records = [(order.pk, order.patient_id)
               for admission in admissions for order in getattr(admission, ATTRIBUTE)]
    return "lab_order", records


ADMISSION_LAB_ORDERS = AdmissionSection(name="lab_orders", field=_field, attach=_attach)
