"""Member portal pages of messaging, mounted under /me/ (inbox, reports)."""

from django.urls import path

from . import views_portal as views

app_name = "messaging_portal"

urlpatterns = [
    path("messages/", views.inbox, name="inbox"),
    path("messages/<int:pk>/", views.inbox_message, name="inbox_message"),
    path("messages/<int:pk>/rate/", views.inbox_rate, name="inbox_rate"),
    path("messages/<int:pk>/reply/", views.inbox_reply, name="inbox_reply"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_new, name="report_new"),
]
