"""A password change (set_password, on any page, the admin or a command) or a deactivation revokes the user's API
tokens: whoever held the old password or the disabled account must not keep API access through a token."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from .tokens import tokens_revoke


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts_revoke_tokens")
def revoke_tokens_on_password_change_or_deactivation(sender, instance, created, **kwargs):
    # AbstractBaseUser keeps the new raw password in _password from set_password() until save() has finished.
    if not created and (getattr(instance, "_password", None) is not None or not instance.is_active):
        tokens_revoke(user=instance)
