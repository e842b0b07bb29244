"""/join/: the public join flow, the privacy notice and internal rules, and publishing new versions of them."""

from django.urls import path

from . import views_join as views

app_name = "members_join"
urlpatterns = [
    path("", views.join_index, name="index"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("documents/privacy/", views.privacy, name="privacy"),
    path("documents/rules/", views.rules, name="rules"),
    path("documents/<str:kind>/publish/", views.document_publish, name="document_publish"),
    path("documents/privacy/<str:version>/", views.privacy, name="privacy_version"),
    path("documents/rules/<str:version>/", views.rules, name="rules_version"),
    path("<str:code>/", views.join, name="join"),
    path("<str:code>/sent/", views.join_sent, name="join_sent"),
    path("<str:code>/rules/", views.network_rules, name="network_rules"),
    path("<str:code>/rules/publish/", views.network_rules_publish, name="network_rules_publish"),
    path("<str:code>/rules/<str:version>/", views.network_rules, name="network_rules_version"),
]
