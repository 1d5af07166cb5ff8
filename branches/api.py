"""REST API for organizations, members and committee terms (/api/v1/).

Thin viewsets: access through branches/access.py (branches/api_common.py wires it in), writes through
branches/services.py, every list in a fixed number of queries. Answers: outsider 404, read-only role 403 on any
write, broken rule 400 `{"detail", "errors"}` in Chinese. Organizations, groups and members named in a request
body that the user may not see give 404, the same as in the URL (a code that does not exist gives 404 too).
"""

from django.db.models import Q
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.tokens import token_issue
from common.api import ApiErrorsMixin, PartialUpdateMixin, error_responses

from . import access, selectors, services
from .api_common import AccessViewSetMixin
from .models import CommitteeTerm, IdNumberAccess, Member, Organization
from .selectors import member_detail, organization_rows, term_rows
from .serializers import (
    MemberCreateSerializer,
    MemberDetailSerializer,
    MemberSerializer,
    MemberTransferSerializer,
    MemberUpdateSerializer,
    OrganizationCreateSerializer,
    OrganizationSerializer,
    OrganizationUpdateSerializer,
    TermCreateSerializer,
    TermEarlyElectionSerializer,
    TermExtendSerializer,
    TermSerializer,
)

REVEAL_ID_PARAMETER = OpenApiParameter(
    "reveal_id",
    bool,
    description="true/1:返回完整身份证号码(仅党委工作人员与管理员;每次均记入身份证号码查看记录;其他角色 403)",
)
UNDER_HELP = "某组织(编码)及其全部下级;组织不存在或无权查看时返回 404"


def _visible_org(request, code: str) -> Organization:
    return access.get_organization_for_user(request.user, code)


# ----- filters -----


class OrganizationFilter(filters.FilterSet):
    under = filters.CharFilter(method="filter_under", label=UNDER_HELP)
    kind = filters.ChoiceFilter(choices=Organization.Kind.choices, label="组织类别")
    status = filters.ChoiceFilter(choices=Organization.Status.choices, label="状态")
    enterprise = filters.CharFilter(field_name="enterprise__code", label="所属企业编码")
    search = filters.CharFilter(method="filter_search", label="按组织名称或编码搜索")

    class Meta:
        model = Organization
        fields = []

    def filter_under(self, queryset, name, value):
        return queryset.filter(path__startswith=_visible_org(self.request, value).path)

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class MemberFilter(filters.FilterSet):
    org = filters.CharFilter(method="filter_org", label="恰为该党支部(或党小组)的党员,不含下级;无权查看时返回 404")
    under = filters.CharFilter(method="filter_under", label=UNDER_HELP)
    category = filters.ChoiceFilter(choices=Member.Category.choices, label="党员类别")
    status = filters.ChoiceFilter(choices=Member.Status.choices, label="党籍状态")
    search = filters.CharFilter(method="filter_search", label="按姓名、职务或联系电话搜索")

    class Meta:
        model = Member
        fields = []

    def filter_org(self, queryset, name, value):
        organization = _visible_org(self.request, value)
        return queryset.filter(Q(organization=organization) | Q(group=organization))

    def filter_under(self, queryset, name, value):
        organization = _visible_org(self.request, value)
        return queryset.filter(Q(organization__path__startswith=organization.path) | Q(group=organization))

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(position__icontains=value) | Q(phone__icontains=value))


class TermFilter(filters.FilterSet):
    org = filters.CharFilter(method="filter_org", label="该组织(编码)的届次;无权查看时返回 404")
    under = filters.CharFilter(method="filter_under", label=UNDER_HELP)
    current = filters.BooleanFilter(method="filter_current", label="true 只列本届,false 只列往届")

    class Meta:
        model = CommitteeTerm
        fields = []

    def filter_org(self, queryset, name, value):
        return queryset.filter(organization=_visible_org(self.request, value))

    def filter_under(self, queryset, name, value):
        return queryset.filter(organization__path__startswith=_visible_org(self.request, value).path)

    def filter_current(self, queryset, name, value):
        return queryset.filter(ended_on__isnull=value)


# ----- viewsets -----


