"""/api/v1/…: the dashboard app's endpoints (open data, annual reports)."""

from django.urls import path

from . import opendata_views, report_views

urlpatterns = [
    path("open-data/", opendata_views.OpenDataIndexView.as_view(), name="open_data_index"),
    path("open-data/<str:level>/", opendata_views.OpenDataLevelView.as_view(), name="open_data_level"),
    path("annual-reports/", report_views.AnnualReportListView.as_view(), name="annual_report_list"),
    path("annual-reports/<int:year>/", report_views.AnnualReportDetailView.as_view(), name="annual_report_detail"),
    path(
        "annual-reports/<int:year>/freeze/",
        report_views.AnnualReportFreezeView.as_view(),
        name="annual_report_freeze",
    ),
]
