"""API of charters (/api/v1/charters/), ADVP's reviews (/api/v1/charter-reviews/) and letters (/api/v1/letters/).

Reads are scoped with `for_user` and filtered with the FilterSets of the pages; writes go through the services,
whose field errors come back as a 400 with the field names. Hidden objects answer 404, visible ones that the user may
not change or review 403."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response

from core.api import service_call
from core.scoping import get_for_user

from ..charter_filters import CharterFilterSet, LetterFilterSet, ReviewQueueFilterSet
from ..charter_nav import can_review_charters
from ..charter_selectors import age_in_days, lead_time_days, review_queue
from ..choices import Channel, CostPayer, MessageType, ReviewDecision, Sender, Signatory
from ..models import Charter, CharterReview, Letter, Network
from ..services import charter as charter_services
from ..services.charter import checklist_active


def _scoped(queryset, request, action: str, **lookup):
    """get_for_user for the API: 404 for hidden or missing objects, 403 when visible but not allowed."""
    try:
        return get_for_user(queryset, request.user, action, **lookup)
    except DjangoPermissionDenied as error:
        raise PermissionDenied from error


# --- charters --------------------------------------------------------------------------------------


class SignatureSerializer(serializers.Serializer):
    signatory = serializers.ChoiceField(choices=Signatory.choices)
    name = serializers.CharField()
    signed_on = serializers.DateField()
    recorded_by = serializers.CharField(source="recorded_by.email", allow_null=True, default=None)
    recorded_at = serializers.DateTimeField()


class CostItemSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=120)
    amount_eur = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=0)
    payer = serializers.ChoiceField(choices=CostPayer.choices)


class CharterSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="code", read_only=True)
    signatures = SignatureSerializer(many=True, read_only=True)
    cost_items = CostItemSerializer(many=True, read_only=True)
    signed_pdf_url = serializers.SerializerMethodField(help_text="Download of the signed PDF (same scope).")
    missing = serializers.SerializerMethodField(help_text="What still stops a draft from being submitted.")
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Charter
        fields = [
            "id",
            "network",
            "version",
            "status",
            "contacts",
            "channels",
            "message_types",
            "senders",
            "feedback_hours",
            "cost_items",
            "member_fee_eur",
            "alternative_financing",
            "internal_rules_version",
            "signatures",
            "signed_pdf_url",
            "missing",
            "created_at",
            "submitted_at",
            "decided_at",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_signed_pdf_url(self, obj: Charter) -> str | None:
        if not obj.signed_pdf:
            return None
        path = reverse("networks:charter_pdf", args=[obj.network.code, obj.version])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_missing(self, obj: Charter) -> list[str]:
        return charter_services.charter_missing(obj) if obj.status == "draft" else []


class CharterListSerializer(CharterSerializer):
    class Meta(CharterSerializer.Meta):
        fields = [name for name in CharterSerializer.Meta.fields if name != "missing"]
        read_only_fields = fields


class CharterCreateInputSerializer(serializers.Serializer):
    network = serializers.CharField(help_text="The network's code, e.g. BIN-11002-1.")


class CharterPlanInputSerializer(serializers.Serializer):
    channels = serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices), default=list)
    message_types = serializers.ListField(child=serializers.ChoiceField(choices=MessageType.choices), default=list)
    senders = serializers.DictField(
        child=serializers.ListField(child=serializers.ChoiceField(choices=Sender.choices)),
        default=dict,
        help_text='Who may send each message type, e.g. {"urgent_alert": ["police"]}.',
    )
    feedback_hours = serializers.IntegerField(allow_null=True, required=False, default=None)
    cost_items = CostItemSerializer(many=True, default=list)
    member_fee_eur = serializers.DecimalField(
        max_digits=7, decimal_places=2, allow_null=True, required=False, default=None
    )
    alternative_financing = serializers.CharField(allow_blank=True, required=False, default="")
    internal_rules_version = serializers.CharField(allow_blank=True, required=False, default="", max_length=40)


class SignatureInputSerializer(serializers.Serializer):
    signatory = serializers.ChoiceField(choices=Signatory.choices)
    name = serializers.CharField(max_length=160)
    signed_on = serializers.DateField()


class SignedPdfInputSerializer(serializers.Serializer):
    signed_pdf = serializers.FileField()


class CharterViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Charter versions of the networks the user sees. ADVP and the zone's mandated officers start a version,
    set its plans, record signatures, upload the signed PDF and submit it to ADVP."""

    permission_classes = [IsAuthenticated]
    filterset_class = CharterFilterSet
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    def get_queryset(self):
        return (
            Charter.objects.for_user(self.request.user, "view")
            .select_related("network")
            .prefetch_related("signatures__recorded_by")
            .order_by("network__code", "-version")
        )

    def get_serializer_class(self):
        return CharterListSerializer if self.action == "list" else CharterSerializer

    def _charter_for_change(self) -> Charter:
        return _scoped(Charter.objects.select_related("network"), self.request, "change", pk=self.kwargs["pk"])

    def _respond(self, charter: Charter, status_code=status.HTTP_200_OK) -> Response:
        charter = self.get_queryset().get(pk=charter.pk)
        return Response(CharterSerializer(charter, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=CharterCreateInputSerializer, responses={201: CharterSerializer})
    def create(self, request, *args, **kwargs):
        """Start a new version of a network's charter (the previous version's plans are copied)."""
        serializer = CharterCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        network = _scoped(Network.objects.all(), request, "change", code=serializer.validated_data["network"])
        charter = service_call(charter_services.charter_create, actor=request.user, network=network)
        return self._respond(charter, status.HTTP_201_CREATED)

    @extend_schema(request=CharterPlanInputSerializer, responses=CharterSerializer)
    @action(detail=True, methods=["put"])
    def plan(self, request, pk=None):
        """Set the communication and budget plans and the internal rules version of a draft (all given at once)."""
        charter = self._charter_for_change()
        serializer = CharterPlanInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        charter = service_call(
            charter_services.charter_update_plan, actor=request.user, charter=charter, **serializer.validated_data
        )
        return self._respond(charter)

    @extend_schema(request=SignatureInputSerializer, responses=CharterSerializer)
    @action(detail=True, methods=["post"])
    def signatures(self, request, pk=None):
        """Record (or correct) one of the four signatures of a draft."""
        charter = self._charter_for_change()
        serializer = SignatureInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        service_call(charter_services.charter_sign, actor=request.user, charter=charter, **serializer.validated_data)
        return self._respond(charter)

    @extend_schema(request={"multipart/form-data": SignedPdfInputSerializer}, responses=CharterSerializer)
    @action(detail=True, methods=["post"], url_path="signed-pdf")
    def signed_pdf(self, request, pk=None):
        """Upload the scanned, signed charter (PDF, at most 10 MB)."""
        charter = self._charter_for_change()
        serializer = SignedPdfInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        charter = service_call(
            charter_services.charter_upload_pdf,
            actor=request.user,
            charter=charter,
            upload=serializer.validated_data["signed_pdf"],
        )
        return self._respond(charter)

    @extend_schema(request=None, responses=CharterSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a complete draft to ADVP; the network's status becomes "charter submitted"."""
        charter = self._charter_for_change()
        charter = service_call(charter_services.charter_submit, actor=request.user, charter=charter)
        return self._respond(charter)


# --- ADVP's reviews --------------------------------------------------------------------------------


class CanListReviews(BasePermission):
    """The review queue is ADVP's; one review is reached through the charter's own scope (404 / 403)."""

    def has_permission(self, request, view) -> bool:
        if view.action == "list":
            return can_review_charters(request.user)
        return True


class ReviewItemResultSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item_id")
    code = serializers.CharField(source="item.code")
    text = serializers.CharField(source="item.text")
    satisfied = serializers.BooleanField()
    remark = serializers.CharField()


class ReviewDetailSerializer(serializers.ModelSerializer):
    reviewer = serializers.CharField(source="reviewer.email", allow_null=True, default=None)
    results = ReviewItemResultSerializer(source="item_results", many=True, read_only=True)
    lead_time_days = serializers.SerializerMethodField()

    class Meta:
        model = CharterReview
        fields = ["reviewer", "started_at", "decided_at", "decision", "remarks", "lead_time_days", "results"]
        read_only_fields = fields

    def get_lead_time_days(self, obj: CharterReview) -> float | None:
        return lead_time_days(obj)


class ChecklistEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    text = serializers.CharField()


class CharterReviewSerializer(serializers.ModelSerializer):
    """A charter as ADVP reviews it: its state, its age in the queue, and the review so far (or null)."""

    charter = serializers.IntegerField(source="pk", read_only=True)
    network = serializers.SlugRelatedField(slug_field="code", read_only=True)
    network_name = serializers.CharField(source="network.name", read_only=True)
    age_days = serializers.SerializerMethodField(help_text="Days since submission, while waiting for a decision.")
    review = serializers.SerializerMethodField()

    class Meta:
        model = Charter
        fields = ["charter", "network", "network_name", "version", "status", "submitted_at", "age_days", "review"]
        read_only_fields = fields

    def get_age_days(self, obj: Charter) -> int | None:
        return age_in_days(obj.submitted_at) if obj.status == "submitted" else None

    @extend_schema_field(ReviewDetailSerializer(allow_null=True))
    def get_review(self, obj: Charter):
        try:
            review = obj.review
        except CharterReview.DoesNotExist:
            return None
        return ReviewDetailSerializer(review, context=self.context).data


class CharterReviewDetailSerializer(CharterReviewSerializer):
    checklist = serializers.SerializerMethodField(help_text="The requirements to check (the current checklist).")

    class Meta(CharterReviewSerializer.Meta):
        fields = [*CharterReviewSerializer.Meta.fields, "checklist"]
        read_only_fields = fields

    @extend_schema_field(ChecklistEntrySerializer(many=True))
    def get_checklist(self, obj: Charter):
        return [{"id": item.pk, "code": item.code, "text": item.text} for item in checklist_active()]


class ReviewResultInputSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="Checklist item id.")
    satisfied = serializers.BooleanField()
    remark = serializers.CharField(allow_blank=True, required=False, default="", max_length=2000)


class ReviewDecideInputSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ReviewDecision.choices)
    remarks = serializers.CharField(allow_blank=True, required=False, default="", max_length=5000)
    results = ReviewResultInputSerializer(many=True)


