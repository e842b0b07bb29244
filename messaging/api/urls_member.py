"""/api/v1/ routes of messaging (part "member"; combined in messaging/api/urls.py): members' reports and replies."""

from django.urls import path

from . import member

urlpatterns = [
    path("reports/", member.ReportListView.as_view(), name="messaging_report_list"),
    path("reports/<int:pk>/", member.ReportDetailView.as_view(), name="messaging_report_detail"),
    path("reports/<int:pk>/acknowledge/", member.ReportAcknowledgeView.as_view(), name="messaging_report_acknowledge"),
    path("reports/<int:pk>/answer/", member.ReportAnswerView.as_view(), name="messaging_report_answer"),
    path("reports/<int:pk>/close/", member.ReportCloseView.as_view(), name="messaging_report_close"),
    path("replies/", member.ReplyListView.as_view(), name="messaging_reply_list"),
]
