"""Admin for 谈心谈话 and 民主评议党员 (imported by meetings/admin.py). Every write goes through
meetings/records/services.py, like the pages and the API:

- a talk is added by `talk_create`, changed by `talk_update` (its organization is fixed once recorded) and deleted by
  `talk_delete`, one by one (the bulk action too); the forms check the same rules first so a refusal shows on the form;
- a review is recorded by `review_record` (and its 组织处置 closed by `review_follow_up_done`); who, which branch and
  which year are fixed once recorded; a review is never deleted here (no service deletes a grade).
"""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import MemberReview, Talk
from . import services


def _value(form, name):
    """The cleaned value, or the stored one when the field is read-only on this form."""
    return form.cleaned_data[name] if name in form.fields else getattr(form.instance, name)


class TalkAdminForm(forms.ModelForm):
    class Meta:
        model = Talk
        fields = ("organization", "held_on", "initiator", "participants", "summary")

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            services.talk_validate(
                organization=_value(self, "organization"),
                held_on=cleaned["held_on"],
                initiator=cleaned["initiator"],
                participants=list(cleaned["participants"]),
                summary=cleaned["summary"],
            )
        return cleaned


@admin.register(Talk)
class TalkAdmin(SimpleHistoryAdmin):
    form = TalkAdminForm
    list_display = ("held_on", "organization", "initiator", "created_by")
    list_filter = ("held_on",)
    search_fields = ("summary", "initiator__name", "organization__name", "organization__code")
    raw_id_fields = ("organization", "initiator", "participants")
    list_select_related = ("organization", "initiator", "created_by")
    date_hierarchy = "held_on"

    def get_readonly_fields(self, request, obj=None):
        return ("organization",) if obj is not None else ()

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in ("held_on", "initiator", "participants", "summary")}
        if change:
            saved = services.talk_update(talk=Talk.objects.get(pk=obj.pk), user=request.user, **data)
        else:
            saved = services.talk_create(organization=obj.organization, user=request.user, **data)
        obj.pk = saved.pk

    def save_related(self, request, form, formsets, change):
        """The participants were saved by the service (no inlines to save)."""

    def delete_model(self, request, obj):
        services.talk_delete(talk=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for talk in queryset:
            services.talk_delete(talk=talk, user=request.user)


class MemberReviewAdminForm(forms.ModelForm):
    class Meta:
        model = MemberReview
        fields = ("organization", "member", "year", "grade", "decided_on", "meeting", "notes", "follow_up_done")

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            services.review_validate(
                organization=_value(self, "organization"),
                year=_value(self, "year"),
                decided_on=cleaned["decided_on"],
                grades={_value(self, "member").pk: (cleaned["grade"], cleaned.get("notes", ""))},
                meeting=cleaned.get("meeting"),
            )
        return cleaned

    def validate_unique(self):
        # One review per member and year: the service updates the existing one instead of refusing.
        pass


@admin.register(MemberReview)
class MemberReviewAdmin(SimpleHistoryAdmin):
    form = MemberReviewAdminForm
    list_display = ("year", "member", "organization", "grade", "decided_on", "follow_up_done")
    list_filter = ("year", "grade", "follow_up_done")
    search_fields = ("member__name", "organization__name", "organization__code", "notes")
    raw_id_fields = ("member", "organization", "meeting")
    list_select_related = ("member", "organization")

    def get_readonly_fields(self, request, obj=None):
        # review_record() finds the review by member and year: changing them would record another review.
        return ("organization", "member", "year") if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        return False  # a grade is a record: no service deletes it

    def save_model(self, request, obj, form, change):
        saved = services.review_record(
            organization=obj.organization,
            member=obj.member,
            year=obj.year,
            grade=obj.grade,
            decided_on=obj.decided_on,
            notes=obj.notes,
            meeting=obj.meeting,
            user=request.user,
        )
        if obj.follow_up_done and not saved.follow_up_done and saved.grade == MemberReview.Grade.UNQUALIFIED:
            services.review_follow_up_done(review=saved, user=request.user)
        obj.pk = saved.pk
