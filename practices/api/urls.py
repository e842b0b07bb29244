"""/api/v1/ routes of the good practices."""

from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("practices", views.PracticeViewSet, basename="practice")
urlpatterns = router.urls
