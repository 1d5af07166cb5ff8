"""Star ratings (星级支部): the rule from a final score to stars, and the suggested 党建观摩 classification.

DOMAIN.md (one common scheme, local practice, so configurable with settings.STAR_RATING_THRESHOLDS): 90 or more plus
an innovation project is ★★★★★, 80–90 ★★★★, 70–80 ★★★, 60–70 ★★, below 60 ★. The score is the branch's final
responsibility-letter total of the year. The reads (star counts, a committee's ranking) are in selectors.py.
"""

from decimal import Decimal

from django.conf import settings

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
