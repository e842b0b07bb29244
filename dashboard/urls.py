"""/statistics/…: the public statistics and open data (opendata_urls); the dashboards join here."""

from django.urls import include, path

app_name = "dashboard"

urlpatterns = [
    path("", include("dashboard.opendata_urls")),
]
