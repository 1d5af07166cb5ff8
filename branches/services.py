"""Every change to organizations, members, terms and roles goes through these functions.

Views, forms, the admin, the API, imports and tasks call them; each is atomic, checks its own rules and
raises ValidationError with a Chinese message. Setting `_history_user` records who made the change
in the audit history even outside a web request (imports, commands, tasks).
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import obligations, term_rules
from .access import ID_NUMBER_REFUSED, can_view_id_number

# The 换届 procedure's steps (branches/elections.py), importable from here like every write.
from .elections import (  # noqa: E402, F401
    STEP_ORDER,
    election_result_record,
    election_step_record,
    term_early_election_approve,
)
from .models import (
    CommitteePosition,
    CommitteeTerm,
    ElectionStep,
    Enterprise,
    GroupMembership,
    IdNumberAccess,
    Member,
    Membership,
    Organization,
    Role,
    StandingPeriod,
)
from .validators import normalize_id_number

ORGANIZATION_EDITABLE_FIELDS = ("name", "enterprise", "established_on", "status")
MEMBER_EDITABLE_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "education",
    "id_number",
    "phone",
    "joined_on",
    "full_on",
    "category",
    "position",
    "group",
    "status",
    "disciplinary_probation",
    "dues_class",
    "dues_base",
)


def _save(instance, user, **kwargs):
    instance._history_user = user
    instance.full_clean()
    instance.save(**kwargs)
    return instance


def default_term_years(kind: str) -> int:
    # 关于党的基层组织任期的意见: 基层党委 5 years, 党总支 and 支部委员会 3 years (configurable, settings.TERM_YEARS).
    return settings.TERM_YEARS[kind]


@transaction.atomic
def organization_create(
    *,
    parent: Organization | None,
    name: str,
    code: str,
    kind: str,
    established_on: datetime.date,
    enterprise: Enterprise | None = None,
    user=None,
) -> Organization:
    obligations.check_organization_create(user=user, parent=parent, kind=kind, established_on=established_on)
    if parent is None:
        if kind != Organization.Kind.COMMITTEE:
            raise ValidationError("根组织必须是党委。")
        organization = Organization(
            name=name, code=code, kind=kind, enterprise=enterprise, established_on=established_on
        )
        organization._history_user = user
        organization.full_clean(exclude=["path", "depth"])
        return Organization.objects.add_root(instance=organization)
    if kind not in Organization.Kind(parent.kind).child_kinds:
        raise ValidationError(
            f"{parent.get_kind_display()}下不能设立{Organization.Kind(kind).label}。",
            code="invalid_child_kind",
        )
    if parent.status != Organization.Status.ACTIVE:
        raise ValidationError("上级组织已撤销,不能新建下级组织。")
    organization = Organization(
        name=name,
        code=code,
        kind=kind,
        enterprise=enterprise or parent.enterprise,
        established_on=established_on,
    )
    organization._history_user = user
    organization.full_clean(exclude=["path", "depth"])
    # treebeard's add_child reloads the parent's path and numchild itself.
    return Organization.objects.add_child(Organization.objects.get(pk=parent.pk), instance=organization)


@transaction.atomic
def organization_update(*, organization: Organization, user=None, reason: str = "", **fields) -> Organization:
    unknown = set(fields) - set(ORGANIZATION_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改这些字段:{', '.join(sorted(unknown))}")
    if fields.get("status") == Organization.Status.DISSOLVED and organization.status != Organization.Status.DISSOLVED:
        if Member.objects.filter(organization=organization).registered().exists():
            raise ValidationError("该组织仍有党员,请先办理组织关系转接再撤销。")
    # 成立日期 and status define what the organization is assessed on: its superior changes them, with a reason.
    obligations.check_organization_change(user=user, organization=organization, fields=fields, reason=reason)
    organization._change_reason = reason or None
    if fields.get("status") == Organization.Status.DISSOLVED and organization.status != Organization.Status.DISSOLVED:
        fields["dissolved_on"] = timezone.localdate()  # its past figures stay (owed for the months it existed)
    elif fields.get("status") == Organization.Status.ACTIVE:
        fields["dissolved_on"] = None
    for name, value in fields.items():
        setattr(organization, name, value)
    # Only the edited fields: a stale instance must never overwrite the tree bookkeeping (path, numchild).
    return _save(organization, user, update_fields=list(fields))


def _check_member_placement(organization: Organization, group: Organization | None) -> None:
    if organization.kind != Organization.Kind.BRANCH:
        raise ValidationError({"organization": "党员的组织关系应在党支部。"})
    if organization.status != Organization.Status.ACTIVE:
        raise ValidationError({"organization": "该党支部已撤销。"})
    if group is not None and (group.kind != Organization.Kind.GROUP or not group.path.startswith(organization.path)):
        raise ValidationError({"group": "党小组必须属于该党员所在的党支部。"})


@transaction.atomic
def member_create(
    *, organization: Organization, user=None, joined_branch_on: datetime.date | None = None, **fields
) -> Member:
    """Register a member in a branch. `joined_branch_on` is when their 组织关系 came to this branch
    (defaults to the day they joined the party)."""
    fields["id_number"] = normalize_id_number(fields.get("id_number", ""))
    _check_member_placement(organization, fields.get("group"))
    member = _save(Member(organization=organization, **fields), user)
    since = joined_branch_on or member.joined_on
    Membership.objects.create(member=member, organization=organization, started_on=since, note="建立组织关系")
    if member.group is not None:
        _group_period_open(member, member.group, max(since, member.group.established_on), user)
    return member


def _group_period_open(member: Member, group: Organization, on: datetime.date, user, note: str = "编入党小组"):
    period = GroupMembership(member=member, group=group, started_on=on, note=note)
    period._history_user = user
    period.save()


def _group_period_close(member: Member, on: datetime.date, user, note: str = "") -> None:
    current = GroupMembership.objects.select_for_update().filter(member=member, ended_on__isnull=True).first()
    if current is None:
        return
    if on < current.started_on:
        raise ValidationError(f"调整日期不能早于编入当前党小组的日期({current.started_on})。")
    current.ended_on = on
    current.note = note or current.note
    current._history_user = user
    current.save(update_fields=["ended_on", "note"])


@transaction.atomic
def member_group_change(
    *, member: Member, group: Organization | None, on: datetime.date | None = None, user=None
) -> Member:
    """Move a member to another 党小组 (or out of any) from `on` (default today): the open period closes that day
    and the next one opens, so past 党小组会 rolls keep the group of their date (DOMAIN.md "Standing of members")."""
    if group is not None:
        _check_member_placement(member.organization, group)
    if (group.pk if group else None) == member.group_id:
        return member
    on = on or timezone.localdate()
    _group_period_close(member, on, user, note=f"调至{group.name}" if group else "调出党小组")
    if group is not None:
        _group_period_open(member, group, max(on, group.established_on), user)
    member.group = group
    return _save(member, user)


def _standing_change(member: Member, kind: str, active: bool, on: datetime.date, user) -> None:
    """Open or close the member's dated 停止党籍 / 留党察看 period on `on` (DOMAIN.md "Standing of members")."""
    current = StandingPeriod.objects.select_for_update().filter(member=member, kind=kind, ended_on__isnull=True).first()
    if active and current is None:
        _save(StandingPeriod(member=member, kind=kind, started_on=on), user)
    elif not active and current is not None:
        if on < current.started_on:
            raise ValidationError(f"恢复日期不能早于{current.get_kind_display()}的起始日期({current.started_on})。")
        current.ended_on = on
        _save(current, user, update_fields=["ended_on"])


