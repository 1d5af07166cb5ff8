"""/api/v1/ routes for 党费 (to be included by config/api_urls.py)."""

from rest_framework.routers import SimpleRouter

from . import dues_api

router = SimpleRouter()
router.register("dues-payments", dues_api.DuesPaymentViewSet, basename="api-dues-payment")

urlpatterns = router.urls
