"""The upload form of the bulk import."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .spreadsheets import MAX_FILE_BYTES, MAX_ROWS


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Formatted here, per request, so that it is in the reader's language.
        self.fields["file"].help_text = _(
            "At most %(size)s MB and %(rows)s rows. Use the template: its first row holds the column names."
        ) % {"size": MAX_FILE_BYTES // (1024 * 1024), "rows": f"{MAX_ROWS:,}"}
