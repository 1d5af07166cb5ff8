"""Password validators referenced from AUTH_PASSWORD_VALIDATORS.

Django 5.2.19 changed MinimumLengthValidator's message id ("%d") but its zh-hans catalogue still holds the old id
("%(min_length)d"), so the "too short" error came out in English. This subclass asks for the old id, which the
locale translates; drop it once Django's catalogue catches up (tests/hardening/test_accounts.py will tell).
"""

from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLengthValidator
from django.utils.translation import ngettext


class MinimumLengthValidator(DjangoMinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short. It must contain at least %(min_length)d character.",
            "This password is too short. It must contain at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
