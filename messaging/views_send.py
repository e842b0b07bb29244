"""Pages of part "send" under /messages/: compose → preview → send or schedule, the sent-message list and detail with
tracking, cancelling a scheduled message, and the tips library.

Compose works without JavaScript: the form posts to itself; a valid form answers the preview, which posts the same
data back with a confirmation flag (or with "edit" to change it). Only the confirmation sends."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.decorators import require, signed_in
from core.forms import add_service_errors
from core.scoping import get_for_user
from practices.text import practice_html as markdown_html

from . import guardrails, permissions
from . import selectors_send as selectors
from .choices import MessageStatus, MessageType, TargetKind
from .forms_send import ComposeForm, MessageFilterSet, TipFilterForm, TipForm, language_names
from .models import Message
from .services import sending, targets
from .services import tips as tip_services

PAGE_SIZE = 25
TIP_PAGE_SIZE = 25


def _query(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else ""


# --- sent messages -------------------------------------------------------------------------------------------------


@require(selectors.can_follow_messages)
@require_GET
def message_list(request):
    filterset = MessageFilterSet(request.GET, queryset=selectors.message_list(user=request.user), user=request.user)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "filter": filterset,
        "page": page,
        "query": _query(request),
        "can_compose": permissions.can_compose(request.user),
    }
    if request.htmx:
        return render(request, "messaging/send/partials/_message_table.html", context)
    return render(request, "messaging/send/message_list.html", context)


def _texts(texts: dict) -> list[dict]:
    """The texts of a message per language, in the order of the languages, with the body as HTML."""
    names = language_names()
    return [
        {
            "code": code,
            "name": names.get(code, code),
            "title": text.get("title", ""),
            "body_html": markdown_html(text.get("body", "")),
            "sms": text.get("sms", ""),
        }
        for code, text in sorted(texts.items(), key=lambda item: list(names).index(item[0]) if item[0] in names else 9)
    ]


@require(signed_in)
@require_GET
def message_detail(request, pk: int):
    message = selectors.message_get(user=request.user, pk=pk)
    tracking = selectors.message_tracking(message=message)
    networks = list(message.networks.order_by("name").only("pk", "code", "name"))
    return render(
        request,
        "messaging/send/message_detail.html",
        {
            "message": message,
            "networks": networks,
            "texts": _texts(message.texts),
            "tracking": tracking,
            **_tracking_labels(tracking),
            "can_cancel": selectors.can_cancel(request.user, message),
            "can_send_feedback": selectors.can_send_feedback(request.user, message),
            "feedback_messages": list(
                Message.objects.for_user(request.user, "view").filter(feedback_for=message).order_by("created_at")
            ),
        },
    )


def _tracking_labels(tracking) -> dict:
    return {
        "first_handover": selectors.duration_label(tracking.first_handover),
        "last_handover": selectors.duration_label(tracking.last_handover),
    }


@require(signed_in)
@require_GET
def message_tracking(request, pk: int):
    """The tracking panel alone: the detail page reloads it every few seconds while deliveries are queued."""
    message = selectors.message_get(user=request.user, pk=pk)
    if not request.htmx:
        return redirect(message.get_absolute_url())
    tracking = selectors.message_tracking(message=message)
    return render(
        request,
        "messaging/send/partials/_tracking.html",
        {"message": message, "tracking": tracking, **_tracking_labels(tracking)},
    )


@require(signed_in)
@require_POST
def message_cancel(request, pk: int):
    message = selectors.message_get(user=request.user, pk=pk, action="change")
    try:
        sending.message_cancel(actor=request.user, message=message)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The scheduled message has been cancelled: it will not be sent."))
    return redirect(message.get_absolute_url())


# --- compose -------------------------------------------------------------------------------------------------------


def _language(request) -> str:
    return (getattr(request, "LANGUAGE_CODE", None) or "nl")[:2]


def _compose_initial(request) -> tuple[dict, dict]:
    """The form's initial values from `?network=`, `?tip=` and `?feedback_for=`, and what the page says about
    them. Raises Http404 for a tip or alert the user does not see."""
    user = request.user
    initial: dict = {"target_kind": TargetKind.NETWORKS, "when": "now"}
    context: dict = {}
    code = request.GET.get("network")
    if code and targets.sendable_networks(user).filter(code=code.upper()).exists():
        initial["networks"] = [code.upper()]
    tip_id = request.GET.get("tip")
    if tip_id:
        tip = _tip_or_404(user, tip_id)
        initial.update(
            {
                "type": MessageType.PREVENTION_TIP,
                f"title_{tip.language}": tip.title,
                f"body_{tip.language}": tip.body,
                f"sms_{tip.language}": tip.sms,
            }
        )
        context["tip"] = tip
    alert_id = request.GET.get("feedback_for")
    if alert_id:
        if not alert_id.isdigit():
            raise Http404
        alert = get_for_user(Message.objects.select_related("zone"), user, "change", pk=int(alert_id))
        context["alert"] = alert
        if not alert.owes_feedback:
            context["alert_done"] = True
            return initial, context
        sendable = set(targets.sendable_networks(user).values_list("code", flat=True))
        initial.update(
            {
                "type": MessageType.FEEDBACK,
                "target_kind": TargetKind.NETWORKS,
                "networks": [n.code for n in alert.networks.order_by("name") if n.code in sendable],
                "feedback_for": alert.pk,
            }
        )
        for language, text in alert.texts.items():
            with translation.override(language):
                initial[f"title_{language}"] = _("Feedback: %(title)s") % {"title": text.get("title", "")}
    return initial, context


def _tip_or_404(user, tip_id):
    if not str(tip_id).isdigit():
        raise Http404
    return selectors.tip_get(user=user, pk=int(tip_id))


def _compose_context(request, form: ComposeForm, extra: dict | None = None) -> dict:
    user = request.user
    context = {
        "form": form,
        "language_sections": form.language_sections(),
        "boundaries_url": _boundaries_url(user, form),
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "many_networks": len(form.network_choices) > 8,
    }
    feedback_id = form["feedback_for"].value()
    if feedback_id and str(feedback_id).isdigit() and "alert" not in (extra or {}):
        context["alert"] = Message.objects.for_user(user, "view").filter(pk=int(feedback_id)).first()
    context.update(extra or {})
    return context


def _boundaries_url(user, form: ComposeForm) -> str:
    """The municipality boundaries drawn under the area map for reference: the officer's zone(s), else the
    municipalities of the coordinator's networks."""
    geojson = reverse("geography:municipalities_geojson")
    if form.can_choose_zone:
        return f"{geojson}?" + "&".join(f"zone={zone.pk}" for zone in targets.officer_zones(user))
    ids = sorted({pk for pk in targets.sendable_networks(user).values_list("municipalities", flat=True) if pk})
    return f"{geojson}?" + "&".join(f"id={pk}" for pk in ids[:200])


