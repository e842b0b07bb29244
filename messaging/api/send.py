"""API of part "send": sending and scheduling messages, their preview, tracking and cancellation
(/api/v1/messages/…), and the prevention tips library (/api/v1/tips/).

Same scope and checks as the pages: a message is checked by `services.targets.draft_build` (targets in the sender's
scope, message type against the communication plan, texts, time, feedback) and errors come back as 400 keyed by
field; a text that looks like it holds a number plate needs `plate_acknowledged: true`. Messages others cannot see
answer 404; seen but not theirs to change, 403. Responses hold counts only, no member's personal data."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, mixins, serializers, status, viewsets
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import service_call

from .. import guardrails, permissions
from .. import selectors_send as selectors
from ..choices import MessageStatus
from ..forms_send import MessageFilterSet
from ..models import Message, Tip
from ..services import sending, targets
from ..services import tips as tip_services


class AlreadyFinal(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Only a scheduled message that has not been sent yet can be cancelled.")
    default_code = "not_scheduled"


# --- serializers -------------------------------------------------------------------------------------------------


class ComposeTextSerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True, required=False, default="", trim_whitespace=False)
    body = serializers.CharField(
        allow_blank=True, required=False, default="", trim_whitespace=False, help_text="Markdown."
    )
    sms = serializers.CharField(
        allow_blank=True, required=False, default="", trim_whitespace=False, help_text="Optional short SMS text."
    )


class MessageSendInputSerializer(serializers.Serializer):
    # Plain text rather than enums: the service checks them and says what is wrong, as the form does.
    type = serializers.CharField(
        help_text="urgent_alert, feedback, prevention_tip, newsletter, missing_person or crisis. Coordinators: only "
        "the types the communication plan of their network allows."
    )
    target_kind = serializers.CharField(
        default="networks", help_text="networks, zone (mandated officers), municipality (mandated officers) or area."
    )
    networks = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, help_text="Network codes (target_kind networks)."
    )
    target_zone = serializers.IntegerField(required=False, allow_null=True, help_text="Police zone id (zone).")
    target_municipality = serializers.IntegerField(
        required=False, allow_null=True, help_text="Municipality id (municipality)."
    )
    target_area = serializers.JSONField(
        required=False, allow_null=True, help_text="GeoJSON Polygon or MultiPolygon, longitude-latitude (area)."
    )
    texts = serializers.DictField(
        child=ComposeTextSerializer(), help_text="Per language (nl, fr, de, en): title, body and sms."
    )
    send_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="Schedule for this time (in the future); empty to send now."
    )
    feedback_for = serializers.IntegerField(
        required=False, allow_null=True, help_text="The urgent alert this feedback answers (type feedback)."
    )
    plate_acknowledged = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Required when a text looks like it holds a number plate: the sender checked it anyway.",
    )


class SentMessageSerializer(serializers.ModelSerializer):
    type = serializers.CharField(read_only=True, help_text="The message type.")
    sender = serializers.CharField(read_only=True, help_text="police or coordinator.")
    status = serializers.CharField(read_only=True, help_text="scheduled, sent or cancelled.")
    target_kind = serializers.CharField(read_only=True, help_text="networks, zone, municipality or area.")
    zone = serializers.IntegerField(source="zone.code", read_only=True, allow_null=True, help_text="Sending zone.")
    networks = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "type",
            "sender",
            "status",
            "title",
            "zone",
            "target_kind",
            "target_zone",
            "target_municipality",
            "networks",
            "texts",
            "send_at",
            "sent_at",
            "cancelled_at",
            "created_at",
            "recipients",
            "feedback_for",
            "feedback_due_at",
            "feedback_sent_at",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_networks(self, message) -> list[str]:
        return [network.code for network in message.networks.all()]

    def get_title(self, message) -> str:
        return message.title()


class SentMessageFailureSerializer(serializers.Serializer):
    channel = serializers.CharField()
    reason = serializers.CharField()
    count = serializers.IntegerField()


class SentMessageTrackingSerializer(serializers.Serializer):
    deliveries = serializers.DictField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="Per channel (web, email, sms): counts per status (queued, sending, sent, delivered, failed).",
    )
    totals = serializers.DictField(child=serializers.IntegerField(), help_text="Counts per status, all channels.")
    pending = serializers.IntegerField(help_text="E-mails and SMS still queued or being handed over.")
    handed_over = serializers.IntegerField()
    first_handover_seconds = serializers.FloatField(allow_null=True, help_text="After the message was sent.")
    last_handover_seconds = serializers.FloatField(allow_null=True)
    failures = SentMessageFailureSerializer(many=True)
    useful = serializers.IntegerField()
    not_useful = serializers.IntegerField()
    replies = serializers.IntegerField()


class SentMessageDetailSerializer(SentMessageSerializer):
    tracking = serializers.SerializerMethodField()

    class Meta(SentMessageSerializer.Meta):
        fields = [*SentMessageSerializer.Meta.fields, "tracking"]
        read_only_fields = fields

    @extend_schema_field(SentMessageTrackingSerializer)
    def get_tracking(self, message) -> dict:
        tracking = selectors.message_tracking(message=message)
        return {
            "deliveries": {row.channel: row.counts for row in tracking.rows},
            "totals": tracking.totals,
            "pending": tracking.pending,
            "handed_over": tracking.handed_over,
            "first_handover_seconds": tracking.first_handover.total_seconds() if tracking.first_handover else None,
            "last_handover_seconds": tracking.last_handover.total_seconds() if tracking.last_handover else None,
            "failures": [
                {"channel": f["channel"], "reason": f["reason"], "count": f["count"]} for f in tracking.failures
            ],
            "useful": tracking.useful,
            "not_useful": tracking.not_useful,
            "replies": tracking.replies,
        }


class PreviewSmsSerializer(serializers.Serializer):
    language = serializers.CharField()
    recipients = serializers.IntegerField()
    encoding = serializers.CharField(help_text="GSM-7 or UCS-2.")
    characters = serializers.IntegerField()
    segments = serializers.IntegerField(help_text="SMS per member.")


class PreviewWarningSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="overload or number_plate.")
    message = serializers.CharField()
    items = serializers.ListField(child=serializers.CharField())
    needs_acknowledgement = serializers.BooleanField()


class MessagePreviewSerializer(serializers.Serializer):
    sender = serializers.CharField()
    networks = serializers.ListField(child=serializers.CharField(), help_text="Codes of the networks reached.")
    matched_by_boundary = serializers.ListField(child=serializers.CharField())
    ignored_networks = serializers.ListField(
        child=serializers.CharField(), help_text="Area targets: networks with no area and no known boundary."
    )
    members = serializers.IntegerField()
    deliveries = serializers.DictField(child=serializers.IntegerField(), help_text="Per channel: web, email, sms.")
    delayed = serializers.IntegerField(help_text="Members whose e-mail and SMS wait for the end of quiet hours.")
    sms = PreviewSmsSerializer(many=True)
    sms_segments = serializers.IntegerField()
    cost = serializers.DecimalField(max_digits=12, decimal_places=2, help_text="Estimated SMS cost in euro.")
    cost_per_segment = serializers.DecimalField(max_digits=8, decimal_places=4)
    warnings = PreviewWarningSerializer(many=True)


class TipSerializer(serializers.ModelSerializer):
    zone = serializers.IntegerField(source="zone_id", read_only=True, allow_null=True, help_text="Empty: national.")
    language = serializers.CharField(read_only=True, help_text="nl, fr, de or en.")

    class Meta:
        model = Tip
        fields = ["id", "zone", "language", "title", "body", "sms", "updated_at"]
        read_only_fields = fields


class TipInputSerializer(serializers.Serializer):
    zone = serializers.IntegerField(
        required=False, allow_null=True, help_text="Police zone id for a zone's tip; empty for a national tip."
    )
    language = serializers.CharField(help_text="nl, fr, de or en.")
    title = serializers.CharField()
    body = serializers.CharField(help_text="Markdown.")
    sms = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)


class TipUpdateInputSerializer(serializers.Serializer):
    language = serializers.CharField(required=False, help_text="nl, fr, de or en.")
    title = serializers.CharField(required=False)
    body = serializers.CharField(required=False)
    sms = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


# --- helpers -----------------------------------------------------------------------------------------------------


def _raise_validation(error: DjangoValidationError):
    raise ValidationError(error.message_dict if hasattr(error, "error_dict") else error.messages) from error


def _draft(request, data: dict) -> targets.Draft:
    try:
        return targets.draft_build(
            actor=request.user,
            message_type=data["type"],
            target_kind=data["target_kind"],
            texts={code: dict(text) for code, text in data["texts"].items()},
            network_codes=data.get("networks") or [],
            zone_id=data.get("target_zone"),
            municipality_id=data.get("target_municipality"),
            area=data.get("target_area"),
            send_at=data.get("send_at"),
            feedback_for_id=data.get("feedback_for"),
        )
    except DjangoValidationError as error:
        _raise_validation(error)


def _input(request) -> dict:
    if not permissions.can_compose(request.user):
        raise PermissionDenied(_("Only mandated officers and coordinators send messages."))
    serializer = MessageSendInputSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _preview_data(draft: targets.Draft, preview) -> dict:
    return {
        "sender": draft.sender,
        "networks": [n.code for n in draft.networks],
        "matched_by_boundary": [n.code for n in draft.by_boundary],
        "ignored_networks": [n.code for n in draft.ignored],
        "members": preview.members,
        "deliveries": preview.per_channel,
        "delayed": preview.delayed,
        "sms": [
            {
                "language": s.language,
                "recipients": s.recipients,
                "encoding": s.encoding,
                "characters": s.characters,
                "segments": s.segments,
            }
            for s in preview.sms
        ],
        "sms_segments": preview.sms_segments,
        "cost": preview.cost,
        "cost_per_segment": preview.cost_per_segment,
        "warnings": [
            {"code": w.code, "message": w.message, "items": w.items, "needs_acknowledgement": w.needs_acknowledgement}
            for w in preview.warnings
        ],
    }


# --- messages ----------------------------------------------------------------------------------------------------


class SentMessageListView(generics.ListCreateAPIView):
    """The messages the caller follows (mandated officers, coordinators, municipal officials), newest first."""

    permission_classes = [IsAuthenticated]
    serializer_class = SentMessageSerializer
    filterset_class = MessageFilterSet

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Message.objects.none()
        return selectors.message_list(user=self.request.user)

    @extend_schema(operation_id="message_list")
    def get(self, request, *args, **kwargs):
        if not selectors.can_follow_messages(request.user):
            raise PermissionDenied(_("Mandated officers, coordinators and municipal officials follow messages."))
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="message_send",
        request=MessageSendInputSerializer,
        responses={201: SentMessageDetailSerializer, 400: OpenApiResponse(description="Field errors.")},
    )
    def post(self, request, *args, **kwargs):
        """Send a message now, or schedule it with `send_at`."""
        data = _input(request)
        draft = _draft(request, data)
        warnings = guardrails.check(draft)
        if guardrails.needs_acknowledgement(warnings) and not data.get("plate_acknowledged"):
            raise ValidationError(
                {
                    "plate_acknowledged": [
                        _(
                            "The texts seem to contain a number plate: check them, then send again with "
                            "plate_acknowledged true, or change them."
                        )
                    ]
                }
            )
        result = service_call(sending.message_send, **draft.send_kwargs())
        message = selectors.message_get(user=request.user, pk=result.message.pk)
        return Response(
            SentMessageDetailSerializer(message, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


class SentMessageDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(operation_id="message_retrieve", responses=SentMessageDetailSerializer)
    def get(self, request, pk: int):
        """One message with its tracking: deliveries per channel and status, hand-over times, failures by reason,
        ratings and replies."""
        message = selectors.message_get(user=request.user, pk=pk)
        return Response(SentMessageDetailSerializer(message, context={"request": request}).data)


class SentMessageCancelView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="message_cancel",
        request=None,
        responses={200: SentMessageDetailSerializer, 409: OpenApiResponse(description="Not scheduled any more.")},
    )
    def post(self, request, pk: int):
        """Cancel a scheduled message before it goes."""
        message = selectors.message_get(user=request.user, pk=pk, action="change")
        if message.status != MessageStatus.SCHEDULED:
            raise AlreadyFinal()
        try:
            sending.message_cancel(actor=request.user, message=message)
        except DjangoValidationError as error:
            raise AlreadyFinal(" ".join(error.messages)) from error
        message = selectors.message_get(user=request.user, pk=pk)
        return Response(SentMessageDetailSerializer(message, context={"request": request}).data)


class MessagePreviewView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="message_preview",
        request=MessageSendInputSerializer,
        responses={200: MessagePreviewSerializer, 400: OpenApiResponse(description="Field errors.")},
    )
    def post(self, request):
        """What sending this message would do, without sending it: recipients and deliveries per channel, those
        waiting for quiet hours to end, SMS segments and the estimated cost, and the warnings."""
        data = _input(request)
        draft = _draft(request, data)
        preview = selectors.message_preview(draft=draft)
        return Response(MessagePreviewSerializer(_preview_data(draft, preview)).data)


# --- tips --------------------------------------------------------------------------------------------------------


@extend_schema(
    parameters=[
        OpenApiParameter("language", OpenApiTypes.STR, description="nl, fr, de or en."),
        OpenApiParameter("q", OpenApiTypes.STR, description="Words in the title or text."),
    ]
)
class TipViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Prevention tips: national ones (kept by ADVP and the Knowledge Centre) and the zones' own (kept by their
    mandated officers); whoever composes messages reads them."""

    permission_classes = [IsAuthenticated]
    serializer_class = TipSerializer
    filter_backends: list = []
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Tip.objects.none()
        params = self.request.query_params
        return selectors.tip_list(
            user=self.request.user, language=params.get("language", ""), query=params.get("q", "")
        )

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not selectors.can_use_tips(request.user):
            raise PermissionDenied(_("Whoever composes messages, and the national roles, use the tips."))

    def get_object(self):
        action = "view" if self.request.method in ("GET", "HEAD", "OPTIONS") else "change"
        try:
            pk = int(self.kwargs["pk"])
        except ValueError:
            raise Http404 from None
        return selectors.tip_get(user=self.request.user, pk=pk, action=action)

    @extend_schema(request=TipInputSerializer, responses={201: TipSerializer})
    def create(self, request, *args, **kwargs):
        serializer = TipInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        zone = None
        if data.get("zone") is not None:
            from geography.models import PoliceZone

            zone = PoliceZone.objects.filter(pk=data["zone"]).first()
            if zone is None:
                raise ValidationError({"zone": [_("No police zone has this id.")]})
        try:
            tip = tip_services.tip_create(
                actor=request.user,
                zone=zone,
                language=data["language"],
                title=data["title"],
                body=data["body"],
                sms=data.get("sms", ""),
            )
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        except DjangoValidationError as error:
            _raise_validation(error)
        return Response(TipSerializer(tip).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TipUpdateInputSerializer, responses=TipSerializer)
    def partial_update(self, request, *args, **kwargs):
        tip = self.get_object()
        serializer = TipUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = {"language": tip.language, "title": tip.title, "body": tip.body, "sms": tip.sms}
        values.update(serializer.validated_data)
        tip = service_call(tip_services.tip_update, actor=request.user, tip=tip, **values)
        return Response(TipSerializer(tip).data)

    def perform_destroy(self, instance):
        service_call(tip_services.tip_delete, actor=self.request.user, tip=instance)
