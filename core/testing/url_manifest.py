"""The access manifest: every URL name of the project with who may open it (issue 9, access control).

`core/tests/test_url_coverage.py` walks the URL resolver and fails on a URL name missing here (a new URL must say
how it is protected) or listed here but gone; then it GETs every entry as every persona and anonymously, with URL
arguments taken from `build_world()`, and checks the answer class. `core/tests/test_idor.py` uses the same world.

An entry is a `Rule` (what anonymous visitors and each persona get) or `Exempt` (not requested, with the reason).
Outcomes are answer classes, not exact codes: OK is any 2xx, LOGIN a redirect to the sign-in page, DENIED the API's
401/403 for anonymous callers, REDIRECT any other redirect.
"""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass, field

OK = "ok"
LOGIN = "login"
DENIED = "denied"
FORBIDDEN = "403"
NOT_FOUND = "404"
METHOD = "405"
REDIRECT = "redirect"
BAD_REQUEST = "400"

PERSONAS = (
    "advp_admin",
    "knowledge_centre",
    "zone_officer",
    "other_zone_officer",
    "municipality_official",
    "coordinator",
    "member",
    "trainer",
    "outsider",
)
ANONYMOUS = "anonymous"
NATIONAL = ("advp_admin", "knowledge_centre")
# The people with a role on network A (zone 5345 Antwerpen, municipality 11002) the URL arguments point at.
NETWORK_A_STAFF = ("zone_officer", "municipality_official", "coordinator")
MEMBER_MANAGERS = ("zone_officer", "coordinator")  # DESIGN §4: member data only for these two, in their scope
STAFF = (*NATIONAL, "zone_officer", "other_zone_officer", "municipality_official", "coordinator", "trainer")


def classify(response) -> str:
    """The answer class of a response."""
    code = response.status_code
    if 200 <= code < 300:
        return OK
    if code in (301, 302, 303, 307, 308):
        return LOGIN if "/accounts/login/" in response.get("Location", "") else REDIRECT
    if code == 401:
        return DENIED
    return str(code)


@dataclass(frozen=True)
class Rule:
    """What each caller gets on GET. `anonymous` for visitors; `people` per persona; `others` for the rest."""

    anonymous: str = LOGIN
    others: str = FORBIDDEN
    people: dict[str, str] = field(default_factory=dict)
    note: str = ""

    def expected(self, who: str) -> str:
        if who == ANONYMOUS:
            return self.anonymous
        return self.people.get(who, self.others)

    def expected_for_anonymous(self, outcome: str) -> bool:
        # the API answers anonymous callers 401 or 403 depending on the authentication classes it tried
        return outcome == self.anonymous or (self.anonymous == DENIED and outcome == FORBIDDEN)


@dataclass(frozen=True)
class Exempt:
    reason: str


def rule(
    *,
    anonymous: str = LOGIN,
    others: str = FORBIDDEN,
    ok=(),
    hidden=(),
    forbidden=(),
    redirect=(),
    method=(),
    note: str = "",
) -> Rule:
    people: dict[str, str] = {}
    for outcome, names in ((OK, ok), (NOT_FOUND, hidden), (FORBIDDEN, forbidden), (REDIRECT, redirect)):
        for name in names:
            people[name] = outcome
    for name in method:
        people[name] = METHOD
    return Rule(anonymous=anonymous, others=others, people=people, note=note)


PUBLIC = Rule(anonymous=OK, others=OK, note="anybody")
SIGNED_IN = Rule(anonymous=LOGIN, others=OK, note="any signed-in person")
API_PUBLIC = PUBLIC
API_SIGNED_IN = Rule(anonymous=DENIED, others=OK, note="any signed-in person (API)")
POST_ONLY = Rule(anonymous=LOGIN, others=METHOD, note="a write: GET is refused once signed in")
API_POST_ONLY = Rule(anonymous=DENIED, others=METHOD, note="a write (API): GET is refused once authenticated")


# ---- the world the URL arguments point at -----------------------------------------------------------------

# Personal data of network B (zone 5339 Brussels) and of a second member of network A: no probe from outside may
# ever show these strings.
B_MEMBER_EMAIL = "bea.brusselmans@example.be"
B_MEMBER_MOBILE = "+32479987654"
B_MEMBER_NAME = "Brusselmans"
B_APPLICANT_EMAIL = "applicant.brussels@example.be"
A2_MEMBER_EMAIL = "second.member@example.be"
A2_MEMBER_MOBILE = "+32470555111"
A2_MEMBER_NAME = "Tweedelid"
A_MEMBER_EMAIL = "member@test.binplp.be"  # the `member` persona
A_MEMBER_MOBILE = "+32470123456"
SECRET_STRINGS_B = (B_MEMBER_EMAIL, B_MEMBER_MOBILE, B_MEMBER_NAME, B_APPLICANT_EMAIL)
SECRET_STRINGS_A = (A_MEMBER_EMAIL, A_MEMBER_MOBILE, A2_MEMBER_EMAIL, A2_MEMBER_MOBILE, A2_MEMBER_NAME)
MISSING = 999999
MISSING_UUID = "00000000-0000-4000-8000-000000000000"

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class World:
    """Personas plus, for network A and network B each: members, a join request, a conform charter with its signed
    PDF, review and letter, a member sanction, a message, a member's report and reply; a tip per zone; a course, a
    training session and a committee meeting; a draft practice."""

    personas: object
    objects: dict

    def __getattr__(self, name):
        objects = self.__dict__["objects"]
        if name in objects:
            return objects[name]
        return getattr(self.__dict__["personas"], name)


def _charter_with_letter(network, *, reviewer, suffix: str):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from networks.models import Charter, CharterReview, Letter

    now = timezone.now()
    charter = Charter(network=network, version=1, status="conform", submitted_at=now, decided_at=now)
    charter.signed_pdf.save("charter.pdf", ContentFile(PDF), save=False)
    charter.save()
    review = CharterReview.objects.create(charter=charter, reviewer=reviewer, decided_at=now, decision="conform")
    letter = Letter(network=network, charter=charter, review=review, recipient="mayor", reference=f"ADVP-{suffix}")
    letter.language = "nl"
    letter.pdf.save("letter.pdf", ContentFile(PDF), save=False)
    letter.save()
    return charter, letter


def _message(*, zone, network, author, sender: str = "police"):
    from django.utils import timezone

    from messaging.models import Message

    message = Message.objects.create(
        type="prevention_tip",
        sender=sender,
        author=author,
        zone=zone,
        target_kind="networks",
        texts={"nl": {"title": "Tip", "body": "Sluit je ramen.", "sms": "Sluit je ramen."}},
        status="sent",
        sent_at=timezone.now(),
        recipients=1,
    )
    message.networks.add(network)
    return message


