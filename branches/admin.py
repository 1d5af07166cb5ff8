"""The admin writes through the same services as the pages and the API, or is read-only for a model.

A service is called while the form is validated (the admin's change view runs in one transaction), so a rule the
service refuses is shown on the form like a field error, as meetings/admin.py does. Committee terms, memberships and
the audit log are read-only here: they change through term_start / term_extend, member_transfer / member_leave and
id_number_reveal on the pages.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin

from . import services
from .models import (
    CommitteePosition,
    CommitteeTerm,
    ElectionStep,
    Enterprise,
    IdNumberAccess,
    Member,
    Membership,
    Organization,
    Role,
)

admin.site.site_header = _("支部规范化建设管理系统")
admin.site.site_title = _("支部规范化建设管理系统")
admin.site.index_title = _("系统管理")


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("name", "code")


class ServiceForm(forms.ModelForm):
    """An admin form whose `write(user)` calls a service once the fields are valid; the service's ValidationError goes
    onto the form (on the field it names, else on top) and nothing is saved."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            self.instance = self.write(getattr(self.request, "user", None))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
            else:
                self.add_error(None, error.messages)

    def write(self, user):
        raise NotImplementedError


class ServiceAdmin(SimpleHistoryAdmin):
    """Saving is the form's service call; deleting is refused unless a subclass names the service that does it."""

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)

        class RequestForm(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, request=request, **kw)

        return RequestForm

    def save_model(self, request, obj, form, change):
        """Already saved by the service during validation (see ServiceForm)."""

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Listed and shown, never added, changed or deleted here: the pages' services own these writes."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class OrganizationAdminForm(ServiceForm):
    """Adding names the parent (none: a new root 党委) and goes through organization_create, which places the node in
    the tree; a change goes through organization_update (name, enterprise, date, status: kind and code are fixed)."""

    parent = forms.ModelChoiceField(
        Organization.objects.exclude(kind=Organization.Kind.GROUP).order_by("path"),
        required=False,
        label=_("上级组织"),
        help_text=_("留空则新建根党委"),
    )

    class Meta:
        model = Organization
        fields = ["name", "code", "kind", "enterprise", "established_on", "status"]

    def write(self, user):
        data = self.cleaned_data
        if self.instance.pk is None:
            fields = {name: data[name] for name in ("name", "code", "kind", "established_on", "enterprise")}
            return services.organization_create(parent=data["parent"], user=user, **fields)
        changed = {name: data[name] for name in self.changed_data if name in services.ORGANIZATION_EDITABLE_FIELDS}
        organization = Organization.objects.get(pk=self.instance.pk)
        return (
            services.organization_update(organization=organization, user=user, **changed) if changed else organization
        )


@admin.register(Organization)
class OrganizationAdmin(ServiceAdmin, TreeAdmin):
    """The tree is listed as a tree; nodes are added and edited through the services and never moved or deleted here
    (an organization is dissolved by setting its status, which organization_update allows only without members)."""

    form = OrganizationAdminForm
    list_display = ("name", "code", "kind", "enterprise", "established_on", "status")
    list_filter = ("kind", "status", "enterprise")
    search_fields = ("name", "code")

    def get_fields(self, request, obj=None):
        fields = ("name", "code", "kind", "enterprise", "established_on", "status")
        return fields if obj is not None else ("parent", *fields)

    def get_readonly_fields(self, request, obj=None):
        return ("code", "kind") if obj is not None else ()

    def changelist_view(self, request, extra_context=None):
        # treebeard's admin_tree tag fails on a POST that carries no bulk action (it only prepares GETs): the list
        # has no editable columns, so such a POST has nothing to do but show the list again.
        if request.method == "POST" and "action" not in request.POST:
            return HttpResponseRedirect(request.get_full_path())
        return super().changelist_view(request, extra_context)

    def move_node(self, request):
        raise PermissionDenied("组织不在后台移动。")

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    can_delete = False
    readonly_fields = ("organization", "started_on", "ended_on", "note")

    def has_add_permission(self, request, obj=None):
        return False


class MemberAdminForm(ServiceForm):
    def write(self, user):
        data = self.cleaned_data
        if self.instance.pk is None:
            fields = {f: data[f] for f in services.MEMBER_EDITABLE_FIELDS if f in data}
            return services.member_create(organization=data["organization"], user=user, **fields)
        changed = {f: data[f] for f in self.changed_data if f in services.MEMBER_EDITABLE_FIELDS}
        member = Member.objects.get(pk=self.instance.pk)
        return services.member_update(member=member, user=user, **changed) if changed else member


