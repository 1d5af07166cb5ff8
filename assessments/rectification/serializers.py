"""Serializers of the 整改 API: an item with its history, and the bodies of its steps."""

from rest_framework import serializers

from branches.api_common import MemberIdField, PersonNameField
from common.api import NamedChoiceField

from .models import RectificationEvent, RectificationItem


class EventSerializer(serializers.ModelSerializer):
    user = PersonNameField(help_text="操作人姓名;系统操作为 null")
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = RectificationEvent
        fields = ["action", "note", "user", "at", "evidence"]

    def get_evidence(self, event) -> list[str]:
        return [e.original_name for e in event.evidence.all()]


class ItemSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.code", read_only=True)
    committee = serializers.CharField(source="committee.code", read_only=True)
    responsible = serializers.CharField(read_only=True)
    state = NamedChoiceField(RectificationItem.State, enum_name="RectificationStateEnum", read_only=True)

    class Meta:
        model = RectificationItem
        fields = [
            "id",
            "organization",
            "committee",
            "origin",
            "round",
            "title",
            "description",
            "state",
            "deadline",
            "responsible",
            "created_at",
            "confirmed_at",
            "reported_at",
            "closed_at",
        ]
        read_only_fields = fields


class ItemDetailSerializer(ItemSerializer):
    events = EventSerializer(many=True, read_only=True)

    class Meta(ItemSerializer.Meta):
        fields = [*ItemSerializer.Meta.fields, "events"]
        read_only_fields = fields


class ConfirmSerializer(serializers.Serializer):
    deadline = serializers.DateField()
    responsible_member = MemberIdField(required=False, allow_null=True, default=None)
    responsible_text = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ReportSerializer(serializers.Serializer):
    measures = serializers.CharField()
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class CloseSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
