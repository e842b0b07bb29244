from django.urls import path  # noqa: F401

app_name = "members_manage"
urlpatterns: list = []
