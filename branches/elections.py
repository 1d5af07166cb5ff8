"""The 换届 procedure (DOMAIN.md "Terms and 换届", "Votes and elections"): its steps happen in order, the election
itself is recorded with the held 党员大会 (meetings/votes/services.py derives its counts from the attendance), and an
early election needs the superior's approval like an extension. Re-exported by branches/services.py."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from . import obligations, term_rules
from .models import CommitteeTerm, ElectionStep, Organization  # noqa: F401


def _save(instance, user, **kwargs):
    instance._history_user = user
    instance.full_clean()
    instance.save(**kwargs)
    return instance


@transaction.atomic
def term_early_election_approve(
    *, term: CommitteeTerm, approved_on: datetime.date, document: str = "", user=None
) -> CommitteeTerm:
    """提前换届: the superior's approval to elect before the term expires (like an extension, at most one year)."""
    if not term.is_current:
        raise ValidationError("只能为本届(当前)委员会登记提前换届批复。")
    obligations.require_superior(user, term.organization, "提前换届批复")
    if approved_on < term.started_on:
        raise ValidationError(f"批准日期不能早于本届开始日期({term.started_on})。")
    term.early_election_approved_on = approved_on
    term.early_election_document = document
    return _save(term, user)


STEP_ORDER = list(ElectionStep.Step)  # 支委会决定 → 请示 → 批复 → 提名 → 批复候选人 → 选举 → 首次支委会 → 报批


def _election_step_save(*, organization, step, done_on, user, note="", **counts) -> ElectionStep:
    """Record a step of the 换届 procedure: the steps happen in order, each on or after the one before."""
    outgoing = (
        CommitteeTerm.objects.select_for_update().filter(organization=organization, ended_on__isnull=True).first()
    )
    recorded = {s.step: s for s in ElectionStep.objects.filter(organization=organization, outgoing_term=outgoing)}
    if step in recorded:
        raise ValidationError(f"本次换届已记录“{ElectionStep.Step(step).label}”。")
    index = STEP_ORDER.index(step)
    if index > 0:
        previous = recorded.get(STEP_ORDER[index - 1])
        if previous is None:
            raise ValidationError(f"换届程序须依次进行:请先记录“{STEP_ORDER[index - 1].label}”。")
        if done_on < previous.done_on:
            raise ValidationError(f"“{ElectionStep.Step(step).label}”的日期不能早于上一步骤({previous.done_on})。")
    step_record = ElectionStep(
        organization=organization, outgoing_term=outgoing, step=step, done_on=done_on, note=note, **counts
    )
    return _save(step_record, user)


@transaction.atomic
def election_step_record(
    *, organization: Organization, step: str, done_on: datetime.date, user=None, note: str = ""
) -> ElectionStep:
    """A step of the 换届 procedure other than the election itself, which is recorded with the held 党员大会
    (meetings.votes.services.election_record: its counts come from the meeting's attendance, never typed)."""
    if step == ElectionStep.Step.ELECTION:
        raise ValidationError("党员大会选举须在召开的党员大会会议记录中登记,应到、实到人数取自出席名单。")
    return _election_step_save(organization=organization, step=step, done_on=done_on, user=user, note=note)


def election_counts_check(*, eligible: int, present: int, seats: int, candidates: int) -> None:
    """选举工作条例: more than 4/5 of the eligible voters present; at least 20% more candidates than seats."""
    if not term_rules.election_quorum_met(present=present, eligible=eligible):
        raise ValidationError(
            f"到会有选举权的党员须超过应到会人数的五分之四,选举无效(应到 {eligible} 人,实到 {present} 人)。"
        )
    if not term_rules.enough_candidates(candidates=candidates, seats=seats):
        raise ValidationError("候选人数应多于应选人数的20%(差额选举)。")


@transaction.atomic
def election_result_record(
    *,
    organization: Organization,
    done_on: datetime.date,
    eligible_voters: int,
    present_voters: int,
    seats: int,
    candidates: int,
    user=None,
    note: str = "",
) -> ElectionStep:
    """The ELECTION step, for meetings.votes.services.election_record only (which counts the voters from the held
    党员大会's attendance). 选举工作条例: more than 4/5 of the eligible voters present; at least 20% more candidates
    than seats; 提前换届 needs the superior's approval (关于党的基层组织任期的意见)."""
    election_counts_check(eligible=eligible_voters, present=present_voters, seats=seats, candidates=candidates)
    outgoing = CommitteeTerm.objects.filter(organization=organization, ended_on__isnull=True).first()
    if outgoing is not None and term_rules.is_early(outgoing, done_on):
        approved = outgoing.early_election_approved_on
        if approved is None or approved > done_on:
            raise ValidationError(
                f"本届任期至 {term_rules.regular_expiry(outgoing)} 届满,提前换届须经上级党组织批准:请先登记提前换届批复。"
            )
        if done_on < term_rules.shift_months(term_rules.regular_expiry(outgoing), -settings.TERM_MAX_EXTENSION_MONTHS):
            raise ValidationError(f"提前换届一般不超过{settings.TERM_MAX_EXTENSION_MONTHS}个月。")
    return _election_step_save(
        organization=organization,
        step=ElectionStep.Step.ELECTION,
        done_on=done_on,
        user=user,
        note=note,
        eligible_voters=eligible_voters,
        present_voters=present_voters,
        seats=seats,
        candidates=candidates,
    )
