from django.urls import path

from . import views

app_name = "geography"
urlpatterns = [
    path("", views.index, name="index"),
    path("municipalities/", views.municipality_list, name="municipality_list"),
    path("municipalities/<int:pk>/", views.municipality_detail, name="municipality_detail"),
    path("municipalities.geojson", views.municipalities_geojson, name="municipalities_geojson"),
    path("zones/", views.zone_list, name="zone_list"),
    path("zones/<int:pk>/", views.zone_detail, name="zone_detail"),
    path("zones/<int:pk>/edit/", views.zone_edit, name="zone_edit"),
    path("zones/<int:pk>/merge/", views.zone_merge_view, name="zone_merge"),
    path("zones.geojson", views.zones_geojson, name="zones_geojson"),
    path("academies/", views.academy_list, name="academy_list"),
    path("academies/<int:pk>/", views.academy_detail, name="academy_detail"),
    path("map/", views.map_view, name="map"),
    path("about-the-data/", views.about_data, name="about_data"),
]
