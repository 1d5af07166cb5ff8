"""The organization tree (党委 › 党总支 › 党支部 › 党小组), its enterprises, and the roles that give users access to a subtree.

Rules cite DOMAIN.md: 支部工作条例 第五、八、九条; 国企条例 第四条."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from ..validators import validate_not_formula


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
    # The day it was dissolved: a dissolved 党小组 keeps its past years' figures (owed for the months it existed).
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)

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
