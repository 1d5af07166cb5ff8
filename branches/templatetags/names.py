"""Filters that name things for people: accounts by their Chinese names, periods in Chinese.

{% load names %} {{ user|display_name }} -> 周兴文;  {{ "2025-Q3"|period_name }} -> 2025年第三季度.
They format what they are given and never query (ARCHITECTURE.md); any app's templates may load them.
"""

from django import template

from common.periods import period_by_label
from common.periods import period_name as _period_name

from ..people import display_name as _display_name

register = template.Library()


@register.filter
def display_name(user) -> str:
    return _display_name(user)


@register.filter
def period_name(label) -> str:
    """A period label ('2025-04', '2025-Q3', '2025') in Chinese; anything else is shown unchanged."""
    text = str(label or "")
    if period_by_label(text) is None:
        return text
    return _period_name(text, year_word="年")
