from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import ZoneCodeStatus
from ..models import Academy, Municipality, PoliceZone, PostalCode, Province, Region


class RegionSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="The name in the language of the request.")

    class Meta:
        model = Region
        fields = ["id", "refnis", "name", "name_nl", "name_fr", "name_de"]


class ProvinceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    region = serializers.SlugRelatedField(slug_field="refnis", read_only=True)

    class Meta:
        model = Province
        fields = ["id", "refnis", "name", "name_nl", "name_fr", "name_de", "region"]


class ZoneReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = PoliceZone
        fields = ["id", "code", "name"]


class MunicipalitySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    province = serializers.SlugRelatedField(slug_field="refnis", read_only=True, allow_null=True)
    region = serializers.SlugRelatedField(slug_field="refnis", read_only=True)
    letter_languages = serializers.ListField(child=serializers.CharField(), read_only=True)
    postal_codes = serializers.SerializerMethodField()
    police_zone = serializers.SerializerMethodField()

    class Meta:
        model = Municipality
        fields = [
            "id",
            "refnis",
            "name",
            "name_nl",
            "name_fr",
            "name_de",
            "province",
            "region",
            "language",
            "letter_languages",
            "postal_codes",
            "police_zone",
            "valid_from",
            "valid_to",
            "is_current",
        ]

    def get_postal_codes(self, obj: Municipality) -> list[str]:
        return [postal_code.code for postal_code in obj.postal_codes.all()]

    @extend_schema_field(ZoneReferenceSerializer(allow_null=True))
    def get_police_zone(self, obj: Municipality):
        memberships = getattr(obj, "current_memberships", None)
        zone = memberships[0].zone if memberships else (None if memberships is not None else obj.current_zone())
        return ZoneReferenceSerializer(zone).data if zone is not None else None


class PoliceZoneSerializer(serializers.ModelSerializer):
    code_is_uncertain = serializers.BooleanField(read_only=True)
    municipalities = serializers.SerializerMethodField(help_text="REFNIS codes of the zone's current municipalities.")
    predecessors = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = PoliceZone
        fields = [
            "id",
            "code",
            "code_status",
            "code_is_uncertain",
            "name",
            "official_name_2013",
            "language",
            "note",
            "valid_from",
            "valid_to",
            "is_current",
            "municipalities",
            "predecessors",
        ]
        read_only_fields = fields

    def get_municipalities(self, obj: PoliceZone) -> list[str]:
        memberships = getattr(obj, "current_memberships", None)
        if memberships is None:
            memberships = obj.memberships.filter(valid_to__isnull=True).select_related("municipality")
        return sorted(membership.municipality.refnis for membership in memberships)


class PoliceZoneUpdateInputSerializer(serializers.Serializer):
    """What ADVP may correct on a police zone. Omitted fields keep their value; a `code` sent without
    `code_status` is confirmed; a null `code` makes the status "unknown"."""

    code = serializers.IntegerField(min_value=5000, max_value=5999, allow_null=True, required=False)
    code_status = serializers.ChoiceField(choices=ZoneCodeStatus.choices, required=False, allow_null=True)
    name = serializers.CharField(max_length=120, required=False)
    note = serializers.CharField(allow_blank=True, required=False)


class PostalCodeSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="refnis", read_only=True)

    class Meta:
        model = PostalCode
        fields = ["id", "code", "municipality"]


class AcademySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    province = serializers.SlugRelatedField(slug_field="refnis", read_only=True, allow_null=True)
    region = serializers.SlugRelatedField(slug_field="refnis", read_only=True)

    class Meta:
        model = Academy
        fields = [
            "id",
            "code",
            "name",
            "name_nl",
            "name_fr",
            "name_de",
            "kind",
            "province",
            "region",
            "city",
            "website",
            "is_active",
            "note",
        ]
