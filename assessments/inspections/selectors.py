"""Reads of 观摩/督查: the rounds a user may see (the committee's subtree readers, and the team), one round with its
ranking, the form rows of an inspector's visit, and the showcases every organization reads."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404

from branches.access import Access, organization_access, visible_organizations_q
from branches.models import Organization, Role

from ..rubrics import selectors as rubrics
from ..rubrics.models import Rubric
from . import access
from .models import InspectionRound, InspectionScore, Showcase


def round_list(user):
    rounds = InspectionRound.objects.select_related("committee", "rubric")
    if user.is_superuser:
        return rounds
    return rounds.filter(visible_organizations_q(user, "committee__") | Q(team=user)).distinct()


def get_round_for_user(user, pk) -> InspectionRound:
    round = InspectionRound.objects.select_related("committee", "rubric").filter(pk=pk).first()
    if round is None:
        raise Http404("没有找到该观摩督查。")
    if user.is_superuser or organization_access(user, round.committee) >= Access.READ:
        return round
    if round.team.filter(pk=user.pk).exists():
        return round
    raise Http404("没有找到该观摩督查。")


def round_detail(round: InspectionRound) -> dict:
    return {
        "organizations": list(round.organizations.order_by("path")),
        "team": list(round.team.order_by("last_name", "first_name", "username")),
        "scored": set(round.scores.values_list("organization_id", flat=True)),
        "results": list(round.results.select_related("organization")),
        "showcases": list(round.showcases.select_related("organization")),
        "problems": list(round.rectification_items.select_related("organization").order_by("organization__path")),
    }


def visit_rows(round: InspectionRound, organization, user) -> list[dict]:
    """The rubric tree for the inspector's form: each leaf with the inspector's saved value and note (two queries)."""
    mine = {
        s.item_id: s for s in InspectionScore.objects.filter(round=round, organization=organization, inspector=user)
    }

    def row(leaf, depth):
        computed = leaf.computed
        saved = mine.get(leaf.pk)
        value, note = (saved.value, saved.note) if saved else (None, "")
        return {"item": leaf, "depth": depth, "typed": not computed, "leaf": True, "value": value, "note": note}

    rows = []
    for root in rubrics.rubric_roots(round.rubric):
        if not root.kids:
            rows.append(row(root, 0))
            continue
        rows.append({"item": root, "depth": 0, "typed": False, "leaf": False})
        rows.extend(row(kid, 1) for kid in root.kids)
    return rows


def showcase_list():
    return Showcase.objects.select_related("organization", "round").order_by("-round__year", "kind", "id")


def round_choices(committee: Organization, user) -> dict:
    """What a new round of `committee` may name: the rubrics of the committee or its superiors, the organizations
    below it (for SASAC under its exception: the enterprises' 党委 only), and the team (people with a role there)."""
    step = committee.steplen
    paths = [committee.path[:i] for i in range(step, len(committee.path) + 1, step)]
    rubrics_qs = Rubric.objects.select_related("committee").filter(committee__path__in=paths)
    below = Organization.objects.filter(path__startswith=committee.path, depth__gt=committee.depth)
    if access.is_sasac_runner(user, committee) and organization_access(user, committee) != Access.WRITE:
        below = below.filter(kind=Organization.Kind.COMMITTEE, enterprise__isnull=False)
    else:
        below = below.exclude(kind=Organization.Kind.GROUP)
    people = Role.objects.filter(organization__path__startswith=committee.path).values("user_id")
    team = (
        get_user_model().objects.filter(is_active=True, pk__in=people).order_by("last_name", "first_name", "username")
    )
    return {
        "rubrics": rubrics_qs.order_by("-year", "name"),
        "organizations": below.order_by("path"),
        "team": team,
    }
