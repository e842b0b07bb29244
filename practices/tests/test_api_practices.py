"""/api/v1/practices/: search with facets, detail of a published practice; public and read-only."""

import pytest

from practices.choices import PracticeStatus

from .search_support import make_practice

pytestmark = pytest.mark.django_db

URL = "/api/v1/practices/"


def get(client, url=URL, reader="en", **params):
    return client.get(url, params, HTTP_ACCEPT_LANGUAGE=reader)


def test_it_searches_anonymously_with_relevance_and_facets(client):
    make_practice(title="Neighbourhood meetings", summary="Burglary was mentioned once.", themes=("events",))
    best = make_practice(title="Burglary evenings", themes=("burglary",), evidence_level="monitored")
    response = get(client, q="BURGLARY")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2
    assert [row["title"] for row in data["results"]] == ["Burglary evenings", "Neighbourhood meetings"]
    first = data["results"][0]
    assert first["id"] == best.pk
    assert first["themes"] == ["burglary"]
    assert first["kinds"] == ["residential"]
    assert first["evidence_level"] == "monitored"
    assert first["url"] == f"/practices/{best.pk}/"
    assert first["rank"] > data["results"][1]["rank"]
    assert {item["value"]: item["count"] for item in data["facets"]["theme"]} == {"burglary": 1, "events": 1}
    assert set(data["facets"]) == {"theme", "kind", "region", "evidence", "language"}


def test_it_filters_and_orders(client):
    old = make_practice(title="Old", themes=("burglary", "scams"), language="fr")
    make_practice(title="New", themes=("burglary",))
    data = get(client, theme="scams").json()
    assert [row["id"] for row in data["results"]] == [old.pk]
    data = get(client, theme="scams,burglary", ordering="-published_at").json()
    assert [row["title"] for row in data["results"]] == ["New", "Old"]
    data = get(client, reader="nl", language="fr").json()
    assert [row["title"] for row in data["results"]] == ["Old"]
    assert get(client, theme="nonsense", ordering="nonsense").status_code == 200


def test_it_gives_the_readers_language(client):
    original = make_practice(title="Inbraakpreventie", language="nl")
    make_practice(title="Prévention des cambriolages", language="fr", original=original)
    data = get(client, reader="fr").json()
    assert [(row["title"], row["other_language"]) for row in data["results"]] == [
        ("Prévention des cambriolages", False)
    ]
    data = get(client, reader="de").json()
    assert [(row["title"], row["other_language"]) for row in data["results"]] == [("Inbraakpreventie", True)]


@pytest.mark.parametrize(
    "status",
    [PracticeStatus.DRAFT, PracticeStatus.SUBMITTED, PracticeStatus.CHANGES_REQUESTED, PracticeStatus.ARCHIVED],
)
def test_it_never_shows_unpublished_practices(client, personas, status):
    hidden = make_practice(title="Burglary hidden", status=status, themes=("scams",), author=personas.coordinator)
    make_practice(title="Burglary visible")
    for user in (None, personas.coordinator, personas.knowledge_centre):
        if user:
            client.force_login(user)
        data = get(client, q="burglary").json()
        assert [row["title"] for row in data["results"]] == ["Burglary visible"]
        assert "scams" not in {item["value"] for item in data["facets"]["theme"]}
        assert get(client, f"{URL}{hidden.pk}/").status_code == 404


def test_it_reads_one_published_practice(client):
    original = make_practice(title="Inbraakpreventie", language="nl", costs="500 euro")
    translation = make_practice(title="Prévention", language="fr", original=original)
    make_practice(title="Entwurf", language="de", original=original, status=PracticeStatus.DRAFT)
    response = get(client, f"{URL}{original.pk}/", reader="fr")
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "Inbraakpreventie"
    assert data["costs"] == "500 euro"
    assert data["other_language"] is True
    assert data["versions"] == [{"id": original.pk, "language": "nl"}, {"id": translation.pk, "language": "fr"}]
    assert get(client, f"{URL}999999/").status_code == 404
    assert get(client, f"{URL}abc/").status_code == 404


@pytest.mark.parametrize("query", ['"', "*", "NEAR(a b)", "(", ")", "-", "a -b", "'; DROP TABLE x; --", "AND OR"])
def test_fts_syntax_gives_no_error(client, query):
    make_practice(title="Burglary")
    assert get(client, q=query).status_code == 200


def test_it_is_read_only(client, personas):
    practice = make_practice(title="Burglary")
    client.force_login(personas.knowledge_centre)
    assert client.post(URL, {"title": "x"}).status_code == 405
    assert client.delete(f"{URL}{practice.pk}/").status_code == 405


def test_its_query_count_does_not_grow(client, django_assert_max_num_queries):
    for number in range(25):
        original = make_practice(title=f"Burglary {number}", themes=("burglary", "scams"))
        if number % 3 == 0:
            make_practice(title=f"Cambriolage {number}", language="fr", original=original)
    with django_assert_max_num_queries(12):
        assert get(client, q="burglary", reader="fr").json()["count"] == 25
    with django_assert_max_num_queries(12):
        assert len(get(client, theme="scams").json()["results"]) == 20


def test_the_schema_documents_the_endpoints(client, personas):
    client.force_login(personas.advp_admin)
    response = client.get("/api/schema/")
    if response.status_code == 404:
        pytest.skip("schema served elsewhere")
    content = response.content.decode()
    assert "/api/v1/practices/" in content
    assert "facets" in content


def test_the_schema_documents_one_page_object_and_refuses_a_bad_page(client):
    """Found by core/tests/test_api_fuzz.py: the schema said the list answers an array of pages, and a page
    number like -2.5 silently gave page 1."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    ok = schema["paths"]["/api/v1/practices/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/PracticeSearchResponse"}
    assert get(client, page="-2.5").status_code == 404
    assert get(client, page="0").status_code == 404
    assert get(client, page="1").status_code == 200
