"""Every write of 党员积分: rule sets (edit, copy last year's), manual items (record with evidence, approve, refuse),
the quarter's 公示 and its objections. DOMAIN.md "积分 and 星级".

Access is checked here as well as by the pages (the API and the admin call the same functions):
- the committee (党委) owns its rule sets: write access on it, and it is a committee;
- the branch records manual items and publishes its quarters: write access on the branch;
- a manual item is approved or refused by a committee member of the branch (a 支部书记/委员 account: the branch's own
  role) other than the one who recorded it; nothing is deleted (the history keeps every state).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from branches.access import Access, grants, organization_access
from branches.models import Member, Membership, Organization, Role
from branches.standing import belongs_on_q
from common.periods import period_name, quarter_start
from meetings import uploads

from . import selectors
from .models import ManualEvidence, ManualItem, Objection, Publication, Rule, RuleSet

PUBLICATION_MAX_DAYS = 30  # a 公示 window of up to a month; local practice is 5 working days or more


def _require_write(user, organization: Organization, message: str) -> None:
    if user is not None and organization_access(user, organization) != Access.WRITE:
        raise ValidationError(message)


def _text(value: str, field: str, message: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    if len(value) > limit:
        raise ValidationError({field: f"不能超过{limit}字。"})
    return value


# ---------------------------------------------------------------- rule sets


def _check_committee(user, committee: Organization) -> None:
    if committee.kind != Organization.Kind.COMMITTEE:
        raise ValidationError("积分方案由党委制定,请选择一个党委。")
    _require_write(user, committee, "只有本党委可以制定和修改积分方案。")


@transaction.atomic
def rule_set_copy(*, committee: Organization, year: int, source: RuleSet | None = None, user=None) -> RuleSet:
    """沿用: the committee's rule set for `year`, copied from `source` (by default its own of last year, else the
    default scheme), rules and thresholds included."""
    _check_committee(user, committee)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "年度无效。"})
    if RuleSet.objects.filter(organization=committee, year=year).exists():
        raise ValidationError(f"{committee.name}{year}年度的积分方案已存在。")
    if source is None:
        source = selectors.own_rule_set(committee, year - 1) or selectors.default_rule_set()
    if source is None:
        raise ValidationError("没有可沿用的积分方案。")
    copy = RuleSet.objects.create(
        organization=committee,
        year=year,
        name=f"{committee.name}{year}年度党员积分方案",
        star2_min=source.star2_min,
        star3_min=source.star3_min,
        star4_min=source.star4_min,
        star5_min=source.star5_min,
        excellent_top_percent=source.excellent_top_percent,
        copied_from=source,
        created_by=user,
    )
    for rule in source.rules.all():
        rule.pk = None
        rule.rule_set = copy
        rule.save()
    return copy


@transaction.atomic
def rule_set_update(
    *,
    rule_set: RuleSet,
    name: str,
    star2_min: Decimal,
    star3_min: Decimal,
    star4_min: Decimal,
    star5_min: Decimal,
    excellent_top_percent: int,
    user=None,
) -> RuleSet:
    if rule_set.organization is None:
        raise ValidationError("默认积分方案不能修改,请沿用为本党委的方案后再修改。")
    _check_committee(user, rule_set.organization)
    if not star2_min <= star3_min <= star4_min <= star5_min:
        raise ValidationError("星级分数线应从二星到五星依次不降低。")
    if not 0 <= excellent_top_percent <= 100:
        raise ValidationError({"excellent_top_percent": "百分比应在0到100之间。"})
    rule_set.name = _text(name, "name", "请填写方案名称。", 100)
    rule_set.star2_min, rule_set.star3_min, rule_set.star4_min, rule_set.star5_min = (
        star2_min,
        star3_min,
        star4_min,
        star5_min,
    )
    rule_set.excellent_top_percent = excellent_top_percent
    rule_set.save()
    return rule_set


@transaction.atomic
def rule_save(
    *,
    rule_set: RuleSet,
    rule: Rule | None = None,
    category: str,
    name: str,
    source: str,
    meeting_kind: str = "",
    points: Decimal,
    cap_month: Decimal | None = None,
    cap_year: Decimal | None = None,
    evidence: str = "",
    order: int | None = None,
    user=None,
) -> Rule:
    """Add a rule to the committee's set, or change one (`rule`). A record source is used once per meeting kind."""
    if rule_set.organization is None:
        raise ValidationError("默认积分方案不能修改,请沿用为本党委的方案后再修改。")
    _check_committee(user, rule_set.organization)
    if rule is not None and rule.rule_set_id != rule_set.pk:
        raise ValidationError("该积分项目不属于这个方案。")
    errors = {}
    if category not in Rule.Category.values:
        errors["category"] = "请选择类别。"
    if source not in Rule.Source.values:
        errors["source"] = "请选择来源。"
    if not points:
        errors["points"] = "分值不能为0(扣分填负数)。"
    for field, cap in (("cap_month", cap_month), ("cap_year", cap_year)):
        if cap is not None and cap <= 0:
            errors[field] = "上限应大于0(不限则留空)。"
    if meeting_kind and source not in Rule.MEETING_SOURCES:
        errors["meeting_kind"] = "只有参加或无故缺席组织生活可以指定会议类型。"
    if evidence and source != Rule.Source.MANUAL:
        errors["evidence"] = "只有人工登记的项目需要佐证。"
    if source != Rule.Source.MANUAL:
        clash = Rule.objects.filter(rule_set=rule_set, source=source, meeting_kind=meeting_kind)
        if rule is not None:
            clash = clash.exclude(pk=rule.pk)
        if clash.exists():
            errors["source"] = "本方案已有相同来源(和会议类型)的积分项目。"
    if errors:
        raise ValidationError(errors)
    rule = rule or Rule(rule_set=rule_set)
    rule.category, rule.source, rule.meeting_kind = category, source, meeting_kind or ""
    rule.name = _text(name, "name", "请填写积分项目名称。", 100)
    rule.points, rule.cap_month, rule.cap_year, rule.evidence = points, cap_month, cap_year, (evidence or "").strip()
    if order is not None:
        rule.order = order
    elif rule.pk is None:
        rule.order = (max((r.order for r in rule_set.rules.all()), default=0) // 10 + 1) * 10
    rule.save()
    return rule


# ---------------------------------------------------------------- manual items


def may_decide(user, item: ManualItem) -> bool:
    """A committee member of the branch: a 支部书记/委员 account (the branch's own role) or an administrator."""
    path = item.organization.path
    return any(kind == "admin" or (kind == Role.Kind.SECRETARY and p == path) for p, _a, kind in grants(user))


def manual_rules(branch: Organization, year: int) -> list[Rule]:
    rule_set = selectors.rule_set_for(branch, year)
    if rule_set is None:
        return []
    return [r for r in getattr(rule_set, "loaded_rules", None) or rule_set.rules.all() if r.is_manual]


@transaction.atomic
def item_record(
    *,
    organization: Organization,
    member: Member,
    rule: Rule,
    occurred_on: datetime.date,
    reason: str,
    files=(),
    user,
    today: datetime.date | None = None,
) -> ManualItem:
    """The branch records a manual item with its evidence (JPG/PNG/PDF, the checks of meeting attachments); it counts
    once another committee member approves it."""
    today = today or timezone.localdate()
    if organization.kind != Organization.Kind.BRANCH:
        raise ValidationError("积分登记按党支部记录,请选择一个党支部。")
    _require_write(user, organization, "只有本支部可以登记积分。")
    if occurred_on > today:
        raise ValidationError({"occurred_on": "发生日期不能晚于今天。"})
    if rule.pk not in {r.pk for r in manual_rules(organization, occurred_on.year)}:
        raise ValidationError({"rule": "请选择本支部适用的积分方案中人工登记的项目。"})
    belongs = Membership.objects.filter(belongs_on_q(occurred_on), member=member, organization=organization)
    if not belongs.exists():
        raise ValidationError({"member": f"{member.name}在{occurred_on:%Y-%m-%d}不属于{organization.name}。"})
    reason = _text(reason, "reason", "请填写事由。", 500)
    checked = [(file, *uploads.checked_file(file)) for file in files]
    if rule.evidence and not checked:
        raise ValidationError({"files": f"该项目需要上传佐证材料:{rule.evidence}。"})
    item = ManualItem.objects.create(
        organization=organization, member=member, rule=rule, occurred_on=occurred_on, reason=reason, recorded_by=user
    )
    for file, original, ext in checked:
        evidence = ManualEvidence(item=item, original_name=original[-150:], size=file.size, uploaded_by=user)
        evidence.file.save(f"upload{ext}", file, save=False)
        evidence.save()
    return item


def _lock(item: ManualItem) -> ManualItem:
    ManualItem.objects.select_for_update().filter(pk=item.pk).values_list("pk").first()
    item.refresh_from_db()
    return item


def _check_decider(item: ManualItem, user) -> None:
    if item.state != ManualItem.State.PENDING:
        raise ValidationError(f"该积分登记已{item.get_state_display()},不能再审批。")
    if user is None or user.pk == item.recorded_by_id:
        raise ValidationError("审批人不能是登记人,请由另一名支部委员审批。")
    if not may_decide(user, item):
        raise ValidationError("只有本支部的支部委员可以审批积分登记。")


@transaction.atomic
def item_approve(*, item: ManualItem, user) -> ManualItem:
    item = _lock(item)
    _check_decider(item, user)
    item.state, item.decided_by, item.decided_at = ManualItem.State.APPROVED, user, timezone.now()
    item.save(update_fields=["state", "decided_by", "decided_at"])
    return item


@transaction.atomic
def item_refuse(*, item: ManualItem, reason: str, user) -> ManualItem:
    item = _lock(item)
    _check_decider(item, user)
    item.refusal_reason = _text(reason, "reason", "请填写不予通过的理由。", 500)
    item.state, item.decided_by, item.decided_at = ManualItem.State.REFUSED, user, timezone.now()
    item.save(update_fields=["state", "decided_by", "decided_at", "refusal_reason"])
    return item


# ---------------------------------------------------------------- 公示


@transaction.atomic
def quarter_publish(
    *,
    organization: Organization,
    year: int,
    quarter: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    user,
) -> Publication:
    """公示: the branch's table of the quarter, open to objections from `starts_on` to `ends_on`. The quarter is
    published in or after its last month (DOMAIN.md: tallied monthly, published quarterly)."""
    if organization.kind != Organization.Kind.BRANCH:
        raise ValidationError("积分公示按党支部发布,请选择一个党支部。")
    _require_write(user, organization, "只有本支部可以发布积分公示。")
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
        raise ValidationError({"quarter": "季度无效。"})
    if starts_on < quarter_start(year, quarter).replace(month=3 * quarter):
        raise ValidationError({"starts_on": "公示应在本季度最后一个月或之后发布。"})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": "公示结束日期不能早于开始日期。"})
    if (ends_on - starts_on).days > PUBLICATION_MAX_DAYS:
        raise ValidationError({"ends_on": f"公示期不能超过{PUBLICATION_MAX_DAYS}天。"})
    if Publication.objects.filter(organization=organization, year=year, quarter=quarter).exists():
        raise ValidationError(f"{period_name(f'{year}-Q{quarter}')}的积分已经公示。")
    return Publication.objects.create(
        organization=organization, year=year, quarter=quarter, starts_on=starts_on, ends_on=ends_on, published_by=user
    )


@transaction.atomic
def objection_record(
    *, publication: Publication, member: Member, text: str, raised_on: datetime.date, user
) -> Objection:
    """A member's objection, raised within the 公示 window, recorded by the branch."""
    _require_write(user, publication.organization, "只有本支部可以登记公示异议。")
    if not publication.starts_on <= raised_on <= publication.ends_on:
        raise ValidationError(
            {"raised_on": f"异议应在公示期内({publication.starts_on:%Y-%m-%d}至{publication.ends_on:%Y-%m-%d})提出。"}
        )
    if member.pk not in {m.pk for m in selectors.branch_members(publication.organization, publication.year)}:
        raise ValidationError({"member": f"{member.name}不在本支部{publication.year}年度的积分表中。"})
    text = _text(text, "text", "请填写异议内容。", 1000)
    return Objection.objects.create(
        publication=publication, member=member, text=text, raised_on=raised_on, recorded_by=user
    )


@transaction.atomic
def objection_answer(*, objection: Objection, answer: str, user, today: datetime.date | None = None) -> Objection:
    _require_write(user, objection.publication.organization, "只有本支部可以答复公示异议。")
    Objection.objects.select_for_update().filter(pk=objection.pk).values_list("pk").first()
    objection.refresh_from_db()
    if objection.answer:
        raise ValidationError("该异议已经答复。")
    objection.answer = _text(answer, "answer", "请填写答复。", 1000)
    objection.answered_by, objection.answered_on = user, today or timezone.localdate()
    objection.save(update_fields=["answer", "answered_by", "answered_on"])
    return objection
