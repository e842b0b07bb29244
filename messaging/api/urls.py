"""/api/v1/ routes of messaging, from each part."""

from . import urls_follow, urls_member, urls_send

urlpatterns = [*urls_send.urlpatterns, *urls_member.urlpatterns, *urls_follow.urlpatterns]
