"""REST API of the path (/api/v1/recruitment/people/, /api/v1/recruitment/steps/, /api/v1/recruitment/thought-reports/).

Thin viewsets: access through recruitment/selectors.py (branches/access.py underneath), writes through
recruitment/services.py, each list in a fixed number of queries. Outsider 404, read-only role 403 on writes, a
committee's step recorded by a branch's secretary 403, a broken rule 400 `{"detail", "errors"}`.
"""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from branches import access
from branches.api_common import AccessViewSetMixin
from common.api import error_responses, id_filter

from . import selectors, services
from .models import Person, Stage, Step, ThoughtReport
from .serializers import (
    PersonCreateSerializer,
    PersonSerializer,
    StepCreateSerializer,
    StepSerializer,
    ThoughtReportCreateSerializer,
    ThoughtReportSerializer,
)

ORG_HELP = "恰为该党支部(编码)的人员;不存在或无权查看返回 404"
UNDER_HELP = "某组织(编码)及其全部下级的人员;不存在或无权查看返回 404"


class PersonFilter(filters.FilterSet):
    org = filters.CharFilter(method="filter_org", label=ORG_HELP)
    under = filters.CharFilter(method="filter_under", label=UNDER_HELP)
    stage = filters.ChoiceFilter(choices=Stage.choices, label="阶段")
    status = filters.ChoiceFilter(choices=Person.Status.choices, label="状态")

    class Meta:
        model = Person
        fields = []

    def filter_org(self, queryset, name, value):
        return queryset.filter(branch=access.get_organization_for_user(self.request.user, value))

    def filter_under(self, queryset, name, value):
        organization = access.get_organization_for_user(self.request.user, value)
        return queryset.filter(branch__path__startswith=organization.path)


class ThoughtReportFilter(filters.FilterSet):
    person = id_filter(field_name="person_id", label="人员 id")

    class Meta:
        model = ThoughtReport
        fields = []


class StepFilter(filters.FilterSet):
    person = id_filter(field_name="person_id", label="人员 id")
    number = filters.NumberFilter(field_name="number", label="步骤序号")

    class Meta:
        model = Step
        fields = []


def _person_for_user(user, pk, *, write=False):
    return selectors.get_person_for_user(user, pk, write=write)


def _step_for_user(user, pk, *, write=False):
    return selectors.get_step_for_user(user, pk, write=write)


def _report_for_user(user, pk, *, write=False):
    return selectors.get_report_for_user(user, pk, write=write)


@extend_schema(tags=["发展党员"])
@extend_schema_view(
    list=extend_schema(
        summary="可见的发展党员人员",
        description="只列出当前用户有权查看的党支部的人员;next_steps 为现在可记录的步骤及截止日期。",
        responses={200: PersonSerializer(many=True), **error_responses(400, 403, 404)},
    ),
    retrieve=extend_schema(summary="人员详情", responses={200: PersonSerializer, **error_responses(403, 404)}),
    create=extend_schema(
        summary="登记入党申请人(第1步)",
        description="递交申请书时须年满18岁;同一身份证号码只能有一条在培养的记录。",
        request=PersonCreateSerializer,
        responses={201: PersonSerializer, **error_responses(400, 403, 404)},
    ),
    record_step=extend_schema(
        summary="记录一个步骤",
        description="经过全部程序和期限校验(《发展党员工作细则》);备案、预审、谈话、审批由上级党委记录,支部书记 403。"
        "第17步审批后自动建立预备党员档案,第24步转为正式党员。",
        request=StepCreateSerializer,
        responses={201: StepSerializer, **error_responses(400, 403, 404)},
    ),
    record_thought_report=extend_schema(
        summary="记录一份思想汇报",
        description="本地规定:入党积极分子、发展对象和预备党员每季度书面汇报一次;每季度一份,补交的记入所欠季度。",
        request=ThoughtReportCreateSerializer,
        responses={201: ThoughtReportSerializer, **error_responses(400, 403, 404)},
    ),
)
class PersonViewSet(AccessViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    lookup_value_regex = r"\d+"
    access_helper = staticmethod(_person_for_user)
    queryset = Person.objects.none()

    def get_queryset(self):
        return selectors.person_queryset().filter(selectors.visible_people_q(self.request.user)).order_by("name", "id")

    def create(self, request, *args, **kwargs):
        serializer = PersonCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        branch = data.pop("org")
        person = services.person_create(branch=branch, user=request.user, **data)
        fresh = selectors.person_queryset().get(pk=person.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="steps")
    def record_step(self, request, pk=None):
        person = self.get_found_object()
        serializer = StepCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["meeting"] = serializer.meeting_for(person, data.get("meeting"))
        number, day = data.pop("number"), data.pop("date")
        step = services.step_record(person=person, number=number, date=day, user=request.user, **data)
        fresh = Step.objects.select_related("organization", "recorded_by").get(pk=step.pk)
        return Response(StepSerializer(fresh).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="thought-reports")
    def record_thought_report(self, request, pk=None):
        person = self.get_found_object()
        serializer = ThoughtReportCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        report = services.thought_report_record(person=person, user=request.user, **serializer.validated_data)
        fresh = selectors.report_queryset().get(pk=report.pk)
        return Response(ThoughtReportSerializer(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["发展党员"])
@extend_schema_view(
    list=extend_schema(
        summary="可见的发展党员步骤记录",
        responses={200: StepSerializer(many=True), **error_responses(400, 403, 404)},
    ),
    retrieve=extend_schema(summary="步骤记录详情", responses={200: StepSerializer, **error_responses(403, 404)}),
)
class StepViewSet(AccessViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = StepSerializer
    filterset_class = StepFilter
    lookup_value_regex = r"\d+"
    access_helper = staticmethod(_step_for_user)
    queryset = Step.objects.none()

    def get_queryset(self):
        return (
            Step.objects.filter(selectors.visible_people_q(self.request.user, "person__"))
            .select_related("organization", "recorded_by")
            .order_by("person_id", "date", "number", "id")
        )

    def get_detail_object(self, found):
        return self.get_queryset().get(pk=found.pk)


@extend_schema(tags=["发展党员"])
@extend_schema_view(
    list=extend_schema(
        summary="可见的思想汇报记录",
        description="本地规定的季度思想汇报;只列出当前用户有权查看的党支部的人员的记录。",
        responses={200: ThoughtReportSerializer(many=True), **error_responses(400, 403, 404)},
    ),
    retrieve=extend_schema(
        summary="思想汇报记录详情", responses={200: ThoughtReportSerializer, **error_responses(403, 404)}
    ),
)
class ThoughtReportViewSet(
    AccessViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ThoughtReportSerializer
    filterset_class = ThoughtReportFilter
    lookup_value_regex = r"\d+"
    access_helper = staticmethod(_report_for_user)
    queryset = ThoughtReport.objects.none()

    def get_queryset(self):
        visible = selectors.visible_people_q(self.request.user, "person__")
        return selectors.report_queryset().filter(visible).order_by("person_id", "quarter", "id")

    def get_detail_object(self, found):
        return self.get_queryset().get(pk=found.pk)
