"""The public library: list and search page (/practices/) and the Atom feed of new practices (/practices/feed/)."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .filters import PracticeSearchForm
from .search_selectors import practice_latest, practice_search
from .text_plain import plain_excerpt

FEED_SIZE = 30
FACET_LEGENDS = {
    "theme": _("Themes"),
    "kind": _("Kinds of network"),
    "region": _("Region"),
    "evidence": _("Evidence level"),
    "language": _("Language"),
}


def reader_language() -> str:
    return (get_language() or "nl")[:2]


def practice_list(request):
    form = PracticeSearchForm(request.GET)
    arguments = form.search_arguments()
    page, facets = practice_search(user=request.user, language=reader_language(), **arguments)
    context = {
        "form": form,
        "page": page,
        "facets": facets,
        "facet_groups": [(facet, FACET_LEGENDS[facet], values) for facet, values in facets.items()],
        "q": arguments["q"],
        "sort": arguments["sort"],
        "filters": arguments["filters"],
    }
    template = "practices/partials/_results.html" if request.htmx else "practices/list.html"
    return render(request, template, context)


class PracticeFeed(Feed):
    """The newest published practices, each in the reader's language when it exists."""

    feed_type = Atom1Feed
    title = _("binplp: new good practices")
    subtitle = _("Good practices shared between neighbourhood information networks, newest first.")
    link = reverse_lazy("practices:practice_list")

    def get_object(self, request, *args, **kwargs) -> str:
        # The reader's language, passed to items(): the Feed instance is shared by all requests.
        return reader_language()

    def feed_url(self) -> str:
        return reverse("practices:feed")

    def items(self, language: str):
        return practice_latest(language=language, limit=FEED_SIZE)

    def item_title(self, item) -> str:
        return item.title

    def item_description(self, item) -> str:
        return plain_excerpt(item.summary, 600)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_link(self, item) -> str:
        return item.get_absolute_url()

    def item_categories(self, item) -> list[str]:
        return item.themes
