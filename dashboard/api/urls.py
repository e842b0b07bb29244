"""/api/v1/…: the dashboard app's endpoints (open data)."""

from django.urls import path

from . import opendata_views

urlpatterns = [
    path("open-data/", opendata_views.OpenDataIndexView.as_view(), name="open_data_index"),
    path("open-data/<str:level>/", opendata_views.OpenDataLevelView.as_view(), name="open_data_level"),
]
