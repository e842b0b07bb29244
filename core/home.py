"""The home page is made of sections, each registered by an app for the roles it serves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomeSection:
    template: str
    visible: Callable[[object], bool]
    context: Callable[[object], dict]
    order: int = 50


_sections: list[HomeSection] = []


def register_home_section(
    template: str,
    visible: Callable[[object], bool],
    context: Callable[[object], dict] = lambda request: {},
    order: int = 50,
) -> None:
    _sections.append(HomeSection(template=template, visible=visible, context=context, order=order))


def home_sections(request) -> list[dict]:
    return [
        {"template": section.template, **section.context(request)}
        for section in sorted(_sections, key=lambda s: s.order)
        if section.visible(request.user)
    ]
