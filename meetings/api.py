"""REST API for meetings (/api/v1/meetings/): plan, edit while not archived, hold, archive, attendance, amendments.

Thin: access through selectors.get_meeting_for_user / branches.access (branches/api_common.py wires it in), writes
through meetings/services.py, lists in a fixed number of queries. Answers: outsider 404, read-only role 403 on any
write, broken rule 400 `{"detail", "errors"}`, and **409** when the meeting is archived (the record is locked; a
correction is an amendment: POST .../amendments/).
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.response import Response

from branches import access
from branches.api_common import AccessViewSetMixin
from common.api import DetailSerializer, PartialUpdateMixin, error_responses

from . import selectors, services
from .models import Meeting
from .serializers import (
    AmendmentCreateSerializer,
    AmendmentSerializer,
    AttendanceListSerializer,
    AttendancePutSerializer,
    AttendanceSerializer,
    MeetingCreateSerializer,
    MeetingHoldSerializer,
    MeetingSerializer,
    MeetingUpdateSerializer,
    QuorumSerializer,
)


class Archived(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "会议记录已归档,不能修改;如需更正,请添加更正说明。"
    default_code = "archived"


ARCHIVED_RESPONSE = {
    409: OpenApiResponse(DetailSerializer, description="会议已归档:记录锁定,不能修改、删除或变更出席;请添加更正说明。")
}


def _call(service, **kwargs):
    """Run a service; its locked-archive refusal answers 409, every other broken rule 400."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        if getattr(error, "code", None) == "archived":
            raise Archived(error.messages[0]) from error
        raise


class MeetingFilter(filters.FilterSet):
    org = filters.CharFilter(method="filter_org", label="恰为该组织(编码)的会议,不含下级;无权查看时返回 404")
    under = filters.CharFilter(method="filter_under", label="某组织(编码)及其全部下级的会议;无权查看时返回 404")
    kind = filters.ChoiceFilter(choices=Meeting.Kind.choices, label="会议类型")
    status = filters.ChoiceFilter(choices=Meeting.Status.choices, label="状态")
    date_from = filters.DateFilter(field_name="date", lookup_expr="gte", label="会议日期不早于(YYYY-MM-DD)")
    date_to = filters.DateFilter(field_name="date", lookup_expr="lte", label="会议日期不晚于(YYYY-MM-DD)")
    search = filters.CharFilter(method="filter_search", label="按主题、地点搜索")

    class Meta:
        model = Meeting
        fields = []

    def filter_org(self, queryset, name, value):
        return queryset.filter(organization=access.get_organization_for_user(self.request.user, value))

    def filter_under(self, queryset, name, value):
        organization = access.get_organization_for_user(self.request.user, value)
        return queryset.filter(organization__path__startswith=organization.path)

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(topic__icontains=value) | Q(place__icontains=value))


_E = error_responses
_MEETING_200 = {200: MeetingSerializer}


