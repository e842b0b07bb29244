"""/api/v1/training/…"""

from django.urls import path

from . import views

urlpatterns = [
    path("training/sessions/", views.SessionListView.as_view(), name="training_session_list"),
    path("training/sessions/<int:pk>/", views.SessionDetailView.as_view(), name="training_session_detail"),
    path("training/sessions/<int:pk>/publish/", views.SessionPublishView.as_view(), name="training_session_publish"),
    path("training/sessions/<int:pk>/cancel/", views.SessionCancelView.as_view(), name="training_session_cancel"),
    path("training/enrolments/", views.EnrolmentListView.as_view(), name="training_enrolment_list"),
    path("training/enrolments/<int:pk>/cancel/", views.EnrolmentCancelView.as_view(), name="training_enrolment_cancel"),
    path(
        "training/certificates/verify/<str:code>/",
        views.CertificateVerifyView.as_view(),
        name="training_certificate_verify",
    ),
    path("training/coverage/", views.CoverageView.as_view(), name="training_coverage"),
    path("training/statistics/", views.StatisticsView.as_view(), name="training_statistics"),
]
