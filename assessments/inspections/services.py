"""Every change to a 观摩/督查 round: open it, score an organization, add photos, record problems, finish with the
ranking and classification, name showcase sites and good practices.

Inspectors (the round's team) score only the organizations of their round, only while it is open. An item computed
from the records (a deduction with a source, an indicator's rate) is not typed by anyone: it is computed when the
round ends (rubrics.selectors.score_organization). Problems go to 整改 as proposed items of the round's committee.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from branches.models import Organization
from meetings import uploads

from ..letters.models import BranchClassification
from ..rectification.models import RectificationItem
from ..rectification.services import item_propose
from ..rubrics import scoring
from ..rubrics import selectors as rubrics
from ..rubrics.models import Rubric
from . import access
from .models import InspectionPhoto, InspectionResult, InspectionRound, InspectionScore, Showcase

St = InspectionRound.State


def _lock(round: InspectionRound) -> InspectionRound:
    InspectionRound.objects.select_for_update().filter(pk=round.pk).values_list("pk").first()
    round.refresh_from_db()
    return round


def _require_open(round: InspectionRound) -> None:
    if round.state != St.OPEN:
        raise ValidationError("本轮观摩督查已结束,不能再评分或记录。")


def check_inspector(round: InspectionRound, organization: Organization, user) -> None:
    if not round.team.filter(pk=user.pk).exists():
        raise ValidationError("只有本轮观摩组成员可以评分和记录问题。")
    if not round.organizations.filter(pk=organization.pk).exists():
        raise ValidationError("该组织不在本轮观摩督查范围内。")


@transaction.atomic
def round_open(
    *,
    committee: Organization,
    year: int,
    kind: str,
    title: str,
    rubric: Rubric,
    organizations,
    team,
    user=None,
    today: datetime.date | None = None,
) -> InspectionRound:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "请填写名称。"})
    if kind not in InspectionRound.Kind.values:
        raise ValidationError({"kind": "类型无效。"})
    if not committee.path.startswith(rubric.committee.path):
        raise ValidationError({"rubric": "只能使用本单位或上级党组织制定的考核细则。"})
    organizations, team = list(organizations), list(team)
    if not organizations or not team:
        raise ValidationError("请选择被观摩单位和观摩组成员。")
    access.check_scope(user, committee, organizations)
    outside = [o.name for o in organizations if not o.path.startswith(committee.path) or o.pk == committee.pk]
    if outside:
        raise ValidationError({"organizations": f"不属于本单位下级组织:{'、'.join(outside)}。"})
    round = InspectionRound.objects.create(
        committee=committee,
        year=year,
        kind=kind,
        title=title,
        rubric=rubric,
        started_on=today or timezone.localdate(),
        created_by=user,
    )
    round.organizations.set(organizations)
    round.team.set(team)
    return round


def _value_score(item, value: Decimal) -> Decimal:
    if item.method == scoring.DEDUCTION:
        return scoring.deduction_score(item.points, item.unit_points, int(value)).score
    if item.method == scoring.BONUS:
        return scoring.bonus_score(item.points, value).score
    if item.method == scoring.VETO:
        return scoring.veto_score(item.points, failed=bool(value)).score
    return scoring.manual_score(item.points, value).score


def _typed_items(round: InspectionRound) -> dict[int, object]:
    """The leaves an inspector scores (the others are computed from the records)."""
    rows = list(round.rubric.items.all())
    parents = {r.parent_id for r in rows}
    return {r.pk: r for r in rows if r.pk not in parents and not r.computed}


@transaction.atomic
def scores_record(
    *, round: InspectionRound, organization: Organization, user, values: dict[int, object], notes: dict | None = None
) -> list[InspectionScore]:
    """An inspector's scores of an organization (item pk -> value; blank values are skipped); saved again replaces."""
    round = _lock(round)
    _require_open(round)
    check_inspector(round, organization, user)
    items, notes, errors, saved = _typed_items(round), notes or {}, {}, []
    for pk, raw in values.items():
        if raw in (None, ""):
            continue
        item = items.get(int(pk))
        if item is None:
            errors[f"item_{pk}"] = ["该条目不由观摩组评分。"]
            continue
        try:
            value = Decimal(str(raw))
            if value < 0:
                raise ValueError("不能为负数。")
            score = _value_score(item, value)
        except (ArithmeticError, ValueError) as error:
            errors[f"item_{pk}"] = [str(error) if isinstance(error, ValueError) else "请填写数字。"]
            continue
        row, _ = InspectionScore.objects.update_or_create(
            round=round,
            organization=organization,
            item=item,
            inspector=user,
            defaults={"value": value, "score": score, "note": (notes.get(pk) or "")[:300], "at": timezone.now()},
        )
        saved.append(row)
    if errors:
        raise ValidationError(errors)
    return saved


