"""The public join flow (form, "check your e-mail", confirmation link), the public pages of the privacy notice and
the internal rules, and publishing new versions of them."""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from core.decorators import require, signed_in
from core.forms import add_service_errors
from core.scoping import get_for_user
from networks.choices import NetworkStatus
from networks.models import Network

from .choices import DocumentKind, JoinRequestStatus, JoinSource
from .forms_join import HONEYPOT_FIELD, DocumentPublishForm, JoinForm, field_errors_summary
from .models import PolicyDocument
from .services import documents, joining

KIND_SLUGS = {"privacy": DocumentKind.PRIVACY_NOTICE, "rules": DocumentKind.INTERNAL_RULES}


def _active_network(code: str) -> Network:
    return get_object_or_404(
        Network.objects.select_related("municipality", "zone"), code=code, status=NetworkStatus.ACTIVE
    )


def document_url(document: PolicyDocument) -> str:
    """The public page of this very version."""
    if document.kind == DocumentKind.PRIVACY_NOTICE:
        return reverse("members_join:privacy_version", args=[document.version])
    if document.network_id is not None:
        return reverse("members_join:network_rules_version", args=[document.network.code, document.version])
    return reverse("members_join:rules_version", args=[document.version])


# --- Spam protection -----------------------------------------------------------------------------------------


def _client_key(request) -> str:
    from allauth.account.adapter import get_adapter

    try:
        address = get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        address = "unknown"
    # Only a digest of the address is kept, and only for the hour the limit counts.
    return hashlib.sha256(f"{settings.SECRET_KEY}|{address}".encode()).hexdigest()[:24]


