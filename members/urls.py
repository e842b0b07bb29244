from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.find, name="find"),
    path("map/", views.public_map, name="map"),
    path("networks.geojson", views.networks_geojson, name="networks_geojson"),
]
