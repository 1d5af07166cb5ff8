"""Admin for meetings. It writes through meetings/services.py like every other path:

- a new meeting is planned by `meeting_plan` (so its roll is filled), a change goes through `meeting_update`,
  a deletion through `meeting_delete` (plans only);
- an archived meeting is read-only here (no change, no delete): the record is locked, a correction is an amendment;
- attendance, agenda, attachments and amendments are shown, not edited (the meeting pages record them).
The service runs while the form is validated, inside the admin's transaction, so a refused rule shows on the form.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import AgendaItem, Attendance, Meeting, MeetingAmendment, MeetingAttachment

CREATE_FIELDS = ("organization", "group", "kind", "date", "topic")


class MeetingAdminForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [*CREATE_FIELDS, *(f for f in services.EDITABLE_FIELDS if f not in CREATE_FIELDS)]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        user = getattr(self.request, "user", None)
        try:
            if self.instance.pk is None:
                extra = {
                    name: self.cleaned_data[name]
                    for name in services.EDITABLE_FIELDS
                    if name in self.cleaned_data and name not in CREATE_FIELDS
                }
                self.instance = services.meeting_plan(
                    **{name: self.cleaned_data.get(name) for name in CREATE_FIELDS}, user=user, **extra
                )
            else:
                changed = {
                    name: self.cleaned_data[name] for name in self.changed_data if name in services.EDITABLE_FIELDS
                }
                meeting = Meeting.objects.get(pk=self.instance.pk)
                services.meeting_update(meeting=meeting, user=user, **changed)
                self.instance = meeting
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
            else:
                self.add_error(None, error.messages)


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class AgendaInline(_ReadOnlyInline):
    model = AgendaItem
    fields = ("order", "title", "is_first_topic")


class AttendanceInline(_ReadOnlyInline):
    model = Attendance
    fields = ("member", "present", "absence_reason", "note")


class AttachmentInline(_ReadOnlyInline):
    model = MeetingAttachment
    fields = ("kind", "original_name", "size", "uploaded_by", "uploaded_at")


class AmendmentInline(_ReadOnlyInline):
    model = MeetingAmendment
    fields = ("created_at", "created_by", "reason", "changes")


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    form = MeetingAdminForm
    list_display = ("date", "kind", "topic", "organization", "status")
    list_filter = ("kind", "status")
    search_fields = ("topic", "organization__name", "organization__code")
    date_hierarchy = "date"
    raw_id_fields = ("organization", "group", "host", "recorder", "lecturer")
    list_select_related = ("organization",)
    inlines = [AgendaInline, AttendanceInline, AttachmentInline, AmendmentInline]

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)

        class RequestForm(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, request=request, **kw)

        return RequestForm

    def get_readonly_fields(self, request, obj=None):
        fixed = ("status", "first_topic_flag", "created_by", "held_at", "archived_at", "archived_by")
        return fixed + (("organization", "group", "kind") if obj is not None else ())

    def has_change_permission(self, request, obj=None):
        # 会后有档案: an archived record is locked everywhere, here too.
        if obj is not None and obj.status == Meeting.Status.ARCHIVED:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != Meeting.Status.PLANNED:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk delete would bypass the per-meeting rule
        return actions

    def save_model(self, request, obj, form, change):
        """Already saved by the service during validation (see MeetingAdminForm)."""

    def delete_model(self, request, obj):
        services.meeting_delete(meeting=obj, user=request.user)


@admin.register(MeetingAmendment)
class MeetingAmendmentAdmin(admin.ModelAdmin):
    list_display = ("meeting", "created_at", "created_by", "reason")
    raw_id_fields = ("meeting",)
    readonly_fields = ("meeting", "created_by", "created_at", "reason", "changes")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# 谈心谈话 / 民主评议 admin lives with its subject.
from .records import admin as records_admin  # noqa: E402, F401
