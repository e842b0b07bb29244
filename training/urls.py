"""Training pages under /training/. Each part lives in its own module."""

from django.urls import path  # noqa: F401

from . import urls_course, urls_coverage, urls_enrol, urls_session

app_name = "training"

urlpatterns = [
    *urls_course.urlpatterns,
    *urls_session.urlpatterns,
    *urls_enrol.urlpatterns,
    *urls_coverage.urlpatterns,
]
