"""Checks of a person's contact data shared by the join form, the in-person form, the member portal and their
services: one mobile number rule and one postal code rule everywhere."""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from geography.models import PostalCode

POSTAL_CODE = re.compile(r"^[1-9][0-9]{3}$")


def mobile_normalise(value: str) -> str:
    """A Belgian (or international, with +) mobile number in E.164, "" when empty; a clear error for anything that
    is not a valid mobile number (a fixed line cannot receive SMS)."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "BE")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Enter a valid mobile number, e.g. 0470 12 34 56 or +32 470 12 34 56."), code="invalid_phone"
        )
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValidationError(
            _("This is a fixed-line number: enter a mobile number, which can receive SMS."), code="not_mobile"
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def postal_code_check(value: str) -> str:
    value = (value or "").strip()
    if not POSTAL_CODE.match(value):
        raise ValidationError(_("Enter a Belgian postal code: four digits, e.g. 2000."), code="postal_code_format")
    if not PostalCode.objects.filter(code=value).exists():
        raise ValidationError(
            _("%(code)s is not a Belgian postal code."), code="postal_code_unknown", params={"code": value}
        )
    return value
