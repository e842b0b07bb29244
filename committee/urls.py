"""Steering committee pages under /committee/."""

from django.urls import path

from . import views_actions, views_meetings, views_reply, views_seats

app_name = "committee"

urlpatterns = [
    path("", views_seats.composition, name="composition"),
    path("categories/new/", views_seats.category_create, name="category_create"),
    path("categories/<int:pk>/edit/", views_seats.category_edit, name="category_edit"),
    path("terms/new/", views_seats.term_create, name="term_create"),
    path("terms/<int:pk>/end/", views_seats.term_end, name="term_end"),
    path("meetings/", views_meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", views_meetings.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views_meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views_meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", views_meetings.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/invite/", views_meetings.meeting_invite, name="meeting_invite"),
    path("meetings/<int:pk>/agenda/", views_meetings.agenda_item_create, name="agenda_item_create"),
    path(
        "meetings/<int:pk>/agenda/<int:item_pk>/documents/",
        views_meetings.document_create,
        name="document_create",
    ),
    path("meetings/<int:pk>/minutes/", views_meetings.minutes_edit, name="minutes_edit"),
    path("meetings/<int:pk>/decisions/", views_meetings.decision_create, name="decision_create"),
    path("meetings/<int:pk>/actions/", views_meetings.action_create, name="action_create"),
    path("documents/<int:pk>/", views_meetings.document_download, name="document_download"),
    path("actions/", views_actions.action_list, name="action_list"),
    path("actions/<int:pk>/status/", views_actions.action_status, name="action_status"),
    path("reply/<str:token>/", views_reply.invitation_page, name="invitation"),
    path("reply/<str:token>/documents/<int:pk>/", views_reply.invitation_document, name="invitation_document"),
]
