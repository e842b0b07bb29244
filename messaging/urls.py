"""Messaging pages: /messages/ (staff), signed member links (/m/...), the SMS gateway callback."""

from django.urls import path

from . import views_callbacks, views_links

app_name = "messaging"

urlpatterns = [
    path("sms/status/<str:token>/", views_callbacks.sms_status, name="sms_status"),
    path("m/<str:token>/rate/<str:verdict>/", views_links.rate, name="rate"),
    path("m/<str:token>/reply/", views_links.reply, name="reply"),
    path("m/<str:token>/unsubscribe/", views_links.unsubscribe, name="unsubscribe"),
]
