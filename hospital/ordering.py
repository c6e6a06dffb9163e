"""`?ordering=` whose documented values are the view's own: each field, ascending or descending."""

from rest_framework import filters


class OrderingFilter(filters.OrderingFilter):
    """DRF's ordering filter, with the allowed values listed as an enum in the OpenAPI schema.

    The values come from the view's `ordering_fields` (a client generated from the schema offers
    exactly the orders the server accepts).
    """

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        fields = [name for name, _label in self.get_valid_fields(view.get_queryset(), view, {})]
        if not fields:
            return []
        values = [order for name in fields for order in (name, f"-{name}")]
        for parameter in parameters:
            if parameter["name"] == self.ordering_param:
                parameter["schema"] = {"type": "string", "enum": values}
                parameter["description"] = (
                    "Sort the list by one of these fields; `-` sorts descending. "
                    "The default order applies when omitted."
                )
        return parameters
