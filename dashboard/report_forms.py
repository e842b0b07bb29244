"""Forms of the annual report: the year to start a report for, and the texts of one language."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .report_selectors import section_titles
from .report_services import TEXT_MAX


class ReportStartForm(forms.Form):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=2100,
        help_text=_("The calendar year the report is about."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year - 1


class ReportTextsForm(forms.Form):
    """The foreword and a comment per section, in one language (Markdown: paragraphs, lists, bold, links)."""

    foreword = forms.CharField(
        label=_("Foreword"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for section, title in section_titles().items():
            self.fields[f"comment_{section}"] = forms.CharField(
                label=_("Comment on “%(section)s”") % {"section": title},
                required=False,
                max_length=TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def comments(self) -> dict[str, str]:
        return {
            name.removeprefix("comment_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("comment_")
        }
