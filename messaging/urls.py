"""Messaging pages under /messages/: sending and following messages (staff), members' signed links (/messages/m/…),
the SMS gateway callback. Each part lives in its own module."""

from django.urls import path

from . import urls_follow, urls_member, urls_send, views_callbacks, views_links

app_name = "messaging"

urlpatterns = [
    path("sms/status/<str:token>/", views_callbacks.sms_status, name="sms_status"),
    path("m/<str:token>/rate/<str:verdict>/", views_links.rate, name="rate"),
    path("m/<str:token>/reply/", views_links.reply, name="reply"),
    path("m/<str:token>/unsubscribe/", views_links.unsubscribe, name="unsubscribe"),
    *urls_send.urlpatterns,
    *urls_member.urlpatterns,
    *urls_follow.urlpatterns,
]
