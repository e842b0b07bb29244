"""/api/v1/ routes of messaging (part "follow"; combined in messaging/api/urls.py)."""

from django.urls import path

import networks.urls  # noqa: F401  (registers the "netcode" path converter)

from . import follow

urlpatterns = [
    path("message-statistics/", follow.MessageStatisticsView.as_view(), name="message_statistics"),
    path("networks/<netcode:code>/message-log/", follow.NetworkMessageLogView.as_view(), name="network_message_log"),
]
