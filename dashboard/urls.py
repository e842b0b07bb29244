"""/statistics/…: the public statistics and open data (opendata_urls), and the dashboards (views_dashboard)."""

from django.urls import include, path

from . import views_dashboard

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", views_dashboard.board_page, name="board"),
    path("dashboard/map.geojson", views_dashboard.board_geojson, name="board_geojson"),
    path("", include("dashboard.opendata_urls")),
]
