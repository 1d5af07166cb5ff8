"""Problems proposed from the data at a period's end (DOMAIN.md: "Problems also come from the data"): indicator gaps,
overdue elections, dues arrears, overdue 发展党员 steps. The committee confirms or dismisses each; nobody retypes it.

A provider is `provider(committee, year, today) -> list[Proposal]`. The defaults are below (all on); a caller may
pass its own list in `providers`:

    propose_from_data(committee=..., year=..., today=..., providers=[indicator_gaps, dues_arrears])

Each proposal has a key ("<kind>:<organization code>:<period>"), so running it again proposes nothing twice.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from branches import dues
from branches.models import CommitteeTerm, Organization
from common.periods import period_name
from recruitment import selectors as recruitment

from ..indicators import selectors as indicators
from ..indicators.rules import NOT_MET
from .models import RectificationItem
from .services import item_propose


@dataclass(frozen=True)
class Proposal:
    organization: Organization
    title: str
    description: str
    key: str


Provider = Callable[[Organization, int, datetime.date], list[Proposal]]


def indicator_gaps(committee: Organization, year: int, today: datetime.date) -> list[Proposal]:
    """Each indicator 未达标 of an organization of the subtree (the indicators' own threshold rule)."""
    as_of = min(today, datetime.date(year, 12, 31))
    organizations = {o.pk: o for o in Organization.objects.under(committee).exclude(pk=committee.pk)}
    result = []
    for org_id, results in indicators.indicator_summary(committee, year, as_of).items():
        organization = organizations.get(org_id)
        for r in results if organization is not None else ():
            if r.status == NOT_MET:
                missing = "、".join(period_name(m, year_word="年") for m in r.missing[:12])
                result.append(
                    Proposal(
                        organization,
                        f"{year}年“{r.name}”未达标",
                        f"完成 {r.done}/{r.required};缺项:{missing}",
                        f"indicator:{r.code}:{organization.code}:{year}",
                    )
                )
    return result


def overdue_elections(committee: Organization, year: int, today: datetime.date) -> list[Proposal]:
    """Each current term of the subtree past its expiry (换届 overdue)."""
    terms = (
        CommitteeTerm.objects.current()
        .select_related("organization")
        .filter(organization__path__startswith=committee.path)
        .exclude(organization=committee)
    )
    return [
        Proposal(
            t.organization,
            "届满未按期换届",
            f"本届 {t.started_on:%Y-%m-%d} 起,{t.expires_on:%Y-%m-%d} 届满,已超期 {(today - t.expires_on).days} 天",
            f"term:{t.organization.code}:{t.expires_on:%Y-%m-%d}",
        )
        for t in terms.order_by("organization__path")
        if t.expires_on < today
    ]


def dues_arrears(committee: Organization, year: int, today: datetime.date) -> list[Proposal]:
    """Each branch with members in arrears for the warned number of months (branches.dues.dues_arrears)."""
    result = []
    branches = Organization.objects.under(committee).filter(kind=Organization.Kind.BRANCH).order_by("path")
    for branch in branches:
        arrears = dues.dues_arrears(branch, today)
        if arrears:
            names = "、".join(f"{a.member.name}({a.months}个月)" for a in arrears[:20])
            result.append(
                Proposal(branch, "党员欠缴党费", f"连续未交纳党费:{names}", f"dues:{branch.code}:{today:%Y-%m}")
            )
    return result


def recruitment_overdue_steps(committee: Organization, year: int, today: datetime.date) -> list[Proposal]:
    """Each branch of the subtree with 发展党员 steps past their deadline (recruitment's own rules and selector): one
    problem per branch and month, listing the people and steps."""
    overdue = recruitment.overdue_steps(today=today, organizations_q=Q(branch__path__startswith=committee.path))
    by_branch: dict[int, list] = {}
    for step in overdue:
        by_branch.setdefault(step.person.branch_id, []).append(step)
    result = []
    for steps in sorted(by_branch.values(), key=lambda s: s[0].person.branch.path):
        branch = steps[0].person.branch
        if branch.pk == committee.pk:
            continue
        shown = "、".join(f"{s.person.name}“{s.name}”超期{s.days_overdue}天" for s in steps[:20])
        more = f"等{len(steps)}项" if len(steps) > 20 else ""
        result.append(
            Proposal(
                branch,
                "发展党员工作环节超期",
                f"超期未完成:{shown}{more}",
                f"recruitment:{branch.code}:{today:%Y-%m}",
            )
        )
    return result


DEFAULT_PROVIDERS: tuple[Provider, ...] = (indicator_gaps, overdue_elections, dues_arrears, recruitment_overdue_steps)


@transaction.atomic
def propose_from_data(
    *,
    committee: Organization,
    year: int,
    today: datetime.date,
    providers: Iterable[Provider] = DEFAULT_PROVIDERS,
    user=None,
) -> list[RectificationItem]:
    """Proposed items for what the providers find, each once (by its key); returns the new ones."""
    found = [p for provider in providers for p in provider(committee, year, today)]
    known = set(
        RectificationItem.objects.filter(committee=committee, source_key__in=[p.key for p in found]).values_list(
            "source_key", flat=True
        )
    )
    created = []
    for p in found:
        if p.key in known:
            continue
        known.add(p.key)
        created.append(
            item_propose(
                organization=p.organization,
                committee=committee,
                title=p.title,
                description=p.description,
                origin=RectificationItem.Origin.DATA,
                source_key=p.key,
                user=user,
            )
        )
    return created
