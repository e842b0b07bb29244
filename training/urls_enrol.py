"""Training URLs, part "enrol": zones enrolling staff, participants' own requests, the zone overview and the
participant pages reached by signed link."""

from django.urls import path

from . import views_enrol, views_participant, views_zone

urlpatterns = [
    path("sessions/<int:pk>/enrol/", views_zone.session_enrol, name="session_enrol"),
    path("sessions/<int:pk>/request/", views_enrol.session_request, name="session_request"),
    path("sessions/<int:pk>/request/sent/", views_enrol.request_sent, name="request_sent"),
    path("requests/<str:token>/", views_enrol.request_confirm, name="request_confirm"),
    path("enrolments/<int:pk>/cancel/", views_zone.enrolment_cancel, name="enrolment_cancel"),
    path("enrolments/<int:pk>/approve/", views_zone.enrolment_approve, name="enrolment_approve"),
    path("enrolments/<int:pk>/decline/", views_zone.enrolment_decline, name="enrolment_decline"),
    path("enrolments/<int:pk>/promote/", views_zone.enrolment_promote, name="enrolment_promote"),
    path("zone/", views_zone.zone_overview, name="zone_overview"),
    path("me/", views_participant.participant_me, name="participant_me"),
    path("participant-link/", views_participant.participant_link, name="participant_link"),
    path("p/<str:token>/", views_participant.participant, name="participant"),
    path(
        "p/<str:token>/enrolments/<int:pk>/cancel/",
        views_participant.participant_cancel,
        name="participant_cancel",
    ),
    path(
        "p/<str:token>/evaluation/<int:enrolment_pk>/",
        views_participant.participant_evaluation,
        name="participant_evaluation",
    ),
    path(
        "p/<str:token>/certificates/<int:pk>/pdf/",
        views_participant.participant_certificate,
        name="participant_certificate",
    ),
]
