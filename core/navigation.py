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
    user = request.user
    current = request.path
    entries = []
    for item in sorted(_items, key=lambda i: i.order):
        if not item.visible(user):
            continue
        url = reverse(item.url_name)
        entries.append({"label": item.label, "url": url, "active": current == url or (url != "/" and current.startswith(url))})
    return entries
