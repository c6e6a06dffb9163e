"""URLs: the API under /api/, its documentation, health, and Django admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from hospital.views import HealthView, LiveView

handler400 = "hospital.errors.bad_request"
handler404 = "hospital.errors.not_found"
handler500 = "hospital.errors.server_error"

admin.site.site_header = "Hospital administration"
admin.site.site_title = "Hospital admin"

urlpatterns = [
    path("api/health/", HealthView.as_view(), name="health"),
    path("api/health/live/", LiveView.as_view(), name="health-live"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("api/", include("hospital.api_router")),
    path("admin/", admin.site.urls),
]
