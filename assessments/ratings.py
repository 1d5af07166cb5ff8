"""Star ratings (星级支部) and a committee's ranking and classification of its branches.

DOMAIN.md (one common scheme, local practice, so configurable with settings.STAR_RATING_THRESHOLDS): 90 or more plus
an innovation project is ★★★★★, 80–90 ★★★★, 70–80 ★★★, 60–70 ★★, below 60 ★. The score is the branch's final
responsibility-letter total of the year.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from branches.models import Organization

from .models import BranchClassification, Letter

# stars -> lowest score; ★★★★★ also needs the innovation flag (without it a 90+ branch stays ★★★★).
DEFAULT_STAR_THRESHOLDS = {5: 90, 4: 80, 3: 70, 2: 60}
# Default suggestion for 党建观摩 classification; the committee decides.
DEFAULT_CLASSIFICATION_BY_STARS = {5: "advanced", 4: "good", 3: "fair", 2: "fair", 1: "lagging"}
STARS = (1, 2, 3, 4, 5)


def star_thresholds() -> dict[int, Decimal]:
    raw = getattr(settings, "STAR_RATING_THRESHOLDS", DEFAULT_STAR_THRESHOLDS)
    return {int(k): Decimal(str(v)) for k, v in raw.items()}


def star_rating(score, innovation: bool = False) -> int | None:
    """1..5 stars for a final score; None when there is no score."""
    if score is None:
        return None
    score = Decimal(str(score))
    thresholds = star_thresholds()
    for stars in (5, 4, 3, 2):
        if score >= thresholds[stars] and (stars < 5 or innovation):
            return stars
    return 1


def stars_label(stars: int | None) -> str:
    return "★" * stars if stars else "—"


def suggested_level(stars: int | None) -> str:
    mapping = getattr(settings, "BRANCH_CLASSIFICATION_BY_STARS", DEFAULT_CLASSIFICATION_BY_STARS)
    return mapping.get(stars, "") if stars else ""


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
