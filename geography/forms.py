from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import LanguageRegime, ZoneCodeStatus
from .models import PoliceZone

_CODE_HELP = _("The official number of the zone, 5000 to 5999. Leave empty when it is not known.")
_STATUS_HELP = _("Leave empty to set it for you: “confirmed by ADVP” when you set a code, “unknown” without one.")


class ZoneCodeStatusField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            choices=[("", _("set automatically")), *ZoneCodeStatus.choices],
            required=False,
            empty_value=None,
            label=_("Status of the code"),
            help_text=_STATUS_HELP,
            **kwargs,
        )


class ZoneEditForm(forms.Form):
    code = forms.IntegerField(
        label=_("Zone code"), required=False, min_value=5000, max_value=5999, help_text=_CODE_HELP
    )
    code_status = ZoneCodeStatusField()
    name = forms.CharField(label=_("Name"), max_length=120)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ZoneMergeForm(forms.Form):
    zones = forms.ModelMultipleChoiceField(
        queryset=PoliceZone.objects.none(),
        label=_("Merge with"),
        help_text=_("The other current zones that form the new zone together with this one."),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    date = forms.DateField(
        label=_("Date of the merger"),
        help_text=_("The first day of the new zone."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    name = forms.CharField(label=_("Name of the new zone"), max_length=120)
    code = forms.IntegerField(
        label=_("Zone code"), required=False, min_value=5000, max_value=5999, help_text=_CODE_HELP
    )
    code_status = ZoneCodeStatusField()
    language = forms.ChoiceField(label=_("Language"), choices=LanguageRegime.choices)

    def __init__(self, *args, zone: PoliceZone, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zones"].queryset = choices.exclude(pk=zone.pk)
        self.fields["language"].initial = zone.language
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()
