"""Admin for 谈心谈话 and 民主评议党员; imported by meetings/admin.py. The forms check the same rules as the services,
and saves go through the services where they can."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ..models import MemberReview, Talk
from . import services


class TalkAdminForm(forms.ModelForm):
    class Meta:
        model = Talk
        fields = ("organization", "held_on", "initiator", "participants", "summary")

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            services.talk_validate(
                organization=cleaned["organization"],
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

    def save_model(self, request, obj, form, change):
        # Validated by TalkAdminForm; the participants are saved by save_related right after.
        obj._history_user = request.user
        if not change:
            obj.created_by = request.user
        obj.save()


class MemberReviewAdminForm(forms.ModelForm):
    class Meta:
        model = MemberReview
        fields = ("organization", "member", "year", "grade", "decided_on", "meeting", "notes", "follow_up_done")

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            services.review_validate(
                organization=cleaned["organization"],
                year=cleaned["year"],
                decided_on=cleaned["decided_on"],
                grades={cleaned["member"].pk: (cleaned["grade"], cleaned.get("notes", ""))},
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
