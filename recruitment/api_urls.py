"""/api/v1/recruitment/ routes (included by config/api_urls.py)."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("people", api.PersonViewSet, basename="api-recruitment-person")
router.register("steps", api.StepViewSet, basename="api-recruitment-step")
router.register("thought-reports", api.ThoughtReportViewSet, basename="api-recruitment-thought-report")

urlpatterns = router.urls
