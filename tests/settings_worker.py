"""Settings for the real Celery worker that the `celery` tests start (tests/celery_worker.py).

The test settings force eager tasks for unit tests; the worker must consume from Redis instead. Each test
session uses its own queue (SBGF_TEST_QUEUE) so that parallel sessions on a shared Redis never take
each other's tasks, including tasks the worker itself enqueues (e.g. a webhook delivery).
"""

import os

from config.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("SBGF_TEST_QUEUE", "celery")
