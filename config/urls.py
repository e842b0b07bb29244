from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.views_health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("core.urls")),
    path("geography/", include("geography.urls")),
    path("accounts/", include("accounts.urls")),
    path("networks/", include("networks.urls")),
    path("find/", include("members.urls")),
    path("join/", include("members.urls_join")),
    path("me/", include("messaging.urls_portal")),
    path("me/", include("members.urls_portal")),
    path("members/", include("members.urls_manage")),
    path("practices/", include("practices.urls")),
    path("messages/", include("messaging.urls")),
    path("training/", include("training.urls")),
    path("committee/", include("committee.urls")),
    path("statistics/", include("dashboard.urls")),
    path("accounts/", include("allauth.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("django-admin/", admin.site.urls),
]

handler403 = "core.errors.permission_denied"
handler404 = "core.errors.page_not_found"
handler429 = "core.errors.too_many_requests"  # allauth answers its rate limits with this
handler500 = "core.errors.server_error"
