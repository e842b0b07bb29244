"""The coverage page (/training/coverage/), its CSV export and the national home section."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from core.testing.matrix import assert_permission_matrix

from .coverage_support import known_dataset, make_network

pytestmark = pytest.mark.django_db

URL = "/training/coverage/"
EXPORT = "/training/coverage/export.csv"


@pytest.fixture
def known(personas, make_session, make_trainee, make_officer):
    return known_dataset(personas, make_session, make_trainee, make_officer)


@pytest.fixture(autouse=True)
def _english(personas):
    """Everybody reads English (the account's language comes before the cookie)."""
    from accounts.models import User

    User.objects.update(language="en")


def _page(client, user, url=URL, **params) -> str:
    client.force_login(user)
    client.cookies["binplp_language"] = "en"
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_urls_are_the_agreed_ones():
    assert reverse("training:coverage") == URL and reverse("training:coverage_export") == EXPORT


def test_it_answers_national_roles_and_zone_officers(client, personas):
    for url in (URL, EXPORT):
        assert_permission_matrix(
            client,
            url,
            allowed=[
                personas.advp_admin,
                personas.knowledge_centre,
                personas.zone_officer,
                personas.other_zone_officer,
            ],
            in_scope_wrong_role=[
                personas.trainer,
                personas.coordinator,
                personas.municipality_official,
                personas.member,
                personas.outsider,
            ],
        )


def test_national_roles_see_the_country_by_province_and_zone(client, known, personas):
    page = _page(client, personas.advp_admin)
    assert 'data-figure="share">57&nbsp;%' in page  # 4 of 7
    assert "(4 of 7)" in page and 'data-figure="not-covered">4<' in page and 'data-figure="without-officer">2<' in page
    assert "By province" in page and 'role="img"' in page and "<title" in page  # the accessible chart
    assert "5345 Antwerpen" in page and "5339" in page
    assert "Brussels-Capital Region" in page or "Brussel" in page
    # The networks to follow up: n5, n6 have no officer; network A and n3 have untrained ones.
    assert page.count("data-no-officer") == 2
    for code in (personas.network_a.code, known["n3"].code, known["n5"].code, known["n6"].code):
        assert code in page
    assert known["n1"].code not in page and known["n7"].code not in page
    assert "Nora Nameonly" in page


def test_a_zone_officer_sees_their_zone_only(client, known, personas):
    page = _page(client, personas.zone_officer)
    assert "(2 of 5)" in page and 'data-figure="share">40&nbsp;%' in page
    assert "By police zone" in page and "Mandated officers trained, by province" not in page
    assert personas.network_b.code not in page and known["n8"].code not in page
    page = _page(client, personas.other_zone_officer)
    assert "(2 of 2)" in page and "Every network here has a trained mandated officer." in page


def test_filters_narrow_the_list(client, known, personas):
    brussels_zone = personas.network_b.zone_id
    page = _page(client, personas.advp_admin, zone=brussels_zone)
    assert personas.network_a.code not in page and "Every network here has a trained mandated officer." in page
    page = _page(client, personas.advp_admin, province="brussels")
    assert known["n5"].code not in page
    client.force_login(personas.zone_officer)
    assert client.get(URL, {"zone": brussels_zone}).status_code == 400  # not a zone of theirs
    assert client.get(URL, {"province": "nonsense"}).status_code == 400


def test_the_page_takes_a_bounded_number_of_queries(client, known, personas, django_assert_max_num_queries):
    client.force_login(personas.advp_admin)
    client.get(URL)
    with django_assert_max_num_queries(22):
        assert client.get(URL).status_code == 200
    for _i in range(12):
        make_network()
    with django_assert_max_num_queries(22):
        assert client.get(URL).status_code == 200


def test_the_export_lists_every_network_in_scope(client, known, personas):
    client.force_login(personas.zone_officer)
    client.cookies["binplp_language"] = "en"
    response = client.get(EXPORT)
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[0] == "Network code" and len(body) == 7
    by_code = {row[0]: row for row in body}
    assert by_code[known["n1"].code][-1] == "yes" and by_code[known["n5"].code][-2:] == ["0", "no"]
    assert by_code[known["n3"].code][-2:] == ["2", "no"]
    assert personas.network_b.code not in by_code
    client.force_login(personas.advp_admin)
    assert len(list(csv.reader(io.StringIO(client.get(EXPORT).content.decode("utf-8-sig")), delimiter=";"))) == 10


def test_the_home_page_shows_national_roles_the_coverage(client, known, personas):
    page = _page(client, personas.advp_admin, url="/")
    assert "BIN course: mandated officers trained" in page and "(4 of 7)" in page
    page = _page(client, personas.zone_officer, url="/")
    assert "BIN course: mandated officers trained" not in page
