"""Serializers of the committee API (/api/v1/committee/…)."""

from __future__ import annotations

from rest_framework import serializers

from ..models import ActionItem, AgendaItem, Meeting, SeatCategory, SeatTerm


class SeatTermSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.code", read_only=True)
    holder = serializers.CharField(source="holder_name", read_only=True)
    email = serializers.CharField(source="holder_email", read_only=True)
    user = serializers.IntegerField(source="user_id", read_only=True, allow_null=True)

    class Meta:
        model = SeatTerm
        fields = ["id", "category", "seat_number", "holder", "email", "organisation", "user", "starts_on", "ends_on"]


class SeatCategorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    current = serializers.SerializerMethodField(help_text="The current terms of the category's seats.")

    class Meta:
        model = SeatCategory
        fields = ["id", "code", "name", "name_nl", "name_fr", "name_de", "name_en", "seats", "order", "note", "current"]

    def get_current(self, category) -> list[dict]:
        return SeatTermSerializer(getattr(category, "current_terms", []), many=True).data


class AgendaItemSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    owner = serializers.CharField(read_only=True)

    class Meta:
        model = AgendaItem
        fields = ["id", "position", "title", "owner", "minutes", "description"]


class MeetingSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="planned or cancelled.")
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "title", "starts_at", "ends_at", "place", "video_url", "status", "sequence", "url"]


class MeetingDetailSerializer(MeetingSerializer):
    agenda = AgendaItemSerializer(source="items", many=True, read_only=True)
    minutes = serializers.SerializerMethodField(help_text="The published minutes (Markdown) in the request's language.")

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "agenda", "minutes"]

    def get_minutes(self, meeting) -> str:
        return meeting.minutes() if meeting.minutes_published_at else ""


class MeetingInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    video_url = serializers.URLField(required=False, allow_blank=True, default="")


class ActionItemSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(read_only=True)
    meeting = serializers.IntegerField(source="meeting_id", read_only=True)
    status = serializers.CharField(read_only=True, help_text="open, in_progress or done.")

    class Meta:
        model = ActionItem
        fields = ["id", "meeting", "title", "owner", "due_on", "status", "done_at"]


class ActionStatusInputSerializer(serializers.Serializer):
    status = serializers.CharField(help_text="open, in_progress or done.")
