"""URLs of the benchmark server: the site's own, plus one trivial API view — the framework's floor that the finder's
throughput is printed beside (same middleware, DRF, JSON rendering; no database, no work)."""

from django.urls import include, path
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView


class PingView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"ok": True})


urlpatterns = [
    path("bench/ping/", PingView.as_view(), name="bench_ping"),
    path("", include("config.urls")),
]
