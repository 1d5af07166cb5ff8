"""A current 届 for every organization but 党小组, with its positions (关于党的基层组织任期的意见)."""

import datetime
import random

from dateutil.relativedelta import relativedelta

from branches import services
from branches.models import CommitteePosition, CommitteeTerm, ElectionStep, Member, Organization

from .context import BATCH_SIZE, DemoContext, weighted
from .names import TERM_STATES

K = Organization.Kind
R = CommitteePosition.Role


_BRANCH_ROLES = {
    3: [R.SECRETARY, R.ORGANIZATION, R.PROPAGANDA],
    4: [R.SECRETARY, R.ORGANIZATION, R.PROPAGANDA, R.DISCIPLINE],
    5: [R.SECRETARY, R.DEPUTY_SECRETARY, R.ORGANIZATION, R.PROPAGANDA, R.DISCIPLINE],
}
_COMMITTEE_ROLES = [R.SECRETARY, R.DEPUTY_SECRETARY, R.ORGANIZATION, R.PROPAGANDA, R.DISCIPLINE, R.MEMBER, R.MEMBER]


def _term_dates(rng: random.Random, state: str, years: int, today: datetime.date):
    """(started_on, extension_months) so that, seen from `today`, the term is in `state`."""
    if state == "extended":
        months = rng.choice([6, 12])
        expires = today + datetime.timedelta(days=rng.randint(10, 150))
        return expires - relativedelta(years=years, months=months), months
    days_left = {
        "overdue": (-400, -5),
        "m1": (1, 30),
        "m3": (31, 91),
        "m6": (92, 182),
        "ok": (184, years * 365 - 30),
    }[state]
    expires = today + datetime.timedelta(days=rng.randint(*days_left))
    return expires - relativedelta(years=years), 0


def build_terms(ctx: DemoContext) -> None:
    """A current 届 for every organization but 党小组 (关于党的基层组织任期的意见: 党委 5 years, 党总支 and 支部 3),
    started so that some are overdue, some expire within 1/3/6 months and a few run on an approved extension."""
    rng, today = ctx.rng, ctx.today
    terms, wanted = [], []  # wanted: (term index, [(member, role)])
    names = {node.org.path: node.name for node in ctx.nodes}
    for index, node in enumerate(ctx.nodes):
        if node.kind == K.GROUP:
            continue
        plan = node.branch
        if plan is not None:
            state = plan.term_state or weighted(rng, TERM_STATES)
        else:
            state = "ok" if node.org is ctx.root else weighted(rng, TERM_STATES)
        years = services.default_term_years(node.kind)
        started_on, extension = _term_dates(rng, state, years, today)
        started_on = max(started_on, node.established_on)
        # The demo's terms are each organization's first on record: they start from the superior's 批复 (DOMAIN.md
        # "Votes and elections"); a committee has 3 to 7 members (支部工作条例 第九条).
        term = CommitteeTerm(
            organization=node.org,
            started_on=started_on,
            term_years=years,
            has_committee=plan is None or plan.flavor not in ("small", "too_few", "no_committee"),
            approval_document=f"{names.get(node.org.path[: -Organization.steplen], '上级党委')}〔{started_on.year}〕"
            f"{index % 58 + 3}号",
        )
        if extension:
            approved = started_on + relativedelta(years=years) - datetime.timedelta(days=rng.randint(20, 60))
            term.extension_months, term.extension_approved_on = extension, approved
            term.extension_document = f"{_parent_name(ctx, index)}〔{approved.year}〕{rng.randint(3, 60)}号"
        pairs = _positions_for(ctx, index)
        term.has_committee = term.has_committee and len(pairs) >= 3
        terms.append(term)
        wanted.append(pairs)
    CommitteeTerm.objects.bulk_create(terms, batch_size=BATCH_SIZE)
    previous = _late_renewal(ctx, terms)
    positions = [
        CommitteePosition(term=term, member=member, role=role)
        for term, pairs in zip(terms, wanted, strict=True)
        for member, role in pairs
    ]
    CommitteePosition.objects.bulk_create(positions, batch_size=BATCH_SIZE)
    if previous is not None:  # the previous committee had the same members
        renewed = terms.index(next(t for t in terms if t.pk == previous.renewed_pk))
        CommitteePosition.objects.bulk_create(
            CommitteePosition(term=previous, member=member, role=role) for member, role in wanted[renewed]
        )
    ctx.terms, ctx.positions = terms, len(positions)
    for term, pairs in zip(terms, wanted, strict=True):
        ctx.terms_by_org[term.organization.pk] = term
        ctx.positions_by_org[term.organization.pk] = pairs


