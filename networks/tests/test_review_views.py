import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.testing.matrix import assert_permission_matrix
from networks.choices import CharterStatus, NetworkStatus
from networks.models import Charter, ChecklistItem, Letter
from networks.services.charter import checklist_active

from .charter_fixtures import (
    add_partners,
    hidden,
    make_network,
    submitted_charter,
)

pytestmark = pytest.mark.django_db


def _everyone_but_advp(personas):
    return [person for name, person in personas.all().items() if name != "advp_admin"]


def _review_url(charter):
    return reverse("networks:charter_review", args=[charter.network.code, charter.version])


def _review_post(action="decide", decision="conform", unsatisfied=(), remark=""):
    items = checklist_active()
    data = {
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": str(len(items)),
        "action": action,
        "decision": decision,
        "remarks": "",
    }
    for index, item in enumerate(items):
        data[f"items-{index}-item"] = str(item.pk)
        if item.code not in unsatisfied:
            data[f"items-{index}-satisfied"] = "on"
        else:
            data[f"items-{index}-remark"] = remark
    return data


def test_the_queue_is_advp_only(client, personas):
    url = reverse("networks:review_queue")
    assert_permission_matrix(
        client, url, allowed=[personas.advp_admin], in_scope_wrong_role=_everyone_but_advp(personas)
    )


def test_the_queue_lists_the_oldest_first_with_their_age(client, network, personas):
    older = submitted_charter(network, actor=personas.zone_officer)
    Charter.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=40))
    other = make_network(personas.advp_admin, name="Noordkwartier")
    add_partners(other, actor=personas.advp_admin)
    newer = submitted_charter(other, actor=personas.advp_admin)

    client.force_login(personas.advp_admin)
    page = client.get(reverse("networks:review_queue")).content.decode()

    assert page.index(older.network.code) < page.index(newer.network.code)
    assert '<span class="badge badge--warn">40</span>' in page
    fragment = client.get(reverse("networks:review_queue"), {"q": "Noord"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Noordkwartier" in fragment and "Zuidkwartier" not in fragment and "<html" not in fragment


def test_the_queue_takes_the_same_queries_for_more_charters(client, network, personas):
    client.force_login(personas.advp_admin)
    submitted_charter(network, actor=personas.zone_officer)
    url = reverse("networks:review_queue")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for index in range(4):
        extra = make_network(personas.advp_admin, name=f"Wijk {index}")
        add_partners(extra, actor=personas.advp_admin)
        submitted_charter(extra, actor=personas.advp_admin)
    with CaptureQueriesContext(connection) as five:
        response = client.get(url)
    assert response.content.decode().count("Wijk ") >= 4
    assert len(five) == len(one), [q["sql"] for q in five.captured_queries]


def test_the_review_page_is_advp_only(client, submitted, personas):
    assert_permission_matrix(
        client,
        _review_url(submitted),
        allowed=[personas.advp_admin],
        in_scope_wrong_role=[
            personas.knowledge_centre,
            personas.zone_officer,
            personas.municipality_official,
            personas.coordinator,
        ],
        hidden=hidden(personas),
    )


def test_advp_decides_conform_through_the_page(
    client, submitted, personas, smtp_server, django_capture_on_commit_callbacks
):
    client.force_login(personas.advp_admin)
    page = client.get(_review_url(submitted)).content.decode()
    assert "The budget plan lists the costs and who bears them." in page  # the checklist in ADVP's language (en)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_review_url(submitted), _review_post())

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == CharterStatus.CONFORM
    assert submitted.network.status == NetworkStatus.ACTIVE
    assert Letter.objects.filter(charter=submitted).count() == 2
    assert smtp_server.to(personas.zone_officer.email)
    detail = client.get(submitted.get_absolute_url()).content.decode()
    assert "ADVP/" in detail and "badge badge--ok" in detail


def test_a_decision_error_keeps_the_form(client, submitted, personas):
    client.force_login(personas.advp_admin)
    response = client.post(_review_url(submitted), _review_post(unsatisfied=("area",)))
    assert response.status_code == 400
    assert "cannot be conform" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == CharterStatus.SUBMITTED and not Letter.objects.exists()


def test_saving_without_deciding(client, submitted, personas):
    client.force_login(personas.advp_admin)
    response = client.post(_review_url(submitted), _review_post(action="save", decision="", unsatisfied=("area",)))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == CharterStatus.SUBMITTED
    assert submitted.review.item_results.filter(satisfied=False).count() == 1
    page = client.get(reverse("networks:review_queue")).content.decode()
    assert "Continue the review" in page


def test_a_decided_charter_sends_the_reviewer_back_to_the_charter(client, submitted, personas, decide):
    decide(submitted)
    client.force_login(personas.advp_admin)
    response = client.get(_review_url(submitted))
    assert response.status_code == 302 and response["Location"] == submitted.get_absolute_url()


@pytest.mark.parametrize("name", ["checklist_list", "checklist_item_create"])
def test_checklist_pages_are_advp_only(client, personas, name):
    assert_permission_matrix(
        client,
        reverse(f"networks:{name}"),
        allowed=[personas.advp_admin],
        in_scope_wrong_role=_everyone_but_advp(personas),
    )


def test_advp_rewords_and_deactivates_a_requirement(client, personas):
    item = ChecklistItem.objects.get(code="area")
    url = reverse("networks:checklist_item_edit", args=[item.pk])
    assert_permission_matrix(
        client, url, allowed=[personas.advp_admin], in_scope_wrong_role=_everyone_but_advp(personas)
    )
    client.force_login(personas.advp_admin)
    response = client.post(
        url,
        {
            "code": "area",
            "text_nl": "Het werkingsgebied is afgebakend per straat.",
            "text_fr": "La zone est délimitée par rue.",
            "text_de": "",
            "text_en": "",
            "order": "70",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.text_nl == "Het werkingsgebied is afgebakend per straat." and not item.is_active
    assert item not in checklist_active()


def test_advp_adds_a_requirement(client, personas):
    client.force_login(personas.advp_admin)
    response = client.post(
        reverse("networks:checklist_item_create"),
        {"code": "privacy", "text_nl": "Privacyverklaring", "text_fr": "Déclaration", "order": "5", "is_active": "on"},
    )
    assert response.status_code == 302
    assert checklist_active()[0].code == "privacy"


def test_advp_sees_the_waiting_charters_on_the_home_page_and_in_the_navigation(client, submitted, personas):
    client.force_login(personas.advp_admin)
    page = client.get(reverse("core:home")).content.decode()
    assert 'id="home-charters-heading"' in page and reverse("networks:review_queue") in page
    assert reverse("networks:sanction_national_list") in page
    client.force_login(personas.zone_officer)
    page = client.get(reverse("core:home")).content.decode()
    assert 'id="home-charters-heading"' not in page and reverse("networks:review_queue") not in page
