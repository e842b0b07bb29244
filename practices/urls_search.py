"""The public library: list and search page, Atom feed (joined into the "practices" namespace by urls.py)."""

from django.urls import path

from . import search_views

urlpatterns = [
    path("", search_views.practice_list, name="practice_list"),
    path("feed/", search_views.PracticeFeed(), name="feed"),
]
