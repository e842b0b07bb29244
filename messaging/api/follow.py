"""API of part "follow" of messaging: the message statistics (/api/v1/message-statistics/) and a network's log
(/api/v1/networks/<code>/message-log/). Same scope and figures as the pages (messaging.selectors_follow): counts only,
never a member's name — statistics for mandated officers, municipal officials, ADVP and the Knowledge Centre (403 for
others), a network's log for its coordinators, the officers of its zone and the municipal officials of a municipality it
covers (404 for everybody else, national roles included)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors_follow as selectors
from ..choices import Channel, DeliveryStatus, MessageType, ReportStatus
from ..filters_follow import MessageLogFilterSet
from ..models import Message

TYPES = ", ".join(MessageType.values)

# --- statistics ------------------------------------------------------------------------------------------------------


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateTimeField(help_text="First moment counted: the first day of the month 11 months ago.")
    end = serializers.DateTimeField(help_text="Last moment counted: now.")


class MonthCountSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM (Belgian time).")
    counts = serializers.DictField(child=serializers.IntegerField(), help_text=f"Messages per type ({TYPES}).")
    total = serializers.IntegerField()


class ChannelStatusSerializer(serializers.Serializer):
    channel = serializers.CharField(help_text="email, sms or web.")
    queued = serializers.IntegerField()
    sending = serializers.IntegerField()
    sent = serializers.IntegerField()
    delivered = serializers.IntegerField()
    failed = serializers.IntegerField()
    total = serializers.IntegerField()


class HandOverSerializer(serializers.Serializer):
    handed_over = serializers.IntegerField(help_text="Sent or delivered.")
    failed = serializers.IntegerField()
    pending = serializers.IntegerField(help_text="Queued or being handed over.")
    rate = serializers.FloatField(
        allow_null=True, help_text="handed_over / (handed_over + failed); null when nothing is known yet."
    )


class HandOverByChannelSerializer(serializers.Serializer):
    email = HandOverSerializer()
    sms = HandOverSerializer()
    total = HandOverSerializer(help_text="E-mail and SMS together (the web inbox has no hand-over).")


class FeedbackFiguresSerializer(serializers.Serializer):
    alerts = serializers.IntegerField(
        help_text="Urgent alerts of the police in the period whose feedback was due by now or was given."
    )
    followed = serializers.IntegerField(help_text="Of those, followed by a feedback message.")
    share = serializers.FloatField(allow_null=True, help_text="followed / alerts.")
    on_time = serializers.IntegerField(help_text="Feedback sent no later than it was due.")
    median_hours = serializers.FloatField(allow_null=True, help_text="Median delay from the alert to its feedback.")
    p95_hours = serializers.FloatField(allow_null=True, help_text="95th percentile of that delay.")
    owed_now = serializers.IntegerField(help_text="Alerts owing feedback now (whatever their age).")


class RatingFiguresSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    useful = serializers.IntegerField()
    share_useful = serializers.FloatField(allow_null=True)


class ReportFiguresSerializer(serializers.Serializer):
    new = serializers.IntegerField()
    acknowledged = serializers.IntegerField()
    closed = serializers.IntegerField()


class MessageStatisticsSerializer(serializers.Serializer):
    scope = serializers.CharField(
        help_text="national (every network) or local (the caller's zones and municipalities)."
    )
    period = PeriodSerializer()
    messages = serializers.IntegerField(help_text="Messages sent in the period.")
    recipients = serializers.IntegerField(help_text="Sum of their recipients (a member counts once per message).")
    by_type = serializers.DictField(child=serializers.IntegerField(), help_text=f"Messages per type ({TYPES}).")
    by_month = MonthCountSerializer(many=True)
    deliveries = ChannelStatusSerializer(many=True)
    hand_over = HandOverByChannelSerializer()
    feedback = FeedbackFiguresSerializer()
    ratings = RatingFiguresSerializer()
    reports = ReportFiguresSerializer(help_text="Members' reports made in the period, by their status now.")


def statistics_data(figures: selectors.Statistics) -> dict:
    feedback = figures.feedback
    return {
        "scope": figures.scope,
        "period": {"start": figures.start, "end": figures.end},
        "messages": figures.messages,
        "recipients": figures.recipients,
        "by_type": figures.by_type,
        "by_month": [
            {"month": month.strftime("%Y-%m"), "counts": counts, "total": sum(counts.values())}
            for month, counts in figures.by_month.items()
        ],
        "deliveries": [
            {
                "channel": channel,
                **{status: figures.deliveries[channel].get(status, 0) for status in DeliveryStatus.values},
                "total": figures.channel_total(channel),
            }
            for channel in Channel.values
        ],
        "hand_over": {
            "email": figures.hand_over(Channel.EMAIL),
            "sms": figures.hand_over(Channel.SMS),
            "total": figures.hand_over(),
        },
        "feedback": {
            "alerts": feedback.alerts,
            "followed": feedback.followed,
            "share": feedback.share,
            "on_time": feedback.on_time,
            "median_hours": feedback.median_hours,
            "p95_hours": feedback.p95_hours,
            "owed_now": feedback.owed_now,
        },
        "ratings": {"total": figures.ratings, "useful": figures.useful, "share_useful": figures.useful_share},
        "reports": {status: figures.reports.get(status, 0) for status in ReportStatus.values},
    }


class MessageStatisticsView(APIView):
    """Messages, deliveries, hand-over success, feedback after urgent alerts, ratings and members' reports over the
    last 12 months, for the caller's scope: the whole country for ADVP and the Knowledge Centre; the messages of their
    zones and of their municipality's networks for mandated officers and municipal officials. Counts only. The national
    figures are refreshed every ten minutes."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="message_statistics",
        responses={
            200: MessageStatisticsSerializer,
            403: OpenApiResponse(description="The caller sees no message statistics."),
        },
    )
    def get(self, request):
        if not selectors.can_see_statistics(request.user):
            raise PermissionDenied
        figures = selectors.message_statistics(user=request.user)
        return Response(MessageStatisticsSerializer(statistics_data(figures)).data)


