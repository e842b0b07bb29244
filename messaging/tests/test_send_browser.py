"""An officer composes an urgent alert in a real browser: the live SMS counter shows the same figures as
messaging.sms.sms_length for a GSM-7 and a UCS-2 text, the area map draws a polygon into its field, the preview
shows the figures, and the alert goes. axe-core audits every page. Selectors use names, ids and URLs, not words."""

from __future__ import annotations

import json

import pytest

from core.testing.browser import sign_in_as
from messaging.models import Delivery, Message
from messaging.sms import sms_length

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GSM_TEXT = "BIN: inbraak Meir 12, verdachte wagen richting Groenplaats. Bel 101 met info, 112 bij nood. €5 beloning"
UCS2_TEXT = "PLP : fenêtre forcée rue Neuve 🙂 appelez le 101 ; ne pas intervenir vous-même ! Façade côté cour."


def _counter_matches(page, language: str, text: str) -> None:
    expected = sms_length(text)
    counter = f"#sms-counter-{language}"
    page.wait_for_function(
        "([selector, characters, encoding]) => {"
        " const c = document.querySelector(selector);"
        " return c.dataset.characters === String(characters) && c.dataset.encoding === encoding; }",
        arg=[counter, expected.characters, expected.encoding],
    )
    element = page.locator(counter)
    assert element.get_attribute("aria-live") == "polite"
    assert element.get_attribute("data-segments") == str(expected.segments)
    figures = element.locator("[data-counter-figures]").inner_text()
    assert str(expected.characters) in figures and expected.encoding in figures
    assert f"{expected.segments} sms" in figures.lower() and f"({expected.per_segment} " in figures
    assert element.locator("[data-counter-ucs2]").is_visible() == (expected.encoding == "UCS-2")


def test_an_officer_composes_an_alert_with_the_live_sms_counter(page, live_server, personas, make_members):
    make_members(personas.network_a, 2, by_sms=True)
    sign_in_as(page, live_server, personas.zone_officer)
    page.visit("/messages/new/")

    page.locator('input[name="type"][value="urgent_alert"]').check()
    page.locator('input[name="networks"][value="BIN-11002-1"]').check()

    # Only the chosen kind of target shows; the area map is drawn on when it does.
    assert page.locator('[data-target-kind="area"]').is_hidden()
    page.locator('input[name="target_kind"][value="area"]').check()
    page.wait_for_selector('#compose-map[data-loaded="true"]')
    box = page.locator("#compose-map").bounding_box()
    for dx, dy in ((0.4, 0.4), (0.6, 0.4), (0.5, 0.6)):
        page.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
    drawn = json.loads(page.locator("#id_target_area").input_value())
    assert drawn["type"] == "Polygon" and len(drawn["coordinates"][0]) == 4
    page.check_accessible()
    page.locator('input[name="target_kind"][value="networks"]').check()
    assert page.locator('[data-target-kind="area"]').is_hidden()

    page.locator("#id_title_nl").fill("Inbraak Meir")
    page.locator("#id_body_nl").fill("Verdachte personen gezien aan de **Meir**.")
    page.locator("#id_sms_nl").fill(GSM_TEXT)
    _counter_matches(page, "nl", GSM_TEXT)
    assert sms_length(GSM_TEXT).encoding == "GSM-7"
    page.locator("#id_sms_nl").fill(UCS2_TEXT)
    _counter_matches(page, "nl", UCS2_TEXT)
    assert sms_length(UCS2_TEXT).encoding == "UCS-2" and sms_length(UCS2_TEXT).segments == 2
    page.locator("#id_sms_nl").fill(GSM_TEXT * 5)
    _counter_matches(page, "nl", (GSM_TEXT * 5).strip())
    assert page.locator("#sms-counter-nl [data-counter-too-long]").is_visible()
    page.locator("#id_sms_nl").fill(GSM_TEXT)
    _counter_matches(page, "nl", GSM_TEXT)
    page.check_accessible()

    page.locator("#compose-form button[type=submit]").click()
    page.wait_for_selector("form.compose-confirm")
    page.check_accessible()
    assert not Message.objects.exists()
    page.locator("form.compose-confirm button[type=submit]:not([name=edit])").click()
    page.wait_for_url("**/messages/*/")
    page.check_accessible()
    message = Message.objects.get()
    assert message.type == "urgent_alert" and message.texts["nl"]["sms"] == GSM_TEXT
    assert Delivery.objects.filter(message=message, channel="sms").count() == 3
