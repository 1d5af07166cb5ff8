"""/api/v1/ routes for 党费, included by branches/api_urls.py."""

from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("dues-payments", api.DuesPaymentViewSet, basename="api-dues-payment")

urlpatterns = router.urls