class CharterReviewViewSet(viewsets.ReadOnlyModelViewSet):
    """ADVP's reviews, addressed by the charter's id. The list is the queue of submitted charters, the longest
    waiting first; `decide` records the decision, writes the letters and e-mails them."""

    permission_classes = [IsAuthenticated, CanListReviews]
    filterset_class = ReviewQueueFilterSet

    def get_queryset(self):
        return review_queue(user=self.request.user).prefetch_related("review__item_results__item")

    def get_serializer_class(self):
        return CharterReviewSerializer if self.action == "list" else CharterReviewDetailSerializer

    def get_object(self):
        return _scoped(
            Charter.objects.select_related("network", "review__reviewer").prefetch_related(
                "review__item_results__item"
            ),
            self.request,
            "review",
            pk=self.kwargs["pk"],
        )

    @extend_schema(request=ReviewDecideInputSerializer, responses=CharterReviewDetailSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        charter = self.get_object()
        serializer = ReviewDecideInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        service_call(
            charter_services.charter_review_decide,
            actor=request.user,
            charter=charter,
            decision=data["decision"],
            remarks=data["remarks"],
            results=data["results"],
        )
        charter = self.get_object()
        return Response(CharterReviewDetailSerializer(charter, context=self.get_serializer_context()).data)


# --- letters ---------------------------------------------------------------------------------------


class LetterSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="code", read_only=True)
    charter_version = serializers.IntegerField(source="charter.version", read_only=True)
    download_url = serializers.SerializerMethodField(help_text="The PDF (same scope; session or token).")

    class Meta:
        model = Letter
        fields = [
            "id",
            "network",
            "charter_version",
            "reference",
            "recipient",
            "language",
            "created_at",
            "emailed_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj: Letter) -> str:
        path = reverse("letter-download", args=[obj.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class LetterViewSet(viewsets.ReadOnlyModelViewSet):
    """ADVP's letters on charter decisions, filed on the networks the user sees."""

    permission_classes = [IsAuthenticated]
    serializer_class = LetterSerializer
    filterset_class = LetterFilterSet

    def get_queryset(self):
        return (
            Letter.objects.for_user(self.request.user, "view")
            .select_related("network", "charter")
            .order_by("-created_at", "recipient")
        )

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        letter = self.get_object()
        if not letter.pdf:
            raise Http404
        return FileResponse(
            letter.pdf.open("rb"),
            as_attachment=True,
            filename=f"{letter.reference.replace('/', '-')}.pdf",
            content_type="application/pdf",
        )
