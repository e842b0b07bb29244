"""The committee's composition: seat categories and the terms of the people holding the seats. ADVP does all of
it. Terms on one seat never overlap: the check runs under a lock on the category row, so two people filling the same
seat at once cannot both succeed."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.audit import audit_record, diff, snapshot
from core.models import AuditAction

from ..choices import Language
from ..models import SeatCategory, SeatTerm
from ..permissions import can_edit_seats


def _require_advp(actor: User) -> None:
    if not can_edit_seats(actor):
        raise PermissionDenied(_("Only ADVP changes the composition of the committee."))


def seats_held_max(category: SeatCategory) -> int:
    """The highest seat number held by a current or future term (seats cannot be taken away below it)."""
    from django.utils import timezone

    today = timezone.localdate()
    held = category.terms.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today)).aggregate(top=Max("seat_number"))
    return held["top"] or 0


def category_create(
    *,
    actor: User,
    code: str,
    name_nl: str,
    name_fr: str,
    seats: int,
    name_de: str = "",
    name_en: str = "",
    order: int = 100,
    note: str = "",
) -> SeatCategory:
    _require_advp(actor)
    with transaction.atomic():
        category = SeatCategory(
            code=code.strip(),
            name_nl=name_nl.strip(),
            name_fr=name_fr.strip(),
            name_de=(name_de or "").strip(),
            name_en=(name_en or "").strip(),
            seats=seats,
            order=order,
            note=(note or "").strip(),
        )
        category.full_clean()
        category.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=category, changes=snapshot(category))
    return category


CATEGORY_FIELDS = ("name_nl", "name_fr", "name_de", "name_en", "seats", "order", "note")


def category_update(*, actor: User, category: SeatCategory, **fields) -> SeatCategory:
    """Change a category; its number of seats cannot go below the highest seat held now or later."""
    _require_advp(actor)
    unknown = set(fields) - set(CATEGORY_FIELDS)
    if unknown:
        raise TypeError(f"Unknown category fields: {sorted(unknown)}")
    with transaction.atomic():
        category = SeatCategory.objects.select_for_update().get(pk=category.pk)
        before = snapshot(category)
        for name, value in fields.items():
            setattr(category, name, value.strip() if isinstance(value, str) else value)
        held = seats_held_max(category)
        if category.seats < held:
            raise ValidationError(
                {
                    "seats": ValidationError(
                        _("Seat %(seat)s is held: the category needs at least %(seat)s seats."),
                        code="seats_below_held",
                        params={"seat": held},
                    )
                }
            )
        category.full_clean()
        category.save()
        changes = diff(before, snapshot(category))
        if changes:
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=category, changes=changes)
    return category


def _overlap_error(other: SeatTerm) -> ValidationError:
    return ValidationError(
        _(
            "Seat %(seat)s of “%(category)s” is held by %(name)s from %(start)s%(end)s: terms on one seat cannot "
            "overlap. End that term first or choose other dates."
        ),
        code="term_overlap",
        params={
            "seat": other.seat_number,
            "category": other.category.name,
            "name": other.holder_name,
            "start": other.starts_on.strftime("%d/%m/%Y"),
            "end": f" – {other.ends_on:%d/%m/%Y}" if other.ends_on else "",
        },
    )


def _check_term(term: SeatTerm) -> None:
    errors: dict = {}
    if term.seat_number and term.seat_number > term.category.seats:
        errors["seat_number"] = ValidationError(
            _("“%(category)s” has %(count)s seats."),
            code="seat_out_of_range",
            params={"category": term.category.name, "count": term.category.seats},
        )
    if term.user_id is None and not (term.first_name.strip() and term.last_name.strip()):
        errors["last_name"] = ValidationError(
            _("Choose a platform user or give the holder's first and last name."), code="holder_required"
        )
    if errors:
        raise ValidationError(errors)
    overlapping = (
        SeatTerm.objects.filter(category=term.category, seat_number=term.seat_number)
        .exclude(pk=term.pk)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=term.starts_on))
        .select_related("user", "category")
    )
    if term.ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=term.ends_on)
    other = overlapping.order_by("starts_on").first()
    if other is not None:
        raise ValidationError({"starts_on": _overlap_error(other)})


def term_create(
    *,
    actor: User,
    category: SeatCategory,
    seat_number: int,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    user: User | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    organisation: str = "",
    language: str = Language.NL,
) -> SeatTerm:
    """Give a seat to a person for a term. Refused (nothing saved) when it overlaps another term of the seat."""
    _require_advp(actor)
    with transaction.atomic():
        category = SeatCategory.objects.select_for_update().get(pk=category.pk)
        term = SeatTerm(
            category=category,
            seat_number=seat_number,
            user=user,
            first_name=(first_name or "").strip(),
            last_name=(last_name or "").strip(),
            email=(email or "").strip(),
            organisation=(organisation or "").strip(),
            language=language,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        term.full_clean()
        _check_term(term)
        term.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=term, changes=snapshot(term))
    return term


def term_end(*, actor: User, term: SeatTerm, ends_on: datetime.date) -> SeatTerm:
    """End a term on `ends_on` (the seat is free from the day after)."""
    _require_advp(actor)
    with transaction.atomic():
        SeatCategory.objects.select_for_update().get(pk=term.category_id)
        term = SeatTerm.objects.select_related("category", "user").get(pk=term.pk)
        before = snapshot(term)
        term.ends_on = ends_on
        term.full_clean()
        _check_term(term)
        term.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=term, changes=diff(before, snapshot(term)))
    return term
