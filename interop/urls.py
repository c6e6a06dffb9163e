"""FHIR R4 routes, mounted at /fhir/R4/ (outside the REST API's OpenAPI schema)."""

from django.urls import path, re_path

from interop import views

urlpatterns = [
    path("metadata", views.MetadataView.as_view(), name="fhir-metadata"),
    path("Patient/<str:resource_id>/$everything", views.PatientEverythingView.as_view(),
         name="fhir-patient-everything"),
    path("<str:resource_type>", views.SearchView.as_view(), name="fhir-search"),
    path("<str:resource_type>/<str:resource_id>", views.ReadView.as_view(), name="fhir-read"),
    re_path(r"^.*$", views.UnknownRouteView.as_view(), name="fhir-unknown"),
]
