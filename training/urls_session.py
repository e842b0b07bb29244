"""Training URLs, part "session": sessions, and certificates (verification, PDF, revoking)."""

from django.urls import path

from . import views_certificate, views_session

urlpatterns = [
    path("sessions/", views_session.session_list, name="session_list"),
    path("sessions/new/", views_session.session_create, name="session_create"),
    path("sessions/<int:pk>/", views_session.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views_session.session_edit, name="session_edit"),
    path("sessions/<int:pk>/publish/", views_session.session_publish, name="session_publish"),
    path("sessions/<int:pk>/cancel/", views_session.session_cancel, name="session_cancel"),
    path("sessions/<int:pk>/attendance/", views_session.session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/close/", views_session.session_close, name="session_close"),
    path("sessions/<int:pk>/calendar.ics", views_session.session_ics_download, name="session_ics"),
    path("verify/", views_certificate.certificate_verify, name="certificate_verify"),
    path("verify/<str:code>/", views_certificate.certificate_verify_code, name="certificate_verify_code"),
    path("certificates/<int:pk>/pdf/", views_certificate.certificate_pdf, name="certificate_pdf"),
    path("certificates/<int:pk>/revoke/", views_certificate.certificate_revoke, name="certificate_revoke"),
]
