"""Settings shared by every environment.

Environment values are read through django-environ, which raises ImproperlyConfigured on a
malformed value instead of silently falling back. With nothing set the project runs on SQLite
with Celery eager; DATABASE_URL / REDIS_URL switch to PostgreSQL / Redis.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # third party
    "treebeard",
    "simple_history",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_celery_beat",
    "axes",
    "csp",
    # ours
    "accounts",
    "branches",
    "meetings",
    "assessments",
    "notifications",
    "ledgers",
    "recruitment",
    "points",
    "demo",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Personal data of party members sits behind these passwords: at least 10 characters, not like the username,
# not a common password, not all digits. Django's zh-hans locale gives the Chinese messages.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "config.settings.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文"))]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "locale"]  # Django's own messages in plain words (locale/zh_Hans/LC_MESSAGES/django.po)
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "branches:home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
# A shared office PC: closing the browser ends the session; in any case it ends SESSION_COOKIE_AGE after login.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login throttling (django-axes): 5 failures for one username from one IP lock that pair out for 30 minutes.
# Counting username+IP together means an attacker cannot lock a colleague out from another machine, and a shared
# office IP does not lock out everyone behind it.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_MINUTES = env.int("AXES_COOLOFF_MINUTES", default=30)
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False  # no start-up banner in every manage.py command
# Behind a reverse proxy: how many proxies (each appending to X-Forwarded-For) stand in front of Django. 0 = none, use
# REMOTE_ADDR. Login throttling and the audit logs take the client address from common.http.client_ip (issue 12).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "common.http.client_ip"
AXES_COOLOFF_MESSAGE = f"登录失败次数过多,该账号在本机已被暂时锁定,请{AXES_COOLOFF_MINUTES}分钟后再试。"

# Security headers. django-csp 4.x: scripts only from our own static files (no inline code, no eval); templates
# pass data with json_script. Inline styles stay allowed: Bootstrap components, ECharts and Swagger UI set them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Uploads: a roster of 10,000 rows is about 1 MB; the cap keeps a stray upload from filling memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
ROSTER_MAX_UPLOAD_BYTES = env.int("ROSTER_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
# Roster imports per user (issue 12 point 2: each import can probe thousands of ID numbers), "N/s|m|h|d".
ROSTER_IMPORT_RATE = env("ROSTER_IMPORT_RATE", default="10/h")
# An uploaded .xlsx is refused before parsing when its parts unpack beyond this, or one part is compressed beyond the
# ratio (common/xlsx_guard.py, issue 12 point 5). A roster of 50,000 rows unpacks to about 30 MB.
XLSX_MAX_UNPACKED_BYTES = env.int("XLSX_MAX_UNPACKED_BYTES", default=50 * 1024 * 1024)
XLSX_MAX_COMPRESSION_RATIO = env.int("XLSX_MAX_COMPRESSION_RATIO", default=200)

# API tokens expire this many days after they are issued (accounts.authentication.ExpiringTokenAuthentication).
API_TOKEN_LIFETIME_DAYS = env.int("API_TOKEN_LIFETIME_DAYS", default=30)
# Uploaded and exported files are sent by views that check access. In production set the prefix of an nginx
# `internal` location aliased to MEDIA_ROOT (e.g. /protected-media/): the view then answers with X-Accel-Redirect and
# nginx sends the bytes. Empty: Django streams the file itself (demo, tests).
PROTECTED_MEDIA_REDIRECT_PREFIX = env("PROTECTED_MEDIA_REDIRECT_PREFIX", default="")
PROTECTED_MEDIA_HEADER = env("PROTECTED_MEDIA_HEADER", default="X-Accel-Redirect")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "accounts.authentication.ExpiringTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "common.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "支部规范化建设管理系统 API",
    "DESCRIPTION": "组织、党员、支部委员会届次等接口。权限与网页一致:无权查看返回 404,只读角色写入返回 403。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and ReDoc served from our own static files: the app runs on an intranet with no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

# Celery: Redis when REDIS_URL is set; otherwise tasks run eagerly in-process (the demo needs no Redis).
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1

# Local practice, configurable (DOMAIN.md "Terms and 换届"): term length in years by organization kind.
TERM_YEARS = {"committee": 5, "general_branch": 3, "branch": 3}
# 关于党的基层组织任期的意见: an approved extension is at most one year.
TERM_MAX_EXTENSION_MONTHS = 12

# Local practice (DOMAIN.md): the superior reminds 6, 3 and 1 months before a term expires, then weekly once overdue.
TERM_REMINDER_MONTHS = (6, 3, 1)
TERM_OVERDUE_REPEAT_DAYS = 7
# Local practice (DOMAIN.md "How an indicator is computed"): a yearly item is owed in the year an organization was
# established only if it was established on or before this day of the year ("MM-DD").
YEARLY_ITEMS_FOUNDED_BY = "06-30"
# Local practice (DOMAIN.md "Standing of members"): whether 预备党员 receive a grade in 民主评议 (default: 参加评议,
# 不评定等次; never 优秀).
PROBATIONARY_REVIEW_GRADED = False
NOTIFICATION_WEBHOOK_TIMEOUT = env.int("NOTIFICATION_WEBHOOK_TIMEOUT", default=10)
NOTIFICATION_WEBHOOK_MAX_RETRIES = 5
# Absolute links in e-mail and group-robot messages, e.g. https://dangjian.example.org
SITE_URL = env("SITE_URL", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
