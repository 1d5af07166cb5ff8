"""Members, their 组织关系 periods in branches, and the audit log of who saw a full ID number."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..standing import good_standing_q
from ..validators import mask_id_number, validate_id_number
from .organizations import Organization


class MemberQuerySet(models.QuerySet):
    def registered(self):
        """Members on the books of the branch (the 花名册): not left, not deceased, not transferred out; 停止党籍
        members are registered but not in good standing."""
        return self.filter(status__in=Member.COUNTED_STATUSES)

    def in_good_standing(self):
        """Members in good standing (branches/standing.py): on the rolls, owing dues, owed talks and reviews."""
        return self.filter(good_standing_q())

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
        # 党章 第七条: not 出党 — a 预备党员 whose 预备期 the 支部大会 ended; recorded only by recruitment step 23.
        CANCELLED = "cancelled", _("取消预备党员资格")

    class DuesClass(models.TextChoices):
        # 中组部 党费 rules: the bracket table depends on the member's situation.
        EMPLOYED = "employed", _("在职")
        RETIRED = "retired", _("离退休")
        LOW_INCOME = "low_income", _("学生/失业/低保")

    # On the books of the branch (registered); who is in good standing is branches/standing.py.
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
    disciplinary_probation = models.BooleanField(
        _("留党察看"), default=False, help_text=_("留党察看期间参加组织生活、交纳党费,但没有表决权、选举权和被选举权")
    )
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


class GroupMembershipQuerySet(models.QuerySet):
    def on(self, day):
        """The periods in force on `day` (half-open: on the day of a move the member is in the new group)."""
        return self.filter(started_on__lte=day).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))


class GroupMembership(models.Model):
    """The periods a member belonged to a 党小组, like Membership for the branch (DOMAIN.md "Standing of members"):
    a past 党小组会's roll uses the group the member was in on its date. Member.group is the current one, kept by
    the services (branches/services.py member_group_change)."""

    member = models.ForeignKey(
        Member, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="group_memberships"
    )
    group = models.ForeignKey(
        Organization, verbose_name=_("党小组"), on_delete=models.PROTECT, related_name="group_memberships"
    )
    started_on = models.DateField(_("编入日期"))
    ended_on = models.DateField(_("调出日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = GroupMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("党小组编入记录")
        verbose_name_plural = _("党小组编入记录")
        ordering = ["member_id", "started_on"]
        indexes = [models.Index(fields=["group", "started_on", "ended_on"], name="groupmember_period_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(ended_on__isnull=True), name="group_membership_one_open_per_member"
            ),
            models.CheckConstraint(
                name="group_membership_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
            ),
        ]

    def __str__(self):
        return f"{self.member} @ {self.group}"


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
