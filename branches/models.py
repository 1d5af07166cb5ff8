"""The organization tree, its members and their history, committee terms and roles.

Rules cite DOMAIN.md: 支部工作条例 第五、八、九条; 国企条例 第四条; 关于党的基层组织任期的意见.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from .validators import mask_id_number, validate_id_number, validate_not_formula


class Enterprise(models.Model):
    name = models.CharField(_("企业名称"), max_length=100, unique=True)
    code = models.CharField(_("企业编码"), max_length=32, unique=True)

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")
        ordering = ["code"]

    def __str__(self):
        return self.name


class OrganizationQuerySet(MP_NodeQuerySet):
    def under(self, organization, *, include_self=True):
        """Everything under an organization: one indexed prefix match on the materialized path."""
        qs = self.filter(path__startswith=organization.path)
        return qs if include_self else qs.exclude(pk=organization.pk)

    def branches(self):
        return self.filter(kind=Organization.Kind.BRANCH)

    def active(self):
        return self.filter(status=Organization.Status.ACTIVE)


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):
    def get_queryset(self):
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(MP_Node):
    class Kind(models.TextChoices):
        COMMITTEE = "committee", _("党委")
        GENERAL_BRANCH = "general_branch", _("党总支")
        BRANCH = "branch", _("党支部")
        GROUP = "group", _("党小组")

        @property
        def child_kinds(self):
            return _CHILD_KINDS[self]

        @property
        def has_term(self):
            # 党小组 elect no committee; every other kind serves a term.
            return self != Organization.Kind.GROUP

    class Status(models.TextChoices):
        ACTIVE = "active", _("正常")
        DISSOLVED = "dissolved", _("已撤销")

    name = models.CharField(_("组织名称"), max_length=100, validators=[validate_not_formula])
    code = models.CharField(_("组织编码"), max_length=32, unique=True)
    kind = models.CharField(_("组织类别"), max_length=20, choices=Kind.choices)
    enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("所属企业"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
    )
    established_on = models.DateField(_("成立日期"))
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.ACTIVE)

    history = HistoricalRecords(excluded_fields=["numchild"])
    objects = OrganizationManager()

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        indexes = [models.Index(fields=["kind", "path"], name="org_kind_path_idx")]

    def __str__(self):
        return self.name

    @property
    def kind_enum(self) -> "Organization.Kind":
        return Organization.Kind(self.kind)

    @property
    def is_branch(self):
        return self.kind == Organization.Kind.BRANCH


_CHILD_KINDS = {
    Organization.Kind.COMMITTEE: (
        Organization.Kind.COMMITTEE,
        Organization.Kind.GENERAL_BRANCH,
        Organization.Kind.BRANCH,
    ),
    Organization.Kind.GENERAL_BRANCH: (Organization.Kind.BRANCH,),
    Organization.Kind.BRANCH: (Organization.Kind.GROUP,),
    Organization.Kind.GROUP: (),
}


class MemberQuerySet(models.QuerySet):
    def in_good_standing(self):
        """Members who count for the branch: not left, not deceased, not transferred out."""
        return self.filter(status__in=Member.COUNTED_STATUSES)

    def full(self):
        return self.filter(category=Member.Category.FULL)


class Member(models.Model):
    class Gender(models.TextChoices):
        MALE = "male", _("男")
        FEMALE = "female", _("女")

    class Education(models.TextChoices):
        POSTGRADUATE = "postgraduate", _("研究生")
        BACHELOR = "bachelor", _("大学本科")
        COLLEGE = "college", _("大学专科")
        TECHNICAL = "technical", _("中专")
        HIGH_SCHOOL = "high_school", _("高中")
        JUNIOR = "junior", _("初中及以下")

    class Category(models.TextChoices):
        FULL = "full", _("正式党员")
        PROBATIONARY = "probationary", _("预备党员")

    class Status(models.TextChoices):
        NORMAL = "normal", _("正常")
        MOBILE = "mobile", _("流动党员")
        SUSPENDED = "suspended", _("停止党籍")
        LEFT = "left", _("出党")
        DECEASED = "deceased", _("去世")
        TRANSFERRED_OUT = "transferred_out", _("转出系统外")

    class DuesClass(models.TextChoices):
        # 中组部 党费 rules: the bracket table depends on the member's situation.
        EMPLOYED = "employed", _("在职")
        RETIRED = "retired", _("离退休")
        LOW_INCOME = "low_income", _("学生/失业/低保")

    COUNTED_STATUSES = (Status.NORMAL, Status.MOBILE, Status.SUSPENDED)

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    birth_date = models.DateField(_("出生日期"))
    education = models.CharField(_("学历"), max_length=20, choices=Education.choices)
    id_number = models.CharField(
        _("身份证号码"),
        max_length=18,
        unique=True,
        validators=[validate_id_number],
        help_text=_("18位,含校验位;除有权限的角色外一律脱敏显示"),
    )
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    joined_on = models.DateField(_("入党日期"))
    full_on = models.DateField(_("转正日期"), null=True, blank=True)
    category = models.CharField(_("党员类别"), max_length=20, choices=Category.choices, default=Category.FULL)
    position = models.CharField(_("职务/岗位"), max_length=100, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("所在党支部"),
        on_delete=models.PROTECT,
        related_name="members",
    )
    group = models.ForeignKey(
        Organization,
        verbose_name=_("党小组"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_members",
    )
    status = models.CharField(_("党籍状态"), max_length=20, choices=Status.choices, default=Status.NORMAL)
    dues_class = models.CharField(
        _("党费计算类别"), max_length=20, choices=DuesClass.choices, default=DuesClass.EMPLOYED
    )
    dues_base = models.DecimalField(_("党费计算基数(元/月)"), max_digits=10, decimal_places=2, default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()
    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["organization_id", "name", "id"]
        indexes = [models.Index(fields=["organization", "status"], name="member_org_status_idx")]
        constraints = [
            models.CheckConstraint(
                name="member_full_has_full_on",
                condition=Q(category="probationary", full_on__isnull=True) | Q(category="full", full_on__isnull=False),
            ),
            models.CheckConstraint(
                name="member_full_on_after_joined_on",
                condition=Q(full_on__isnull=True) | Q(full_on__gte=models.F("joined_on")),
            ),
            models.CheckConstraint(name="member_dues_base_not_negative", condition=Q(dues_base__gte=0)),
        ]

    def __str__(self):
        return self.name

    @property
    def masked_id_number(self):
        return mask_id_number(self.id_number)


class Membership(models.Model):
    """组织关系: the periods a member belonged to a branch. Transfers close one period and open the next,
    so a branch's past records still show who belonged to it then."""

    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="memberships")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("党支部"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    started_on = models.DateField(_("转入日期"))
    ended_on = models.DateField(_("转出日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("组织关系记录")
        verbose_name_plural = _("组织关系记录")
        ordering = ["member_id", "started_on"]
        indexes = [models.Index(fields=["organization", "started_on", "ended_on"], name="membership_org_period_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_open_per_member",
            ),
            models.CheckConstraint(
                name="membership_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
            ),
        ]

    def __str__(self):
        return f"{self.member} @ {self.organization}"


class CommitteeTermQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)


class CommitteeTerm(models.Model):
    """One elected committee (届). A branch with fewer than 7 正式党员 has no committee, only a 书记
    (支部工作条例 第九条): `has_committee` is then False and the branch owes no 支委会."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="terms",
    )
    has_committee = models.BooleanField(_("设立委员会"), default=True)
    started_on = models.DateField(_("本届开始日期"))
    term_years = models.PositiveSmallIntegerField(_("任期(年)"))
    extension_months = models.PositiveSmallIntegerField(_("批准延期(月)"), default=0)
    extension_approved_on = models.DateField(_("延期批准日期"), null=True, blank=True)
    extension_document = models.CharField(_("延期批复文号"), max_length=100, blank=True)
    ended_on = models.DateField(_("届满换届日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = CommitteeTermQuerySet.as_manager()

    class Meta:
        verbose_name = _("委员会届次")
        verbose_name_plural = _("委员会届次")
        ordering = ["organization_id", "-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(ended_on__isnull=True),
                name="term_one_current_per_org",
            ),
            # 关于党的基层组织任期的意见: an extension needs approval and is at most one year.
            models.CheckConstraint(name="term_extension_at_most_12_months", condition=Q(extension_months__lte=12)),
            models.CheckConstraint(
                name="term_extension_has_approval",
                condition=Q(extension_months=0) | Q(extension_approved_on__isnull=False),
            ),
            models.CheckConstraint(
                name="term_years_between_1_and_10", condition=Q(term_years__gte=1, term_years__lte=10)
            ),
            models.CheckConstraint(
                name="term_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
            ),
        ]

    def __str__(self):
        return f"{self.organization} {self.started_on:%Y}届"

    @property
    def expires_on(self) -> datetime.date:
        return self.started_on + relativedelta(years=self.term_years, months=self.extension_months)

    @property
    def is_current(self):
        return self.ended_on is None

    def days_to_expiry(self, today: datetime.date) -> int:
        return (self.expires_on - today).days


class CommitteePosition(models.Model):
    class Role(models.TextChoices):
        SECRETARY = "secretary", _("书记")
        DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
        ORGANIZATION = "organization", _("组织委员")
        PROPAGANDA = "propaganda", _("宣传委员")
        DISCIPLINE = "discipline", _("纪检委员")
        YOUTH = "youth", _("青年委员")
        MEMBER = "member", _("委员")

    term = models.ForeignKey(CommitteeTerm, verbose_name=_("届次"), on_delete=models.CASCADE, related_name="positions")
    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="positions")
    role = models.CharField(_("职务"), max_length=20, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("委员职务")
        verbose_name_plural = _("委员职务")
        ordering = ["term_id", "role"]
        constraints = [
            models.UniqueConstraint(fields=["term", "member"], name="position_member_once_per_term"),
            models.UniqueConstraint(
                fields=["term", "role"],
                condition=Q(role="secretary"),
                name="position_one_secretary_per_term",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.member}"


class ElectionStep(models.Model):
    """换届 procedure, one dated record per step (DOMAIN.md "Terms and 换届")."""

    class Step(models.TextChoices):
        DECISION = "decision", _("支委会研究决定换届")
        REQUEST = "request", _("向上级党组织请示")
        REQUEST_APPROVED = "request_approved", _("上级批复同意换届")
        NOMINATION = "nomination", _("推荐提名候选人")
        CANDIDATES_APPROVED = "candidates_approved", _("上级批复候选人名单")
        ELECTION = "election", _("党员大会选举")
        FIRST_MEETING = "first_meeting", _("首次支委会选举书记、副书记")
        RESULT_APPROVED = "result_approved", _("选举结果报批")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="election_steps",
    )
    outgoing_term = models.ForeignKey(
        CommitteeTerm,
        verbose_name=_("届满的届次"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="election_steps",
    )
    step = models.CharField(_("步骤"), max_length=30, choices=Step.choices)
    done_on = models.DateField(_("完成日期"))
    eligible_voters = models.PositiveIntegerField(_("应到有选举权党员"), null=True, blank=True)
    present_voters = models.PositiveIntegerField(_("实到有选举权党员"), null=True, blank=True)
    seats = models.PositiveIntegerField(_("应选名额"), null=True, blank=True)
    candidates = models.PositiveIntegerField(_("候选人数"), null=True, blank=True)
    note = models.CharField(_("说明/文号"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("换届程序记录")
        verbose_name_plural = _("换届程序记录")
        ordering = ["organization_id", "done_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["outgoing_term", "step"], name="election_step_once_per_term"),
        ]

    def __str__(self):
        return f"{self.organization} {self.get_step_display()} {self.done_on}"


class Role(models.Model):
    """Links a user account to an organization. Administrators are Django superusers."""

    class Kind(models.TextChoices):
        SECRETARY = "secretary", _("支部书记/委员(维护本支部)")
        OFFICER = "officer", _("党委工作人员(维护所辖组织)")
        REVIEWER = "reviewer", _("国资委审阅(只读所辖组织)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="org_roles"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.CASCADE, related_name="roles"
    )
    kind = models.CharField(_("角色"), max_length=20, choices=Kind.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("用户角色")
        verbose_name_plural = _("用户角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization", "kind"], name="role_unique_per_user_org")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} · {self.organization}"

    @property
    def can_write(self):
        return self.kind != Role.Kind.REVIEWER


class DuesPayment(models.Model):
    """党费: one row per member and month. The amount due is computed from the base and the 中组部 brackets
    by branches.dues when the row is written, and kept, so later rule changes do not rewrite the past."""

    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="dues_payments")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("党支部"),
        on_delete=models.PROTECT,
        related_name="dues_payments",
    )
    month = models.DateField(_("所属月份"), help_text=_("该月1日"))
    base = models.DecimalField(_("计算基数"), max_digits=10, decimal_places=2)
    rate = models.DecimalField(_("交纳比例"), max_digits=6, decimal_places=4)
    amount_due = models.DecimalField(_("应交金额"), max_digits=10, decimal_places=2)
    amount_paid = models.DecimalField(_("实交金额"), max_digits=10, decimal_places=2, default=0)
    paid_on = models.DateField(_("交纳日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党费交纳")
        verbose_name_plural = _("党费交纳")
        ordering = ["member_id", "month"]
        indexes = [models.Index(fields=["organization", "month"], name="dues_org_month_idx")]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_once_per_member_month"),
            models.CheckConstraint(
                name="dues_amounts_not_negative", condition=Q(amount_due__gte=0, amount_paid__gte=0)
            ),
            models.CheckConstraint(
                name="dues_paid_has_date",
                condition=Q(amount_paid=0) | Q(paid_on__isnull=False),
            ),
            models.CheckConstraint(name="dues_month_is_first_day", condition=Q(month__day=1)),
        ]

    def __str__(self):
        return f"{self.member} {self.month:%Y-%m}"


class IdNumberAccess(models.Model):
    """Audit log: each time a full (unmasked) ID number is shown to someone. Personal data is masked everywhere by
    default (issue 6 point 5); a role that may see the full number must ask for it, and the asking is recorded here.
    Rows are only ever added: the admin is read-only."""

    class Via(models.TextChoices):
        PAGE = "page", _("网页")
        API = "api", _("接口")
        EXPORT = "export", _("导出")
        IMPORT = "import", _("花名册导入")

    class Purpose(models.TextChoices):
        REVEAL = "reveal", _("查看完整号码")
        # issue 12 point 2: a number typed or uploaded that belongs to a member outside the user's scope
        LOOKUP = "lookup", _("辖区外号码查重")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        on_delete=models.PROTECT,
        related_name="id_number_accesses",
    )
    member = models.ForeignKey(
        Member, verbose_name=_("被查看党员"), on_delete=models.PROTECT, related_name="id_number_accesses"
    )
    at = models.DateTimeField(_("查看时间"), auto_now_add=True, db_index=True)
    via = models.CharField(_("查看途径"), max_length=10, choices=Via.choices)
    purpose = models.CharField(_("用途"), max_length=10, choices=Purpose.choices, default=Purpose.REVEAL)
    ip = models.GenericIPAddressField(_("IP地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("身份证号码查看记录")
        verbose_name_plural = _("身份证号码查看记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["member", "-at"], name="idaccess_member_at_idx")]
        constraints = [
            models.CheckConstraint(name="idaccess_via_valid", condition=Q(via__in=["page", "api", "export", "import"])),
            models.CheckConstraint(name="idaccess_purpose_valid", condition=Q(purpose__in=["reveal", "lookup"])),
        ]

    def __str__(self):
        return f"{self.user} · {self.member} · {self.at:%Y-%m-%d %H:%M}"