# --- the network's log -----------------------------------------------------------------------------------------------


class ChannelCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    handed_over = serializers.IntegerField(help_text="Sent or delivered.")
    failed = serializers.IntegerField()
    pending = serializers.IntegerField()


class DeliveryCountsSerializer(serializers.Serializer):
    email = ChannelCountsSerializer()
    sms = ChannelCountsSerializer()
    web = ChannelCountsSerializer()


class LogFeedbackSerializer(serializers.Serializer):
    state = serializers.CharField(help_text="sent, overdue, due_soon (within two hours) or due.")
    due_at = serializers.DateTimeField(allow_null=True)
    sent_at = serializers.DateTimeField(allow_null=True)
    delay_hours = serializers.FloatField(allow_null=True, help_text="From the alert to its feedback.")
    message = serializers.IntegerField(allow_null=True, help_text="The first feedback message.")
    title = serializers.CharField(allow_blank=True)


class MessageLogEntrySerializer(serializers.Serializer):
    """One message of the network's log with its counts."""

    id = serializers.IntegerField()
    sent_at = serializers.DateTimeField()
    type = serializers.CharField(help_text=TYPES)
    sender = serializers.CharField(help_text="police or coordinator.")
    author = serializers.CharField(allow_null=True, help_text="The name of the officer or coordinator who wrote it.")
    title = serializers.CharField(help_text="In the language of the request when the message has it.")
    target_kind = serializers.CharField(help_text="networks, zone, municipality or area.")
    networks = serializers.IntegerField(help_text="Networks the message was sent to.")
    recipients = serializers.IntegerField()
    deliveries = DeliveryCountsSerializer()
    useful = serializers.IntegerField()
    not_useful = serializers.IntegerField()
    replies = serializers.IntegerField()
    feedback = LogFeedbackSerializer(allow_null=True, help_text="For urgent alerts of the police; null otherwise.")


def log_entry(row: selectors.LogRow) -> dict:
    message = row.message
    feedback = None
    if row.feedback_state:
        delay = row.feedback_delay
        feedback = {
            "state": row.feedback_state,
            "due_at": message.feedback_due_at,
            "sent_at": message.feedback_sent_at,
            "delay_hours": round(delay.total_seconds() / 3600, 2) if delay is not None else None,
            "message": row.feedback.pk if row.feedback else None,
            "title": row.feedback.title() if row.feedback else "",
        }
    return {
        "id": message.pk,
        "sent_at": message.sent_at,
        "type": message.type,
        "sender": message.sender,
        "author": str(message.author) if message.author_id else None,
        "title": message.title(),
        "target_kind": message.target_kind,
        "networks": row.networks,
        "recipients": message.recipients,
        "deliveries": {
            channel: vars(row.deliveries.get(channel, selectors.ChannelCounts())) for channel in Channel.values
        },
        "useful": row.useful,
        "not_useful": row.not_useful,
        "replies": row.replies,
        "feedback": feedback,
    }


class NetworkMessageLogView(generics.ListAPIView):
    """Every message sent to the network, the latest first, with deliveries per channel, ratings, replies and, for
    urgent alerts of the police, the feedback and its delay. Filter by `year` and `type`."""

    permission_classes = [IsAuthenticated]
    serializer_class = MessageLogEntrySerializer
    filterset_class = MessageLogFilterSet

    def get_network(self):
        if not hasattr(self, "_network"):
            self._network = selectors.log_network_get(user=self.request.user, code=self.kwargs["code"])
        return self._network

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Message.objects.none()
        return selectors.network_log(user=self.request.user, network=self.get_network())

    @extend_schema(
        operation_id="network_message_log",
        responses={
            200: MessageLogEntrySerializer(many=True),
            404: OpenApiResponse(description="No such network, or the caller does not keep its log."),
        },
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        self.get_network()
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = selectors.log_rows(page)
        return self.get_paginated_response(self.get_serializer([log_entry(row) for row in rows], many=True).data)
