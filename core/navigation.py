"""The main navigation: each app registers its entries with the roles that see them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    visible: Callable[[object], bool]
    order: int = 50


_items: list[NavItem] = []


def register_nav(label, url_name: str, visible: Callable[[object], bool] = lambda user: True, order: int = 50):
    _items.append(NavItem(label=label, url_name=url_name, visible=visible, order=order))


def nav_for(request) -> list[dict]:
    """The entries the user may see; the one whose URL is the longest prefix of the current path is marked."""
    user = request.user
    entries = [
        {"label": item.label, "url": reverse(item.url_name), "active": False}
        for item in sorted(_items, key=lambda i: i.order)
        if item.visible(user)
    ]
    path = request.path
    matches = [e for e in entries if path == e["url"] or (e["url"] != "/" and path.startswith(e["url"]))]
    if matches:
        max(matches, key=lambda e: len(e["url"]))["active"] = True
    return entries
