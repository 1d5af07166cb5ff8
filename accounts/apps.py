from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Sign-in pages and API tokens (issue 12 point 6). No models of its own: DRF's Token and Django's User."""

    name = "accounts"
    verbose_name = "账号"

    def ready(self):
        from . import signals  # noqa: F401  (connects the token revocation)
