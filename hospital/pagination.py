"""Page-number pagination: `?page=`, `?page_size=` (default 20, max 100)."""

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    """Paginate every list as `{count, next, previous, results}`."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
