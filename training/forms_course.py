"""Forms of the course pages (part "course"): the course, a version's objectives and validity, modules, materials
and evaluation questions. They parse input; the services in training/services/courses.py check and save."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Course, CourseVersion, EvaluationQuestion, Material, Module

LANGUAGE_CODES = ("nl", "fr", "de", "en")


def model_field(model, name: str, **kwargs) -> forms.Field:
    """The form field Django derives from the model field (label, help text, length), without model validation:
    the service validates."""
    return model._meta.get_field(name).formfield(**kwargs)


class _FieldsForm(forms.Form):
    model = None
    field_names: tuple[str, ...] = ()
    textarea_rows: dict[str, int] = {}

    def __init__(self, *args, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {name: getattr(instance, name) for name in self.field_names}
        super().__init__(*args, **kwargs)
        for name in self.field_names:
            field = model_field(self.model, name)
            if name in self.textarea_rows:
                field.widget = forms.Textarea(attrs={"rows": self.textarea_rows[name]})
            self.fields[name] = field

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.field_names}


class CourseForm(_FieldsForm):
    model = Course
    field_names = (
        "code",
        *(f"title_{c}" for c in LANGUAGE_CODES),
        *(f"description_{c}" for c in LANGUAGE_CODES),
    )
    textarea_rows = {f"description_{c}": 3 for c in LANGUAGE_CODES}


class VersionForm(_FieldsForm):
    model = CourseVersion
    field_names = (*(f"objectives_{c}" for c in LANGUAGE_CODES), "certificate_valid_years")
    textarea_rows = {f"objectives_{c}": 5 for c in LANGUAGE_CODES}


class ModuleForm(_FieldsForm):
    model = Module
    field_names = (*(f"title_{c}" for c in LANGUAGE_CODES), "minutes", *(f"summary_{c}" for c in LANGUAGE_CODES))
    textarea_rows = {f"summary_{c}": 3 for c in LANGUAGE_CODES}


class QuestionForm(_FieldsForm):
    model = EvaluationQuestion
    field_names = ("kind", "required", *(f"text_{c}" for c in LANGUAGE_CODES))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].widget = forms.RadioSelect(choices=self.fields["kind"].choices[1:])
        self.fields["kind"].choices = self.fields["kind"].choices[1:]


class MaterialForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    title = model_field(Material, "title")
    module = forms.ModelChoiceField(
        label=_("Module"), queryset=Module.objects.none(), required=False, empty_label=_("The whole course")
    )
    file = forms.FileField(
        label=_("PDF file"),
        required=False,
        help_text=_("A PDF document of at most %(limit)s MB.") % {"limit": settings.BINPLP_TRAINING_MATERIAL_MAX_MB},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    url = forms.URLField(label=_("or a link"), required=False, assume_scheme="https")

    def __init__(self, *args, version: CourseVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = version.modules.order_by("position")

    def clean(self):
        data = super().clean()
        if bool(data.get("file")) == bool(data.get("url")):
            raise forms.ValidationError(
                _("Give either a PDF file or a link, not both and not neither."), code="file_or_link"
            )
        return data


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("up")), ("down", _("down"))])
