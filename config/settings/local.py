"""Demo / development: SQLite and eager Celery unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import CELERY_TASK_ALWAYS_EAGER, env

DEBUG = env.bool("DEBUG", default=True)
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# Without Redis (Celery eager) a bulk ledger export runs in a background thread of the web process, so the request
# returns at once and the progress bar moves (ledgers/jobs.py _enqueue); with REDIS_URL set, a Celery worker runs it.
LEDGER_EXPORT_DISPATCH = env("LEDGER_EXPORT_DISPATCH", default="thread" if CELERY_TASK_ALWAYS_EAGER else "queue")
