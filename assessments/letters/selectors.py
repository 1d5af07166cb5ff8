"""Reads and access checks for responsibility letters and templates.

Access rides on branches.access (one prefix match per role):
- a letter is visible to whoever may see its recipient (the issuer sits above the recipient, so issuer staff see it too);
- the issuer side (下达, 考核, 定档) is WRITE on the issuer organization;
- the recipient side (签订, 自评, 分解) is WRITE on the recipient, by someone who is not also the issuer side:
  a committee officer must not sign the letter their own committee issued (administrators may do both);
- outsiders get 404, read-only users (SASAC) and the wrong side get 403.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404

from branches import access
from branches.access import Access
from branches.models import Organization

from .models import BranchClassification, Letter, LetterEvent, LetterItem, LetterTemplate, TemplateItem
from .ratings import STARS, star_rating, stars_label, suggested_level

ISSUER, RECIPIENT = "issuer", "recipient"


@dataclass(frozen=True)
class LetterSides:
    issuer: bool
    recipient: bool


def letter_sides(user, letter: Letter) -> LetterSides:
    issuer = access.organization_access(user, letter.issuer) == Access.WRITE
    recipient = access.organization_access(user, letter.recipient) == Access.WRITE and (not issuer or user.is_superuser)
    return LetterSides(issuer=issuer, recipient=recipient)


def check_letter_side(user, letter: Letter, side: str) -> None:
    sides = letter_sides(user, letter)
    if side == ISSUER and not sides.issuer:
        raise PermissionDenied("只有下达单位的党委工作人员可以进行此操作。")
    if side == RECIPIENT and not sides.recipient:
        raise PermissionDenied("只有责任单位(签订方)可以进行此操作。")


def _letter_queryset():
    return Letter.objects.with_parties().select_related("parent", "parent__issuer", "template")


def get_letter_for_user(user, pk, *, side: str | None = None) -> Letter:
    """The letter if the user may see it (404 otherwise); with `side`, also that they act for that side (403)."""
    letter = _letter_queryset().filter(pk=pk).first()
    if letter is None or access.organization_access(user, letter.recipient) == Access.NONE:
        raise Http404("没有找到该责任书,或您无权查看。")
    if side is not None:
        check_letter_side(user, letter, side)
    return letter


def letter_detail(letter: Letter) -> Letter:
    """Items, events with their users and child letters, in three queries."""
    letter.item_list = list(letter.items.all())
    letter.event_list = list(LetterEvent.objects.filter(letter=letter).select_related("user"))
    letter.child_list = list(Letter.objects.filter(parent=letter).with_parties().order_by("recipient__path"))
    return letter


def get_template_for_user(user, pk, *, write: bool = False) -> LetterTemplate:
    template = LetterTemplate.objects.select_related("issuer", "source_letter").filter(pk=pk).first()
    if template is None:
        raise Http404("没有找到该模板。")
    access.check_organization(user, template.issuer, write=write)
    return template


def template_items(template: LetterTemplate) -> list[TemplateItem]:
    return list(template.items.all())


# ---------------------------------------------------------------- lists

BOXES = {
    "received": "我收到的",
    "issued": "我下达的",
    "all": "全部可见",
}


def _writable_q(user, prefix: str) -> Q:
    q = Q(pk__in=[])
    for path, grant, _kind in access.grants(user):
        if grant == Access.WRITE:
            q |= Q(**{f"{prefix}path__startswith": path})
    return q


def _own_q(user, prefix: str) -> Q:
    """Organizations the user acts for directly: the organizations of their write roles (not the subtree)."""
    paths = [path for path, grant, _k in access.grants(user) if grant == Access.WRITE]
    if any(p == "" for p in paths):
        return Q()
    return Q(**{f"{prefix}path__in": paths}) if paths else Q(pk__in=[])


def default_box(user) -> str:
    kinds = {kind for _p, _a, kind in access.grants(user)}
    if kinds & {"officer", "admin"}:
        return "issued"
    if "secretary" in kinds:
        return "received"
    return "all"


def letter_list(user, *, box: str, year: int | None = None, status: str = "", search: str = ""):
    """Letters for the list page: received by / issued by the user's own organizations, or all visible."""
    qs = Letter.objects.with_parties().filter(access.visible_organizations_q(user, "recipient__"))
    if box == "received":
        qs = qs.filter(_own_q(user, "recipient__"))
    elif box == "issued":
        qs = qs.filter(_writable_q(user, "issuer__"))
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(
            Q(recipient__name__icontains=search)
            | Q(recipient__code__icontains=search)
            | Q(issuer__name__icontains=search)
            | Q(title__icontains=search)
        )
    return qs.order_by("-year", "issuer__path", "recipient__path")


