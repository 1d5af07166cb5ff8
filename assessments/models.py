"""The app's models, one module per subject (Django loads them from here; app_label stays "assessments")."""

from .indicators.models import *  # noqa: F401,F403
from .inspections.models import *  # noqa: F401,F403
from .letters.models import *  # noqa: F401,F403
from .rectification.models import *  # noqa: F401,F403
from .rubrics.models import *  # noqa: F401,F403
