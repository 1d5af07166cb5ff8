"""What the one-screen 记录会议 starts with (read-only): the kind the branch owes next (the to-do's rules,
meetings/plan), its period and date, the roll of everyone expected, the 主持人 (the 书记) and the 记录人 (whoever
recorded most of the branch's recent meetings, else the 组织委员). The page only shows it; meetings/services.py
meeting_record_held() writes."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from branches.models import CommitteePosition, CommitteeTerm, Member, Organization
from common.periods import period_name

from . import plan
from .attendance import _secretary_of, has_vote, roll_members, term_in_force
from .models import Meeting
from .services import KIND_ORGANIZATION_KINDS

K = Meeting.Kind
RECENT = 10  # the recorder who kept most of the last ten records is the one who usually records


@dataclass
class QuickRecordSetup:
    organization: Organization
    kind: str
    kinds: list  # (value, label) the organization holds
    period: plan.Period | None
    date: datetime.date
    topic: str
    groups: list = field(default_factory=list)
    group: Organization | None = None
    roll: list = field(default_factory=list)  # Members, each with .voting
    host: Member | None = None
    recorder: Member | None = None
    has_committee: bool = True

    @property
    def period_name(self) -> str:
        return period_name(self.period) if self.period else ""

    @property
    def needs_group(self) -> bool:
        return self.kind == K.GROUP_MEETING and self.group is None


def kinds_of(organization: Organization, term: CommitteeTerm | None) -> list[tuple[str, str]]:
    committee = term is not None and term.has_committee
    return [
        (k.value, k.label)
        for k in K
        if organization.kind in KIND_ORGANIZATION_KINDS[k]
        and (committee or k not in (K.BRANCH_COMMITTEE, K.DEMOCRATIC_LIFE))
    ]


def next_owed(organization: Organization, today: datetime.date):
    """The first meeting the to-do list says is owed now (this month, this quarter, this year), or None."""
    items = plan.todo(organization, today)
    for key in ("month", "quarter", "year"):
        for item in items.get(key, []):
            if item.plannable:
                return item
    return None


def usual_recorder(organization: Organization, term: CommitteeTerm | None) -> Member | None:
    recent = (
        Meeting.objects.filter(organization=organization, recorder__isnull=False)
        .order_by("-date", "-id")
        .values_list("recorder_id", flat=True)[:RECENT]
    )
    counts = Counter(recent).most_common(1)
    if counts:
        found = Member.objects.filter(pk=counts[0][0]).in_good_standing().first()
        if found is not None:
            return found
    if term is None:
        return None
    role = CommitteePosition.Role.ORGANIZATION
    return next((p.member for p in term.positions.all() if p.role == role), None)


def quick_record_setup(
    organization: Organization, *, kind: str = "", period: str = "", group: str = "", today: datetime.date
) -> QuickRecordSetup:
    term = term_in_force(organization, today)
    kinds = kinds_of(organization, term)
    found_period = plan.period_by_label(period) if period else None
    if kind not in dict(kinds):
        owed = next_owed(organization, today)
        if owed is not None and owed.kind in dict(kinds):
            kind, found_period = owed.kind, owed.period
            group = group or (str(owed.group.pk) if owed.group else "")
        else:
            kind = kinds[0][0] if kinds else ""
    day = plan.default_date(found_period, today) if found_period else today
    topic_period = found_period or plan.period_for(plan.MONTH, day)
    setup = QuickRecordSetup(
        organization=organization,
        kind=kind,
        kinds=kinds,
        period=found_period,
        date=day,
        topic=plan.suggest_topic(kind, topic_period) if kind else "",
        has_committee=term is not None and term.has_committee,
    )
    if kind == K.GROUP_MEETING:
        setup.groups = list(
            Organization.objects.filter(
                path__startswith=organization.path, depth=organization.depth + 1, kind=Organization.Kind.GROUP
            )
            .active()
            .order_by("path")
        )
        setup.group = next((g for g in setup.groups if str(g.pk) == str(group)), None)
    if not kind or setup.needs_group:
        return setup
    day_term = term if day == today else term_in_force(organization, day)
    setup.roll = roll_members(organization=organization, kind=kind, day=day, group=setup.group, term=day_term)
    for member in setup.roll:
        member.voting = has_vote(member, day)
    on_roll = {m.pk for m in setup.roll}
    secretary = _secretary_of(day_term)
    setup.host = secretary if secretary is not None and secretary.pk in on_roll else None
    setup.recorder = usual_recorder(organization, day_term)
    return setup
