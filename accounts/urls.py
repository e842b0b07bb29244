from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("language/", views.set_language, name="set_language"),
    path("profile/", views.profile, name="profile"),
]
