"""`{% dues_arrears_for organization as arrears %}`: lets templates/branches/snippets/dues_arrears.html work with only
`organization` in its context (the branch page includes it)."""

from django import template
from django.utils import timezone

from branches.dues import dues_arrears

register = template.Library()


@register.simple_tag
def dues_arrears_for(organization):
    if organization is None or organization.kind != "branch":
        return []
    return dues_arrears(organization, timezone.localdate())
