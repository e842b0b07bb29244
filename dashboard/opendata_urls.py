"""/statistics/: the public statistics page and the open data (downloads and data dictionary)."""

from django.urls import path

from . import opendata_views

urlpatterns = [
    path("", opendata_views.statistics_page, name="public_statistics"),
    path("open-data/", opendata_views.open_data_page, name="open_data"),
    path("open-data/<str:level>.csv", opendata_views.open_data_csv, name="open_data_csv"),
    path("open-data/<str:level>.json", opendata_views.open_data_json, name="open_data_json"),
]
