"""Indicators (the 8 hard indicators as data) and responsibility letters; one module each."""

from .indicator import *  # noqa: F401,F403
from .letters import *  # noqa: F401,F403
