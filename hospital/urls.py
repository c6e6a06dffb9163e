"""URLs: the API under /api/, its documentation, health, and Django admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerView

from hospital.throttling import throttle_sign_in
from hospital.views import HealthView, IndexView, LiveView, RedocView, SchemaView, SiteIndexView

handler400 = "hospital.errors.bad_request"
handler404 = "hospital.errors.not_found"
handler500 = "hospital.errors.server_error"

admin.site.site_header = "Hospital administration"
admin.site.site_title = "Hospital admin"

# Admin's "View site" link leads to the JSON index.
admin.site.site_url = "/"


@throttle_sign_in
def admin_login(request, extra_context=None):
    """Django admin's login page behind the sign-in throttles (by IP and by username)."""
    return admin.site.login(request, extra_context)


urlpatterns = [
    path("", SiteIndexView.as_view(), name="index"),
    path("api/", IndexView.as_view(), name="api-index"),
    path("api/health/", HealthView.as_view(), name="health"),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    path("api/health/live/", LiveView.as_view(), name="health-live"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", RedocView.as_view(url_name="schema"), name="redoc"),
    path("api/", include("hospital.api_router")),
    path("fhir/R4/", include("interop.urls")),
    path("admin/login/", admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
]
