"""/api/v1/ routes for 谈心谈话 and 民主评议党员 (to be included by config/api_urls.py)."""

from rest_framework.routers import SimpleRouter

from . import records_api

router = SimpleRouter()
router.register("talks", records_api.TalkViewSet, basename="api-talk")
router.register("member-reviews", records_api.MemberReviewViewSet, basename="api-member-review")

urlpatterns = router.urls
