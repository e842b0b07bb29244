"""/members/: member management for coordinators and mandated officers, member counts for those who see networks."""

from django.urls import path

import networks.urls  # noqa: F401  (registers the "netcode" path converter)

from . import manage_views as views

app_name = "members_manage"
urlpatterns = [
    path("", views.members_index, name="index"),
    path("counts/", views.member_counts, name="counts"),
    path("counts.csv", views.member_counts_csv, name="counts_csv"),
    path("networks/<netcode:code>/", views.member_list, name="member_list"),
    path("networks/<netcode:code>/export.<str:file_format>", views.member_export, name="member_export"),
    path("networks/<netcode:code>/add/", views.member_add, name="member_add"),
    path("networks/<netcode:code>/figures/", views.member_figures, name="member_figures"),
    path("networks/<netcode:code>/requests/", views.request_list, name="request_list"),
    path("networks/<netcode:code>/requests/<int:pk>/approve/", views.request_approve, name="request_approve"),
    path("networks/<netcode:code>/requests/<int:pk>/decline/", views.request_decline, name="request_decline"),
    path("networks/<netcode:code>/requests/<int:pk>/cancel/", views.request_cancel, name="request_cancel"),
    path("<int:pk>/", views.member_detail, name="member_detail"),
    path("memberships/<int:pk>/sanction/", views.membership_sanction, name="membership_sanction"),
    path("memberships/<int:pk>/lift/", views.membership_lift, name="membership_lift"),
]