@admin.register(Member)
class MemberAdmin(ServiceAdmin):
    """New members open their first 组织关系 period (member_create); edits go through member_update. A member moves
    by 组织关系转接 and leaves by 减少党员 on the member's page, and is never deleted (the record is the archive)."""

    form = MemberAdminForm
    list_display = ("name", "gender", "organization", "category", "status", "masked_id")
    list_filter = ("category", "status", "gender", "education")
    search_fields = ("name", "organization__name")
    raw_id_fields = ("organization", "group")
    inlines = [MembershipInline]
    list_select_related = ("organization",)

    @admin.display(description=_("身份证号码"))
    def masked_id(self, obj):
        return obj.masked_id_number

    def get_exclude(self, request, obj=None):
        # Issue 6 point 5: an existing member's ID number is never shown in full unasked, here either (the change
        # form and the history "revert" form both use this). It is corrected on the member's edit page.
        return ("id_number",) if obj is not None else ()

    def get_readonly_fields(self, request, obj=None):
        # The branch changes only by 组织关系转接 (member_transfer), which also closes and opens the periods.
        return ("masked_id", "organization") if obj is not None else ()


class CommitteePositionInline(admin.TabularInline):
    model = CommitteePosition
    extra = 0
    can_delete = False
    fields = readonly_fields = ("member", "role")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CommitteeTerm)
class CommitteeTermAdmin(ReadOnlyAdmin):
    """A term starts by 换届 (term_start, which ends the current one) and is extended by term_extend, on the pages."""

    list_display = ("organization", "started_on", "term_years", "extension_months", "ended_on", "has_committee")
    list_filter = ("has_committee",)
    search_fields = ("organization__name", "organization__code")
    raw_id_fields = ("organization",)
    inlines = [CommitteePositionInline]


class ElectionStepAdminForm(ServiceForm):
    def write(self, user):
        data = dict(self.cleaned_data)
        data.pop("outgoing_term", None)  # the service links the current term itself
        return services.election_step_record(user=user, **data)


@admin.register(ElectionStep)
class ElectionStepAdmin(ServiceAdmin):
    """Recorded through election_step_record (in order); the election itself only with its held 党员大会 (the meeting's
    page: meetings.votes.services.election_record), so its counts are never typed here. A recorded step is kept."""

    form = ElectionStepAdminForm
    list_display = ("organization", "step", "done_on")
    list_filter = ("step",)
    raw_id_fields = ("organization",)
    exclude = ("outgoing_term", "eligible_voters", "present_voters", "seats", "candidates")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    """组织关系 periods open and close with member_create, member_transfer and member_leave."""

    list_display = ("member", "organization", "started_on", "ended_on")
    raw_id_fields = ("member", "organization")
    search_fields = ("member__name", "organization__name")


class RoleAdminForm(ServiceForm):
    def write(self, user):
        data = self.cleaned_data
        return services.role_grant(
            user=data["user"], organization=data["organization"], kind=data["kind"], granted_by=user
        )


@admin.register(Role)
class RoleAdmin(ServiceAdmin):
    """Granted through role_grant (a 支部书记 role only on a 党支部); revoked through role_revoke. A role is not edited:
    revoke it and grant the right one."""

    form = RoleAdminForm
    list_display = ("user", "organization", "kind")
    list_filter = ("kind",)
    raw_id_fields = ("organization",)
    search_fields = ("user__username", "organization__name")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return SimpleHistoryAdmin.has_delete_permission(self, request, obj)

    def delete_model(self, request, obj):
        services.role_revoke(role=obj, user=request.user)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # a bulk delete would bypass role_revoke
        return actions


@admin.register(IdNumberAccess)
class IdNumberAccessAdmin(admin.ModelAdmin):
    """The audit log is evidence: nobody adds, edits or deletes its rows by hand, administrators included."""

    list_display = ("at", "user", "member", "via", "purpose", "ip")
    list_filter = ("via", "purpose")
    search_fields = ("user__username", "member__name")
    date_hierarchy = "at"
    list_select_related = ("user", "member")
    readonly_fields = ("at", "user", "member", "via", "purpose", "ip")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