@transaction.atomic
def photo_add(*, round: InspectionRound, organization: Organization, user, file, note: str = "") -> InspectionPhoto:
    _require_open(round)
    check_inspector(round, organization, user)
    original, ext = uploads.checked_file(file)
    photo = InspectionPhoto(
        round=round,
        organization=organization,
        inspector=user,
        original_name=original[-150:],
        size=file.size,
        note=(note or "")[:300],
    )
    photo.file.save(f"upload{ext}", file, save=False)
    photo.save()
    return photo


@transaction.atomic
def problem_record(
    *, round: InspectionRound, organization: Organization, user, title: str, description: str = ""
) -> RectificationItem:
    """A problem found on the visit: proposed to the round's committee, which confirms it as a 整改 item."""
    _require_open(round)
    check_inspector(round, organization, user)
    return item_propose(
        organization=organization,
        committee=round.committee,
        title=title,
        description=description,
        origin=RectificationItem.Origin.INSPECTION,
        round=round,
        user=user,
    )


def given_values(round: InspectionRound) -> dict[int, dict[int, Decimal]]:
    """organization pk -> item pk -> the inspectors' mean value (one query)."""
    sums: dict[tuple[int, int], list[Decimal]] = {}
    for org_id, item_id, value in round.scores.values_list("organization_id", "item_id", "value"):
        sums.setdefault((org_id, item_id), []).append(value)
    result: dict[int, dict[int, Decimal]] = {}
    for (org_id, item_id), values in sums.items():
        result.setdefault(org_id, {})[item_id] = sum(values, Decimal(0)) / len(values)
    return result


def rank(totals: list[tuple[object, Decimal]]) -> list[tuple[object, Decimal, int, bool]]:
    """Competition ranking (1, 2, 2, 4): equal totals share a rank and are marked tied (并列)."""
    ordered = sorted(totals, key=lambda t: -t[1])
    counts: dict[Decimal, int] = {}
    for _key, total in ordered:
        counts[total] = counts.get(total, 0) + 1
    result, previous, position = [], None, 0
    for n, (key, total) in enumerate(ordered, start=1):
        if total != previous:
            position, previous = n, total
        result.append((key, total, position, counts[total] > 1))
    return result


@transaction.atomic
def round_finish(*, round: InspectionRound, user=None, today: datetime.date | None = None) -> InspectionRound:
    """The round ends: each organization's total (typed scores + computed items), the ranking and the class."""
    round = _lock(round)
    _require_open(round)
    today = today or timezone.localdate()
    given, roots = given_values(round), rubrics.rubric_roots(round.rubric)
    outcomes = {}
    for organization in round.organizations.order_by("path"):
        scored = rubrics.score_organization(
            round.rubric, organization, today=today, given=given.get(organization.pk, {}), roots=roots
        )
        outcomes[organization] = scored.outcome
    results = [
        InspectionResult(
            round=round,
            organization=organization,
            total=total,
            rank=position,
            tied=tied,
            veto=outcomes[organization].veto,
            level=outcomes[organization].level,
        )
        for organization, total, position, tied in rank([(o, out.total) for o, out in outcomes.items()])
    ]
    InspectionResult.objects.bulk_create(results)
    round.state, round.finished_on = St.FINISHED, today
    round.save(update_fields=["state", "finished_on"])
    return round


@transaction.atomic
def showcase_add(
    *, round: InspectionRound, organization: Organization, kind: str, title: str, description: str = "", user=None
) -> Showcase:
    """示范点 or 经验 named by the round, readable by every organization."""
    if kind not in Showcase.Kind.values:
        raise ValidationError({"kind": "类型无效。"})
    if not round.organizations.filter(pk=organization.pk).exists():
        raise ValidationError({"organization": "只能从本轮被观摩单位中选树示范点和经验。"})
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": "请填写标题。"})
    return Showcase.objects.create(
        round=round, organization=organization, kind=kind, title=title[:150], description=description or ""
    )


LEVELS = BranchClassification.Level
