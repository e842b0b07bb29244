from django.urls import path

import networks.urls  # noqa: F401  (registers the "netcode" path converter)

from . import manage_api
from .api import FinderView

CODE = "<netcode:code>"

urlpatterns = [
    path("finder/", FinderView.as_view(), name="finder"),
    # Member management and counts (MANAGE)
    path(f"networks/{CODE}/members/", manage_api.MemberListView.as_view(), name="network_members"),
    path(f"networks/{CODE}/join-requests/", manage_api.JoinRequestListView.as_view(), name="network_join_requests"),
    path(
        f"networks/{CODE}/join-requests/<int:pk>/approve/",
        manage_api.JoinRequestApproveView.as_view(),
        name="join_request_approve",
    ),
    path(
        f"networks/{CODE}/join-requests/<int:pk>/decline/",
        manage_api.JoinRequestDeclineView.as_view(),
        name="join_request_decline",
    ),
    path("member-counts/", manage_api.MemberCountView.as_view(), name="member_counts"),
]