@require(permissions.can_compose)
@require_http_methods(["GET", "POST"])
def compose(request):
    user = request.user
    if request.method == "GET":
        initial, extra = _compose_initial(request)
        if extra.get("alert_done"):
            messages.info(request, _("This alert's feedback was already sent."))
            return redirect(extra["alert"].get_absolute_url())
        form = ComposeForm(user=user, initial=initial, language=_language(request))
        return render(request, "messaging/send/compose.html", _compose_context(request, form, extra))

    form = ComposeForm(request.POST, user=user, language=_language(request))
    valid = form.is_valid()
    if not valid or "edit" in request.POST:
        return render(
            request, "messaging/send/compose.html", _compose_context(request, form), status=200 if valid else 400
        )
    draft = form.draft
    if request.POST.get("confirm") == "1":
        if guardrails.plate_findings(draft.texts) and not form.cleaned_data.get("plate_acknowledged"):
            form.require_acknowledgement()
        else:
            try:
                result = sending.message_send(**draft.send_kwargs())
            except ValidationError as error:
                add_service_errors(form, error)
                return render(request, "messaging/send/compose.html", _compose_context(request, form), status=400)
            message = result.message
            if message.status == MessageStatus.SCHEDULED:
                messages.success(request, _("The message has been scheduled. You can cancel it until it goes."))
            else:
                messages.success(
                    request,
                    ngettext(
                        "The message has been sent to %(count)s member.",
                        "The message has been sent to %(count)s members.",
                        message.recipients,
                    )
                    % {"count": message.recipients},
                )
            return redirect(message.get_absolute_url())
    preview = selectors.message_preview(draft=draft)
    return render(
        request,
        "messaging/send/preview.html",
        {
            "form": form,
            "draft": draft,
            "preview": preview,
            "texts": _texts(draft.texts),
            "type_label": MessageType(draft.message_type).label,
            "target_label": _target_label(draft),
        },
        status=400 if form.errors else 200,
    )


