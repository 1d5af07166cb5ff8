"""Organizational-life records. `meeting.py`: 三会一课 and the other meetings; `records.py`: talks and member reviews."""

from .meeting import *  # noqa: F403
from .records import MemberReview, Talk

__all__ = ["MemberReview", "Talk"]  # extended by meeting.py's __all__ through the star import
