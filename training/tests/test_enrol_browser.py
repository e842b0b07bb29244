"""In a real browser: a zone officer enrols a mandated officer and a new person, sees them on the zone overview,
and approves a request; a participant asks to enrol, confirms, and opens their page and the evaluation form.
axe-core audits every page. Selectors use names, ids and URLs, not words."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from core.testing.browser import sign_in_as
from geography.models import PoliceZone
from training.models import Enrolment, Trainee
from training.services import enrolments as services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_zone_enrols_staff_and_approves_a_request(page, live_server, personas, make_session, make_officer):
    officer = make_officer(personas.network_a, first_name="Olga", last_name="Officer", email="olga@police.test")
    session = make_session(capacity=1)
    sign_in_as(page, live_server, personas.zone_officer)
    page.visit(f"/training/sessions/{session.pk}/enrol/")
    page.locator(f'input[name="people"][value="partner-{officer.pk}"]').check()
    page.fill("#id_first_name", "Nina")
    page.fill("#id_last_name", "Nieuw")
    page.fill("#id_email", "nina@police.test")
    page.locator("#enrol-form button[type=submit]").click()
    page.wait_for_selector('[data-result="seated"]')
    page.check_accessible()
    assert Enrolment.objects.filter(status="enrolled").count() == 1
    assert Enrolment.objects.filter(status="waiting").count() == 1

    requester = Trainee.objects.create(
        zone=PoliceZone.objects.current().get(code=5345), first_name="Ria", last_name="Vraag", email="ria@police.test"
    )
    request = Enrolment.objects.create(
        session=make_session(), trainee=requester, status="requested", source="self", confirmed_at=timezone.now()
    )
    page.visit("/training/zone/")
    page.locator(f'[data-request="{request.pk}"] form button').click()
    page.wait_for_selector(".message--success")
    page.check_accessible()
    assert Enrolment.objects.get(pk=request.pk).status == "enrolled"
    page.visit(f"/training/enrolments/{request.pk}/cancel/")
    page.visit("/")


def test_a_participant_asks_confirms_and_opens_their_page(page, live_server, personas, make_session, smtp_server):
    session = make_session()
    page.visit(f"/training/sessions/{session.pk}/request/")
    page.fill("#id_first_name", "Nora")
    page.fill("#id_last_name", "Nieuw")
    page.fill("#id_email", "nora@police.test")
    page.select_option("#id_zone", str(PoliceZone.objects.current().get(code=5345).pk))
    page.locator("#request-form button[type=submit]").click()
    page.wait_for_selector("[data-request-sent]")
    page.check_accessible()
    body = smtp_server.body(smtp_server.to("nora@police.test")[0])
    path = re.search(r"https?://[^\s]+?(/training/requests/[^/\s]+/)", body).group(1)
    page.visit(path)
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("[data-confirmed]")
    page.check_accessible()
    enrolment = Enrolment.objects.get()
    assert enrolment.status == "requested"

    past = make_session(days=-3, status="closed")
    attended = Enrolment.objects.create(
        session=past, trainee=enrolment.trainee, status="enrolled", source="zone", attendance="attended"
    )
    own = "/" + services.participant_url(enrolment.trainee).split("://", 1)[1].split("/", 1)[1]
    page.visit(own)
    page.visit(f"{own}evaluation/{attended.pk}/")
    page.locator("#evaluation-form input[type=radio][value='4']").first.check()
    page.locator("#evaluation-form input[type=radio][value='5']").nth(1).check()
    page.locator("#evaluation-form button[type=submit]").click()
    page.wait_for_selector(".message--success")
    page.check_accessible()
    assert attended.evaluation is not None
    page.visit("/training/participant-link/")
