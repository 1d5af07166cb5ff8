"""/api/v1/ routes of the meetings app, its records (谈心谈话, 民主评议党员) included (config/api_urls.py includes this)."""

from rest_framework.routers import SimpleRouter

from . import api
from .records import api as records_api
from .votes import api as votes_api

# SimpleRouter: /api/v1/ is shared with other apps, so no router claims its root.
router = SimpleRouter()
router.register("meetings", api.MeetingViewSet, basename="api-meeting")
router.register("talks", records_api.TalkViewSet, basename="api-talk")
router.register("member-reviews", records_api.MemberReviewViewSet, basename="api-member-review")
router.register("resolutions", votes_api.ResolutionViewSet, basename="api-resolution")
router.register("elections", votes_api.ElectionViewSet, basename="api-election")

urlpatterns = router.urls