def _target_label(draft) -> str:
    if draft.target_kind == TargetKind.ZONE:
        return _("the whole police zone %(zone)s") % {"zone": draft.target_zone}
    if draft.target_kind == TargetKind.MUNICIPALITY:
        return _("the whole municipality of %(municipality)s") % {"municipality": draft.target_municipality.name}
    if draft.target_kind == TargetKind.AREA:
        return _("an area drawn on the map")
    return _("the chosen networks")


# --- tips ----------------------------------------------------------------------------------------------------------


@require(selectors.can_use_tips)
@require_GET
def tip_list(request):
    params = request.GET.copy()
    if "language" not in params:
        params["language"] = _language(request)
    filters = TipFilterForm(params)
    filters.is_valid()
    data = getattr(filters, "cleaned_data", {})
    page = Paginator(
        selectors.tip_list(user=request.user, language=data.get("language", ""), query=data.get("q", "")),
        TIP_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    context = {
        "filters": filters,
        "page": page,
        "changeable": selectors.tips_changeable(user=request.user, tips=page.object_list),
        "can_add": selectors.can_keep_tips(request.user),
        "can_compose": permissions.can_compose(request.user),
    }
    if request.htmx:
        return render(request, "messaging/send/partials/_tip_table.html", context)
    return render(request, "messaging/send/tip_list.html", context)


@require(selectors.can_keep_tips)
@require_http_methods(["GET", "POST"])
def tip_create(request):
    form = TipForm(request.POST or None, user=request.user, initial={"language": _language(request)})
    if request.method == "POST" and form.is_valid():
        try:
            tip = tip_services.tip_create(
                actor=request.user,
                zone=form.zone(),
                language=form.cleaned_data["language"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                sms=form.cleaned_data["sms"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The tip “%(title)s” has been added to the library.") % {"title": tip.title})
            return redirect("messaging:tip_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "messaging/send/tip_form.html", {"form": form, "tip": None}, status=status)


@require(signed_in)
@require_http_methods(["GET", "POST"])
def tip_edit(request, pk: int):
    tip = selectors.tip_get(user=request.user, pk=pk, action="change")
    initial = {"language": tip.language, "title": tip.title, "body": tip.body, "sms": tip.sms}
    form = TipForm(request.POST or None, user=request.user, tip=tip, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            tip = tip_services.tip_update(actor=request.user, tip=tip, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The tip “%(title)s” has been saved.") % {"title": tip.title})
            return redirect("messaging:tip_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "messaging/send/tip_form.html", {"form": form, "tip": tip}, status=status)


@require(signed_in)
@require_http_methods(["GET", "POST"])
def tip_delete(request, pk: int):
    tip = selectors.tip_get(user=request.user, pk=pk, action="change")
    if request.method == "POST":
        tip_services.tip_delete(actor=request.user, tip=tip)
        messages.success(request, _("The tip “%(title)s” has been deleted.") % {"title": tip.title})
        return redirect("messaging:tip_list")
    return render(request, "messaging/send/tip_delete.html", {"tip": tip})
