"""Released laboratory work, within the scope the REST API's lab-order selector gives each caller.

Only released orders reach FHIR, for every caller: a value the ordering doctor or the laboratory
has not released is not yet a result anyone outside the laboratory workflow relies on.
"""

from django.db.models import Prefetch, QuerySet

from laboratory.models import LabOrder, LabOrderItem
from laboratory.selectors import lab_orders_visible_to


def released_lab_orders_visible_to(user) -> QuerySet[LabOrder]:
    """The caller's visible lab orders that are released, with their items and tests.

    A report shows the current values only: the REST detail's history of events and superseded
    values is not loaded.
    """
    items = LabOrderItem.objects.select_related("test").order_by("position")
    return (
        lab_orders_visible_to(user).filter(status=LabOrder.Status.RELEASED)
        .prefetch_related(None).prefetch_related(Prefetch("items", queryset=items))
    )


def released_lab_results_visible_to(user) -> QuerySet[LabOrderItem]:
    """The result values of the caller's visible released orders."""
    return LabOrderItem.objects.filter(
        order__in=released_lab_orders_visible_to(user).order_by().values("pk"), value__isnull=False,
    ).select_related("test", "order__patient__user")
