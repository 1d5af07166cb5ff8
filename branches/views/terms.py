"""Committee terms and 换届: starting a term, its page, extensions, the election procedure steps."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from .. import access, selectors, services, term_rules
from ..access import can_write
from ..forms import (
    DEFAULT_ROLES,
    POSITION_ROWS,
    ElectionStepForm,
    PositionFormSet,
    TermEarlyElectionForm,
    TermExtendForm,
    TermStartForm,
)
from ..models import CommitteePosition, CommitteeTerm, ElectionStep, Member
from .common import ROLE_RANK, K, _org_crumbs, _post, submit
from .history import audit_history


def _term_url(term):
    return reverse("branches:term_detail", args=[term.pk])


def _candidates(org):
    """Who may sit on the committee: the branch's members, or anyone under a 党委/党总支 (shown with their branch)."""
    candidates = Member.objects.in_good_standing().order_by("name", "id")
    if org.kind == K.BRANCH:
        return candidates.filter(organization=org)
    return candidates.filter(organization__path__startswith=org.path).select_related("organization")


def _position_formset(request, org, current):
    """The positions, prefilled with the current committee in protocol order, then the usual roles."""
    ranked = sorted(current.positions.all() if current else [], key=lambda p: ROLE_RANK.index(p.role))
    initial = [{"member": p.member_id, "role": p.role} for p in ranked]
    initial += [{"role": role} for role in DEFAULT_ROLES[len(initial) :]][: POSITION_ROWS - len(initial)]
    return PositionFormSet(
        _post(request),
        initial=initial,
        prefix="pos",
        form_kwargs={"members": _candidates(org), "show_branch": org.kind != K.BRANCH},
    )


@login_required
def term_start(request, code):
    user = request.user
    org = access.get_organization_for_user(user, code, write=True)
    if not K(org.kind).has_term:
        messages.warning(request, "党小组不设委员会届次。")
        return redirect("branches:org_detail", code=org.code)
    current = selectors.current_term(org)
    form = TermStartForm(_post(request), default_years=services.default_term_years(org.kind))
    formset = _position_formset(request, org, current)
    positions_ok = formset.is_bound and formset.is_valid()
    term = submit(
        form,
        lambda data: (
            positions_ok and services.term_start(organization=org, positions=formset.positions(), user=user, **data)
        ),
    )
    if term:
        messages.success(request, "新一届委员会已登记,上一届同时届满。")
        return redirect(_term_url(term))
    crumbs = _org_crumbs(user, org, ("新一届委员会", ""))
    context = {"organization": org, "form": form, "formset": formset, "current": current, "breadcrumbs": crumbs}
    return render(request, "branches/term_form.html", context)


@login_required
def term_detail(request, pk):
    user, today = request.user, timezone.localdate()
    term = access.get_term_for_user(user, pk)
    sources = [
        ("委员会届次", CommitteeTerm.history.filter(id=term.pk), ("started_on", "term_years")),
        ("委员职务", CommitteePosition.history.filter(term_id=term.pk), ("member", "role")),
    ]
    return render(
        request,
        "branches/term_detail.html",
        {
            "term": term,
            "organization": term.organization,
            "status": selectors.term_status(term, today) if term.is_current else None,
            "positions": term.positions.select_related("member"),
            "steps": term.election_steps.all(),
            "history": audit_history(sources, show_id_number=False),
            "can_write": can_write(user, term.organization) and term.is_current,
            "breadcrumbs": _org_crumbs(user, term.organization, (f"{term.started_on:%Y}年届", "")),
        },
    )


@login_required
def term_extend(request, pk):
    user = request.user
    term = access.get_term_for_user(user, pk, write=True)
    form = TermExtendForm(_post(request))
    if submit(form, lambda data: services.term_extend(term=term, user=user, **data)) is not None:
        messages.success(request, f"已登记延期,本届届满日期为 {term.expires_on:%Y-%m-%d}。")
        return redirect(_term_url(term))
    crumbs = _org_crumbs(user, term.organization, (f"{term.started_on:%Y}年届", _term_url(term)), ("延期", ""))
    return render(
        request,
        "branches/form.html",
        {
            "form": form,
            "title": f"延长任期 · {term.organization.name}",
            "intro": "关于党的基层组织任期的意见:因特殊情况需要延期换届的,须报上级党组织批准,延期一般不超过1年。",
            "breadcrumbs": crumbs,
            "cancel_url": _term_url(term),
        },
    )


@login_required
def term_early_election(request, pk):
    """提前换届: the superior committee records its approval; the branch sees it on the term page."""
    user = request.user
    term = access.get_term_for_user(user, pk, write=True)
    form = TermEarlyElectionForm(_post(request))
    if submit(form, lambda data: services.term_early_election_approve(term=term, user=user, **data)) is not None:
        messages.success(request, "已登记提前换届批复,可以按程序提前换届。")
        return redirect(_term_url(term))
    crumbs = _org_crumbs(user, term.organization, (f"{term.started_on:%Y}年届", _term_url(term)), ("提前换届", ""))
    return render(
        request,
        "branches/form.html",
        {
            "form": form,
            "title": f"提前换届批复 · {term.organization.name}",
            "intro": "关于党的基层组织任期的意见:因特殊情况需要提前换届的,须报上级党组织批准,提前一般不超过1年。"
            f"本届任期至 {term_rules.regular_expiry(term):%Y-%m-%d} 届满。",
            "breadcrumbs": crumbs,
            "cancel_url": _term_url(term),
        },
    )


@login_required
def election_step_create(request, code):
    user = request.user
    org = access.get_organization_for_user(user, code, write=True)
    form = ElectionStepForm(_post(request), initial={"done_on": timezone.localdate()})
    step = submit(form, lambda data: services.election_step_record(organization=org, user=user, **data))
    if step is not None:
        messages.success(request, f"已记录:{step.get_step_display()}。")
        if step.step == ElectionStep.Step.RESULT_APPROVED:
            messages.info(request, "选举结果已批复,请登记新一届委员会。")
            return redirect("branches:term_start", code=org.code)
        return redirect("branches:org_detail", code=org.code)
    steps = ElectionStep.objects.filter(organization=org, outgoing_term__ended_on__isnull=True)
    return render(
        request,
        "branches/election_form.html",
        {
            "organization": org,
            "form": form,
            "steps": steps,
            "breadcrumbs": _org_crumbs(user, org, ("换届程序", "")),
        },
    )
