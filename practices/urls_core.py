"""The work on practices (joined with the search pages into the "practices" namespace by practices/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("new/", views.practice_create, name="practice_create"),
    path("mine/", views.my_practices, name="my_practices"),
    path("moderation/", views.moderation_queue, name="moderation_queue"),
    path("<int:pk>/", views.practice_detail, name="practice_detail"),
    path("<int:pk>/print/", views.practice_print, name="practice_print"),
    path("<int:pk>/edit/", views.practice_edit, name="practice_edit"),
    path("<int:pk>/submit/", views.practice_submit, name="practice_submit"),
    path("<int:pk>/comment/", views.practice_comment, name="practice_comment"),
    path("<int:pk>/request-changes/", views.practice_request_changes, name="practice_request_changes"),
    path("<int:pk>/publish/", views.practice_publish, name="practice_publish"),
    path("<int:pk>/archive/", views.practice_archive, name="practice_archive"),
    path("<int:pk>/translate/", views.practice_translate, name="practice_translate"),
    path("<int:pk>/helpful/", views.helpful, name="practice_helpful"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/attachments/<int:attachment_pk>/remove/", views.attachment_remove, name="attachment_remove"),
]
