"""The member portal's pages: my networks, leaving, my data, my choices, documents, navigation."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditAction, AuditEvent
from core.testing.matrix import assert_permission_matrix
from members.choices import DocumentKind, MembershipStatus
from members.models import Member, Membership
from members.tests import factories, portal_helpers
from members.tests.portal_helpers import make_member_of

pytestmark = pytest.mark.django_db

# Fixtures shared by the portal's tests.
_fresh_cache = portal_helpers._fresh_cache
member_client = portal_helpers.member_client
member_en = portal_helpers.member_en
portal_registered = portal_helpers.portal_registered

HOME = reverse("members_portal:home")
DATA = reverse("members_portal:member_data")
CHOICES = reverse("members_portal:choices")
PAGES = [
    HOME,
    DATA,
    CHOICES,
    reverse("members_portal:download"),
    reverse("members_portal:download_json"),
    reverse("members_portal:erase"),
]


def membership_of(user) -> Membership:
    return Membership.objects.get(member__user=user)


def audit_rows(obj, action=AuditAction.UPDATE):
    return AuditEvent.objects.filter(object_id=str(obj.pk), action=action, object_repr=str(obj))


# --- Access --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_every_page_needs_sign_in_and_serves_the_member(client, personas, url):
    assert_permission_matrix(client, url, allowed=[personas.member])


@pytest.mark.parametrize("persona", ["outsider", "coordinator", "advp_admin", "zone_officer"])
@pytest.mark.parametrize("url", PAGES)
def test_someone_without_a_member_profile_is_told_what_the_portal_is_for(client, personas, persona, url):
    user = getattr(personas, persona)
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "The member portal is for members" in content
    assert f'href="{reverse("members:find")}"' in content


def test_a_member_cannot_reach_someone_elses_membership(client, personas):
    other = factories.member(personas.network_a, email="other@example.be")
    url = reverse("members_portal:membership_leave", args=[membership_of(other.user).pk])
    assert_permission_matrix(client, url, allowed=[other.user], hidden=[personas.member])
    assert_permission_matrix(client, url, method="post", data={}, hidden=[personas.member])
    assert membership_of(other.user).status == MembershipStatus.ACTIVE


def test_each_member_sees_only_their_own_portal(client, personas):
    other = factories.member(personas.network_b, email="other@example.be", first_name="Zelda", mobile="+32470555444")
    client.force_login(personas.member)
    for url in PAGES:
        content = client.get(url).content.decode()
        assert "Zelda" not in content and "other@example.be" not in content and "+32470555444" not in content
        assert personas.network_b.name not in content
    client.force_login(other.user)
    content = client.get(HOME).content.decode()
    assert personas.network_b.name in content and personas.network_a.name not in content


# --- My networks ---------------------------------------------------------------------------------------------


def test_my_networks_lists_each_membership(member_client, personas):
    rules = factories.document(DocumentKind.INTERNAL_RULES, network=personas.network_a, version="2025-1")
    Membership.objects.filter(member__user=personas.member).update(rules=rules)
    member = Member.objects.get(user=personas.member)
    Membership.objects.create(
        member=member,
        network=personas.network_b,
        status=MembershipStatus.SUSPENDED,
        joined_on=datetime.date(2025, 2, 1),
        suspended_until=datetime.date(2031, 5, 6),
    )
    response = member_client.get(HOME)
    assert response.status_code == 200
    content = response.content.decode()
    assert personas.network_a.name in content and personas.network_b.name in content
    assert "Jan. 15, 2024" in content  # member of network A since
    assert "Suspended until May 6, 2031" in content
    assert reverse("members_portal:document", args=[rules.pk]) in content and "Version 2025-1" in content
    assert (
        reverse("members_portal:membership_leave", args=[membership_of_network(member, personas.network_a)]) in content
    )


def membership_of_network(member, network) -> int:
    return Membership.objects.get(member=member, network=network).pk


def test_my_networks_takes_the_same_queries_for_one_or_many_memberships(
    client, personas, django_assert_num_queries, portal_registered
):
    client.force_login(personas.member)
    client.get(HOME)  # warm up (content types, session)
    with CaptureQueriesContext(connection) as one:
        assert client.get(HOME).status_code == 200
    member = Member.objects.get(user=personas.member)
    for network in factories_networks(3, personas):
        Membership.objects.create(member=member, network=network, joined_on=datetime.date(2025, 1, 1))
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(HOME)
    assert response.status_code == 200 and "Extra network 2" in response.content.decode()


def factories_networks(count, personas):
    from networks.models import Network

    return [
        Network.objects.create(
            code=f"BIN-11002-{90 + number}",
            name=f"Extra network {number}",
            kind="residential",
            status="active",
            municipality=personas.network_a.municipality,
            zone=personas.network_a.zone,
            founded_on=datetime.date(2020, 1, 1),
        )
        for number in range(count)
    ]


def test_the_portal_home_stays_within_a_query_budget(client, personas, django_assert_max_num_queries):
    client.force_login(personas.member)
    with django_assert_max_num_queries(6):  # session, user, grants, member, memberships
        assert client.get(HOME).status_code == 200


def test_a_member_leaves_a_network(member_client, personas):
    membership = membership_of(personas.member)
    url = reverse("members_portal:membership_leave", args=[membership.pk])
    page = member_client.get(url)
    assert page.status_code == 200 and b"Leave this network" in page.content

    response = member_client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == HOME
    content = response.content.decode()
    assert "You left BIN Network A" in content
    assert "You are no longer a member of any network" in content  # it was the last one: deletion is explained
    assert reverse("members_portal:erase") in content
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.LEFT and membership.ended_on == timezone.localdate()
    assert membership.member.user == personas.member  # the person stays, with the profile
    [row] = AuditEvent.objects.filter(object_id=str(membership.pk), action=AuditAction.UPDATE)
    assert row.changes == {"status": ["active", "left"]} and row.actor == personas.member

    again = member_client.post(url)
    assert again.status_code == 400
    assert b"You are no longer a member of this network." in again.content


def test_leaving_one_of_two_networks_keeps_the_other(member_client, personas):
    member = Member.objects.get(user=personas.member)
    Membership.objects.create(member=member, network=personas.network_b, joined_on=datetime.date(2025, 1, 1))
    url = reverse("members_portal:membership_leave", args=[membership_of_network(member, personas.network_a)])
    content = member_client.post(url, follow=True).content.decode()
    assert "You are no longer a member of any network" not in content
    assert Membership.objects.get(member=member, network=personas.network_b).status == MembershipStatus.ACTIVE


def test_a_document_the_member_accepted_is_shown_in_their_language(member_client, personas):
    rules = factories.document(DocumentKind.INTERNAL_RULES, network=personas.network_a)
    rules.texts["en"]["body"] = "Be **kind** <script>alert(1)</script>"
    rules.save()
    response = member_client.get(reverse("members_portal:document", args=[rules.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<strong>kind</strong>" in content and "<script>alert(1)" not in content


# --- My data -------------------------------------------------------------------------------------------------


def data_form(**changes):
    return {
        "first_name": "Mona",
        "last_name": "Lambert-Dupont",
        "mobile": "0478 12 34 56",
        "street": "Groenplaats",
        "house_number": "7",
        "box": "b2",
        "postal_code": "2000",
        **changes,
    }


def test_my_data_shows_the_email_read_only_with_a_link_to_change_it(member_client, personas):
    content = member_client.get(DATA).content.decode()
    assert "member@test.binplp.be" in content
    assert 'name="email"' not in content
    assert reverse("account_email") in content
    assert "<legend>Address</legend>" in content and 'value="+32470123456"' in content


def test_a_member_corrects_their_data(member_client, personas):
    member = Member.objects.get(user=personas.member)
    member.mobile_verified_at = timezone.now()
    member.save()
    response = member_client.post(DATA, data_form())
    assert response.status_code == 302 and response["Location"] == DATA
    member.refresh_from_db()
    member.user.refresh_from_db()
    assert (member.user.first_name, member.user.last_name) == ("Mona", "Lambert-Dupont")
    assert member.mobile == "+32478123456" and member.mobile_verified_at is None
    assert (member.street, member.house_number, member.box, member.postal_code) == ("Groenplaats", "7", "b2", "2000")
    [row] = audit_rows(member)
    assert row.changes == {"fields": ["box", "first_name", "house_number", "last_name", "mobile", "street"]}
    assert "Mona" not in str(row.changes) and "478" not in str(row.changes) and row.object_repr == f"#{member.pk}"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"mobile": "12345"}, "mobile", "Enter a valid mobile number"),
        ({"mobile": "03 201 23 45"}, "mobile", "This is a fixed-line number: enter a mobile number"),
        ({"postal_code": "9999"}, "postal_code", "9999 is not a Belgian postal code."),
        ({"postal_code": "20"}, "postal_code", "Enter a Belgian postal code: four digits, e.g. 2000."),
        ({"first_name": ""}, "first_name", "Enter your first name."),
        ({"street": ""}, "street", "Enter your street."),
    ],
)
def test_bad_data_is_refused_with_a_clear_error_and_nothing_stored(member_client, personas, changes, field, message):
    before = list(Member.objects.values())
    response = member_client.post(DATA, data_form(**changes))
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert 'role="alert"' in content and f'href="#id_{field}"' in content  # the error summary links to the field
    assert list(Member.objects.values()) == before
    assert not AuditEvent.objects.filter(action=AuditAction.UPDATE).exists()


def test_removing_the_mobile_number_turns_sms_off(member_client, personas):
    member_client.post(DATA, data_form(mobile=""))
    member = Member.objects.get(user=personas.member)
    assert member.mobile == "" and member.by_sms is False
    assert "by_sms" in audit_rows(member).get().changes["fields"]


# --- My choices ----------------------------------------------------------------------------------------------


def choices_form(**changes):
    values = {
        "by_email": "on",
        "by_sms": "on",
        "urgent_by_sms": "on",
        "language": "en",
        "wanted_types": ["feedback", "prevention_tip", "missing_person", "crisis"],
        "quiet_from": "",
        "quiet_until": "",
        "paused_from": "",
        "paused_until": "",
    }
    values.update(changes)
    return {key: value for key, value in values.items() if value is not None}


def test_the_choices_page_shows_the_always_on_channel_and_the_locked_urgent_alerts(member_client):
    content = member_client.get(CHOICES).content.decode()
    assert 'id="web-inbox" checked disabled' in content
    assert 'id="urgent-alerts" checked disabled' in content
    assert "Cannot be turned off while you are a member." in content
    assert 'value="urgent_alert"' not in content
    for legend in ("How I receive messages", "Which messages I receive", "Quiet hours", "Holiday pause"):
        assert f"<legend>{legend}</legend>" in content


def test_a_member_sets_quiet_hours_across_midnight_a_pause_and_the_types(member_client, personas):
    today = timezone.localdate()
    response = member_client.post(
        CHOICES,
        choices_form(
            by_email=None,
            wanted_types=["prevention_tip"],
            quiet_from="22:00",
            quiet_until="07:00",
            paused_from=str(today + datetime.timedelta(days=3)),
            paused_until=str(today + datetime.timedelta(days=10)),
        ),
    )
    assert response.status_code == 302
    member = Member.objects.get(user=personas.member)
    assert member.by_email is False and member.by_sms is True
    assert sorted(member.muted_types) == ["crisis", "feedback", "missing_person", "newsletter"]
    assert (member.quiet_from, member.quiet_until) == (datetime.time(22, 0), datetime.time(7, 0))
    assert member.paused_until == today + datetime.timedelta(days=10)
    [row] = audit_rows(member)
    assert row.changes == {
        "fields": ["by_email", "muted_types", "paused_from", "paused_until", "quiet_from", "quiet_until"]
    }


def test_the_language_choice_sets_the_account_language(client, personas):
    client.force_login(personas.member)  # French
    response = client.post(CHOICES, choices_form(language="de"))
    assert response.status_code == 302
    personas.member.refresh_from_db()
    assert personas.member.language == "de"
    assert response.cookies["binplp_language"].value == "de"
    assert AuditEvent.objects.filter(object_id=str(personas.member.pk), changes={"language": ["fr", "de"]}).exists()


def test_urgent_alerts_cannot_be_muted_even_if_posted(member_client, personas):
    response = member_client.post(CHOICES, choices_form(wanted_types=[], muted_types=["urgent_alert"]))
    assert response.status_code == 302
    member = Member.objects.get(user=personas.member)
    assert "urgent_alert" not in member.muted_types
    forged = member_client.post(CHOICES, choices_form(wanted_types=["urgent_alert"]))
    assert forged.status_code == 400


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"quiet_from": "22:00"}, "quiet_until", "Give both the start and the end of your quiet hours, or neither."),
        ({"quiet_until": "07:00"}, "quiet_from", "Give both the start and the end of your quiet hours, or neither."),
        ({"quiet_from": "22:00", "quiet_until": "22:00"}, "quiet_until", "must end at another time"),
        ({"quiet_from": "25:00", "quiet_until": "07:00"}, "quiet_from", "Enter a time, like 22:00."),
        ({"paused_from": "+10", "paused_until": "+3"}, "paused_until", "cannot come before its first day"),
        ({"paused_from": "-10", "paused_until": "-3"}, "paused_until", "A holiday pause cannot end in the past."),
        ({"paused_from": "-3", "paused_until": "+3"}, "paused_from", "A holiday pause cannot start in the past."),
        ({"paused_from": "+3"}, "paused_until", "Give both the first and the last day of your holiday pause"),
        ({"language": "xx"}, "language", "Choose one of the offered languages."),
    ],
)
def test_bad_choices_are_refused_with_a_clear_error(member_client, personas, changes, field, message):
    today = timezone.localdate()
    for key in ("paused_from", "paused_until"):
        if key in changes:
            changes[key] = str(today + datetime.timedelta(days=int(changes[key])))
    before = list(Member.objects.values())
    response = member_client.post(CHOICES, choices_form(**changes))
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    assert f'href="#id_{field}"' in content
    assert list(Member.objects.values()) == before


def test_sms_needs_a_mobile_number(member_client, personas):
    Member.objects.filter(user=personas.member).update(mobile="", by_sms=False)
    response = member_client.post(CHOICES, choices_form(by_sms="on"))
    assert response.status_code == 400
    assert "Messages by SMS need a mobile number" in response.content.decode()
    assert Member.objects.get(user=personas.member).by_sms is False


def test_a_running_pause_can_be_kept_while_other_choices_change_and_ended_now(member_client, personas):
    today = timezone.localdate()
    started = today - datetime.timedelta(days=2)
    Member.objects.filter(user=personas.member).update(
        paused_from=started, paused_until=today + datetime.timedelta(days=5)
    )
    response = member_client.post(
        CHOICES,
        choices_form(paused_from=str(started), paused_until=str(today + datetime.timedelta(days=5)), by_email=None),
    )
    assert response.status_code == 302
    page = member_client.get(CHOICES).content.decode()
    assert "End the pause now" in page

    ended = member_client.post(reverse("members_portal:pause_end"), follow=True)
    assert "Your holiday pause has ended" in ended.content.decode()
    member = Member.objects.get(user=personas.member)
    assert member.paused_from is None and member.paused_until is None
    assert audit_rows(member).filter(changes={"fields": ["paused_from", "paused_until"]}).exists()


def test_ending_a_pause_needs_post_and_a_pause(member_client):
    url = reverse("members_portal:pause_end")
    assert member_client.get(url).status_code == 405
    response = member_client.post(url, follow=True)
    assert "You have no holiday pause to end." in response.content.decode()


# --- Navigation and home -------------------------------------------------------------------------------------


def test_members_see_my_networks_in_the_navigation_and_on_the_home_page(client, personas, portal_registered):
    client.force_login(personas.member)
    client.cookies["binplp_language"] = "en"
    personas.member.language = "en"
    personas.member.save()
    content = client.get(reverse("core:home")).content.decode()
    assert f'<a href="{HOME}">My networks</a>' in content
    assert 'id="home-member-networks"' in content and personas.network_a.name in content

    client.force_login(personas.outsider)
    content = client.get(reverse("core:home")).content.decode()
    assert f'href="{HOME}"' not in content


def test_a_coordinator_who_is_also_a_member_uses_the_portal_after_the_usual_sign_in(client, personas):
    make_member_of(personas.coordinator, personas.network_b)
    client.force_login(personas.coordinator)  # enrolled TOTP in the fixture: the MFA gate lets them through
    response = client.get(HOME)
    assert response.status_code == 200 and personas.network_b.name in response.content.decode()
