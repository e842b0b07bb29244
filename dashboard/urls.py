"""/statistics/…: the public statistics and open data (opendata_urls), the dashboards (views_dashboard) and the
annual reports (views_report)."""

from django.urls import include, path

from . import views_dashboard, views_report

app_name = "dashboard"

urlpatterns = [
    path("dashboard/", views_dashboard.board_page, name="board"),
    path("dashboard/map.geojson", views_dashboard.board_geojson, name="board_geojson"),
    path("reports/", views_report.report_list, name="report_list"),
    path("reports/start/", views_report.report_start, name="report_start"),
    path("reports/<int:year>/", views_report.report_detail, name="report_detail"),
    path("reports/<int:year>/edit/", views_report.report_edit, name="report_edit"),
    path("reports/<int:year>/freeze/", views_report.report_freeze, name="report_freeze"),
    path("reports/<int:year>/delete/", views_report.report_delete, name="report_delete"),
    path("reports/<int:year>/report-<str:language>.pdf", views_report.report_pdf_download, name="report_pdf"),
    path("", include("dashboard.opendata_urls")),
]
