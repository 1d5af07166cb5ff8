"""Organizational-life records. `meeting.py`: 三会一课 and the other meetings; `records.py`: talks and member reviews;
`votes.py`: resolutions and elections of a 党员大会."""

from .meeting import *  # noqa: F403
from .records import MemberReview, Talk
from .votes import Election, ElectionCandidate, Resolution

__all__ = [
    "Election",
    "ElectionCandidate",
    "MemberReview",
    "Resolution",
    "Talk",
]  # extended by meeting.py's __all__ through the star import