@transaction.atomic
def member_update(*, member: Member, user=None, standing_on: datetime.date | None = None, **fields) -> Member:
    """Edit a member. A change of 停止党籍 or 留党察看 takes effect on `standing_on` (default today): its dated period
    opens or closes that day, so past rolls keep the standing of their day."""
    unknown = set(fields) - set(MEMBER_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改这些字段:{', '.join(sorted(unknown))}(转接组织关系请用“组织关系转接”)")
    if "status" in fields:
        if fields["status"] == Member.Status.CANCELLED and member.status != Member.Status.CANCELLED:
            raise ValidationError("取消预备党员资格须经支部大会讨论和上级党委审批,请在发展党员流程中记录。")
        obligations.check_member_standing(user=user, member=member, status=fields["status"])
    if "id_number" in fields:
        fields["id_number"] = normalize_id_number(fields["id_number"])
    if "group" in fields:
        member = member_group_change(member=member, group=fields.pop("group"), user=user)
    on = standing_on or timezone.localdate()
    if "status" in fields and (fields["status"] == Member.Status.SUSPENDED) != (
        member.status == Member.Status.SUSPENDED
    ):
        _standing_change(member, StandingPeriod.Kind.SUSPENDED, fields["status"] == Member.Status.SUSPENDED, on, user)
    if "disciplinary_probation" in fields and bool(fields["disciplinary_probation"]) != member.disciplinary_probation:
        _standing_change(member, StandingPeriod.Kind.PROBATION, bool(fields["disciplinary_probation"]), on, user)
    for name, value in fields.items():
        setattr(member, name, value)
    return _save(member, user)


@transaction.atomic
def member_transfer(
    *,
    member: Member,
    to_organization: Organization,
    on: datetime.date,
    user=None,
    note: str = "",
) -> Member:
    """组织关系转接: close the period in the old branch and open one in the new branch."""
    if to_organization.pk == member.organization_id:
        raise ValidationError("转入组织与当前所在组织相同。")
    _check_member_placement(to_organization, None)
    current = Membership.objects.select_for_update().filter(member=member, ended_on__isnull=True).first()
    if current is not None:
        if on < current.started_on:
            raise ValidationError(f"转接日期不能早于转入当前支部的日期({current.started_on})。")
        current.ended_on = on
        current.note = note or f"转出至{to_organization.name}"
        current._history_user = user
        current.save(update_fields=["ended_on", "note"])
    membership = Membership(
        member=member,
        organization=to_organization,
        started_on=on,
        note=note or f"由{member.organization.name}转入",
    )
    membership._history_user = user
    membership.save()
    _group_period_close(member, on, user, note=f"转出至{to_organization.name}")
    member.organization = to_organization
    member.group = None
    return _save(member, user)


@transaction.atomic
def member_leave(*, member: Member, status: str, on: datetime.date, user=None, note: str = "") -> Member:
    """出党, 去世, 转出系统外 or 取消预备党员资格: the member stops counting for the branch from that day; the record
    stays."""
    if status in Member.COUNTED_STATUSES:
        raise ValidationError("请选择离开的原因(出党、去世或转出系统外)。")
    if status == Member.Status.CANCELLED and member.category != Member.Category.PROBATIONARY:
        raise ValidationError("只有预备党员才能被取消预备党员资格(党章 第七条)。")
    obligations.check_member_standing(user=user, member=member, status=status)
    obligations.not_in_future(on, "离开日期")
    Membership.objects.filter(member=member, ended_on__isnull=True).update(
        ended_on=on, note=note or Member.Status(status).label
    )
    GroupMembership.objects.filter(member=member, ended_on__isnull=True).update(
        ended_on=on, note=note or Member.Status(status).label
    )
    member.status = status
    return _save(member, user)


def _check_term_origin(organization, current, started_on: datetime.date, approval_document: str) -> None:
    """A new term starts only from a recorded election, on or after it; the first one may start from the superior's
    批复 instead (支部工作条例 第九条: 支部委员会由支部党员大会选举产生)."""
    article = term_rules.election_article(organization.kind)
    if current is not None and started_on < current.started_on:
        raise ValidationError(f"新一届开始日期不能早于上一届开始日期({current.started_on})。")
    election = ElectionStep.objects.filter(
        organization=organization, outgoing_term=current, step=ElectionStep.Step.ELECTION
    ).first()
    if election is None:
        if current is not None:
            raise ValidationError(
                f"新一届委员会须由党员大会选举产生({article}):请先在党员大会会议记录中登记选举结果,再登记新一届。"
            )
        if not approval_document.strip():
            raise ValidationError(
                f"第一届委员会须由党员大会选举产生({article}),新成立的党组织也可依据上级党组织的批复:"
                "请先登记选举结果,或填写上级批复文号。"
            )
    elif started_on < election.done_on:
        raise ValidationError(f"新一届开始日期不能早于党员大会选举日期({election.done_on})。")


@transaction.atomic
def term_start(
    *,
    organization: Organization,
    started_on: datetime.date,
    positions: Iterable[tuple[Member, str]],
    has_committee: bool = True,
    term_years: int | None = None,
    user=None,
    note: str = "",
    approval_document: str = "",
) -> CommitteeTerm:
    """A new committee (届) starts: the current one ends that day. It starts from the recorded 党员大会 election
    (meetings.votes.services.election_record); the first term of a new organization may start from the superior's
    批复 (`approval_document`) instead (DOMAIN.md "Votes and elections")."""
    if not Organization.Kind(organization.kind).has_term:
        raise ValidationError("党小组不设委员会届次。")
    positions = list(positions)
    for member, _role in positions:
        if member.organization_id != organization.pk and organization.kind == Organization.Kind.BRANCH:
            raise ValidationError(f"{member.name} 不是本支部党员,不能担任支部委员。")
    if sum(1 for _m, role in positions if role == CommitteePosition.Role.SECRETARY) > 1:
        raise ValidationError("一届只能有一名书记。")
    if has_committee:
        term_rules.check_committee_size(organization.kind, len(positions))
    current = CommitteeTerm.objects.select_for_update().filter(organization=organization, ended_on__isnull=True).first()
    _check_term_origin(organization, current, started_on, approval_document)
    if current is not None:
        current.ended_on = started_on
        _save(current, user)
    if (
        not has_committee
    ):  # without a 支部委员会 the branch owes no 支委会: the superior decides where the rule asks for one
        obligations.check_without_committee(user=user, organization=organization)
    term = _save(
        CommitteeTerm(
            organization=organization,
            started_on=started_on,
            has_committee=has_committee,
            note=note,
            approval_document=approval_document.strip(),
            term_years=term_years or default_term_years(organization.kind),
        ),
        user,
    )
    for member, role in positions:
        _save(CommitteePosition(term=term, member=member, role=role), user)
    return term


@transaction.atomic
def term_extend(
    *, term: CommitteeTerm, months: int, approved_on: datetime.date, document: str = "", user=None
) -> CommitteeTerm:
    # 关于党的基层组织任期的意见: extension needs the superior's approval and is at most one year.
    if not term.is_current:
        raise ValidationError("只能延长本届(当前)委员会的任期。")
    if not 0 < months <= settings.TERM_MAX_EXTENSION_MONTHS:
        raise ValidationError(f"延期须经上级批准,最长不超过{settings.TERM_MAX_EXTENSION_MONTHS}个月。")
    obligations.require_superior(user, term.organization, "任期延长")
    term.extension_months = months
    term.extension_approved_on = approved_on
    term.extension_document = document
    return _save(term, user)


@transaction.atomic
def role_grant(*, user, organization: Organization, kind: str, granted_by=None) -> Role:
    if kind == Role.Kind.SECRETARY and organization.kind != Organization.Kind.BRANCH:
        raise ValidationError("支部书记角色只能授予党支部。")
    role, _created = Role.objects.get_or_create(user=user, organization=organization, kind=kind)
    return role


@transaction.atomic
def role_revoke(*, role: Role, user=None) -> None:
    """Take a role away; the audit history records who did it."""
    role._history_user = user
    role.delete()


@transaction.atomic
def id_number_reveal(*, user, members, via: str, ip: str | None = None) -> set[int]:
    """Record that `user` is shown the full ID numbers of `members` (one IdNumberAccess row each) and return the
    ids of those members. Personal data (issue 6 point 5): only roles allowed by can_view_id_number() may, and
    every showing is audited. Refused when the user may not see any of them (403; outsiders were already 404)."""
    members = list(members)
    allowed = [member for member in members if can_view_id_number(user, member)]
    if members and not allowed:
        raise PermissionDenied(ID_NUMBER_REFUSED)
    IdNumberAccess.objects.bulk_create([IdNumberAccess(user=user, member=member, via=via, ip=ip) for member in allowed])
    return {member.pk for member in allowed}
