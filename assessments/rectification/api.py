"""REST API of 整改 (/api/v1/rectification-items/): the items a user may see, one with its history, and its steps.

Access as in the pages: readers of the organization read (outsider 404); the organization reports (SASAC 403);
the superior committee confirms, dismisses, sends back and closes (anyone else who reads the item: 403).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from branches.api_common import AccessViewSetMixin
from common.api import error_responses

from ..inspections.access import RunsRoundsOrReadOnly
from . import selectors, services
from .models import RectificationEvent, RectificationItem
from .serializers import (
    CloseSerializer,
    ConfirmSerializer,
    ItemDetailSerializer,
    ItemSerializer,
    ReasonSerializer,
    ReportSerializer,
)

STEP_ERRORS = error_responses(400, 403, 404)


@extend_schema(tags=["整改"])
@extend_schema_view(
    list=extend_schema(responses={200: ItemSerializer(many=True), **error_responses(400, 403, 404)}),
    retrieve=extend_schema(responses={200: ItemDetailSerializer, **error_responses(403, 404)}),
)
class RectificationItemViewSet(
    AccessViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ItemSerializer
    lookup_value_regex = r"\d+"
    access_helper = staticmethod(selectors.get_item_for_user)
    permission_classes = [IsAuthenticated, RunsRoundsOrReadOnly]  # SASAC verifies its own rounds' problems only
    queryset = RectificationItem.objects.none()

    def get_queryset(self):
        return selectors.item_list(self.request.user).order_by("organization__path", "deadline", "id")

    def get_serializer_class(self):
        return ItemDetailSerializer if self.action == "retrieve" else ItemSerializer

    def get_detail_object(self, found):
        events = RectificationEvent.objects.select_related("user").prefetch_related("evidence")
        return (
            RectificationItem.objects.with_parties()
            .prefetch_related(Prefetch("events", queryset=events))
            .get(pk=found.pk)
        )

    def _verifier(self):
        item = selectors.get_item_for_user(self.request.user, self.kwargs["pk"])
        if not services.may_verify(self.request.user, item):
            raise PermissionDenied("只有督办党组织可以确认、核验或退回整改事项。")
        return item

    def _step(self, item, serializer_class, call):
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        call(item, **serializer.validated_data)
        return Response(ItemDetailSerializer(self.get_detail_object(item)).data)

    @extend_schema(request=ReportSerializer, responses={200: ItemDetailSerializer, **STEP_ERRORS})
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        item = self.get_found_object()
        return self._step(item, ReportSerializer, lambda i, **d: services.item_report(item=i, user=request.user, **d))

    @extend_schema(request=ConfirmSerializer, responses={200: ItemDetailSerializer, **STEP_ERRORS})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        today = timezone.localdate()
        return self._step(
            self._verifier(),
            ConfirmSerializer,
            lambda i, **d: services.item_confirm(item=i, user=request.user, today=today, **d),
        )

    @extend_schema(request=ReasonSerializer, responses={200: ItemDetailSerializer, **STEP_ERRORS})
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        call = lambda i, **d: services.item_dismiss(item=i, user=request.user, **d)  # noqa: E731
        return self._step(self._verifier(), ReasonSerializer, call)

    @extend_schema(request=ReasonSerializer, responses={200: ItemDetailSerializer, **STEP_ERRORS})
    @action(detail=True, methods=["post"], url_path="return")
    def send_back(self, request, pk=None):
        call = lambda i, **d: services.item_return(item=i, user=request.user, **d)  # noqa: E731
        return self._step(self._verifier(), ReasonSerializer, call)

    @extend_schema(request=CloseSerializer, responses={200: ItemDetailSerializer, **STEP_ERRORS})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        call = lambda i, **d: services.item_close(item=i, user=request.user, **d)  # noqa: E731
        return self._step(self._verifier(), CloseSerializer, call)