def _over_rate_limit(request) -> bool:
    """Count this submission against the client address's hourly allowance; True once it is used up."""
    window = int(time.time() // 3600)
    key = f"binplp:join-rate:{_client_key(request)}:{window}"
    cache.add(key, 0, 3600 + 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, 3600 + 60)
        count = 1
    return count > settings.BINPLP_JOIN_RATE_PER_HOUR


# --- Joining -------------------------------------------------------------------------------------------------


@require_GET
def join_index(request):
    """/join/ itself: joining starts from a network, which the finder finds."""
    return redirect("members:find")


@require_http_methods(["GET", "POST"])
def join(request, code: str):
    network = _active_network(code)
    rules = documents.document_current(kind=DocumentKind.INTERNAL_RULES, network=network)
    privacy_notice = documents.document_current(kind=DocumentKind.PRIVACY_NOTICE)
    if rules is None or privacy_notice is None:
        return render(request, "members/join/unavailable.html", {"network": network}, status=503)
    if request.method == "POST":
        if _over_rate_limit(request):
            return render(request, "members/join/rate_limited.html", {"network": network}, status=429)
        if request.POST.get(HONEYPOT_FIELD):
            return redirect("members_join:join_sent", code=network.code)
    form = JoinForm(request.POST if request.method == "POST" else None, rules=rules, privacy_notice=privacy_notice)
    if request.method == "POST" and form.is_valid():
        try:
            joining.join_request_submit(
                network=network, **form.service_values(rules=rules, privacy_notice=privacy_notice)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("members_join:join_sent", code=network.code)
    context = {
        "network": network,
        "form": form,
        "errors": field_errors_summary(form) if form.is_bound else [],
        "rules": rules,
        "rules_url": document_url(rules),
        "privacy_notice": privacy_notice,
        "privacy_url": document_url(privacy_notice),
        "confirmation_hours": settings.BINPLP_JOIN_CONFIRMATION_HOURS,
    }
    return render(request, "members/join/join_form.html", context, status=400 if form.is_bound else 200)


@require_GET
def join_sent(request, code: str):
    """The same answer after every accepted submission, whatever the e-mail address."""
    network = _active_network(code)
    return render(
        request,
        "members/join/join_sent.html",
        {"network": network, "confirmation_hours": settings.BINPLP_JOIN_CONFIRMATION_HOURS},
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET asks to press a button (mail scanners that open links must not confirm); POST confirms."""
    try:
        if request.method == "POST":
            join_request = joining.join_request_confirm(token=token)
            return render(
                request,
                "members/join/confirmed.html",
                {
                    "network": join_request.network,
                    "admitted": join_request.status == JoinRequestStatus.APPROVED,
                    "portal_url": joining.portal_path(),
                },
            )
        join_request = joining.join_request_from_token(token)
    except joining.JoinLinkError as error:
        return render(
            request,
            "members/join/link_unusable.html",
            {"reason": error.message, "code": error.code},
            status=error.status,
        )
    return render(
        request,
        "members/join/confirm.html",
        {
            "network": join_request.network,
            "in_person": join_request.source == JoinSource.IN_PERSON,
            "rules_url": document_url(join_request.rules),
            "privacy_url": document_url(join_request.privacy_notice),
            "rules": join_request.rules,
            "privacy_notice": join_request.privacy_notice,
        },
    )


# --- The documents ---------------------------------------------------------------------------------------------


def _document_page(request, *, kind: str, network: Network | None, version: str | None):
    """One document (the version in force, or the version asked for) with the list of its versions."""
    today = timezone.localdate()
    own = network is not None and documents.document_versions(kind=kind, network=network, on=today).exists()
    scope = network if own else None
    versions = list(documents.document_versions(kind=kind, network=scope, on=today).select_related("network"))
    if not versions:
        raise Http404
    current = versions[0]
    if version is None:
        shown = current
    else:
        shown = next((document for document in versions if document.version == version), None)
        if shown is None:
            raise Http404
    publish_url = None
    if kind == DocumentKind.PRIVACY_NOTICE and documents.can_publish_document(request.user, None):
        publish_url = reverse("members_join:document_publish", args=["privacy"])
    elif kind == DocumentKind.INTERNAL_RULES and network is None:
        if documents.can_publish_document(request.user, None):
            publish_url = reverse("members_join:document_publish", args=["rules"])
    elif network is not None and documents.can_publish_document(request.user, network):
        publish_url = reverse("members_join:network_rules_publish", args=[network.code])
    context = {
        **documents.document_display(shown, get_language()),
        "kind": kind,
        "network": network,
        "own_rules": own,
        "is_current": shown.pk == current.pk,
        "current": current,
        "current_url": document_url(current),
        "versions": [
            {"document": document, "url": document_url(document), "is_current": document.pk == current.pk}
            for document in versions
        ],
        "publish_url": publish_url,
        "join_url": reverse("members_join:join", args=[network.code]) if network is not None else None,
    }
    return render(request, "members/join/document.html", context)


@require_GET
def privacy(request, version: str | None = None):
    return _document_page(request, kind=DocumentKind.PRIVACY_NOTICE, network=None, version=version)


@require_GET
def rules(request, version: str | None = None):
    return _document_page(request, kind=DocumentKind.INTERNAL_RULES, network=None, version=version)


@require_GET
def network_rules(request, code: str, version: str | None = None):
    network = _active_network(code)
    return _document_page(request, kind=DocumentKind.INTERNAL_RULES, network=network, version=version)


def _network_rules_home(network: Network) -> str:
    """Where a network's rules are read: the public page of an active network, else the network's own page."""
    if network.status == NetworkStatus.ACTIVE:
        return reverse("members_join:network_rules", args=[network.code])
    return network.get_absolute_url()


def _publish(request, *, kind: str, network: Network | None):
    current = documents.document_current(kind=kind, network=network)
    form = DocumentPublishForm(request.POST if request.method == "POST" else None, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            document = documents.document_publish(
                actor=request.user,
                kind=kind,
                network=network,
                version=form.cleaned_data["version"],
                texts=form.texts(),
                published_on=form.cleaned_data["published_on"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Version %(version)s is published; it is in force from %(date)s.")
                % {"version": document.version, "date": date_format(document.published_on, "DATE_FORMAT")},
            )
            if network is not None:
                return redirect(_network_rules_home(network))
            return redirect("members_join:privacy" if kind == DocumentKind.PRIVACY_NOTICE else "members_join:rules")
    context = {
        "form": form,
        "errors": field_errors_summary(form) if form.is_bound else [],
        "kind": kind,
        "network": network,
        "current": current,
        "cancel_url": (
            _network_rules_home(network)
            if network is not None
            else reverse("members_join:privacy" if kind == DocumentKind.PRIVACY_NOTICE else "members_join:rules")
        ),
    }
    return render(request, "members/join/document_publish.html", context, status=400 if form.is_bound else 200)


@require(lambda user: documents.can_publish_document(user, None))
@require_http_methods(["GET", "POST"])
def document_publish(request, kind: str):
    """ADVP and the Knowledge Centre publish a national version (privacy notice, model internal rules)."""
    if kind not in KIND_SLUGS:
        raise Http404
    return _publish(request, kind=KIND_SLUGS[kind], network=None)


@require(signed_in)
@require_http_methods(["GET", "POST"])
def network_rules_publish(request, code: str):
    """A network's coordinators and its zone's mandated officers (and ADVP) publish the network's own rules."""
    network = get_for_user(Network.objects.select_related("municipality", "zone"), request.user, "view", code=code)
    if not documents.can_publish_document(request.user, network):
        raise PermissionDenied
    return _publish(request, kind=DocumentKind.INTERNAL_RULES, network=network)
