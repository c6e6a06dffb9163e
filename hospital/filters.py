"""Filter building blocks shared by the apps."""

import django_filters

from appointments.selectors import local_day_bounds


class LocalDateRangeFilterSet(django_filters.FilterSet):
    """`date_from` / `date_to`: days of the hospital's calendar, applied to `date_field`.

    The field is compared with the days' bounds in UTC (not `__date`), so its index serves.
    """

    date_field = ""

    date_from = django_filters.DateFilter(
        method="filter_date_from", help_text="On or after this day (hospital's local calendar)."
    )
    date_to = django_filters.DateFilter(
        method="filter_date_to", help_text="On or before this day (hospital's local calendar)."
    )

    def filter_date_from(self, queryset, name, value):
        start, _ = local_day_bounds(value, value)
        return queryset.filter(**{f"{self.date_field}__gte": start})

    def filter_date_to(self, queryset, name, value):
        _, end = local_day_bounds(value, value)
        return queryset.filter(**{f"{self.date_field}__lt": end})
