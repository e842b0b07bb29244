"""Forms of part C: the training policy switch, and the filters of the coverage and statistics pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

BRUSSELS = "brussels"


class PolicyForm(forms.Form):
    urgent_requires_certificate = forms.BooleanField(
        label=_("Only officers holding a valid BIN course certificate may send urgent messages"),
        required=False,
        help_text=_("Urgent alerts, missing person messages and crisis messages."),
    )


class CoverageFilterForm(forms.Form):
    """Province and zone filters, offered among the provinces and zones of the networks in the user's scope."""

    province = forms.ChoiceField(label=_("Province"), required=False)
    zone = forms.TypedChoiceField(label=_("Police zone"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, provinces, zones, **kwargs):
        super().__init__(*args, **kwargs)
        province_choices = [("", _("all"))] + [(str(p.pk), p.name) for p in provinces]
        province_choices.append((BRUSSELS, _("Brussels-Capital Region")))
        self.fields["province"].choices = province_choices
        self.fields["zone"].choices = [("", _("all"))] + [(str(z.pk), str(z)) for z in zones]

    def province_id(self):
        value = self.cleaned_data.get("province") if self.is_valid() else None
        if value == BRUSSELS:
            return BRUSSELS
        return int(value) if value else None

    def zone_id(self) -> int | None:
        return self.cleaned_data.get("zone") if self.is_valid() else None


class StatisticsFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("every year"))] + [(str(year), str(year)) for year in years]
