"""What apps above meetings add to the 民主评议 screen, without meetings importing them (like branches/panels.py).

- An annotation provider `fn(organization, year, members) -> {member_id: text}`: shown beside each member's grade
  (points: the year's points and rank). One call for the whole roster, so its queries do not grow with the rows.
- A grade validator `fn(organization, year, grades) -> [message]`, `grades` being {member_id: grade} of the rows being
  saved: a configurable local rule about grades (points: 优秀 only above a rank). Messages are Chinese; any message
  refuses the whole save (services.review_year_record).
"""

from collections.abc import Callable

_ANNOTATIONS: list[Callable] = []
_VALIDATORS: list[Callable] = []


def _register(registry: list, fn: Callable) -> Callable:
    if fn not in registry:  # ready() may run twice in tests
        registry.append(fn)
    return fn


def register_review_annotations(fn: Callable) -> Callable:
    return _register(_ANNOTATIONS, fn)


def register_grade_validator(fn: Callable) -> Callable:
    return _register(_VALIDATORS, fn)


def review_annotations(organization, year: int, members) -> dict[int, list[str]]:
    members = list(members)
    result: dict[int, list[str]] = {}
    for provider in _ANNOTATIONS:
        for member_id, text in (provider(organization, year, members) or {}).items():
            result.setdefault(member_id, []).append(text)
    return result


def grade_problems(organization, year: int, grades: dict[int, str]) -> list[str]:
    return [message for validator in _VALIDATORS for message in (validator(organization, year, grades) or [])]
