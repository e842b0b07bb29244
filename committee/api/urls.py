"""/api/v1/committee/…"""

from django.urls import path

from . import views

urlpatterns = [
    path("committee/seats/", views.SeatListView.as_view(), name="committee_seat_list"),
    path("committee/terms/", views.TermListView.as_view(), name="committee_term_list"),
    path("committee/meetings/", views.MeetingListView.as_view(), name="committee_meeting_list"),
    path("committee/meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="committee_meeting_detail"),
    path("committee/actions/", views.ActionListView.as_view(), name="committee_action_list"),
    path("committee/actions/<int:pk>/", views.ActionDetailView.as_view(), name="committee_action_detail"),
]
