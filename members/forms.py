from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

POSTAL_CODE_MESSAGE = _("Enter a Belgian postal code: four digits, e.g. 2000.")
postal_code_validator = RegexValidator(r"^[1-9][0-9]{3}$", POSTAL_CODE_MESSAGE)


class FinderForm(forms.Form):
    """An address (postal code, street, house number) or a point clicked on the map (lat, lon)."""

    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=4,
        required=False,
        validators=[postal_code_validator],
        error_messages={"max_length": POSTAL_CODE_MESSAGE},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code", "size": 6}),
    )
    street = forms.CharField(
        label=_("Street"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    number = forms.IntegerField(label=_("House number (optional)"), min_value=1, max_value=99999, required=False)
    lat = forms.FloatField(min_value=49.0, max_value=52.0, required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(min_value=2.0, max_value=7.0, required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("lat") is not None and data.get("lon") is not None:
            return data
        if self.errors:
            return data
        if not data.get("postal_code"):
            self.add_error("postal_code", _("Enter the postal code of the address."))
        if not (data.get("street") or "").strip():
            self.add_error("street", _("Enter the street of the address."))
        return data

    def query(self) -> dict:
        data = self.cleaned_data
        if data.get("lat") is not None and data.get("lon") is not None:
            return {"lat": data["lat"], "lon": data["lon"]}
        return {"postal_code": data["postal_code"], "street": data["street"].strip(), "number": data.get("number")}
