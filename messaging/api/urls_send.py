"""/api/v1/ routes of messaging (part "send"; combined in messaging/api/urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import send

router = SimpleRouter()
router.register("tips", send.TipViewSet, basename="messaging_tip")

urlpatterns: list = [
    path("messages/", send.SentMessageListView.as_view(), name="messaging_message_list"),
    path("messages/preview/", send.MessagePreviewView.as_view(), name="messaging_message_preview"),
    path("messages/<int:pk>/", send.SentMessageDetailView.as_view(), name="messaging_message_detail"),
    path("messages/<int:pk>/cancel/", send.SentMessageCancelView.as_view(), name="messaging_message_cancel"),
    *router.urls,
]
