"""Form helpers shared by every app."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_service_errors(form: forms.Form, error: ValidationError, field_map: dict[str, str] | None = None) -> None:
    """Show a service's ValidationError on the form: on the field it names (through `field_map` when the service's
    name differs from the form's) when the form has that field, else above the form."""
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        name = field_map.get(name, name)
        form.add_error(name if name in form.fields and name != NON_FIELD_ERRORS else None, errors)
