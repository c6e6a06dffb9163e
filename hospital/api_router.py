"""Every route of the API in one file: the public router and the admin-only router."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from accounts import views as accounts_views
from appointments import views as appointments_views
from billing import views as billing_views
from clinical import views as clinical_views
from laboratory import views as laboratory_views
from notifications import views as notifications_views
from trust import views as trust_views

router = SimpleRouter(use_regex_path=False)
router.register("departments", accounts_views.DepartmentViewSet, basename="department")
router.register("doctors", accounts_views.DoctorViewSet, basename="doctor")
# Each app owns its routes under a shared prefix: schedules and slots belong to appointments,
# a patient's history to clinical; the paths read as one resource.
router.register("doctors", appointments_views.DoctorScheduleViewSet, basename="doctor-schedule")
router.register("patients", accounts_views.PatientViewSet, basename="patient")
router.register("staff", accounts_views.StaffViewSet, basename="staff")
router.register("patients", clinical_views.PatientHistoryViewSet, basename="patient-history")
router.register("appointments", appointments_views.AppointmentViewSet, basename="appointment")
router.register("admissions", clinical_views.AdmissionViewSet, basename="admission")
router.register("prescriptions", clinical_views.PrescriptionViewSet, basename="prescription")
router.register("invoices", billing_views.InvoiceViewSet, basename="invoice")
router.register("holidays", appointments_views.HolidayViewSet, basename="holiday")
router.register("me/notifications", notifications_views.NotificationViewSet,
                basename="notification")
router.register("encounters", clinical_views.EncounterViewSet, basename="encounter")
router.register("observations", clinical_views.ObservationViewSet, basename="observation")
router.register("allergies", clinical_views.AllergyViewSet, basename="allergy")
router.register("lab-tests", laboratory_views.LabTestViewSet, basename="lab-test")
router.register("lab-orders", laboratory_views.LabOrderViewSet, basename="lab-order")

# Everything here inherits hospital.viewsets.AdminOnlyViewSet (a test walks the registry).
admin_router = SimpleRouter(use_regex_path=False)
admin_router.register(
    "approvals/doctors", accounts_views.DoctorApprovalViewSet, basename="approval-doctor"
)
admin_router.register(
    "approvals/patients", accounts_views.PatientApprovalViewSet, basename="approval-patient"
)
admin_router.register(
    "approvals/appointments", appointments_views.AppointmentApprovalViewSet,
    basename="approval-appointment",
)
admin_router.register("audit-events", trust_views.AuditEventViewSet, basename="audit-event")

urlpatterns = [
    path("register/", accounts_views.RegisterView.as_view(), name="register"),
    path("token/", accounts_views.TokenObtainView.as_view(), name="token-obtain"),
    path("token/refresh/", accounts_views.TokenRefreshView.as_view(), name="token-refresh"),
    path("token/blacklist/", accounts_views.TokenBlacklistView.as_view(), name="token-blacklist"),
    path("me/", accounts_views.MeView.as_view(), name="me"),
    path("me/password/", accounts_views.MePasswordView.as_view(), name="me-password"),
    path("me/logout-all/", accounts_views.LogoutAllView.as_view(), name="me-logout-all"),
    path("me/email/confirm/", accounts_views.EmailChangeConfirmView.as_view(),
         name="me-email-confirm"),
    path("me/access-log/", trust_views.AccessLogView.as_view(), name="me-access-log"),
    path("admin/", include(admin_router.urls)),
    path("observation-codes/", clinical_views.ObservationCodeView.as_view(),
         name="observation-codes"),
    path("admissions/<uuid:pk>/invoice/", billing_views.AdmissionInvoiceView.as_view(),
         name="admission-invoice"),
    path("doctors/<uuid:id>/time-off/",
         appointments_views.DoctorTimeOffViewSet.as_view({"get": "list", "post": "create"}),
         name="doctor-time-off-list"),
    path("doctors/<uuid:id>/time-off/<uuid:block_id>/",
         appointments_views.DoctorTimeOffViewSet.as_view({"delete": "destroy"}),
         name="doctor-time-off-detail"),
    path("", include(router.urls)),
]
