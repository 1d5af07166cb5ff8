from .indicators import admin as indicators_admin  # noqa: F401  (each registers its models)
from .letters import admin as letters_admin  # noqa: F401
from .rectification import admin as rectification_admin  # noqa: F401
from .rubrics import admin as rubrics_admin  # noqa: F401