def _report(*, member, network):
    from django.utils import timezone

    from messaging.models import Report

    return Report.objects.create(
        member=member,
        network=network,
        zone=network.zone,
        category="suspicious_behaviour",
        happened_at=timezone.now() - datetime.timedelta(hours=2),
        place="Straat 20",
        description="Someone tried the door handles of the parked cars.",
    )


def _training():
    from django.utils import timezone

    from geography.models import Academy
    from training.models import Course, CourseVersion, Session

    course = Course.objects.create(code="acl-course", title_nl="BIN-opleiding", title_en="BIN course")
    version = CourseVersion.objects.create(course=course, number=1, status="current", published_at=timezone.now())
    day = timezone.localdate() + datetime.timedelta(days=14)
    tz = timezone.get_current_timezone()
    return course, version, Academy.objects.get(code="vesta"), day, tz, Session


def build_world(personas) -> World:
    """Everything the URL arguments and the IDOR probes point at; written directly for a known state."""
    from django.utils import timezone

    from committee.models import Meeting
    from dashboard.models import AnnualReport
    from members.models import Member, Membership, PolicyDocument
    from members.tests import factories
    from messaging.models import Reply, Tip
    from networks.models import Sanction

    network_a, network_b = personas.network_a, personas.network_b
    member_a = Member.objects.get(user=personas.member)
    member_a2 = factories.member(
        network_a, email=A2_MEMBER_EMAIL, mobile=A2_MEMBER_MOBILE, first_name="Tweede", last_name=A2_MEMBER_NAME
    )
    member_b = factories.member(
        network_b, email=B_MEMBER_EMAIL, mobile=B_MEMBER_MOBILE, first_name="Bea", last_name=B_MEMBER_NAME
    )
    request_a = factories.join_request(network_a, email="applicant.antwerp@example.be")
    request_b = factories.join_request(network_b, email=B_APPLICANT_EMAIL, last_name="Aanvrager")
    charter_a, letter_a = _charter_with_letter(network_a, reviewer=personas.advp_admin, suffix="A-1")
    charter_b, letter_b = _charter_with_letter(network_b, reviewer=personas.advp_admin, suffix="B-1")
    sanctions = {}
    for key, network in (("a", network_a), ("b", network_b)):
        sanctions[key] = Sanction.objects.create(
            network=network,
            target="member",
            measure="written_reprimand",
            member_ref="Lid 7",
            decided_on=timezone.localdate(),
            decided_by="Coördinator",
            reason="Berichten doorgestuurd.",
        )
    message_a = _message(zone=network_a.zone, network=network_a, author=personas.zone_officer)
    message_b = _message(zone=network_b.zone, network=network_b, author=personas.other_zone_officer)
    report_a = _report(member=member_a, network=network_a)
    report_b = _report(member=member_b, network=network_b)
    reply_a = Reply.objects.create(message=message_a, member=member_a, body="Dank je")
    reply_b = Reply.objects.create(message=message_b, member=member_b, body="Merci")
    tip_a = Tip.objects.create(zone=network_a.zone, language="nl", title="Tip A", body="Sluit je deur.")
    tip_b = Tip.objects.create(zone=network_b.zone, language="fr", title="Tip B", body="Fermez la porte.")
    course, version, academy, day, tz, Session = _training()
    session = Session.objects.create(
        version=version,
        academy=academy,
        starts_at=datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=tz),
        ends_at=datetime.datetime.combine(day, datetime.time(16, 30), tzinfo=tz),
        place="Campus Vesta",
        language="nl",
        capacity=20,
        trainer=personas.trainer,
        status="published",
        published_at=timezone.now(),
    )
    meeting = Meeting.objects.create(
        title="Steering committee",
        starts_at=timezone.now() + datetime.timedelta(days=30),
        ends_at=timezone.now() + datetime.timedelta(days=30, hours=2),
        place="Brussel",
        created_by=personas.advp_admin,
    )
    document = PolicyDocument.objects.filter(network__isnull=True).order_by("pk").first()
    objects = {
        "member_a": member_a,
        "member_a2": member_a2,
        "member_b": member_b,
        "membership_a": Membership.objects.get(member=member_a, network=network_a),
        "membership_a2": Membership.objects.get(member=member_a2, network=network_a),
        "membership_b": Membership.objects.get(member=member_b, network=network_b),
        "request_a": request_a,
        "request_b": request_b,
        "charter_a": charter_a,
        "charter_b": charter_b,
        "letter_a": letter_a,
        "letter_b": letter_b,
        "sanction_a": sanctions["a"],
        "sanction_b": sanctions["b"],
        "message_a": message_a,
        "message_b": message_b,
        "report_a": report_a,
        "report_b": report_b,
        "reply_a": reply_a,
        "reply_b": reply_b,
        "tip_a": tip_a,
        "tip_b": tip_b,
        "course": course,
        "course_version": version,
        "session": session,
        "meeting": meeting,
        "document": document,
        # a draft annual report: ADVP and the Knowledge Centre read it, it does not exist for anybody else
        "annual_report": AnnualReport.objects.create(year=2025),
    }
    return World(personas=personas, objects=objects)


@contextlib.contextmanager
def world_for_module(django_db_blocker, media_dir):
    """One world for a test module: built in a transaction rolled back at the end, files in `media_dir`. Use from a
    module-scoped fixture (after `django_db_setup`); each test then runs in its own savepoint."""
    from django.conf import settings
    from django.db import transaction
    from django.test import override_settings

    from core.testing.personas import enrol_totp, make_personas

    storages = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {"location": media_dir}}}
    with django_db_blocker.unblock(), override_settings(STORAGES=storages, MEDIA_ROOT=media_dir):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            _require_test_database()
            _reference_data()
            personas = make_personas()
            for name in PERSONAS:
                if name not in ("member", "outsider"):
                    enrol_totp(getattr(personas, name))
            yield build_world(personas)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _require_test_database() -> None:
    """Refuse to build the world anywhere but in a test database: pytest-django sets one up only when the run holds a
    test marked django_db, and a module-scoped fixture would otherwise write into the developer's database."""
    from django.db import connection

    name = str(connection.settings_dict["NAME"])
    if not (name.startswith("file:memorydb") or name.startswith("test_") or name == ":memory:"):
        raise RuntimeError(f"world_for_module needs the test database, not {name!r}: mark the module django_db")


def _reference_data():
    """As the root conftest's `reference_data`: a transactional test on this worker may have flushed it."""
    from geography.models import PoliceZone
    from members.models import PolicyDocument

    if not PoliceZone.objects.exists():
        from geography.services import reference_data_load

        reference_data_load(actor=None)
    if not PolicyDocument.objects.exists():
        from members.tests.join_support import ensure_first_documents

        ensure_first_documents()


# ---- URL arguments -----------------------------------------------------------------------------------------

