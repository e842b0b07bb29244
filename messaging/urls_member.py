"""Routes of the messaging pages under /messages/ (part "member"; combined in messaging/urls.py): the zone's reports
inbox and the senders' replies inbox."""

from django.urls import path

from . import views_member as views

urlpatterns = [
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/acknowledge/", views.report_acknowledge, name="report_acknowledge"),
    path("reports/<int:pk>/answer/", views.report_answer, name="report_answer"),
    path("reports/<int:pk>/close/", views.report_close, name="report_close"),
    path("replies/", views.reply_list, name="reply_list"),
    path("replies/<int:pk>/read/", views.reply_read, name="reply_read"),
]