@extend_schema(tags=["会议"])
@extend_schema_view(
    list=extend_schema(
        summary="可见的会议",
        description="只列出当前用户有权查看的组织的会议,按日期倒序。应到/实到由出席记录计算。",
        responses={200: MeetingSerializer(many=True), **_E(400, 403, 404)},
    ),
    retrieve=extend_schema(summary="会议详情", responses={**_MEETING_200, **_E(403, 404)}),
    create=extend_schema(
        summary="安排会议(计划)",
        description="参会名单按会议日期的组织关系自动生成:支委会为当届委员,党小组会为该小组党员,其他为支部党员。",
        request=MeetingCreateSerializer,
        responses={201: MeetingSerializer, **_E(400, 403, 404)},
    ),
    partial_update=extend_schema(
        summary="修改会议(未归档)",
        description="计划中或已召开的会议可以修改;已归档返回 409。修改计划中会议的日期会按新日期重新生成参会名单。",
        request=MeetingUpdateSerializer,
        responses={**_MEETING_200, **_E(400, 403, 404), **ARCHIVED_RESPONSE},
    ),
    # PUT answers 405 (see update()): left out of the schema, which documents only what the API does.
    update=extend_schema(exclude=True),
    destroy=extend_schema(
        summary="删除会议计划",
        description="只能删除计划中的会议;已召开的返回 400,已归档的返回 409。",
        responses={204: None, **_E(400, 403, 404), **ARCHIVED_RESPONSE},
    ),
)
class MeetingViewSet(
    PartialUpdateMixin,
    AccessViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    lookup_value_regex = r"\d+"
    access_helper = staticmethod(selectors.get_meeting_for_user)
    queryset = Meeting.objects.none()  # for the schema; get_queryset() is what runs
    http_method_names = ["get", "post", "patch", "put", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.meeting_api_rows(selectors.meeting_list(self.request.user))

    def get_detail_object(self, found):
        return selectors.meeting_api_rows(selectors.meeting_list(self.request.user).filter(pk=found.pk)).get()

    def _answer(self, meeting, status_code=status.HTTP_200_OK):
        fresh = self.get_detail_object(meeting)
        return Response(MeetingSerializer(fresh, context=self.get_serializer_context()).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = MeetingCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        meeting = services.meeting_plan(user=request.user, **serializer.validated_data)
        return self._answer(meeting, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        if not partial:
            # A meeting is changed field by field (PATCH); a whole-record PUT would silently blank the record.
            return self.http_method_not_allowed(request, *args, **kwargs)
        meeting = self.get_found_object()
        serializer = MeetingUpdateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        _call(services.meeting_update, meeting=meeting, user=request.user, **serializer.validated_data)
        return self._answer(meeting)

    def perform_destroy(self, instance):
        _call(services.meeting_delete, meeting=instance, user=self.request.user)

    @extend_schema(
        summary="登记召开",
        description="把计划中的会议登记为已召开,同时记录出席(absent 中为缺席,其他人出席)和会议记录。"
        "会议日期不能晚于今天;党课须有授课人;到会人数不足时填写决议返回 400。",
        request=MeetingHoldSerializer,
        responses={**_MEETING_200, **_E(400, 403, 404), **ARCHIVED_RESPONSE},
    )
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        meeting = self.get_found_object()
        serializer = MeetingHoldSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        fields = {k: v for k, v in serializer.validated_data.items() if k != "absent"}
        _call(services.meeting_hold, meeting=meeting, user=request.user, absent=serializer.absent_map(), **fields)
        return self._answer(meeting)

    @extend_schema(
        summary="归档",
        description="已召开且记录完整(主持人、记录人、议题、出席情况、会议内容)的会议归档后锁定,之后只能添加更正说明;"
        "记录不完整时答 400,errors 逐项写明缺什么。",
        request=None,
        responses={**_MEETING_200, **_E(400, 403, 404), **ARCHIVED_RESPONSE},
    )
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        meeting = self.get_found_object()
        _call(services.meeting_archive, meeting=meeting, user=request.user, complete=True)
        return self._answer(meeting)

    @extend_schema(
        methods=["GET"],
        summary="出席情况",
        responses={200: AttendanceListSerializer, **_E(403, 404)},
    )
    @extend_schema(
        methods=["PUT"],
        summary="记录出席情况",
        description="整体替换:absent 中的党员记为缺席(须有原因),名单中其他人记为出席。已归档返回 409。",
        request=AttendancePutSerializer,
        responses={200: AttendanceListSerializer, **_E(400, 403, 404), **ARCHIVED_RESPONSE},
    )
    @action(detail=True, methods=["get", "put"])
    def attendance(self, request, pk=None):
        meeting = self.get_object()
        if request.method == "PUT":
            serializer = AttendancePutSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            _call(services.attendance_record, meeting=meeting, absent=serializer.absent_map(), user=request.user)
            meeting = selectors.get_meeting_for_user(request.user, meeting.pk)
        quorum = services.quorum(meeting)
        return Response(
            {
                "expected_count": meeting.expected_count,
                "present_count": meeting.present_count,
                "quorum": QuorumSerializer(quorum).data if quorum else None,
                "rows": AttendanceSerializer(selectors.attendance_rows(meeting), many=True).data,
            }
        )

    @extend_schema(methods=["GET"], summary="更正说明", responses={200: AmendmentSerializer(many=True), **_E(403, 404)})
    @extend_schema(
        methods=["POST"],
        summary="添加更正说明",
        description="只用于已归档的会议:记录本身不改,更正(谁、何时、原因、{字段: [原值, 新值]})显示在记录下方。"
        "未归档的会议请直接修改(返回 400)。",
        request=AmendmentCreateSerializer,
        responses={201: AmendmentSerializer, **_E(400, 403, 404)},
    )
    # The amendments of one meeting are few and come whole: no pagination, and none of the meeting list's filters
    # (the schema said otherwise until the API fuzz test compared it with the answers).
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def amendments(self, request, pk=None):
        meeting = self.get_object()
        if request.method == "POST":
            serializer = AmendmentCreateSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            amendment = services.meeting_amend(meeting=meeting, user=request.user, **serializer.validated_data)
            return Response(AmendmentSerializer(amendment).data, status=status.HTTP_201_CREATED)
        rows = meeting.amendments.select_related("created_by").order_by("created_at", "id")
        return Response(AmendmentSerializer(rows, many=True).data)