# By URL name: the keyword arguments (callables of the world) the URL is requested with. Names not listed get
# arguments by keyword (`code` → network A, `version` → 1, anything else → a missing id).
ARGUMENTS = {
    "networks:partner_edit": lambda w: {"pk": w.network_a.partners.first().pk},
    "networks:partner_end": lambda w: {"pk": w.network_a.partners.first().pk},
    "networks:letter_download": lambda w: {"pk": w.letter_a.pk},
    "networks:sanction_appeal": lambda w: {"pk": w.sanction_a.pk},
    "networks:area_street_remove": lambda w: {"pk": w.network_a.streets.first().pk},
    "networks:network_export": lambda w: {"file_format": "csv"},
    "networks:import_template": lambda w: {"file_format": "csv"},
    "members_manage:member_export": lambda w: {"file_format": "csv"},
    "members_manage:member_detail": lambda w: {"pk": w.member_a2.pk},
    "members_manage:membership_sanction": lambda w: {"pk": w.membership_a2.pk},
    "members_manage:membership_lift": lambda w: {"pk": w.membership_a2.pk},
    "members_manage:request_approve": lambda w: {"pk": w.request_a.pk},
    "members_manage:request_decline": lambda w: {"pk": w.request_a.pk},
    "members_manage:request_cancel": lambda w: {"pk": w.request_a.pk},
    "members_portal:membership_leave": lambda w: {"pk": w.membership_a.pk},
    "members_portal:document": lambda w: {"pk": w.document.pk},
    "members_join:document_publish": lambda w: {"kind": "privacy"},
    "messaging_portal:inbox_message": lambda w: {"pk": w.message_a.pk},
    "messaging_portal:inbox_rate": lambda w: {"pk": w.message_a.pk},
    "messaging_portal:inbox_reply": lambda w: {"pk": w.message_a.pk},
    "messaging:message_detail": lambda w: {"pk": w.message_a.pk},
    "messaging:message_tracking": lambda w: {"pk": w.message_a.pk},
    "messaging:message_cancel": lambda w: {"pk": w.message_a.pk},
    "messaging:tip_edit": lambda w: {"pk": w.tip_a.pk},
    "messaging:tip_delete": lambda w: {"pk": w.tip_a.pk},
    "messaging:report_detail": lambda w: {"pk": w.report_a.pk},
    "messaging:report_acknowledge": lambda w: {"pk": w.report_a.pk},
    "messaging:report_answer": lambda w: {"pk": w.report_a.pk},
    "messaging:report_close": lambda w: {"pk": w.report_a.pk},
    "messaging:reply_read": lambda w: {"pk": w.reply_a.pk},
    "messaging:rate": lambda w: {"token": "not-a-token", "verdict": "useful"},  # nosec B105  # an invalid token on purpose, not a secret
    "training:course_detail": lambda w: {"pk": w.course.pk},
    "training:course_edit": lambda w: {"pk": w.course.pk},
    "training:version_create": lambda w: {"pk": w.course.pk},
    "training:version_detail": lambda w: {"pk": w.course_version.pk},
    "training:version_edit": lambda w: {"pk": w.course_version.pk},
    "training:version_make_current": lambda w: {"pk": w.course_version.pk},
    "training:module_add": lambda w: {"pk": w.course_version.pk},
    "training:material_add": lambda w: {"pk": w.course_version.pk},
    "training:question_add": lambda w: {"pk": w.course_version.pk},
    "training:session_detail": lambda w: {"pk": w.session.pk},
    "training:session_edit": lambda w: {"pk": w.session.pk},
    "training:session_publish": lambda w: {"pk": w.session.pk},
    "training:session_cancel": lambda w: {"pk": w.session.pk},
    "training:session_attendance": lambda w: {"pk": w.session.pk},
    "training:session_close": lambda w: {"pk": w.session.pk},
    "training:session_ics": lambda w: {"pk": w.session.pk},
    "training:session_enrol": lambda w: {"pk": w.session.pk},
    "training:session_request": lambda w: {"pk": w.session.pk},
    "training:request_sent": lambda w: {"pk": w.session.pk},
    "committee:meeting_detail": lambda w: {"pk": w.meeting.pk},
    "committee:meeting_edit": lambda w: {"pk": w.meeting.pk},
    "committee:meeting_cancel": lambda w: {"pk": w.meeting.pk},
    "committee:meeting_invite": lambda w: {"pk": w.meeting.pk},
    "committee:agenda_item_create": lambda w: {"pk": w.meeting.pk},
    "committee:minutes_edit": lambda w: {"pk": w.meeting.pk},
    "committee:decision_create": lambda w: {"pk": w.meeting.pk},
    "committee:action_create": lambda w: {"pk": w.meeting.pk},
    "committee:document_create": lambda w: {"pk": w.meeting.pk, "item_pk": MISSING},
    "dashboard:report_pdf": lambda w: {"year": 2025, "language": "nl"},
    "dashboard:open_data_csv": lambda w: {"level": "municipality"},
    "dashboard:open_data_json": lambda w: {"level": "municipality"},
    "open_data_level": lambda w: {"level": "municipality"},
    "accounts:user_detail": lambda w: {"pk": w.personas.outsider.pk},
    "accounts:role_grant": lambda w: {"pk": w.personas.outsider.pk},
    "accounts:role_revoke": lambda w: {"pk": w.personas.coordinator.pk, "assignment_pk": MISSING},
    "geography:municipality_detail": lambda w: {"pk": w.network_a.municipality_id},
    "geography:zone_detail": lambda w: {"pk": w.network_a.zone_id},
    "geography:zone_edit": lambda w: {"pk": w.network_a.zone_id},
    "geography:zone_merge": lambda w: {"pk": w.network_a.zone_id},
    "geography:academy_detail": lambda w: {"pk": w.session.academy_id},
    # API
    "network-detail": lambda w: {"code": w.network_a.code},
    "network-change-status": lambda w: {"code": w.network_a.code},
    "areastreet-detail": lambda w: {"pk": w.network_a.streets.first().pk},
    "partner-detail": lambda w: {"pk": w.network_a.partners.first().pk},
    "partner-end": lambda w: {"pk": w.network_a.partners.first().pk},
    "charter-detail": lambda w: {"pk": w.charter_a.pk},
    "charter-plan": lambda w: {"pk": w.charter_a.pk},
    "charter-signatures": lambda w: {"pk": w.charter_a.pk},
    "charter-signed-pdf": lambda w: {"pk": w.charter_a.pk},
    "charter-submit": lambda w: {"pk": w.charter_a.pk},
    "charter-review-detail": lambda w: {"pk": w.charter_a.review.pk},
    "charter-review-decide": lambda w: {"pk": w.charter_a.review.pk},
    "letter-detail": lambda w: {"pk": w.letter_a.pk},
    "letter-download": lambda w: {"pk": w.letter_a.pk},
    "sanction-detail": lambda w: {"pk": w.sanction_a.pk},
    "sanction-appeal": lambda w: {"pk": w.sanction_a.pk},
    "region-detail": lambda w: {"pk": w.network_a.municipality.province.region_id},
    "province-detail": lambda w: {"pk": w.network_a.municipality.province_id},
    "municipality-detail": lambda w: {"pk": w.network_a.municipality_id},
    "policezone-detail": lambda w: {"pk": w.network_a.zone_id},
    "postalcode-detail": lambda w: {"pk": "2000"},
    "academy-detail": lambda w: {"pk": w.session.academy_id},
    "join_request_approve": lambda w: {"pk": w.request_a.pk},
    "join_request_decline": lambda w: {"pk": w.request_a.pk},
    "messaging_message_detail": lambda w: {"pk": w.message_a.pk},
    "messaging_message_cancel": lambda w: {"pk": w.message_a.pk},
    "messaging_tip-detail": lambda w: {"pk": w.tip_a.pk},
    "messaging_report_detail": lambda w: {"pk": w.report_a.pk},
    "messaging_report_acknowledge": lambda w: {"pk": w.report_a.pk},
    "messaging_report_answer": lambda w: {"pk": w.report_a.pk},
    "messaging_report_close": lambda w: {"pk": w.report_a.pk},
    "training_session_detail": lambda w: {"pk": w.session.pk},
    "training_session_publish": lambda w: {"pk": w.session.pk},
    "training_session_cancel": lambda w: {"pk": w.session.pk},
    "committee_meeting_detail": lambda w: {"pk": w.meeting.pk},
    "annual_report_detail": lambda w: {"year": 2025},
    "annual_report_freeze": lambda w: {"year": 2025},
    "networks:import_preview": lambda w: {"token": MISSING_UUID},
    "networks:import_commit": lambda w: {"token": MISSING_UUID},
    "networks:import_cancel": lambda w: {"token": MISSING_UUID},
    "training:certificate_verify_code": lambda w: {"code": "NOT-A-CODE"},
    "training_certificate_verify": lambda w: {"code": "NOT-A-CODE"},
    "admin:view_on_site": lambda w: {"content_type_id": "1", "object_id": "1"},
    "admin:app_list": lambda w: {"app_label": "auth"},
}

