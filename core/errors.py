"""Error pages in the reader's language, inside the site layout (500 stays dependency-free)."""

from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import engines, loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

API_PREFIX = "/api/"
# DRF's answer to a throttled API call (429). Its Dutch and German catalogues leave half of it in English, so the
# project's catalogue (LOCALE_PATHS, which wins) translates it; marked here so that makemessages keeps the entries.
DRF_THROTTLED_MESSAGES = (
    gettext_noop("Request was throttled."),
    gettext_noop("Expected available in {wait} second."),
    gettext_noop("Expected available in {wait} seconds."),
)


def permission_denied(request, exception=None):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _("You do not have permission to perform this action.")}, status=403)
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    # Under /api/ a URL that matches no route answers like the API does (JSON, as the schema documents), not
    # with the site's HTML page.
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


# allauth's own rate-limit answer (sign-in, password reset, sign-up) is a bare English page; this one is in the layout
# and the reader's language. The page is small enough to live here rather than in a template of its own.
_TOO_MANY_REQUESTS = """{% extends "base.html" %}
{% block title %}{{ title }}{% endblock %}
{% block content %}<div class="narrow"><h1>{{ title }}</h1>
<p class="message message--error" role="alert">{{ text }}</p></div>{% endblock %}"""


def too_many_requests(request, exception=None):
    text = _("Too many attempts were made in a short time. Wait a few minutes, then try again.")
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": text}, status=429)
    page = engines["django"].from_string(_TOO_MANY_REQUESTS)
    return HttpResponse(page.render({"title": _("Too many requests"), "text": text}, request), status=429)


def server_error(request):
    return HttpResponseServerError(loader.get_template("500.html").render())
