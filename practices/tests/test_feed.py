"""/practices/feed/: the Atom feed of the newest published practices."""

import xml.etree.ElementTree as ET

import pytest

from practices.choices import PracticeStatus
from practices.search_views import FEED_SIZE

from .search_support import make_practice

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, reader="en"):
    client.cookies["binplp_language"] = reader
    response = client.get("/practices/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed
    return [
        (entry.find(f"{ATOM}title").text, entry.find(f"{ATOM}link").get("href")) for entry in root.iter(f"{ATOM}entry")
    ]


def test_it_lists_the_newest_published_practices_anonymously(client):
    old = make_practice(title="Old practice", summary="**Bold** summary with [a link](https://example.org)")
    new = make_practice(title="New practice")
    for status in (PracticeStatus.DRAFT, PracticeStatus.SUBMITTED, PracticeStatus.ARCHIVED):
        make_practice(title=f"Hidden {status}", status=status)
    found = entries(client)
    assert [title for title, _link in found] == ["New practice", "Old practice"]
    assert found[0][1].endswith(new.get_absolute_url())
    assert found[1][1].endswith(old.get_absolute_url())


def test_it_gives_the_readers_language(client):
    original = make_practice(title="Inbraakpreventie", language="nl")
    make_practice(title="Prévention des cambriolages", language="fr", original=original)
    assert [title for title, _link in entries(client, reader="fr")] == ["Prévention des cambriolages"]
    assert [title for title, _link in entries(client, reader="de")] == ["Inbraakpreventie"]


def test_it_holds_at_most_30_entries_with_constant_queries(client, django_assert_max_num_queries):
    for number in range(FEED_SIZE + 3):
        make_practice(title=f"Practice {number}")
    # The library's fingerprint (4 small queries), its snapshot when cold (2), the entries (1) and their regions.
    with django_assert_max_num_queries(8):
        found = entries(client)
    assert len(found) == FEED_SIZE
    assert found[0][0] == f"Practice {FEED_SIZE + 2}"
