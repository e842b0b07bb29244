"""Training URLs, part "coverage": coverage of the mandated officers, statistics, the policy."""

from django.urls import path

from . import views_coverage

urlpatterns = [
    path("coverage/", views_coverage.coverage_page, name="coverage"),
    path("coverage/export.csv", views_coverage.coverage_export, name="coverage_export"),
    path("statistics/", views_coverage.statistics_page, name="statistics"),
    path("policy/", views_coverage.policy_page, name="policy"),
]
