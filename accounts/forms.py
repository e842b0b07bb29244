from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from core.roles import Role

from .scopes import (
    ScopeModelMissing,
    offered_roles,
    scope_choices,
    scope_model_for,
    scope_models,
    scope_text_key,
)


def scope_field_name(model: type[models.Model]) -> str:
    return f"scope_{model._meta.model_name}"


class ScopeByKeyField(forms.CharField):
    """A scope typed by its natural key (a network's code, e.g. "BIN-11002-1"), for scopes too many for a select.
    Cleans to the object, looked up among those the user may choose."""

    def __init__(self, *, queryset: models.QuerySet, to_field: str, **kwargs):
        self.queryset = queryset
        self.to_field = to_field
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value).strip().upper()
        if not value:
            return None
        found = self.queryset.filter(**{f"{self.to_field}__iexact": value}).first()
        if found is None:
            raise ValidationError(
                _("No %(scope)s you can choose has the code %(code)s.")
                % {"scope": self.queryset.model._meta.verbose_name, "code": value},
                code="unknown_scope",
            )
        return found

    def prepare_value(self, value):
        if isinstance(value, models.Model):
            return getattr(value, self.to_field)
        return value


class RoleScopeForm(forms.Form):
    """A role and, for roles that have one, its scope. Without JavaScript every scope select is shown and the
    one matching the role must be filled; with HTMX, changing the role swaps in only the matching select."""

    role = forms.ChoiceField(label=_("Role"), choices=())

    def __init__(self, *args, user, html_prefix: str = "id", **kwargs):
        kwargs["auto_id"] = f"{html_prefix}_%s"
        super().__init__(*args, **kwargs)
        self.user = user
        self.html_prefix = html_prefix
        self.fields["role"].choices = [("", "—"), *offered_roles()]
        container = f"#{html_prefix}-scope-fields"
        self.fields["role"].widget.attrs.update(
            {
                "hx-get": reverse("accounts:scope_fields"),
                "hx-vals": json.dumps({"prefix": html_prefix}),
                "hx-trigger": "change",
                "hx-target": container,
                "hx-include": container,
            }
        )
        self.scope_fields: list[str] = []
        for model in scope_models():
            name = scope_field_name(model)
            key = scope_text_key(model)
            if key is not None:
                self.fields[name] = ScopeByKeyField(
                    queryset=scope_choices(model, user),
                    to_field=key,
                    required=False,
                    max_length=40,
                    label=capfirst(model._meta.verbose_name),
                    help_text=_("Its code, for example BIN-11002-1."),
                )
            else:
                self.fields[name] = forms.ModelChoiceField(
                    queryset=scope_choices(model, user),
                    required=False,
                    label=capfirst(model._meta.verbose_name),
                    empty_label="—",
                )
            self.scope_fields.append(name)

    def scope_field_for(self, role: str | None) -> str | None:
        if not role or role not in Role.values:
            return None
        try:
            model = scope_model_for(role)
        except ScopeModelMissing:
            return None
        return scope_field_name(model) if model is not None else None

    def visible_scope_fields(self, role: str | None = None):
        """The scope fields to show for `role` (all of them when no role is chosen yet)."""
        wanted = self.scope_field_for(role)
        if not role:
            return [self[name] for name in self.scope_fields]
        return [self[name] for name in self.scope_fields if name == wanted]

    def clean(self):
        cleaned = super().clean()
        role = cleaned.get("role")
        if not role:
            return cleaned
        wanted = self.scope_field_for(role)
        role_label = dict(Role.choices)[role]
        for name in self.scope_fields:
            value = cleaned.get(name)
            # The model's verbose name is lower case where the language wants it, and capitalised in German.
            label = self.fields[name].queryset.model._meta.verbose_name
            if name == wanted and value is None:
                self.add_error(name, _("Choose the %(scope)s for this role.") % {"scope": label})
            elif name != wanted and value is not None:
                self.add_error(
                    name,
                    _("Leave this empty: the role “%(role)s” does not apply to a %(scope)s.")
                    % {"role": role_label, "scope": label},
                )
        cleaned["scope"] = cleaned.get(wanted) if wanted else None
        return cleaned


class InvitationForm(RoleScopeForm):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "off"}), max_length=254
    )
    language = forms.ChoiceField(
        label=_("Language of the invitation"),
        choices=settings.LANGUAGES,
        help_text=_("The e-mail is written in this language, and it becomes the new account's interface language."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each language in its own name, as the invitee will read it.
        self.fields["language"].choices = [
            (code, get_language_info(code)["name_local"].capitalize()) for code, _name in settings.LANGUAGES
        ]
        self.order_fields(["email", "role", *self.scope_fields, "language"])


class RoleGrantForm(RoleScopeForm):
    pass


class AcceptInvitationForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("Password (again)"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per request so that it is in the reader's language.
        self.fields["password"].help_text = password_validation.password_validators_help_text_html()

    def clean(self):
        cleaned = super().clean()
        password, confirm = cleaned.get("password"), cleaned.get("password_confirm")
        if password and confirm and password != confirm:
            self.add_error("password_confirm", _("The two passwords differ."))
        return cleaned
