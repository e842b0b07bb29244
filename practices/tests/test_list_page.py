"""/practices/: the public list and search page (full page and htmx partial)."""

import pytest
from django.urls import reverse

from core.testing.matrix import assert_permission_matrix  # noqa: F401  (kept for parity with the other views)
from practices.choices import PracticeStatus

from .search_support import make_practice

pytestmark = pytest.mark.django_db

URL = "/practices/"


def page(client, reader="en", **params):
    client.cookies["binplp_language"] = reader
    return client.get(URL, params)


def test_it_is_public_and_lists_published_practices(client):
    assert reverse("practices:practice_list") == URL
    make_practice(title="Burglary evenings")
    make_practice(title="Draft burglary", status=PracticeStatus.DRAFT)
    response = page(client)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Burglary evenings" in content
    assert "Draft burglary" not in content
    assert 'type="application/atom+xml"' in content
    assert reverse("practices:feed") in content


def test_it_searches_with_relevance_and_accents(client):
    make_practice(title="Commerces", summary="On parle de sécurité une fois.", language="fr")
    make_practice(title="La sécurité des commerçants", language="fr")
    content = page(client, reader="fr", q="SECURITE").content.decode()
    assert content.index("La sécurité des commerçants") < content.index("Commerces")


def test_it_shows_the_readers_language_or_the_original_with_a_note(client):
    original = make_practice(title="Inbraakpreventie in de wijk", language="nl")
    make_practice(title="Prévention des cambriolages", language="fr", original=original)
    only_french = make_practice(title="Sécurité des commerçants", language="fr")
    content = page(client, reader="fr").content.decode()
    assert "Prévention des cambriolages" in content
    assert "Inbraakpreventie in de wijk" not in content
    content = page(client, reader="en").content.decode()
    assert "Inbraakpreventie in de wijk" in content
    assert "(in French)" in content  # the French-only practice, for an English reader
    assert "(in Dutch)" in content
    assert only_french.get_absolute_url() in content


def test_filters_and_facet_counts_show_on_the_page(client):
    make_practice(title="Burglary A", themes=("burglary", "elderly"))
    make_practice(title="Scams B", themes=("scams",))
    response = page(client, theme="scams")
    content = response.content.decode()
    assert "Scams B" in content and "Burglary A" not in content
    assert 'name="theme" value="scams" checked' in content
    assert "(1)" in content
    assert response.context["facets"]["theme"][0].count == 1


def test_htmx_gets_the_results_partial(client):
    make_practice(title="Burglary A")
    response = client.get(URL, {"q": "burglary"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "practices/partials/_results.html"
    assert "<html" not in response.content.decode()


@pytest.mark.parametrize("query", ['"', "*", "NEAR(a b)", "(", ")", "-", '"unbalanced', "x OR", "é*"])
def test_fts_syntax_characters_give_no_error(client, query):
    make_practice(title="Burglary")
    assert page(client, q=query).status_code == 200


def test_bad_parameters_are_ignored(client):
    make_practice(title="Burglary")
    response = page(client, page="abc", sort="nonsense", theme="nonsense", region="99999")
    assert response.status_code == 200
    assert "Burglary" in response.content.decode()


def test_it_paginates(client):
    for number in range(21):
        make_practice(title=f"Practice number {number}")
    response = page(client)
    assert len(response.context["page"].object_list) == 20
    assert 'rel="next"' in response.content.decode()
    assert len(page(client, page=2).context["page"].object_list) == 1


def test_each_signed_in_persona_sees_the_same_public_list(client, personas):
    make_practice(title="Burglary visible")
    make_practice(title="Own draft", status=PracticeStatus.DRAFT, author=personas.coordinator)
    for user in (personas.outsider, personas.member, personas.coordinator, personas.knowledge_centre):
        client.force_login(user)
        response = page(client)
        assert response.status_code == 200
        content = response.content.decode()
        assert "Burglary visible" in content
        assert "Own draft" not in content


def test_its_query_count_is_constant(client, django_assert_max_num_queries):
    for number in range(30):
        original = make_practice(title=f"Burglary {number}", themes=("burglary", "scams", "elderly"))
        if number % 2:
            make_practice(title=f"Cambriolage {number}", language="fr", original=original)
    page(client)  # warm caches (session, language)
    with django_assert_max_num_queries(12):
        page(client, q="burglary")
    with django_assert_max_num_queries(12):
        page(client, theme="scams", reader="fr")
