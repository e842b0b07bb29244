"""Serializers of the training API (/api/v1/training/…). Choices travel as plain strings described in the schema (the
services check them and say what is wrong, as the forms do)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Enrolment, Session

# --- sessions ----------------------------------------------------------------------------------------------------


class SessionSerializer(serializers.ModelSerializer):
    """A session as the caller sees it: the public catalogue gives dates, place, language and seats."""

    academy = serializers.CharField(source="academy.code", read_only=True, help_text="The academy's short name.")
    academy_name = serializers.CharField(source="academy.name", read_only=True)
    course = serializers.CharField(source="version.course.title", read_only=True)
    version = serializers.IntegerField(source="version_id", read_only=True)
    language = serializers.CharField(read_only=True, help_text="nl, fr or de.")
    status = serializers.CharField(read_only=True, help_text="draft, published, closed or cancelled.")
    enrolled = serializers.IntegerField(source="enrolled_total", read_only=True, help_text="Seats taken.")
    waiting = serializers.IntegerField(source="waiting_total", read_only=True, help_text="On the waiting list.")
    open_for_enrolment = serializers.BooleanField(source="is_open_for_enrolment", read_only=True)
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "academy",
            "academy_name",
            "course",
            "version",
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "language",
            "capacity",
            "enrolled",
            "waiting",
            "status",
            "open_for_enrolment",
            "cancel_reason",
            "url",
        ]
        read_only_fields = fields


class SessionInputSerializer(serializers.Serializer):
    academy = serializers.CharField(help_text="The academy's short name (one where the caller is a trainer).")
    version = serializers.IntegerField(help_text="The course version (the current one).")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = serializers.CharField()
    language = serializers.CharField(help_text="nl, fr or de.")
    capacity = serializers.IntegerField(help_text="Seats, 1 to 500.")
    trainer = serializers.IntegerField(required=False, allow_null=True, help_text="A trainer of the academy (user id).")
    online_url = serializers.URLField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="", help_text="Practical information.")


class SessionUpdateInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    place = serializers.CharField(required=False)
    language = serializers.CharField(required=False, help_text="nl, fr or de.")
    capacity = serializers.IntegerField(required=False)
    trainer = serializers.IntegerField(required=False, allow_null=True)
    online_url = serializers.URLField(required=False, allow_blank=True)
    note = serializers.CharField(required=False, allow_blank=True)


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


# --- enrolments --------------------------------------------------------------------------------------------------


class TraineeSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    email = serializers.EmailField(help_text="Professional e-mail address: how the person is recognised.")
    function = serializers.CharField(required=False, allow_blank=True, default="")
    language = serializers.CharField(required=False, default="nl", help_text="nl, fr, de or en.")


class EnrolmentSerializer(serializers.ModelSerializer):
    session = serializers.IntegerField(source="session_id", read_only=True)
    trainee = serializers.SerializerMethodField()
    zone = serializers.IntegerField(source="trainee.zone.code", read_only=True, allow_null=True)
    status = serializers.CharField(
        read_only=True, help_text="unconfirmed, requested, enrolled, waiting, declined or cancelled."
    )
    source = serializers.CharField(read_only=True, help_text="zone, self or academy.")
    attendance = serializers.CharField(read_only=True, help_text="attended, absent or empty.")
    result = serializers.CharField(read_only=True, help_text="passed, failed or empty.")

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "session",
            "trainee",
            "zone",
            "status",
            "source",
            "created_at",
            "enrolled_at",
            "waiting_since",
            "cancelled_at",
            "attendance",
            "result",
        ]
        read_only_fields = fields

    @extend_schema_field(TraineeSerializer)
    def get_trainee(self, enrolment) -> dict:
        trainee = enrolment.trainee
        return {
            "id": trainee.pk,
            "first_name": trainee.first_name,
            "last_name": trainee.last_name,
            "email": trainee.email,
            "function": trainee.function,
            "language": trainee.language,
        }


class EnrolmentInputSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    trainee = TraineeSerializer(help_text="Found by e-mail address, else created in the zone.")
    zone = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="Police zone code of the trainee: needed for trainers, and for officers of several zones.",
    )


# --- certificates ------------------------------------------------------------------------------------------------


class CertificateVerificationSerializer(serializers.Serializer):
    code = serializers.CharField()
    holder_name = serializers.CharField()
    course = serializers.CharField()
    issued_on = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True, help_text="Empty: does not expire.")
    valid = serializers.BooleanField(help_text="Not revoked and not expired today.")
    revoked = serializers.BooleanField()


# --- coverage and statistics -------------------------------------------------------------------------------------


class CoverageFiguresSerializer(serializers.Serializer):
    officers = serializers.IntegerField(help_text="Distinct active mandated officers of the networks.")
    trained = serializers.IntegerField(help_text="Of whom holding a valid certificate.")
    share = serializers.FloatField(allow_null=True, help_text="trained / officers; null without officers.")
    networks = serializers.IntegerField(help_text="Networks not dissolved or merged.")
    networks_covered = serializers.IntegerField(help_text="With a trained mandated officer.")
    networks_not_covered = serializers.IntegerField(help_text="Without one (those without any officer included).")
    networks_without_officer = serializers.IntegerField(help_text="With no mandated officer recorded.")


class ProvinceCoverageSerializer(CoverageFiguresSerializer):
    province = serializers.CharField(allow_null=True, help_text="REFNIS code; null for the Brussels-Capital Region.")
    name = serializers.CharField()


class ZoneCoverageSerializer(CoverageFiguresSerializer):
    zone = serializers.IntegerField(allow_null=True, help_text="Police zone code.")
    zone_id = serializers.IntegerField()
    name = serializers.CharField()


class CoverageSerializer(serializers.Serializer):
    scope = serializers.CharField(help_text="national (ADVP, Knowledge Centre) or zones (a mandated officer's).")
    date = serializers.DateField(help_text="The day validity is judged on (today).")
    total = CoverageFiguresSerializer()
    provinces = ProvinceCoverageSerializer(many=True)
    zones = ZoneCoverageSerializer(many=True)


class QuestionAverageSerializer(serializers.Serializer):
    question_id = serializers.IntegerField()
    position = serializers.IntegerField()
    text = serializers.CharField()
    average = serializers.FloatField()
    answers = serializers.IntegerField()


class StatisticsRowSerializer(serializers.Serializer):
    academy_id = serializers.IntegerField()
    academy_code = serializers.CharField()
    academy = serializers.CharField()
    year = serializers.IntegerField(help_text="The year the sessions started (Belgian time).")
    sessions_held = serializers.IntegerField(help_text="Closed sessions.")
    sessions_cancelled = serializers.IntegerField()
    sessions_planned = serializers.IntegerField(help_text="Published, not closed yet.")
    seats_offered = serializers.IntegerField(help_text="Seats of the closed sessions.")
    seats_filled = serializers.IntegerField(help_text="Participants holding a seat in them.")
    fill_rate = serializers.FloatField(allow_null=True)
    attended = serializers.IntegerField()
    attendance_rate = serializers.FloatField(allow_null=True, help_text="attended / seats_filled.")
    passed = serializers.IntegerField()
    pass_rate = serializers.FloatField(allow_null=True, help_text="passed / attended.")
    certificates = serializers.IntegerField()
    trained_officers = serializers.IntegerField(
        help_text="Holders of these certificates who are today an active mandated officer of a network."
    )
    evaluations = serializers.IntegerField(help_text="Evaluation forms returned.")
    evaluation_average = serializers.FloatField(allow_null=True, help_text="Mean of every 1–5 answer.")
    evaluation_questions = QuestionAverageSerializer(many=True)
