"""ADVP's pages: the queue of submitted charters with their age, the review of one charter against the checklist
with its decision (which writes and sends the letters), and the checklist itself as editable reference data."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.decorators import require, signed_in
from core.forms import add_service_errors
from core.scoping import get_for_user

from ..charter_filters import ReviewQueueFilterSet
from ..charter_forms import ChecklistItemForm, ReviewForm, ReviewItemFormSet
from ..charter_nav import can_review_charters
from ..charter_selectors import (
    age_in_days,
    average_lead_time_days,
    charter_summary,
    lead_time_days,
    recent_decisions,
    review_queue,
)
from ..choices import CharterStatus
from ..models import Charter, CharterReview, ChecklistItem
from ..services.charter import (
    charter_missing,
    charter_review_decide,
    charter_review_save,
    checklist_active,
    checklist_item_save,
)

PAGE_SIZE = 50


@require(can_review_charters)
def review_queue_view(request):
    filterset = ReviewQueueFilterSet(request.GET, queryset=review_queue(user=request.user), request=request)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(charter, age_in_days(charter.submitted_at, today)) for charter in page]
    decisions = [(review, lead_time_days(review)) for review in recent_decisions(user=request.user, limit=10)]
    context = {
        "filter": filterset,
        "page": page,
        "rows": rows,
        "decisions": decisions,
        "average_lead_days": average_lead_time_days(user=request.user, since=today.replace(year=today.year - 1)),
    }
    template = "networks/reviews/partials/_queue_table.html" if request.htmx else "networks/reviews/review_queue.html"
    return render(request, template, context)


def _item_initial(items: list[ChecklistItem], review: CharterReview | None) -> list[dict]:
    results = {r.item_id: r for r in review.item_results.all()} if review else {}
    return [
        {
            "item": item.pk,
            "satisfied": results[item.pk].satisfied if item.pk in results else False,
            "remark": results[item.pk].remark if item.pk in results else "",
        }
        for item in items
    ]


@require(signed_in)
def charter_review_view(request, code: str, version: int):
    charter = get_for_user(
        Charter.objects.select_related("network__municipality", "network__zone"),
        request.user,
        "review",
        network__code=code,
        version=version,
    )
    review = (
        CharterReview.objects.filter(charter=charter)
        .select_related("reviewer")
        .prefetch_related("item_results__item")
        .first()
    )
    if charter.status != CharterStatus.SUBMITTED:
        messages.info(request, _("This charter is not waiting for a decision."))
        return redirect(charter)
    items = checklist_active()
    items_by_id = {item.pk: item for item in items}
    form = ReviewForm(request.POST or None, initial={"remarks": review.remarks if review else ""})
    formset = ReviewItemFormSet(request.POST or None, prefix="items", initial=_item_initial(items, review))
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        results = [
            {
                "item": sub.cleaned_data["item"],
                "satisfied": sub.cleaned_data["satisfied"],
                "remark": sub.cleaned_data["remark"],
            }
            for sub in formset.forms
        ]
        deciding = request.POST.get("action") == ReviewForm.DECIDE
        try:
            if deciding:
                if not form.cleaned_data["decision"]:
                    raise ValidationError({"decision": _("Choose conform or changes needed.")})
                charter_review_decide(
                    actor=request.user,
                    charter=charter,
                    decision=form.cleaned_data["decision"],
                    results=results,
                    remarks=form.cleaned_data["remarks"],
                )
            else:
                charter_review_save(
                    actor=request.user, charter=charter, results=results, remarks=form.cleaned_data["remarks"]
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if deciding:
                messages.success(request, _("The decision has been recorded and the letters have been written."))
                return redirect(charter)
            messages.success(request, _("Your checks have been saved."))
            return redirect("networks:charter_review", code=code, version=version)
    rows = [(sub, items_by_id.get(sub.initial.get("item") if sub.initial else None)) for sub in formset.forms]
    return render(
        request,
        "networks/reviews/charter_review.html",
        {
            "charter": charter,
            "network": charter.network,
            "review": review,
            "form": form,
            "formset": formset,
            "rows": rows,
            "missing": charter_missing(charter),
            "summary": charter_summary(charter),
            "signatures": list(charter.signatures.select_related("recorded_by")),
            "waiting_days": age_in_days(charter.submitted_at),
        },
        status=400 if request.method == "POST" else 200,
    )


@require(can_review_charters)
def checklist_list(request):
    items = ChecklistItem.objects.for_user(request.user, "view").order_by("-is_active", "order", "code")
    return render(request, "networks/reviews/checklist_list.html", {"items": items})


def _checklist_form_page(request, item: ChecklistItem | None):
    initial = ChecklistItemForm.initial_for(item) if item else None
    form = ChecklistItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            checklist_item_save(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The checklist has been saved."))
            return redirect("networks:checklist_list")
    return render(request, "networks/reviews/checklist_form.html", {"form": form, "item": item})


@require(can_review_charters)
def checklist_item_create(request):
    return _checklist_form_page(request, None)


@require(can_review_charters)
def checklist_item_edit(request, pk: int):
    item = get_object_or_404(ChecklistItem.objects.for_user(request.user, "change"), pk=pk)
    return _checklist_form_page(request, item)