def _late_renewal(ctx: DemoContext, terms: list[CommitteeTerm]) -> CommitteeTerm | None:
    """One late election, so the 按期换届 rule is visible (DOMAIN.md: a year with an overdue day is not met): a branch
    whose current term started in the last ten months gets the previous term, which had expired six months before."""
    today = ctx.today
    recent = [
        t
        for t in terms
        if t.organization.kind == K.BRANCH
        and today - datetime.timedelta(days=300) < t.started_on < today
        and not t.extension_months
    ]
    if not recent:
        return None
    renewed = min(recent, key=lambda t: (t.started_on, t.organization.code))
    expired = renewed.started_on - relativedelta(months=6)
    started = expired - relativedelta(years=renewed.term_years)
    if started < renewed.organization.established_on:
        return None
    previous = CommitteeTerm.objects.create(
        organization=renewed.organization,
        started_on=started,
        term_years=renewed.term_years,
        has_committee=renewed.has_committee,
        ended_on=renewed.started_on,
        approval_document=renewed.approval_document,
        note="届满后逾期换届(演示数据)",
    )
    # The renewed term started from the (late) 党员大会 election, recorded on its first day.
    renewed.approval_document = ""
    renewed.save(update_fields=["approval_document"])
    seats = 3 if renewed.has_committee else 1
    ElectionStep.objects.create(
        organization=renewed.organization,
        outgoing_term=previous,
        step=ElectionStep.Step.ELECTION,
        done_on=renewed.started_on,
        seats=seats,
        candidates=-(-seats * 6 // 5),
        note="换届选举大会(演示数据)",
    )
    previous.renewed_pk = renewed.pk
    return previous


def _parent_name(ctx: DemoContext, index: int) -> str:
    path = ctx.nodes[index].org.path[: -Organization.steplen]
    for node in reversed(ctx.nodes[:index]):
        if node.org.path == path:
            return node.name
    return ctx.nodes[0].name


def _positions_for(ctx: DemoContext, index: int) -> list[tuple[Member, str]]:
    rng, node = ctx.rng, ctx.nodes[index]
    if node.kind == K.BRANCH:
        plan = node.branch
        pool = [m for m in ctx.members_by_branch[node.org.pk] if m.category == Member.Category.FULL]
        if plan.flavor in ("small", "too_few", "no_committee"):
            roles = [R.SECRETARY]  # 支部工作条例 第九条: fewer than 7 正式党员, no committee: a 书记 only
        else:
            roles = list(_BRANCH_ROLES[3 if len(pool) < 9 else 5 if len(pool) >= 15 else rng.choice([4, 5])])
            if plan.flavor == "well_formed":
                roles = list(_BRANCH_ROLES[5])
            if plan.flavor == "vacant":  # the 书记 left; the 副书记 presides until the by-election
                roles = [R.DEPUTY_SECRETARY] + [r for r in roles if r not in (R.SECRETARY, R.DEPUTY_SECRETARY)]
    else:
        # Committee and 党总支 members come from the branches below, 机关 branches first.
        roles = _COMMITTEE_ROLES[: 7 if node.org.depth == 2 else 5]
        pool = []
        for other in ctx.nodes[index + 1 :]:
            if not other.org.path.startswith(node.org.path):
                break
            if other.kind == K.BRANCH:
                pool += [m for m in ctx.members_by_branch[other.org.pk] if m.category == Member.Category.FULL]
                if len(pool) >= 3 * len(roles):
                    break
    chosen = rng.sample(pool, min(len(roles), len(pool)))
    return list(zip(chosen, roles, strict=False))
