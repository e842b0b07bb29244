"""Routes of the messaging pages under /messages/ (part "follow"; combined in messaging/urls.py)."""

from django.urls import path

import networks.urls  # noqa: F401  (registers the "netcode" path converter)

from . import views_follow as views

urlpatterns = [
    path("feedback/", views.feedback_due, name="feedback_due"),
    path("networks/<netcode:code>/log/", views.network_log, name="network_log"),
    path("networks/<netcode:code>/problems/", views.network_problems, name="network_problems"),
    path("statistics/", views.statistics, name="statistics"),
]
