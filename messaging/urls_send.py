"""Routes of the messaging pages under /messages/ (part "send"; combined in messaging/urls.py)."""

from django.urls import path

from . import views_send as views

urlpatterns: list = [
    path("", views.message_list, name="message_list"),
    path("new/", views.compose, name="compose"),
    path("<int:pk>/", views.message_detail, name="message_detail"),
    path("<int:pk>/tracking/", views.message_tracking, name="message_tracking"),
    path("<int:pk>/cancel/", views.message_cancel, name="message_cancel"),
    path("tips/", views.tip_list, name="tip_list"),
    path("tips/new/", views.tip_create, name="tip_create"),
    path("tips/<int:pk>/edit/", views.tip_edit, name="tip_edit"),
    path("tips/<int:pk>/delete/", views.tip_delete, name="tip_delete"),
]
