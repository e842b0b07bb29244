"""A member signs in by e-mailed link, sets quiet hours, downloads and then deletes their data; axe on every page."""

import pytest

from accounts.models import User
from members.models import Member
from members.tests.portal_helpers import link_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_signs_in_by_link_sets_quiet_hours_downloads_and_deletes(page, live_server, personas, smtp_server):
    User.objects.filter(pk=personas.member.pk).update(language="en")

    page.visit("/me/sign-in/")
    page.locator("#id_email").fill("member@test.binplp.be")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/me/sign-in/sent/")
    page.check_accessible()

    [message] = smtp_server.to("member@test.binplp.be")
    page.visit(link_in(message))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/me/")
    page.check_accessible()

    page.visit("/me/choices/")
    page.locator("#id_quiet_from").fill("22:00")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_selector(".error-summary")  # half-filled quiet hours: the summary links to the field
    page.check_accessible()
    page.locator("#id_quiet_until").fill("07:00")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_selector(".message--success")
    page.check_accessible()
    member = Member.objects.get(user=personas.member)
    assert (member.quiet_from.hour, member.quiet_until.hour) == (22, 7)

    page.visit("/me/data/")
    page.visit("/me/download/")
    with page.expect_download() as download:
        page.locator('main a[href="/me/download/json/"]').click()
    assert download.value.suggested_filename.startswith("binplp-my-data-")

    page.visit("/me/delete/")
    page.locator("#id_email").fill("member@test.binplp.be")
    page.locator("main form button.button--danger").click()
    page.wait_for_url("**/me/deleted/")
    page.check_accessible()
    assert not Member.objects.filter(user_id=personas.member.pk).exists()
    assert not User.objects.get(pk=personas.member.pk).is_active


def test_the_other_portal_pages_are_accessible(page, live_server, personas):
    from core.testing.browser import sign_in_as
    from members.models import Membership
    from members.tests.portal_helpers import make_member_of

    User.objects.filter(pk__in=[personas.member.pk, personas.coordinator.pk, personas.outsider.pk]).update(
        language="en"
    )
    page.goto("/me/sign-in/not-a-user/1-abc/")  # an invalid link answers 400, which `visit` would refuse
    page.check_accessible()

    sign_in_as(page, live_server, personas.outsider)
    page.visit("/me/")  # not a member: what the portal is for
    page.context.clear_cookies()

    sign_in_as(page, live_server, personas.member)
    membership = Membership.objects.get(member__user=personas.member)
    page.visit(f"/me/networks/{membership.pk}/leave/")
    page.context.clear_cookies()

    make_member_of(personas.coordinator, personas.network_b)
    sign_in_as(page, live_server, personas.coordinator)
    page.visit("/me/delete/")  # refused: the role must be handed over first
    assert page.locator(".message--error").count() == 1