_BY_KEYWORD = {
    "code": lambda w: w.network_a.code,
    "version": lambda w: 1,
    "token": lambda w: "not-a-token",  # import tokens are UUIDs: see ARGUMENTS
    "uidb64": lambda w: "MQ",
    "uidb36": lambda w: "1",
    "key": lambda w: "not-a-key",
    "file_format": lambda w: "csv",
    "level": lambda w: "municipality",
    "year": lambda w: 2025,
    "language": lambda w: "nl",
    "kind": lambda w: "privacy",
    "verdict": lambda w: "useful",
    "object_id": lambda w: "1",
}


def url_kwargs(name: str, keywords, world: World) -> dict:
    """The keyword arguments `name` is requested with: its entry in ARGUMENTS, else one per keyword."""
    kwargs = {
        keyword: _BY_KEYWORD.get(keyword, lambda w: MISSING)(world) for keyword in keywords if keyword != "format"
    }
    if name in ARGUMENTS:
        kwargs.update(ARGUMENTS[name](world))
    return kwargs


# ---- the manifest ------------------------------------------------------------------------------------------

ADMIN = Rule(anonymous=REDIRECT, others=REDIRECT, note="Django admin: staff only, everybody else to the admin's login")
ALLAUTH = Exempt("allauth's own sign-in, e-mail and MFA flows: tested in accounts/tests (test_allauth_pages, test_mfa)")
# The world's annual report is a draft: ADVP and the Knowledge Centre read it, ADVP writes; nobody else knows it.
DRAFT_REPORT = rule(anonymous=NOT_FOUND, others=NOT_FOUND, ok=NATIONAL, note="a draft report: national roles only")
DRAFT_REPORT_FORM = rule(
    others=NOT_FOUND,
    ok=("advp_admin",),
    forbidden=("knowledge_centre",),
    note="ADVP writes the draft; the Knowledge Centre reads it",
)

