"""Members' signed links from a message: rate, reply, unsubscribe (no login needed)."""

from django.http import Http404


def rate(request, token: str, verdict: str):
    raise Http404


def reply(request, token: str):
    raise Http404


def unsubscribe(request, token: str):
    raise Http404
