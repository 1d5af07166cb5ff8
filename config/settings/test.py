"""Tests: fast hashing, in-memory mail. `make test` points DATABASE_URL at PostgreSQL and REDIS_URL at Redis."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / ".test-media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Unit tests run tasks in-process; the tests marked `celery` start a real worker on REDIS_URL.
CELERY_TASK_ALWAYS_EAGER = True
# Client.login() authenticates without a request, which django-axes refuses; tests/hardening switch axes on per test.
AXES_ENABLED = False