@extend_schema(tags=["认证"])
class TokenView(ApiErrorsMixin, ObtainAuthToken):
    @extend_schema(
        summary="获取 API 令牌",
        description="用用户名和密码换取令牌;之后在请求头中带 `Authorization: Token <令牌>`。",
        responses={200: ObtainAuthToken.serializer_class, **error_responses(400)},
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # A fresh token when the old one has expired (accounts.tokens, issue 12 point 6).
        return Response({"token": token_issue(user=serializer.validated_data["user"]).key})


@extend_schema(tags=["党组织"])
@extend_schema_view(
    list=extend_schema(
        summary="可见的党组织",
        description="只列出当前用户有权查看的组织(按树的顺序)。",
        responses={200: OrganizationSerializer(many=True), **error_responses(400, 403, 404)},
    ),
    retrieve=extend_schema(summary="党组织详情", responses={200: OrganizationSerializer, **error_responses(403, 404)}),
    create=extend_schema(
        summary="新建下级组织",
        description="需要上级组织的维护权限;上级组织不存在或不可见返回 404,只读角色返回 403。",
        request=OrganizationCreateSerializer,
        responses={201: OrganizationSerializer, **error_responses(400, 403, 404)},
    ),
    update=extend_schema(
        summary="修改党组织",
        description="撤销组织请把 status 改为 dissolved(不提供删除)。",
        request=OrganizationUpdateSerializer,
        responses={200: OrganizationSerializer, **error_responses(400, 403, 404)},
    ),
    partial_update=extend_schema(
        summary="修改党组织(部分字段)",
        request=OrganizationUpdateSerializer,
        responses={200: OrganizationSerializer, **error_responses(400, 403, 404)},
    ),
)
class OrganizationViewSet(
    PartialUpdateMixin, AccessViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    lookup_field = "code"
    lookup_value_regex = "[^/]+"
    access_helper = staticmethod(access.get_organization_for_user)
    queryset = Organization.objects.none()  # for the schema; get_queryset() is what runs

    def get_queryset(self):
        return selectors.organization_list(self.request.user)

    def get_detail_object(self, found):
        return organization_rows(Organization.objects.filter(pk=found.pk)).get()

    def create(self, request, *args, **kwargs):
        serializer = OrganizationCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        organization = services.organization_create(user=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self.get_detail_object(organization)).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        organization = self.get_object()
        serializer = OrganizationUpdateSerializer(
            organization, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        services.organization_update(organization=organization, user=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self.get_detail_object(organization)).data)


@extend_schema(tags=["党员"])
@extend_schema_view(
    list=extend_schema(
        summary="可见的党员",
        description="身份证号码默认脱敏;有权限的角色加 reveal_id=1 返回全号(逐人记入查看记录)。组织关系记录只在详情中返回。",
        parameters=[REVEAL_ID_PARAMETER],
        responses={200: MemberSerializer(many=True), **error_responses(400, 403, 404)},
    ),
    retrieve=extend_schema(
        summary="党员详情(含组织关系记录)",
        description="身份证号码默认脱敏;有权限的角色加 reveal_id=1 返回全号(记入查看记录),无权限返回 403。",
        parameters=[REVEAL_ID_PARAMETER],
        responses={200: MemberDetailSerializer, **error_responses(403, 404)},
    ),
    create=extend_schema(
        summary="登记党员",
        description="需要所在党支部的维护权限;支部或党小组不存在或不可见返回 404。身份证号码写入时填写完整号码。",
        request=MemberCreateSerializer,
        responses={201: MemberDetailSerializer, **error_responses(400, 403, 404)},
    ),
    update=extend_schema(
        summary="修改党员信息",
        description="转接组织关系请用 transfer 接口。",
        request=MemberUpdateSerializer,
        responses={200: MemberDetailSerializer, **error_responses(400, 403, 404)},
    ),
    partial_update=extend_schema(
        summary="修改党员信息(部分字段)",
        request=MemberUpdateSerializer,
        responses={200: MemberDetailSerializer, **error_responses(400, 403, 404)},
    ),
    transfer=extend_schema(
        summary="组织关系转接",
        description="需要转出支部和转入支部两边的维护权限;转入支部不可见返回 404。",
        request=MemberTransferSerializer,
        responses={200: MemberDetailSerializer, **error_responses(400, 403, 404)},
    ),
)
class MemberViewSet(
    PartialUpdateMixin, AccessViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = MemberSerializer
    filterset_class = MemberFilter
    lookup_value_regex = r"\d+"
    access_helper = staticmethod(access.get_member_for_user)
    queryset = Member.objects.none()
    revealed_id_numbers: frozenset = frozenset()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "revealed_id_numbers": self.revealed_id_numbers}

    def _reveal_id_numbers(self, members) -> None:
        """Full ID numbers only when asked (?reveal_id=1) by a role that may see them; each one shown is audited
        (issue 6 point 5). A role that may not gets 403."""
        if self.request.query_params.get("reveal_id", "").lower() not in ("1", "true"):
            return
        self.revealed_id_numbers = frozenset(
            services.id_number_reveal(
                user=self.request.user,
                members=members,
                via=IdNumberAccess.Via.API,
                ip=access.client_ip(self.request),
            )
        )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page if page is not None else queryset)
        self._reveal_id_numbers(rows)
        data = self.get_serializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        member = self.get_object()
        self._reveal_id_numbers([member])
        return Response(self.get_serializer(member).data)

    def get_queryset(self):
        return selectors.member_list(self.request.user)

    def get_serializer_class(self):
        return MemberSerializer if self.action == "list" else MemberDetailSerializer

    def get_detail_object(self, found):
        return member_detail(found.pk)

    def _answer(self, member, status_code=status.HTTP_200_OK):
        return Response(
            MemberDetailSerializer(member_detail(member.pk), context=self.get_serializer_context()).data,
            status=status_code,
        )

    def create(self, request, *args, **kwargs):
        serializer = MemberCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        member = services.member_create(user=request.user, **serializer.validated_data)
        return self._answer(member, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        member = self.get_object()
        serializer = MemberUpdateSerializer(
            member, data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        services.member_update(member=member, user=request.user, **serializer.validated_data)
        return self._answer(member)

    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        member = self.get_object()  # WRITE on the branch it leaves
        serializer = MemberTransferSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)  # WRITE on the branch it joins
        data = serializer.validated_data
        services.member_transfer(
            member=member, to_organization=data["to"], on=data["on"], note=data["note"], user=request.user
        )
        return self._answer(member)


@extend_schema(tags=["委员会届次"])
@extend_schema_view(
    list=extend_schema(
        summary="可见组织的委员会届次",
        description="days_to_expiry 以北京时间今日计算。",
        responses={200: TermSerializer(many=True), **error_responses(400, 403, 404)},
    ),
    retrieve=extend_schema(summary="届次详情", responses={200: TermSerializer, **error_responses(403, 404)}),
    create=extend_schema(
        summary="新一届委员会(换届结果)",
        description="当前届次于新一届开始日结束。需要该组织的维护权限;组织或委员不可见返回 404。",
        request=TermCreateSerializer,
        responses={201: TermSerializer, **error_responses(400, 403, 404)},
    ),
    extend=extend_schema(
        summary="批准延期换届",
        description="关于党的基层组织任期的意见:延期须经上级批准,最长不超过1年;只能延长本届。",
        request=TermExtendSerializer,
        responses={200: TermSerializer, **error_responses(400, 403, 404)},
    ),
    early_election=extend_schema(
        summary="批准提前换届",
        description="关于党的基层组织任期的意见:提前换届须经上级党组织批准(与延期相同),提前一般不超过1年;"
        "只能为本届登记。选举在届满前进行时,须先有此批准。",
        request=TermEarlyElectionSerializer,
        responses={200: TermSerializer, **error_responses(400, 403, 404)},
    ),
)
class TermViewSet(AccessViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = TermSerializer
    filterset_class = TermFilter
    lookup_value_regex = r"\d+"
    access_helper = staticmethod(access.get_term_for_user)
    queryset = CommitteeTerm.objects.none()

    def get_queryset(self):
        return selectors.term_list(self.request.user)

    def get_detail_object(self, found):
        return term_rows(CommitteeTerm.objects.filter(pk=found.pk)).get()

    def create(self, request, *args, **kwargs):
        serializer = TermCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        term = services.term_start(
            organization=data["organization"],
            started_on=data["started_on"],
            has_committee=data["has_committee"],
            term_years=data.get("term_years"),
            note=data["note"],
            approval_document=data["approval_document"],
            positions=[(position["member"], position["role"]) for position in data["positions"]],
            user=request.user,
        )
        return Response(self.get_serializer(self.get_detail_object(term)).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        term = self.get_object()
        serializer = TermExtendSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        services.term_extend(term=term, user=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self.get_detail_object(term)).data)

    @action(detail=True, methods=["post"], url_path="early-election")
    def early_election(self, request, pk=None):
        term = self.get_object()
        serializer = TermEarlyElectionSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        services.term_early_election_approve(term=term, user=request.user, **serializer.validated_data)
        return Response(self.get_serializer(self.get_detail_object(term)).data)
