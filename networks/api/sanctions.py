"""API of the sanctions register (/api/v1/sanctions/): list and read the sanctions the user sees, record a sanction
or an appeal where the user may. Everything starts from `Sanction.objects.for_user` (member sanctions name a member:
ADVP and the Knowledge Centre never receive them); hidden sanctions answer 404, visible but not allowed 403."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from core.api import service_call

from ..charter_selectors import sanction_list, sanction_targets
from ..choices import AppealOutcome, SanctionMeasure, SanctionTarget
from ..models import Network, Partner, Sanction
from ..sanction_filters import SanctionFilterSet
from ..services import sanction as sanction_services
from .charters import _scoped


class SanctionSerializer(serializers.ModelSerializer):
    network = serializers.SlugRelatedField(slug_field="code", read_only=True)
    person = serializers.SerializerMethodField(help_text="The coordinator's name, or the member as recorded.")
    appeal_open = serializers.BooleanField(read_only=True, help_text="The appeal deadline has not passed yet.")

    class Meta:
        model = Sanction
        fields = [
            "id",
            "network",
            "target",
            "person",
            "partner",
            "member_ref",
            "measure",
            "decided_on",
            "decided_by",
            "reason",
            "ends_on",
            "copy_to_advp_on",
            "appeal_deadline",
            "appeal_open",
            "appeal_lodged_on",
            "appeal_outcome",
            "created_at",
        ]
        read_only_fields = fields

    def get_person(self, obj: Sanction) -> str:
        return obj.partner.display_name if obj.partner_id else obj.member_ref


class SanctionCreateInputSerializer(serializers.Serializer):
    network = serializers.CharField(help_text="The network's code.")
    target = serializers.ChoiceField(choices=SanctionTarget.choices)
    measure = serializers.ChoiceField(choices=SanctionMeasure.choices)
    partner = serializers.IntegerField(required=False, allow_null=True, help_text="For a coordinator: partner id.")
    member_ref = serializers.CharField(required=False, allow_blank=True, default="", max_length=160)
    decided_on = serializers.DateField()
    decided_by = serializers.CharField(max_length=160)
    reason = serializers.CharField()
    ends_on = serializers.DateField(required=False, allow_null=True, default=None)
    copy_to_advp_on = serializers.DateField(required=False, allow_null=True, default=None)


class AppealInputSerializer(serializers.Serializer):
    appeal_lodged_on = serializers.DateField()
    appeal_outcome = serializers.ChoiceField(
        choices=AppealOutcome.choices, required=False, allow_blank=True, default=""
    )


class SanctionViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = SanctionSerializer
    filterset_class = SanctionFilterSet

    def get_queryset(self):
        return sanction_list(user=self.request.user).order_by("-decided_on", "-created_at")

    def _respond(self, sanction: Sanction, status_code=status.HTTP_200_OK) -> Response:
        sanction = self.get_queryset().get(pk=sanction.pk)
        return Response(SanctionSerializer(sanction, context=self.get_serializer_context()).data, status=status_code)

    @extend_schema(request=SanctionCreateInputSerializer, responses={201: SanctionSerializer})
    def create(self, request, *args, **kwargs):
        serializer = SanctionCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        network = _scoped(Network.objects.all(), request, "view", code=data.pop("network"))
        if data["target"] not in sanction_targets(request.user, "create", network):
            raise PermissionDenied(_("You cannot record this kind of sanction for this network."))
        partner_id = data.pop("partner", None)
        partner = None
        if partner_id is not None:
            partner = Partner.objects.for_user(request.user, "view").filter(network=network, pk=partner_id).first()
            if partner is None:
                raise ValidationError({"partner": [_("Choose a coordinator or deputy coordinator of this network.")]})
        sanction = service_call(
            sanction_services.sanction_create, actor=request.user, network=network, partner=partner, **data
        )
        return self._respond(sanction, status.HTTP_201_CREATED)

    @extend_schema(request=AppealInputSerializer, responses=SanctionSerializer)
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        """Record the appeal against a permanent removal (and later its outcome)."""
        sanction = _scoped(Sanction.objects.select_related("network"), request, "change", pk=pk)
        serializer = AppealInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        sanction = service_call(
            sanction_services.sanction_record_appeal, actor=request.user, sanction=sanction, **serializer.validated_data
        )
        return self._respond(sanction)
