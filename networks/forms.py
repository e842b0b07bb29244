"""Forms of the network pages: they parse input; the services check and write."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.roles import Role, has_role, scope_ids
from geography.models import Municipality, PostalCode, ZoneMembership

from .choices import (
    TRANSITIONS,
    NetworkKind,
    NetworkSector,
    NetworkStatus,
    PartnerRole,
    ScreeningResult,
    StreetParity,
)
from .models import Network, Partner


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def municipality_choices(user) -> QuerySet[Municipality]:
    """Current municipalities a user may create networks in: all for ADVP, their zone's for a mandated officer."""
    municipalities = Municipality.objects.for_user(user).current().order_by("name_nl")
    if has_role(user, Role.ADVP):
        return municipalities
    members = ZoneMembership.objects.filter(
        zone_id__in=scope_ids(user, Role.ZONE_OFFICER), valid_to__isnull=True
    ).values("municipality_id")
    return municipalities.filter(pk__in=members)


def zone_municipalities(network: Network) -> QuerySet[Municipality]:
    members = ZoneMembership.objects.filter(zone=network.zone, valid_to__isnull=True).values("municipality_id")
    return Municipality.objects.current().filter(pk__in=members).order_by("name_nl")


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Municipality) -> str:
        return f"{obj.name} ({obj.refnis})"


class MunicipalityMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Municipality) -> str:
        return f"{obj.name} ({obj.refnis})"


class NetworkFieldsMixin(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=NetworkKind.choices)
    sector = forms.ChoiceField(
        label=_("Sector"),
        choices=[("", "—"), *NetworkSector.choices],
        required=False,
        help_text=_("Sectoral networks only."),
    )
    local_label = forms.CharField(
        label=_("Local label"), max_length=80, required=False, help_text=_("The name used locally, if any.")
    )
    founded_on = forms.DateField(label=_("Founded on"), required=False, widget=DateInput())
    public_description = forms.CharField(label=_("Public description"), required=False, widget=forms.Textarea)
    public_email = forms.EmailField(label=_("Public e-mail address"), required=False)
    public_phone = forms.CharField(label=_("Public telephone"), max_length=32, required=False)