MANIFEST: dict[str, Rule | Exempt] = {
    "academy-detail": PUBLIC,
    "academy-list": PUBLIC,
    "account_change_password": ALLAUTH,
    "account_confirm_email": ALLAUTH,
    "account_confirm_login_code": ALLAUTH,
    "account_confirm_reauthentication_code": ALLAUTH,
    "account_email": ALLAUTH,
    "account_email_verification_sent": ALLAUTH,
    "account_inactive": ALLAUTH,
    "account_login": ALLAUTH,
    "account_logout": ALLAUTH,
    "account_reauthenticate": ALLAUTH,
    "account_request_reauthentication_code": ALLAUTH,
    "account_reset_password": ALLAUTH,
    "account_reset_password_done": ALLAUTH,
    "account_reset_password_from_key": ALLAUTH,
    "account_reset_password_from_key_done": ALLAUTH,
    "account_set_password": ALLAUTH,
    "account_signup": ALLAUTH,
    "accounts:invitation_accept": rule(anonymous=BAD_REQUEST, others=BAD_REQUEST),
    "accounts:invitation_cancel": rule(method=("advp_admin",)),
    "accounts:invitation_create": rule(ok=("advp_admin",)),
    "accounts:invitation_list": rule(ok=("advp_admin",)),
    "accounts:profile": SIGNED_IN,
    "accounts:role_grant": rule(method=("advp_admin",)),
    "accounts:role_revoke": rule(method=("advp_admin",)),
    "accounts:scope_fields": rule(ok=("advp_admin",)),
    "accounts:set_language": rule(anonymous=METHOD, others=METHOD),
    "accounts:user_detail": rule(ok=("advp_admin",)),
    "accounts:user_list": rule(ok=("advp_admin",)),
    "admin:account_emailaddress_add": ADMIN,
    "admin:account_emailaddress_change": ADMIN,
    "admin:account_emailaddress_changelist": ADMIN,
    "admin:account_emailaddress_delete": ADMIN,
    "admin:account_emailaddress_history": ADMIN,
    "admin:app_list": ADMIN,
    "admin:auth_group_add": ADMIN,
    "admin:auth_group_change": ADMIN,
    "admin:auth_group_changelist": ADMIN,
    "admin:auth_group_delete": ADMIN,
    "admin:auth_group_history": ADMIN,
    "admin:authtoken_tokenproxy_add": ADMIN,
    "admin:authtoken_tokenproxy_change": ADMIN,
    "admin:authtoken_tokenproxy_changelist": ADMIN,
    "admin:authtoken_tokenproxy_delete": ADMIN,
    "admin:authtoken_tokenproxy_history": ADMIN,
    "admin:autocomplete": ADMIN,
    "admin:django_tasks_database_dbtaskresult_add": ADMIN,
    "admin:django_tasks_database_dbtaskresult_change": ADMIN,
    "admin:django_tasks_database_dbtaskresult_changelist": ADMIN,
    "admin:django_tasks_database_dbtaskresult_delete": ADMIN,
    "admin:django_tasks_database_dbtaskresult_history": ADMIN,
    "admin:index": ADMIN,
    "admin:jsi18n": ADMIN,
    "admin:login": PUBLIC,
    "admin:logout": ADMIN,
    "admin:mfa_authenticator_add": ADMIN,
    "admin:mfa_authenticator_change": ADMIN,
    "admin:mfa_authenticator_changelist": ADMIN,
    "admin:mfa_authenticator_delete": ADMIN,
    "admin:mfa_authenticator_history": ADMIN,
    "admin:password_change": ADMIN,
    "admin:password_change_done": ADMIN,
    "admin:view_on_site": ADMIN,
    "annual_report_detail": rule(anonymous=NOT_FOUND, others=NOT_FOUND, ok=NATIONAL),
    "annual_report_freeze": API_POST_ONLY,
    "annual_report_list": PUBLIC,
    "api-root": PUBLIC,
    "api_docs": PUBLIC,
    "api_schema": PUBLIC,
    "areastreet-detail": rule(
        anonymous=DENIED, others=OK, hidden=("other_zone_officer", "member", "trainer", "outsider")
    ),
    "areastreet-list": API_SIGNED_IN,
    "charter-detail": rule(anonymous=DENIED, others=OK, hidden=("other_zone_officer", "member", "trainer", "outsider")),
    "charter-list": API_SIGNED_IN,
    "charter-plan": API_POST_ONLY,
    "charter-review-decide": API_POST_ONLY,
    "charter-review-detail": rule(
        anonymous=DENIED, ok=("advp_admin",), hidden=("other_zone_officer", "member", "trainer", "outsider")
    ),
    "charter-review-list": rule(anonymous=DENIED, ok=("advp_admin",)),
    "charter-signatures": API_POST_ONLY,
    "charter-signed-pdf": API_POST_ONLY,
    "charter-submit": API_POST_ONLY,
    "committee:action_create": rule(anonymous=METHOD, others=METHOD),
    "committee:action_list": rule(others=NOT_FOUND, ok=("advp_admin", "knowledge_centre")),
    "committee:action_status": rule(anonymous=METHOD, others=METHOD),
    "committee:agenda_item_create": rule(anonymous=METHOD, others=METHOD),
    "committee:category_create": rule(others=NOT_FOUND, ok=("advp_admin",), forbidden=("knowledge_centre",)),
    "committee:category_edit": rule(others=NOT_FOUND),
    "committee:composition": rule(others=NOT_FOUND, ok=("advp_admin", "knowledge_centre")),
    "committee:decision_create": rule(anonymous=METHOD, others=METHOD),
    "committee:document_create": rule(others=NOT_FOUND),
    "committee:document_download": rule(others=NOT_FOUND),
    "committee:invitation": rule(anonymous=NOT_FOUND, others=NOT_FOUND),
    "committee:invitation_document": rule(anonymous=NOT_FOUND, others=NOT_FOUND),
    "committee:meeting_cancel": rule(others=NOT_FOUND, ok=("advp_admin", "knowledge_centre")),
    "committee:meeting_create": rule(others=NOT_FOUND, ok=("advp_admin", "knowledge_centre")),
    "committee:meeting_detail": rule(others=NOT_FOUND, ok=("advp_admin", "knowledge_centre")),
    "committee:meeting_edit": rule(others=NOT_FOUND, ok=("advp_admin", "knowledge_centre")),
    "committee:meeting_invite": rule(others=NOT_FOUND, ok=("advp_admin", "knowledge_centre")),
    "committee:meeting_list": rule(others=NOT_FOUND, ok=("advp_admin", "knowledge_centre")),
    "committee:minutes_edit": rule(others=NOT_FOUND, ok=("advp_admin", "knowledge_centre")),
    "committee:term_create": rule(others=NOT_FOUND, ok=("advp_admin",), forbidden=("knowledge_centre",)),
    "committee:term_end": rule(others=NOT_FOUND),
    "committee_action_detail": rule(anonymous=DENIED, others=NOT_FOUND),
    "committee_action_list": rule(anonymous=DENIED, others=NOT_FOUND, ok=("advp_admin", "knowledge_centre")),
    "committee_meeting_detail": rule(anonymous=DENIED, others=NOT_FOUND, ok=("advp_admin", "knowledge_centre")),
    "committee_meeting_list": rule(anonymous=DENIED, others=NOT_FOUND, ok=("advp_admin", "knowledge_centre")),
    "committee_seat_list": rule(anonymous=DENIED, others=NOT_FOUND, ok=("advp_admin", "knowledge_centre")),
    "committee_term_list": rule(anonymous=DENIED, others=NOT_FOUND, ok=("advp_admin", "knowledge_centre")),
    "core:audit_list": rule(ok=("advp_admin",)),
    "core:home": PUBLIC,
    "dashboard:board": rule(others=OK, forbidden=("coordinator", "member", "trainer", "outsider")),
    "dashboard:board_geojson": rule(others=OK, forbidden=("coordinator", "member", "trainer", "outsider")),
    "dashboard:open_data": PUBLIC,
    "dashboard:open_data_csv": PUBLIC,
    "dashboard:open_data_json": PUBLIC,
    "dashboard:public_statistics": PUBLIC,
    "dashboard:report_delete": rule(anonymous=METHOD, others=METHOD),
    "dashboard:report_detail": DRAFT_REPORT,
    "dashboard:report_edit": DRAFT_REPORT_FORM,
    "dashboard:report_freeze": DRAFT_REPORT_FORM,
    "dashboard:report_list": PUBLIC,
    "dashboard:report_pdf": DRAFT_REPORT,
    "dashboard:report_start": rule(anonymous=METHOD, others=METHOD),
    "finder": rule(anonymous=BAD_REQUEST, others=BAD_REQUEST),
    "geography:about_data": PUBLIC,
    "geography:academy_detail": PUBLIC,
    "geography:academy_list": PUBLIC,
    "geography:index": PUBLIC,
    "geography:map": PUBLIC,
    "geography:municipalities_geojson": PUBLIC,
    "geography:municipality_detail": PUBLIC,
    "geography:municipality_list": PUBLIC,
    "geography:zone_detail": PUBLIC,
    "geography:zone_edit": rule(ok=("advp_admin",)),
    "geography:zone_list": PUBLIC,
    "geography:zone_merge": rule(ok=("advp_admin",)),
    "geography:zones_geojson": PUBLIC,
    "healthz": PUBLIC,
    "join_request_approve": API_POST_ONLY,
    "join_request_decline": API_POST_ONLY,
    "letter-detail": rule(anonymous=DENIED, others=OK, hidden=("other_zone_officer", "member", "trainer", "outsider")),
    "letter-download": rule(
        anonymous=DENIED, others=OK, hidden=("other_zone_officer", "member", "trainer", "outsider")
    ),
    "letter-list": API_SIGNED_IN,
    "member_counts": rule(anonymous=DENIED, others=OK, forbidden=("member", "trainer", "outsider")),
    "members:find": PUBLIC,
    "members:map": PUBLIC,
    "members:networks_geojson": PUBLIC,
    "members_join:confirm": rule(anonymous=BAD_REQUEST, others=BAD_REQUEST),
    "members_join:document_publish": rule(ok=("advp_admin", "knowledge_centre")),
    "members_join:index": rule(anonymous=REDIRECT, others=REDIRECT),
    "members_join:join": PUBLIC,
    "members_join:join_sent": PUBLIC,
    "members_join:network_rules": PUBLIC,
    "members_join:network_rules_publish": rule(
        others=NOT_FOUND,
        ok=("advp_admin", "zone_officer", "coordinator"),
        forbidden=("knowledge_centre", "municipality_official"),
    ),
    "members_join:network_rules_version": rule(anonymous=NOT_FOUND, others=NOT_FOUND),
    "members_join:privacy": PUBLIC,
    "members_join:privacy_version": rule(anonymous=NOT_FOUND, others=NOT_FOUND),
    "members_join:rules": PUBLIC,
    "members_join:rules_version": rule(anonymous=NOT_FOUND, others=NOT_FOUND),
    "members_manage:counts": rule(others=OK, forbidden=("member", "trainer", "outsider")),
    "members_manage:counts_csv": rule(others=OK, forbidden=("member", "trainer", "outsider")),
    "members_manage:index": rule(others=OK, forbidden=("member", "trainer", "outsider")),
    "members_manage:member_add": rule(others=NOT_FOUND, ok=("zone_officer", "coordinator")),
    "members_manage:member_detail": rule(others=NOT_FOUND, ok=("zone_officer", "coordinator")),
    "members_manage:member_export": rule(others=NOT_FOUND, ok=("zone_officer", "coordinator")),
    "members_manage:member_figures": rule(others=NOT_FOUND, ok=("zone_officer", "coordinator")),
    "members_manage:member_list": rule(others=NOT_FOUND, ok=("zone_officer", "coordinator")),
    "members_manage:membership_lift": POST_ONLY,
    "members_manage:membership_sanction": rule(others=NOT_FOUND, ok=("zone_officer", "coordinator")),
    "members_manage:request_approve": POST_ONLY,
    "members_manage:request_cancel": POST_ONLY,
    "members_manage:request_decline": rule(others=NOT_FOUND, ok=("zone_officer", "coordinator")),
    "members_manage:request_list": rule(others=NOT_FOUND, ok=("zone_officer", "coordinator")),
    "members_portal:choices": SIGNED_IN,
    "members_portal:document": SIGNED_IN,
    "members_portal:download": SIGNED_IN,
    "members_portal:download_json": SIGNED_IN,
    "members_portal:erase": SIGNED_IN,
    "members_portal:erased": PUBLIC,
    "members_portal:home": SIGNED_IN,
    "members_portal:member_data": SIGNED_IN,
    "members_portal:membership_leave": SIGNED_IN,
    "members_portal:pause_end": rule(others=OK, method=("member",)),
    "members_portal:sign_in": rule(anonymous=OK, others=OK, redirect=("member",)),
    "members_portal:sign_in_link": rule(anonymous=BAD_REQUEST, others=BAD_REQUEST),
    "members_portal:sign_in_sent": PUBLIC,
    "message_statistics": rule(anonymous=DENIED, others=OK, forbidden=("coordinator", "member", "trainer", "outsider")),
    "messaging:compose": rule(ok=("zone_officer", "other_zone_officer", "coordinator")),
    "messaging:feedback_due": rule(ok=("zone_officer", "other_zone_officer")),
    "messaging:message_cancel": POST_ONLY,
    "messaging:message_detail": rule(others=NOT_FOUND, ok=("zone_officer", "municipality_official", "coordinator")),
    "messaging:message_list": rule(ok=("zone_officer", "other_zone_officer", "municipality_official", "coordinator")),
    "messaging:message_tracking": rule(
        others=NOT_FOUND, redirect=("zone_officer", "municipality_official", "coordinator")
    ),
    "messaging:network_log": rule(others=NOT_FOUND, ok=("zone_officer", "municipality_official", "coordinator")),
    "messaging:network_problems": rule(
        others=NOT_FOUND, ok=("zone_officer", "coordinator"), forbidden=("municipality_official",)
    ),
    "messaging:rate": rule(anonymous=NOT_FOUND, others=NOT_FOUND),
    "messaging:reply": rule(anonymous=NOT_FOUND, others=NOT_FOUND),
    "messaging:reply_list": rule(ok=("zone_officer", "other_zone_officer", "coordinator")),
    "messaging:reply_read": POST_ONLY,
    "messaging:report_acknowledge": POST_ONLY,
    "messaging:report_answer": POST_ONLY,
    "messaging:report_close": POST_ONLY,
    "messaging:report_detail": rule(others=NOT_FOUND, ok=("zone_officer",), forbidden=("member",)),
    "messaging:report_list": rule(ok=("zone_officer", "other_zone_officer")),
    "messaging:sms_status": rule(anonymous=NOT_FOUND, others=NOT_FOUND),
    "messaging:statistics": rule(others=OK, forbidden=("coordinator", "member", "trainer", "outsider")),
    "messaging:tip_create": rule(ok=("advp_admin", "knowledge_centre", "zone_officer", "other_zone_officer")),
    "messaging:tip_delete": rule(
        others=NOT_FOUND, forbidden=("advp_admin", "knowledge_centre", "coordinator"), ok=("zone_officer",)
    ),
    "messaging:tip_edit": rule(
        others=NOT_FOUND, forbidden=("advp_admin", "knowledge_centre", "coordinator"), ok=("zone_officer",)
    ),
    "messaging:tip_list": rule(others=OK, forbidden=("municipality_official", "member", "trainer", "outsider")),
    "messaging:unsubscribe": rule(anonymous=NOT_FOUND, others=NOT_FOUND),
    "messaging_message_cancel": API_POST_ONLY,
    "messaging_message_detail": rule(
        anonymous=DENIED, others=NOT_FOUND, ok=("zone_officer", "municipality_official", "coordinator")
    ),
    "messaging_message_list": rule(
        anonymous=DENIED, ok=("zone_officer", "other_zone_officer", "municipality_official", "coordinator")
    ),
    "messaging_message_preview": API_POST_ONLY,
    "messaging_portal:inbox": SIGNED_IN,
    "messaging_portal:inbox_message": rule(others=OK, hidden=("member",)),
    "messaging_portal:inbox_rate": rule(others=OK, method=("member",)),
    "messaging_portal:inbox_reply": rule(others=OK, method=("member",)),
    "messaging_portal:report_list": SIGNED_IN,
    "messaging_portal:report_new": SIGNED_IN,
    "messaging_reply_list": rule(anonymous=DENIED, ok=("zone_officer", "other_zone_officer", "coordinator")),
    "messaging_report_acknowledge": API_POST_ONLY,
    "messaging_report_answer": API_POST_ONLY,
    "messaging_report_close": API_POST_ONLY,
    "messaging_report_detail": rule(anonymous=DENIED, others=NOT_FOUND, ok=("zone_officer",), forbidden=("member",)),
    "messaging_report_list": rule(anonymous=DENIED, ok=("zone_officer", "other_zone_officer")),
    "messaging_tip-detail": rule(
        anonymous=DENIED,
        others=OK,
        hidden=("other_zone_officer",),
        forbidden=("municipality_official", "member", "trainer", "outsider"),
    ),
    "messaging_tip-list": rule(
        anonymous=DENIED, others=OK, forbidden=("municipality_official", "member", "trainer", "outsider")
    ),
    "mfa_activate_totp": ALLAUTH,
    "mfa_authenticate": ALLAUTH,
    "mfa_deactivate_totp": ALLAUTH,
    "mfa_download_recovery_codes": ALLAUTH,
    "mfa_generate_recovery_codes": ALLAUTH,
    "mfa_index": ALLAUTH,
    "mfa_reauthenticate": ALLAUTH,
    "mfa_view_recovery_codes": ALLAUTH,
    "municipality-detail": PUBLIC,
    "municipality-list": PUBLIC,
    "network-change-status": API_POST_ONLY,
    "network-detail": rule(anonymous=DENIED, others=OK, hidden=("other_zone_officer", "member", "trainer", "outsider")),
    "network-list": API_SIGNED_IN,
    "network_join_requests": rule(anonymous=DENIED, others=NOT_FOUND, ok=("zone_officer", "coordinator")),
    "network_members": rule(anonymous=DENIED, others=NOT_FOUND, ok=("zone_officer", "coordinator")),
    "network_message_log": rule(
        anonymous=DENIED, others=NOT_FOUND, ok=("zone_officer", "municipality_official", "coordinator")
    ),
    "networks:area_edit": rule(
        others=NOT_FOUND,
        ok=("advp_admin", "zone_officer"),
        forbidden=("knowledge_centre", "municipality_official", "coordinator"),
    ),
    "networks:area_geojson": rule(others=OK, hidden=("other_zone_officer", "member", "trainer", "outsider")),
    "networks:area_polygon": POST_ONLY,
    "networks:area_street_add": POST_ONLY,
    "networks:area_street_remove": POST_ONLY,
    "networks:area_street_suggestions": rule(
        others=NOT_FOUND,
        ok=("advp_admin", "zone_officer"),
        forbidden=("knowledge_centre", "municipality_official", "coordinator"),
    ),
    "networks:area_streets_paste": POST_ONLY,
    "networks:charter_contacts_refresh": POST_ONLY,
    "networks:charter_create": POST_ONLY,
    "networks:charter_detail": rule(others=OK, hidden=("other_zone_officer", "member", "trainer", "outsider")),
    "networks:charter_pdf": rule(others=OK, hidden=("other_zone_officer", "member", "trainer", "outsider")),
    "networks:charter_plan": rule(
        others=NOT_FOUND,
        redirect=("advp_admin", "zone_officer"),
        forbidden=("knowledge_centre", "municipality_official", "coordinator"),
    ),
    "networks:charter_review": rule(
        redirect=("advp_admin",), hidden=("other_zone_officer", "member", "trainer", "outsider")
    ),
    "networks:charter_sign": rule(
        others=NOT_FOUND,
        redirect=("advp_admin", "zone_officer"),
        forbidden=("knowledge_centre", "municipality_official", "coordinator"),
    ),
    "networks:charter_submit": POST_ONLY,
    "networks:charter_upload": rule(
        others=NOT_FOUND,
        redirect=("advp_admin", "zone_officer"),
        forbidden=("knowledge_centre", "municipality_official", "coordinator"),
    ),
    "networks:checklist_item_create": rule(ok=("advp_admin",)),
    "networks:checklist_item_edit": rule(hidden=("advp_admin",)),
    "networks:checklist_list": rule(ok=("advp_admin",)),
    "networks:import_cancel": rule(anonymous=METHOD, others=METHOD),
    "networks:import_commit": rule(anonymous=METHOD, others=METHOD),
    "networks:import_preview": rule(hidden=("advp_admin", "zone_officer", "other_zone_officer")),
    "networks:import_start": rule(ok=("advp_admin", "zone_officer", "other_zone_officer")),
    "networks:import_template": rule(ok=("advp_admin", "zone_officer", "other_zone_officer")),
    "networks:letter_download": rule(others=OK, hidden=("other_zone_officer", "member", "trainer", "outsider")),
    "networks:network_create": rule(ok=("advp_admin", "zone_officer", "other_zone_officer")),
    "networks:network_detail": rule(others=OK, hidden=("other_zone_officer", "member", "trainer", "outsider")),
    "networks:network_edit": rule(
        others=NOT_FOUND,
        ok=("advp_admin", "zone_officer"),
        forbidden=("knowledge_centre", "municipality_official", "coordinator"),
    ),
    "networks:network_export": rule(others=OK, forbidden=("member", "trainer", "outsider")),
    "networks:network_list": rule(others=OK, forbidden=("member", "trainer", "outsider")),
    "networks:network_sanctions": rule(
        others=NOT_FOUND, ok=("advp_admin", "zone_officer", "municipality_official", "coordinator")
    ),
    "networks:network_status": rule(
        others=NOT_FOUND,
        ok=("advp_admin", "zone_officer"),
        forbidden=("knowledge_centre", "municipality_official", "coordinator"),
    ),
    "networks:partner_add": rule(
        others=NOT_FOUND,
        ok=("advp_admin", "zone_officer"),
        forbidden=("knowledge_centre", "municipality_official", "coordinator"),
    ),
    "networks:partner_edit": rule(
        others=NOT_FOUND,
        ok=("advp_admin", "zone_officer"),
        forbidden=("knowledge_centre", "municipality_official", "coordinator"),
    ),
    "networks:partner_end": rule(
        others=NOT_FOUND,
        ok=("advp_admin", "zone_officer"),
        forbidden=("knowledge_centre", "municipality_official", "coordinator"),
    ),
    "networks:review_queue": rule(ok=("advp_admin",)),
    "networks:sanction_appeal": rule(others=NOT_FOUND, redirect=("zone_officer", "coordinator")),
    "networks:sanction_create": rule(
        others=NOT_FOUND,
        ok=("advp_admin", "zone_officer", "coordinator"),
        forbidden=("knowledge_centre", "municipality_official"),
    ),
    "networks:sanction_national_list": rule(ok=("advp_admin",)),
    "open_data_index": PUBLIC,
    "open_data_level": PUBLIC,
    "partner-detail": rule(anonymous=DENIED, others=OK, hidden=("other_zone_officer", "member", "trainer", "outsider")),
    "partner-end": API_POST_ONLY,
    "partner-list": API_SIGNED_IN,
    "policezone-detail": PUBLIC,
    "policezone-list": PUBLIC,
    "postalcode-detail": rule(anonymous=NOT_FOUND, others=NOT_FOUND),
    "postalcode-list": PUBLIC,
    "practice-detail": rule(anonymous=NOT_FOUND, others=NOT_FOUND),
    "practice-list": PUBLIC,
    "practices:attachment_download": rule(anonymous=NOT_FOUND, others=NOT_FOUND),
    "practices:attachment_remove": POST_ONLY,
    "practices:feed": PUBLIC,
    "practices:moderation_queue": rule(ok=("knowledge_centre",)),
    "practices:my_practices": SIGNED_IN,
    "practices:practice_archive": POST_ONLY,
    "practices:practice_comment": POST_ONLY,
    "practices:practice_create": rule(others=OK, forbidden=("member", "outsider")),
    "practices:practice_detail": rule(anonymous=NOT_FOUND, others=NOT_FOUND),
    "practices:practice_edit": rule(others=NOT_FOUND),
    "practices:practice_helpful": POST_ONLY,
    "practices:practice_list": PUBLIC,
    "practices:practice_print": rule(anonymous=NOT_FOUND, others=NOT_FOUND),
    "practices:practice_publish": POST_ONLY,
    "practices:practice_request_changes": POST_ONLY,
    "practices:practice_submit": POST_ONLY,
    "practices:practice_translate": rule(others=NOT_FOUND),
    "province-detail": PUBLIC,
    "province-list": PUBLIC,
    "region-detail": PUBLIC,
    "region-list": PUBLIC,
    "sanction-appeal": API_POST_ONLY,
    "sanction-detail": rule(anonymous=DENIED, others=NOT_FOUND, ok=("zone_officer", "coordinator")),
    "sanction-list": API_SIGNED_IN,
    "training:certificate_pdf": rule(others=NOT_FOUND),
    "training:certificate_revoke": rule(others=NOT_FOUND),
    "training:certificate_verify": PUBLIC,
    "training:certificate_verify_code": rule(anonymous=BAD_REQUEST, others=BAD_REQUEST),
    "training:course_create": rule(ok=("knowledge_centre",)),
    "training:course_detail": rule(others=OK, hidden=("member", "outsider")),
    "training:course_edit": rule(ok=("knowledge_centre",), hidden=("member", "outsider")),
    "training:course_list": rule(others=OK, forbidden=("member", "outsider")),
    "training:coverage": rule(ok=("advp_admin", "knowledge_centre", "zone_officer", "other_zone_officer")),
    "training:coverage_export": rule(ok=("advp_admin", "knowledge_centre", "zone_officer", "other_zone_officer")),
    "training:enrolment_approve": POST_ONLY,
    "training:enrolment_cancel": rule(others=NOT_FOUND),
    "training:enrolment_decline": rule(others=NOT_FOUND),
    "training:enrolment_promote": rule(others=NOT_FOUND),
    "training:material_add": rule(redirect=("knowledge_centre",), hidden=("member", "outsider")),
    "training:material_download": rule(others=NOT_FOUND),
    "training:material_remove": rule(others=NOT_FOUND),
    "training:module_add": rule(redirect=("knowledge_centre",), hidden=("member", "outsider")),
    "training:module_edit": rule(others=NOT_FOUND),
    "training:module_move": POST_ONLY,
    "training:module_remove": rule(others=NOT_FOUND),
    "training:participant": rule(anonymous=NOT_FOUND, others=NOT_FOUND),
    "training:participant_cancel": rule(anonymous=METHOD, others=METHOD),
    "training:participant_certificate": rule(anonymous=NOT_FOUND, others=NOT_FOUND),
    "training:participant_evaluation": rule(anonymous=NOT_FOUND, others=NOT_FOUND),
    "training:participant_link": PUBLIC,
    "training:participant_me": rule(others=NOT_FOUND),
    "training:policy": rule(ok=("advp_admin", "knowledge_centre")),
    "training:question_add": rule(redirect=("knowledge_centre",), hidden=("member", "outsider")),
    "training:question_edit": rule(others=NOT_FOUND),
    "training:question_move": POST_ONLY,
    "training:question_remove": rule(others=NOT_FOUND),
    "training:request_confirm": rule(anonymous=NOT_FOUND, others=NOT_FOUND),
    "training:request_sent": PUBLIC,
    "training:session_attendance": rule(ok=("trainer",)),
    "training:session_cancel": rule(ok=("trainer",)),
    "training:session_close": rule(ok=("trainer",)),
    "training:session_create": rule(ok=("trainer",)),
    "training:session_detail": PUBLIC,
    "training:session_edit": rule(ok=("trainer",)),
    "training:session_enrol": rule(ok=("zone_officer", "other_zone_officer", "trainer")),
    "training:session_ics": PUBLIC,
    "training:session_list": PUBLIC,
    "training:session_publish": POST_ONLY,
    "training:session_request": PUBLIC,
    "training:statistics": rule(ok=("advp_admin", "knowledge_centre", "trainer")),
    "training:version_create": POST_ONLY,
    "training:version_detail": rule(others=OK, hidden=("member", "outsider")),
    "training:version_edit": rule(redirect=("knowledge_centre",), hidden=("member", "outsider")),
    "training:version_make_current": rule(redirect=("knowledge_centre",), hidden=("member", "outsider")),
    "training:zone_overview": rule(ok=("zone_officer", "other_zone_officer")),
    "training_certificate_verify": rule(anonymous=BAD_REQUEST, others=BAD_REQUEST),
    "training_coverage": rule(
        anonymous=DENIED, ok=("advp_admin", "knowledge_centre", "zone_officer", "other_zone_officer")
    ),
    "training_enrolment_cancel": API_POST_ONLY,
    "training_enrolment_list": API_SIGNED_IN,
    "training_session_cancel": API_POST_ONLY,
    "training_session_detail": PUBLIC,
    "training_session_list": PUBLIC,
    "training_session_publish": API_POST_ONLY,
    "training_statistics": rule(anonymous=DENIED, ok=("advp_admin", "knowledge_centre", "trainer")),
}
