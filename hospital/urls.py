"""URLs: the API under /api/, its documentation, health, and Django admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerView

from hospital.views import HealthView, IndexView, RedocView, SchemaView, SiteIndexView

handler400 = "hospital.errors.bad_request"
handler404 = "hospital.errors.not_found"
handler500 = "hospital.errors.server_error"

admin.site.site_header = "Hospital administration"
admin.site.site_title = "Hospital admin"

# Admin's "View site" link leads to the JSON index.
admin.site.site_url = "/"

urlpatterns = [
    path("", SiteIndexView.as_view(), name="index"),
    path("api/", IndexView.as_view(), name="api-index"),
    path("api/health/", HealthView.as_view(), name="health"),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
    path("api/", include("hospital.api_router")),
    path("admin/", admin.site.urls),
]