class NetworkCreateForm(NetworkFieldsMixin):
    municipality = MunicipalityChoiceField(
        label=_("Main municipality"),
        queryset=Municipality.objects.none(),
        empty_label="—",
        help_text=_("Decides the network's code, police zone and the language of official letters."),
    )
    municipalities = MunicipalityMultipleChoiceField(
        label=_("Other municipalities covered"),
        queryset=Municipality.objects.none(),
        required=False,
        help_text=_("Only municipalities of the same police zone."),
    )

    field_order = ["name", "kind", "sector", "local_label", "municipality", "municipalities", "founded_on"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = municipality_choices(user)
        self.fields["municipality"].queryset = choices
        self.fields["municipalities"].queryset = choices


class NetworkEditForm(NetworkFieldsMixin):
    municipalities = MunicipalityMultipleChoiceField(
        label=_("Municipalities covered"),
        queryset=Municipality.objects.none(),
        required=False,
        help_text=_("The main municipality always stays covered."),
    )

    field_order = ["name", "kind", "sector", "local_label", "municipalities", "founded_on"]

    def __init__(self, *args, network: Network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = zone_municipalities(network)


class NetworkByCodeField(forms.CharField):
    """A network typed by its code (there are too many for a select), among those the user can see."""

    def __init__(self, *, queryset: QuerySet[Network], **kwargs):
        self.queryset = queryset
        kwargs.setdefault("max_length", 24)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value).strip().upper()
        if not value:
            return None
        network = self.queryset.filter(code__iexact=value).first()
        if network is None:
            raise ValidationError(_("No network you can see has the code %(code)s.") % {"code": value}, "unknown")
        return network


class NetworkStatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("New status"), choices=())
    on = forms.DateField(label=_("Date"), required=False, widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the network becomes dormant, dissolves or merges."),
    )
    merged_into = NetworkByCodeField(
        label=_("Merged into (code)"),
        required=False,
        queryset=Network.objects.none(),
        help_text=_("For a merger: the code of the network it joins, for example BIN-11002-3."),
    )

    def __init__(self, *args, network: Network, user, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = TRANSITIONS[network.status] - (
            {NetworkStatus.ACTIVE} if network.status == NetworkStatus.CHARTER_SUBMITTED else set()
        )
        self.fields["to_status"].choices = [
            (value, label) for value, label in NetworkStatus.choices if value in allowed
        ]
        self.fields["merged_into"].queryset = Network.objects.for_user(user, "view")


class AreaStreetForm(forms.Form):
    postal_code = forms.CharField(
        label=_("Postal code"), max_length=4, min_length=4, widget=forms.TextInput(attrs={"inputmode": "numeric"})
    )
    street = forms.CharField(label=_("Street"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    number_from = forms.IntegerField(label=_("From number"), required=False, min_value=1)
    number_to = forms.IntegerField(label=_("To number"), required=False, min_value=1)
    parity = forms.ChoiceField(label=_("Numbers"), choices=StreetParity.choices, initial=StreetParity.ALL)

    def __init__(self, *args, postal_codes: list[str], datalist_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.postal_codes = postal_codes
        self.fields["postal_code"].widget.attrs["list"] = "postal-codes"
        self.fields["street"].widget.attrs.update(
            {
                "list": "street-suggestions",
                "hx-get": datalist_url,
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#street-suggestions",
                "hx-swap": "outerHTML",
                "hx-include": "[name='postal_code']",
            }
        )


class AreaStreetPasteForm(forms.Form):
    REPLACE, ADD = "replace", "add"

    text = forms.CharField(
        label=_("Streets"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "One street per line: “street;postal code;from;to” (house numbers optional), or only the street name "
            "with the postal code chosen below."
        ),
    )
    postal_code = forms.ChoiceField(label=_("Postal code for lines without one"), required=False, choices=())
    mode = forms.ChoiceField(
        label=_("What to do"),
        choices=[(ADD, _("add these streets to the list")), (REPLACE, _("replace the whole list with these streets"))],
        initial=ADD,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, postal_codes: list[str], **kwargs):
        # On the same page as the single-street form, which also has a postal code: distinct ids.
        kwargs.setdefault("auto_id", "paste_%s")
        super().__init__(*args, **kwargs)
        self.fields["postal_code"].choices = [("", "—"), *((code, code) for code in postal_codes)]


class AreaPolygonForm(forms.Form):
    # Filled by the map editor (static/js/area-map.js); without JavaScript, GeoJSON can be pasted into it.
    area_polygon = forms.CharField(
        label=_("Area as GeoJSON (a Polygon or MultiPolygon, longitude and latitude in WGS84)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class PartnerForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PartnerRole.choices)
    user_email = forms.EmailField(
        label=_("Platform user (e-mail)"),
        required=False,
        help_text=_("When the person has an account; otherwise fill in the contact below."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=80, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=80, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Telephone"), max_length=32, required=False)
    organisation = forms.CharField(label=_("Organisation"), max_length=120, required=False)
    adult_confirmed = forms.BooleanField(
        label=_("Confirmed 18 or older"), required=False, help_text=_("Required for coordinators and deputies.")
    )
    screening_on = forms.DateField(
        label=_("Screened on"), required=False, widget=DateInput(), help_text=_("Coordinators and deputies only.")
    )
    screening_result = forms.ChoiceField(
        label=_("Screening result"),
        required=False,
        choices=[("", "—"), *ScreeningResult.choices],
        help_text=_("Only the result is recorded, never the content of the screening."),
    )
    active_from = forms.DateField(label=_("Active from"), required=False, widget=DateInput())

    def clean_user_email(self):
        email = (self.cleaned_data.get("user_email") or "").strip()
        if not email:
            return None
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise ValidationError(_("No user of the platform has this e-mail address."), code="unknown_user")
        return user

    def service_values(self) -> dict:
        data = dict(self.cleaned_data)
        data["user"] = data.pop("user_email")
        if data.get("active_from") is None:
            data.pop("active_from", None)
        return data

    @classmethod
    def initial_for(cls, partner: Partner) -> dict:
        return {
            "role": partner.role,
            "user_email": partner.user.email if partner.user_id else "",
            "first_name": partner.first_name,
            "last_name": partner.last_name,
            "email": partner.email,
            "phone": partner.phone,
            "organisation": partner.organisation,
            "adult_confirmed": partner.adult_confirmed,
            "screening_on": partner.screening_on,
            "screening_result": partner.screening_result,
            "active_from": partner.active_from,
        }


class PartnerEndForm(forms.Form):
    active_to = forms.DateField(
        label=_("Ends on"),
        required=False,
        widget=DateInput(),
        help_text=_("The first day the person no longer has this role; today when left empty."),
    )


def postal_codes_of(network: Network) -> list[str]:
    return sorted(
        set(PostalCode.objects.filter(municipality__in=network.municipalities.all()).values_list("code", flat=True))
    )
