from django.urls import path

from . import views

app_name = "geography"
urlpatterns = [
    path("about-the-data/", views.about_data, name="about_data"),
]
