"""The access-aware pieces of the REST API, reused by every app's viewsets: objects are fetched through
branches/access.py (outsiders 404, read-only users 403 on writes). The app-independent pieces (error shape,
filters, schema helpers) are in common/api.py."""

from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated

from common.api import ApiErrorsMixin, is_write_request

from . import access
from .access import Access, grants
from .models import Member, Organization
from .people import display_name


class ReadOnlyRoleCannotWrite(BasePermission):
    """403 on any write for a user none of whose roles may write (the SASAC reviewer), before the payload is
    even read. Objects still get their own check through the access helpers (a reader of one subtree who
    writes in another gets 403 from the helper)."""

    message = "您的角色只能查看,不能修改。"

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return any(access >= Access.WRITE for _path, access, _kind in grants(request.user))


class AccessViewSetMixin(ApiErrorsMixin):
    """A viewset whose objects are fetched through one access helper of branches/access.py
    (`access_helper(user, lookup_value, *, write)`): outsiders 404, read-only users 403 on writes."""

    permission_classes = [IsAuthenticated, ReadOnlyRoleCannotWrite]
    access_helper = None

    def get_object(self):
        return self.get_detail_object(self.get_found_object())

    def get_found_object(self):
        """The object as the access helper found it (checked for this user and method), without the reload for the
        serializer: a write hands it to its service and answers with one reload afterwards."""
        value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        return type(self).access_helper(self.request.user, value, write=is_write_request(self.request))

    def get_detail_object(self, found):
        """Override to reload the row with what the serializer needs (annotations, prefetches)."""
        return found


class OrganizationCodeField(serializers.SlugRelatedField):
    """An organization named by its code in a request body, resolved through the access helper:
    unknown or invisible -> 404, read-only where `write=True` -> 403 (same answers as in the URL)."""

    def __init__(self, *, write=True, **kwargs):
        self.write = write
        kwargs.setdefault("slug_field", "code")
        kwargs.setdefault("queryset", Organization.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not data:
            self.fail("invalid")
        return access.get_organization_for_user(self.context["request"].user, data, write=self.write)


class MemberIdField(serializers.PrimaryKeyRelatedField):
    """A member named by id in a request body: unknown or invisible -> 404, like /members/{id}/."""

    def __init__(self, *, write=False, **kwargs):
        self.write = write
        kwargs.setdefault("queryset", Member.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not str(data).isdigit():
            self.fail("incorrect_type", data_type=type(data).__name__)
        return access.get_member_for_user(self.context["request"].user, int(data), write=self.write)


class PersonNameField(serializers.CharField):
    """An account shown as the person it belongs to: 周兴文 (Chinese order), never the login; null when there is none
    (an import or a scheduled job). One rule, branches/people.py display_name; pair it with `<field>_id` for
    integrators who match accounts."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return display_name(value)


def person_id_field(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(read_only=True, allow_null=True, help_text=help_text)
