"""/api/v1/ routes of the networks register. Shared: register your viewsets on `router`, keep the others'."""

from rest_framework.routers import DefaultRouter

from . import charters, networks, sanctions

router = DefaultRouter()
# N1: networks, area streets, partners
router.register("networks", networks.NetworkViewSet, basename="network")
router.register("area-streets", networks.AreaStreetViewSet, basename="areastreet")
router.register("partners", networks.PartnerViewSet, basename="partner")
# N2: charters, ADVP reviews, letters, sanctions
router.register("charters", charters.CharterViewSet, basename="charter")
router.register("charter-reviews", charters.CharterReviewViewSet, basename="charter-review")
router.register("letters", charters.LetterViewSet, basename="letter")
router.register("sanctions", sanctions.SanctionViewSet, basename="sanction")
urlpatterns = router.urls
