from . import admin_indicators, admin_letters  # noqa: F401  (each registers its models)
