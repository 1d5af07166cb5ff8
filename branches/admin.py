from django.contrib import admin
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

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


@admin.register(Organization)
class OrganizationAdmin(TreeAdmin, SimpleHistoryAdmin):
    form = movenodeform_factory(Organization, exclude=["numchild"])
    list_display = ("name", "code", "kind", "enterprise", "established_on", "status")
    list_filter = ("kind", "status", "enterprise")
    search_fields = ("name", "code")

    def changelist_view(self, request, extra_context=None):
        # treebeard's admin_tree tag fails on a POST that carries no bulk action (it only prepares GETs): the list
        # has no editable columns, so such a POST has nothing to do but show the list again.
        if request.method == "POST" and "action" not in request.POST:
            return HttpResponseRedirect(request.get_full_path())
        return super().changelist_view(request, extra_context)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    can_delete = False
    readonly_fields = ("organization", "started_on", "ended_on", "note")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
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
        return ("masked_id",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        # New members also open their first 组织关系 period: the service does both.
        if change:
            obj._history_user = request.user
            obj.save()
        else:
            fields = {f: form.cleaned_data[f] for f in services.MEMBER_EDITABLE_FIELDS if f in form.cleaned_data}
            saved = services.member_create(organization=form.cleaned_data["organization"], user=request.user, **fields)
            obj.pk = saved.pk


class CommitteePositionInline(admin.TabularInline):
    model = CommitteePosition
    extra = 0
    raw_id_fields = ("member",)


@admin.register(CommitteeTerm)
class CommitteeTermAdmin(SimpleHistoryAdmin):
    list_display = ("organization", "started_on", "term_years", "extension_months", "ended_on", "has_committee")
    list_filter = ("has_committee",)
    search_fields = ("organization__name", "organization__code")
    raw_id_fields = ("organization",)
    inlines = [CommitteePositionInline]


@admin.register(ElectionStep)
class ElectionStepAdmin(SimpleHistoryAdmin):
    list_display = ("organization", "step", "done_on")
    list_filter = ("step",)
    raw_id_fields = ("organization", "outgoing_term")


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ("member", "organization", "started_on", "ended_on")
    raw_id_fields = ("member", "organization")
    search_fields = ("member__name", "organization__name")


@admin.register(Role)
class RoleAdmin(SimpleHistoryAdmin):
    list_display = ("user", "organization", "kind")
    list_filter = ("kind",)
    raw_id_fields = ("organization",)
    search_fields = ("user__username", "organization__name")


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
