"""Forms of the charter pages and of ADVP's review: they parse input; the services in services/charter.py check it."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Channel, CostPayer, MessageType, ReviewDecision, Sender, Signatory
from .models import Charter, ChecklistItem

DATE_INPUT = {"type": "date"}


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={**DATE_INPUT, "max": timezone.localdate().isoformat()})


class CharterPlanForm(forms.Form):
    """The communication plan, the budget plan (cost items are a formset beside it) and the internal rules."""

    channels = forms.MultipleChoiceField(
        label=_("Channels used"), choices=Channel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    message_types = forms.MultipleChoiceField(
        label=_("Message types"), choices=MessageType.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    feedback_hours = forms.IntegerField(
        label=_("Expected feedback time (hours)"),
        required=False,
        min_value=1,
        max_value=24 * 90,
        help_text=_("How soon the police give feedback after an urgent alert."),
    )
    member_fee_eur = forms.DecimalField(
        label=_("Member fee per year (EUR)"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=2,
        help_text=_("Leave empty when membership is free. A fee may only cover costs."),
    )
    alternative_financing = forms.CharField(
        label=_("Alternative financing"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required by the circular when the municipality's support is temporary."),
    )
    internal_rules_version = forms.CharField(
        label=_("Version of the internal rules"), required=False, max_length=40, help_text=_("For example 2024-09.")
    )

    def __init__(self, *args, charter: Charter, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "channels": charter.channels,
                "message_types": charter.message_types,
                "feedback_hours": charter.feedback_hours,
                "member_fee_eur": charter.member_fee_eur,
                "alternative_financing": charter.alternative_financing,
                "internal_rules_version": charter.internal_rules_version,
                **{f"senders_{key}": value for key, value in (charter.senders or {}).items()},
            },
        )
        super().__init__(*args, **kwargs)
        for message_type in MessageType:
            self.fields[f"senders_{message_type.value}"] = forms.MultipleChoiceField(
                label=_("Who may send: %(type)s") % {"type": message_type.label},
                choices=Sender.choices,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )

    @property
    def plan_fields(self):
        return [self[name] for name in ("channels", "message_types", "feedback_hours")]

    @property
    def sender_fields(self):
        return [self[f"senders_{message_type.value}"] for message_type in MessageType]

    @property
    def budget_fields(self):
        return [self[name] for name in ("member_fee_eur", "alternative_financing", "internal_rules_version")]

    def senders(self) -> dict[str, list[str]]:
        return {
            message_type: self.cleaned_data.get(f"senders_{message_type}") or []
            for message_type in MessageType.values
            if self.cleaned_data.get(f"senders_{message_type}")
        }


class CostItemForm(forms.Form):
    label = forms.CharField(label=_("Cost"), max_length=120, required=False)
    amount_eur = forms.DecimalField(
        label=_("Amount per year (EUR)"), required=False, min_value=0, max_digits=9, decimal_places=2
    )
    payer = forms.ChoiceField(label=_("Paid by"), choices=[("", "–"), *CostPayer.choices], required=False)

    def item(self) -> dict | None:
        data = self.cleaned_data
        if not data or not (data.get("label") or data.get("amount_eur") is not None or data.get("payer")):
            return None
        return {"label": data.get("label") or "", "amount_eur": data.get("amount_eur"), "payer": data.get("payer")}


CostItemFormSet = forms.formset_factory(CostItemForm, extra=3, max_num=50, validate_max=True)


class SignedPdfForm(forms.Form):
    signed_pdf = forms.FileField(
        label=_("Signed charter (PDF, at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )


class SignatureForm(forms.Form):
    signatory = forms.ChoiceField(label=_("Signatory"), choices=Signatory.choices)
    name = forms.CharField(label=_("Name of the person who signed"), max_length=160)
    signed_on = forms.DateField(label=_("Signed on"), widget=_date_widget())


class ReviewItemForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    satisfied = forms.BooleanField(label=_("Satisfied"), required=False)
    remark = forms.CharField(
        label=_("Remark"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


ReviewItemFormSet = forms.formset_factory(ReviewItemForm, extra=0)


class ReviewForm(forms.Form):
    SAVE, DECIDE = "save", "decide"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=ReviewDecision.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Needed only when you decide; saving keeps your checks without deciding."),
    )
    remarks = forms.CharField(
        label=_("General remarks (in the letters)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
    )


class ChecklistItemForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40, help_text=_("A short identifier, e.g. budget_plan."))
    text_nl = forms.CharField(label=_("Text (Dutch)"), widget=forms.Textarea(attrs={"rows": 2, "lang": "nl"}))
    text_fr = forms.CharField(label=_("Text (French)"), widget=forms.Textarea(attrs={"rows": 2, "lang": "fr"}))
    text_de = forms.CharField(
        label=_("Text (German)"), required=False, widget=forms.Textarea(attrs={"rows": 2, "lang": "de"})
    )
    text_en = forms.CharField(
        label=_("Text (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2, "lang": "en"})
    )
    order = forms.IntegerField(label=_("Order"), min_value=0, initial=0)
    is_active = forms.BooleanField(
        label=_("In use"), required=False, initial=True, help_text=_("Items no longer in use stay in past reviews.")
    )

    @classmethod
    def initial_for(cls, item: ChecklistItem) -> dict:
        return {name: getattr(item, name) for name in cls.base_fields}
