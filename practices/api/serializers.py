"""Serializers of the public practices API (read-only: published practices only)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from ..choices import Facet
from ..models import TEXT_FIELDS, Practice


class PracticeListSerializer(serializers.ModelSerializer):
    """One entry of the library: the version in the reader's language, or the original (`other_language`)."""

    region = serializers.SlugRelatedField(slug_field="refnis", read_only=True, allow_null=True)
    themes = serializers.SerializerMethodField()
    kinds = serializers.SerializerMethodField()
    other_language = serializers.SerializerMethodField(help_text="Not in the reader's language (none exists).")
    rank = serializers.SerializerMethodField(help_text="Relevance of the match (higher is better); null by date.")
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Practice
        fields = [
            "id",
            "original",
            "language",
            "other_language",
            "title",
            "summary",
            "evidence_level",
            "region",
            "themes",
            "kinds",
            "published_at",
            "helpful_count",
            "rank",
            "url",
        ]
        read_only_fields = fields

    def _tags(self, obj: Practice, facet: str) -> list[str]:
        # Library entries carry their themes and kinds (practices.search_selectors.shown_versions); a practice read
        # on its own (the detail endpoint) reads its tags.
        known = getattr(obj, "themes" if facet == Facet.THEME else "kinds", None)
        if known is not None:
            return list(known)
        return [tag.value for tag in obj.tags.all() if tag.facet == facet]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_themes(self, obj: Practice) -> list[str]:
        return self._tags(obj, Facet.THEME)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_kinds(self, obj: Practice) -> list[str]:
        return self._tags(obj, Facet.KIND)

    def get_other_language(self, obj: Practice) -> bool:
        return bool(getattr(obj, "other_language", False))

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_rank(self, obj: Practice) -> float | None:
        return getattr(obj, "search_rank", None)


class TranslationRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    language = serializers.CharField()


class PracticeDetailSerializer(PracticeListSerializer):
    """A published practice with its full text (Markdown) and its published versions in other languages."""

    versions = serializers.SerializerMethodField(help_text="Published versions of this practice (incl. itself).")

    class Meta(PracticeListSerializer.Meta):
        fields = [*PracticeListSerializer.Meta.fields, *[f for f in TEXT_FIELDS if f != "summary"], "versions"]
        read_only_fields = fields

    @extend_schema_field(TranslationRefSerializer(many=True))
    def get_versions(self, obj: Practice) -> list[dict]:
        return [{"id": pk, "language": language} for pk, language in getattr(obj, "versions", [])]


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetsSerializer(serializers.Serializer):
    theme = FacetValueSerializer(many=True)
    kind = FacetValueSerializer(many=True)
    region = FacetValueSerializer(many=True)
    evidence = FacetValueSerializer(many=True)
    language = FacetValueSerializer(many=True)


# One page object (count, links, results, facets), not a list of them, although it answers the list action.
@extend_schema_serializer(many=False)
class PracticeSearchResponseSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PracticeListSerializer(many=True)
    facets = FacetsSerializer(help_text="Entries per value of each facet, with the other facets' filters applied.")
