"""/api/v1/: each app contributes its router's URLs here."""

from django.urls import include, path

urlpatterns = [
    path("", include("geography.api.urls")),
    path("", include("networks.api.urls")),
    path("", include("members.api_urls")),
    path("", include("practices.api.urls")),
    path("", include("messaging.api.urls")),
    path("", include("training.api.urls")),
    path("", include("committee.api.urls")),
    path("", include("dashboard.api.urls")),
]
