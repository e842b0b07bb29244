from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("provinces", views.ProvinceViewSet, basename="province")
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("police-zones", views.PoliceZoneViewSet, basename="policezone")
router.register("postal-codes", views.PostalCodeViewSet, basename="postalcode")
router.register("academies", views.AcademyViewSet, basename="academy")
urlpatterns = router.urls