def template_list(user, *, year: int | None = None, search: str = ""):
    qs = (
        LetterTemplate.objects.select_related("issuer")
        .filter(access.visible_organizations_q(user, "issuer__"))
        .prefetch_related(
            Prefetch("items", queryset=TemplateItem.objects.only("id", "template_id", "weight", "method"))
        )
    )
    if year:
        qs = qs.filter(year=year)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(issuer__name__icontains=search))
    return qs.order_by("-year", "issuer__path", "name")


def issuing_organizations(user):
    """Organizations the user may issue letters from: writable, active, with subordinates that receive letters."""
    return (
        Organization.objects.filter(_writable_q(user, ""))
        .active()
        .filter(kind__in=[Organization.Kind.COMMITTEE, Organization.Kind.GENERAL_BRANCH])
        .order_by("path")
    )


def letter_recipients(issuer: Organization):
    """Every active organization directly below the issuer, except 党小组 (they sign no letters)."""
    return (
        Organization.objects.filter(path__startswith=issuer.path, depth=issuer.depth + 1)
        .active()
        .exclude(kind=Organization.Kind.GROUP)
        .order_by("path")
    )


def issue_recipients(template: LetterTemplate) -> list[tuple[Organization, bool]]:
    """一键下达's preview: (organization, already holds a letter from this issuer for the year) per recipient."""
    recipients = list(letter_recipients(template.issuer))
    holding = set(
        Letter.objects.filter(issuer=template.issuer, year=template.year, recipient__in=recipients).values_list(
            "recipient_id", flat=True
        )
    )
    return [(org, org.pk in holding) for org in recipients]


def received_letter(organization: Organization, year: int) -> Letter | None:
    """The letter an organization received for the year from its nearest superior (the cascade's parent)."""
    return (
        Letter.objects.filter(recipient=organization, year=year)
        .exclude(status=Letter.Status.DRAFTED)
        .order_by("-issuer__depth")
        .first()
    )


def items_by_letter(letters) -> dict[int, list[LetterItem]]:
    result: dict[int, list[LetterItem]] = {}
    for item in LetterItem.objects.filter(letter__in=letters):
        result.setdefault(item.letter_id, []).append(item)
    return result


# ---------------------------------------------------------------- star ratings and ranking (ratings.py: the rule)


def _final_letters(root: Organization, year: int, *, include_root: bool = True):
    """Final letters of the year received by branches under root, deepest issuer first per branch
    (a branch normally has one; should two issuers have sent one, its nearest superior's counts)."""
    qs = Letter.objects.final().filter(year=year, recipient__kind=Organization.Kind.BRANCH).under(root)
    if not include_root:
        qs = qs.exclude(recipient=root)
    return qs.order_by("recipient_id", "-issuer__depth")


def star_counts(root: Organization, year: int) -> dict[int, int]:
    """{1: n, ..., 5: n}: branches under root (root included) with a final letter that year, by stars. One query."""
    counts = dict.fromkeys(STARS, 0)
    seen = set()
    for recipient_id, score, innovation in _final_letters(root, year).values_list(
        "recipient_id", "total_score", "innovation"
    ):
        if recipient_id in seen:
            continue
        seen.add(recipient_id)
        counts[star_rating(score, innovation)] += 1
    return counts


@dataclass
class RankRow:
    rank: int
    organization: Organization
    letter: Letter
    score: Decimal
    stars: int
    suggested: str
    level: str  # the committee's classification, or "" when not set yet
    level_label: str

    @property
    def stars_label(self) -> str:
        return stars_label(self.stars)


def branch_ranking(committee: Organization, year: int, *, search: str = "") -> list[RankRow]:
    """The committee's branches ranked by final score for the year (ties share a rank). Two queries."""
    letters = _final_letters(committee, year).select_related("recipient", "recipient__enterprise")
    best: dict[int, Letter] = {}
    for letter in letters:
        best.setdefault(letter.recipient_id, letter)
    levels = dict(
        BranchClassification.objects.filter(year=year, organization_id__in=list(best)).values_list(
            "organization_id", "level"
        )
    )
    labels = dict(BranchClassification.Level.choices)
    ordered = sorted(best.values(), key=lambda lt: (-lt.total_score, lt.recipient.path))
    rows, previous, rank = [], None, 0
    for position, letter in enumerate(ordered, start=1):
        if letter.total_score != previous:
            rank, previous = position, letter.total_score
        stars = star_rating(letter.total_score, letter.innovation)
        level = levels.get(letter.recipient_id, "")
        rows.append(
            RankRow(
                rank=rank,
                organization=letter.recipient,
                letter=letter,
                score=letter.total_score,
                stars=stars,
                suggested=suggested_level(stars),
                level=level,
                level_label=str(labels.get(level or suggested_level(stars), "")),
            )
        )
    if search:  # ranks stay those of the whole list
        rows = [r for r in rows if search in r.organization.name or search.upper() in r.organization.code.upper()]
    return rows
