"""The annual report's pages: who may do what on each URL, ADVP's whole flow (start, texts in several languages,
freeze), what a frozen report keeps, refused input, the audit trail and the PDF (text, pages, languages, cache)."""

from __future__ import annotations

import datetime
import io
import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.models import AuditEvent
from core.testing.matrix import assert_permission_matrix
from dashboard import report_pdf as pdf_module
from dashboard.models import AnnualReport
from dashboard.report_document import report_figures
from dashboard.report_selectors import compute_report_figures
from dashboard.report_services import TEXT_MAX
from networks.models import CharterReview, Network

from .test_opendata_support import BOOM, GENT, HEMIKSEM, RUPEL, network
from .test_report_figures import charter

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year
YEAR = THIS_YEAR - 1  # a year that is over: its report can be frozen
GENT_ZONE = 5415
LIST, START = "/statistics/reports/", "/statistics/reports/start/"
_numbers = itertools.count(1)
DRAFT, FROZEN = "draft", "frozen"


def detail(year: int = YEAR) -> str:
    return f"/statistics/reports/{year}/"


def pdf_url(year: int = YEAR, language: str = "en") -> str:
    return f"/statistics/reports/{year}/report-{language}.pdf"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def advp(personas):
    """ADVP, reading the site in English (the account's language wins over cookies)."""
    user = personas.advp_admin
    user.language = "en"
    user.save()
    return user


@pytest.fixture
def register(personas):
    """Two networks active during YEAR (one founded the year before), on top of the personas' networks."""
    network(BOOM, RUPEL, "Boom Centrum", "residential", f"{YEAR - 1}-03-01", [("active", f"{YEAR - 1}-03-01")])
    network(GENT, GENT_ZONE, "Gent Zuid", "residential", f"{YEAR}-04-01", [("active", f"{YEAR}-04-01")])


def add_network() -> None:
    n = next(_numbers)
    network(HEMIKSEM, RUPEL, f"Later {n}", "residential", f"{YEAR}-05-01", [("active", f"{YEAR}-05-01")])


def _report(status: str = DRAFT, year: int = YEAR, **texts) -> AnnualReport:
    values = {"status": status, **texts}
    if status == FROZEN:
        values.update(figures=compute_report_figures(year), frozen_at=timezone.now())
    return AnnualReport.objects.create(year=year, **values)


def _people(personas) -> dict:
    return personas.all()


def _expect(client, personas, url: str, expected: dict, *, method: str = "get", data=None) -> None:
    """Each persona (and "anonymous") gets the status given in `expected`, else `expected["others"]`."""
    people = {"anonymous": None, **_people(personas)}
    for name, user in people.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = getattr(client, method)(url, data or {})
        wanted = expected.get(name, expected.get("others"))
        assert response.status_code == wanted, f"{name} {method.upper()} {url}: {response.status_code} != {wanted}"
    client.logout()


def _pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def _audit(report_pk: int) -> list[tuple[str, dict]]:
    kind = ContentType.objects.get_for_model(AnnualReport)
    return [
        (event.action, event.changes)
        for event in AuditEvent.objects.filter(content_type=kind, object_id=str(report_pk)).order_by("pk")
    ]


def _first_row(response) -> list[str]:
    """The row "Active networks on …" of the first table of the networks section."""
    return response.context["document"].sections[0].tables[0].rows[0]


# --- permissions -----------------------------------------------------------------------------------------------------


def test_the_url_names():
    assert reverse("dashboard:report_list") == LIST
    assert reverse("dashboard:report_start") == START
    assert reverse("dashboard:report_detail", args=[YEAR]) == detail()
    assert reverse("dashboard:report_pdf", args=[YEAR, "nl"]) == pdf_url(language="nl")


def test_the_list_is_public_and_shows_drafts_to_advp_and_the_knowledge_centre(client, personas, register):
    _report(FROZEN, year=YEAR - 1)
    _report(year=YEAR)
    _expect(client, personas, LIST, {"others": 200})
    for user, drafts in ((personas.advp_admin, True), (personas.knowledge_centre, True), (personas.coordinator, False)):
        client.force_login(user)
        response = client.get(LIST)
        assert [report.year for report in response.context["reports"]] == ([YEAR, YEAR - 1] if drafts else [YEAR - 1])
        assert (START.encode() in response.content) is (user == personas.advp_admin)
    client.logout()
    assert [report.year for report in client.get(LIST).context["reports"]] == [YEAR - 1]


def test_only_advp_starts_a_report(client, personas, register):
    assert_permission_matrix(
        client,
        START,
        method="post",
        data={"year": YEAR},
        allowed=[personas.advp_admin],
        in_scope_wrong_role=[user for name, user in _people(personas).items() if name != "advp_admin"],
        allowed_status=(302,),
    )
    assert list(AnnualReport.objects.values_list("year", "created_by")) == [(YEAR, personas.advp_admin.pk)]


def test_a_draft_does_not_exist_but_for_advp_and_the_knowledge_centre(client, personas, register):
    _report()
    readers = {"advp_admin": 200, "knowledge_centre": 200, "others": 404}
    _expect(client, personas, detail(), readers)
    _expect(client, personas, pdf_url(), readers)
    _expect(client, personas, pdf_url(language="fr"), readers)


@pytest.mark.parametrize(
    ("path", "method", "status"),
    [("edit/", "get", 200), ("freeze/", "get", 200), ("edit/", "post", 302), ("delete/", "post", 302)],
)
def test_only_advp_writes_a_draft(client, personas, register, path, method, status):
    _report()
    readers = {"advp_admin", "knowledge_centre"}
    assert_permission_matrix(
        client,
        detail() + path,
        method=method,
        data={"foreword": "Voorwoord"} if path == "edit/" and method == "post" else None,
        allowed=[personas.advp_admin],
        in_scope_wrong_role=[personas.knowledge_centre],
        hidden=[user for name, user in _people(personas).items() if name not in readers],
        allowed_status=(status,),
    )


def test_a_frozen_report_is_public(client, personas, register):
    _report(FROZEN)
    _expect(client, personas, detail(), {"others": 200})
    _expect(client, personas, pdf_url(language="nl"), {"others": 200})


@pytest.mark.parametrize("path", ["edit/", "freeze/"])
def test_only_advp_reaches_the_forms_of_a_frozen_report(client, personas, register, path):
    _report(FROZEN)
    assert_permission_matrix(
        client,
        detail() + path,
        allowed=[personas.advp_admin],
        in_scope_wrong_role=[user for name, user in _people(personas).items() if name != "advp_admin"],
        allowed_status=(302,) if path == "edit/" else (200,),
    )


def test_no_report_no_page(client, personas, register):
    _expect(client, personas, detail(), {"others": 404})
    _expect(client, personas, pdf_url(), {"others": 404})
    client.force_login(personas.advp_admin)
    assert client.get(detail() + "edit/").status_code == 404
    assert client.post(detail() + "freeze/").status_code == 404
    assert client.post(detail() + "delete/").status_code == 404


# --- the flow ------------------------------------------------------------------------------------------------------


def test_advp_writes_freezes_and_publishes_the_report(client, personas, advp, register):
    client.force_login(advp)
    response = client.post(START, {"year": YEAR})
    assert response.status_code == 302 and response["Location"] == detail()
    report = AnnualReport.objects.get(year=YEAR)
    assert report.status == DRAFT and report.figures is None

    response = client.get(detail())
    assert response.status_code == 200 and b"data-draft" in response.content
    assert _first_row(response)[1:3] == ["2", "1"]  # active networks in YEAR, the year before

    english = {
        "foreword": "A **good** year. <script>alert('x')</script>",
        "comment_networks": "Two networks are *active*.",
    }
    response = client.post(detail() + "edit/?language=en", english)
    assert response.status_code == 302 and response["Location"] == detail() + "edit/?language=en"
    response = client.post(detail() + "edit/?language=nl", {"foreword": "Een goed jaar.", "comment_growth": "Groei."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.foreword_en.startswith("A **good** year.") and report.foreword_nl == "Een goed jaar."
    assert report.comments == {"networks": {"en": "Two networks are *active*."}, "growth": {"nl": "Groei."}}
    form = client.get(detail() + "edit/?language=nl")
    assert form.context["form"].initial["foreword"] == "Een goed jaar."

    content = client.get(detail()).content.decode()
    assert "A <strong>good</strong> year." in content and "Two networks are <em>active</em>." in content
    assert "<script>alert" not in content
    assert "Groei." in content  # no English comment on growth: the Dutch one is shown
    # The Knowledge Centre reads French: no French texts, so the Dutch foreword.
    client.force_login(personas.knowledge_centre)
    assert "Een goed jaar." in client.get(detail()).content.decode()

    client.force_login(advp)
    assert client.get(detail() + "freeze/").status_code == 200
    response = client.post(detail() + "freeze/")
    assert response.status_code == 302 and response["Location"] == detail()
    report.refresh_from_db()
    assert report.status == FROZEN and report.frozen_by == advp and report.frozen_at
    assert report.figures["networks"]["total"]["active"] == {"value": 2, "previous": 1}
    pdf_before = client.get(pdf_url()).content

    add_network()  # the register changes after freezing
    client.logout()
    response = client.get(detail(), HTTP_COOKIE="binplp_language=en")
    assert response.status_code == 200 and b"data-draft" not in response.content
    assert _first_row(response)[1:3] == ["2", "1"]  # the frozen figures
    assert report_figures(AnnualReport.objects.get(year=YEAR))["networks"]["total"]["active"]["value"] == 2
    assert compute_report_figures(YEAR)["networks"]["total"]["active"]["value"] == 3
    _reader, text = _pdf_text(client.get(pdf_url()).content)
    assert client.get(pdf_url()).content == pdf_before
    # A new draft (the current year) reads the register now: 3 networks active at the end of YEAR.
    client.force_login(advp)
    assert client.post(START, {"year": THIS_YEAR}).status_code == 302
    assert _first_row(client.get(detail(THIS_YEAR)))[2] == "3"
    assert "Active networks on" in text

    assert [action for action, _changes in _audit(report.pk)] == ["create", "update", "update", "update"]
    changes = [changes for _action, changes in _audit(report.pk)]
    assert changes[0] == {"year": YEAR}
    assert "foreword_en" in changes[1] and "foreword_nl" in changes[2]
    assert changes[3]["status"] == ["draft", "frozen"]


def test_deleting_a_draft(client, advp, register):
    client.force_login(advp)
    client.post(START, {"year": YEAR})
    report = AnnualReport.objects.get(year=YEAR)
    response = client.post(detail() + "delete/")
    assert response.status_code == 302 and response["Location"] == LIST
    assert not AnnualReport.objects.exists()
    assert [action for action, _changes in _audit(report.pk)] == ["create", "delete"]


# --- refused input ---------------------------------------------------------------------------------------------------


def test_a_year_without_data_cannot_be_started(client, advp, register):
    client.force_login(advp)
    response = client.post(START, {"year": 2010})
    assert response.status_code == 400
    assert "The register holds no figures for 2010" in response.content.decode()
    response = client.post(START, {"year": THIS_YEAR + 1})
    assert response.status_code == 400 and "has not begun yet" in response.content.decode()
    response = client.post(START, {"year": "soon"})
    assert response.status_code == 400
    assert not AnnualReport.objects.exists() and not AuditEvent.objects.filter(action="create").filter(
        content_type=ContentType.objects.get_for_model(AnnualReport)
    )


def test_a_year_is_started_once(client, advp, register):
    client.force_login(advp)
    assert client.post(START, {"year": YEAR}).status_code == 302
    response = client.post(START, {"year": YEAR})
    assert response.status_code == 400
    assert f"There is already a report for {YEAR}." in response.content.decode()
    assert AnnualReport.objects.count() == 1


def test_the_current_year_cannot_be_frozen(client, advp, register):
    report = _report(year=THIS_YEAR)
    client.force_login(advp)
    response = client.post(detail(THIS_YEAR) + "freeze/")
    assert response.status_code == 400
    assert f"{THIS_YEAR} is not over yet" in response.content.decode()
    report.refresh_from_db()
    assert report.status == DRAFT and report.figures is None
    assert _audit(report.pk) == []


def test_a_frozen_report_keeps_its_texts(client, advp, register):
    report = _report(FROZEN, foreword_en="Kept.")
    frozen = report.figures
    client.force_login(advp)
    response = client.post(detail() + "edit/?language=en", {"foreword": "Changed."})
    assert response.status_code == 302 and response["Location"] == detail()
    response = client.post(detail() + "freeze/")
    assert response.status_code == 400 and "frozen" in response.content.decode()
    response = client.post(detail() + "delete/")
    assert response.status_code == 302 and response["Location"] == detail()
    report.refresh_from_db()
    assert report.foreword_en == "Kept." and report.figures == frozen and report.is_frozen
    assert _audit(report.pk) == []


def test_a_text_over_the_limit_is_refused(client, advp, register):
    report = _report(foreword_en="Short.")
    client.force_login(advp)
    response = client.post(detail() + "edit/?language=en", {"foreword": "x" * (TEXT_MAX + 1)})
    assert response.status_code == 400
    response = client.post(detail() + "edit/?language=en", {"foreword": "ok", "comment_coverage": "y" * (TEXT_MAX + 1)})
    assert response.status_code == 400 and response.context["form"].errors["comment_coverage"]
    report.refresh_from_db()
    assert report.foreword_en == "Short." and report.comments == {}
    assert _audit(report.pk) == []


def test_an_unknown_language_is_not_found(client, personas, advp, register):
    _report()
    client.force_login(advp)
    assert client.get(detail() + "edit/?language=xx").status_code == 404
    assert client.post(detail() + "edit/?language=xx", {"foreword": "x"}).status_code == 404
    assert client.get(pdf_url(language="xx")).status_code == 404
    assert client.get(pdf_url(language="EN")).status_code == 404


# --- the PDF -------------------------------------------------------------------------------------------------------


def test_the_pdf_in_english(client, advp, register):
    _report(foreword_en="A foreword for the **readers**.", comments={"members": {"en": "Members grew."}})
    client.force_login(advp)
    response = client.get(pdf_url())
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="annual-report-{YEAR}-en-draft.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    reader, text = _pdf_text(response.content)
    assert len(reader.pages) > 3
    assert f"Annual report {YEAR}" in text and "DRAFT" in text
    assert "A foreword for the readers." in text and "Members grew." in text
    for title in ("1. Networks", "Growth over the years", "Charters and their review", "10. Good practices"):
        assert title in text, title
    assert "Active networks on" in text
    assert reader.trailer["/Root"].get("/Lang") == "en"


@pytest.mark.parametrize("language", ["nl", "fr", "de"])
def test_the_pdf_in_the_other_languages(client, register, language):
    _report(FROZEN, foreword_nl="Voorwoord.", foreword_fr="Avant-propos.", foreword_de="Vorwort.")
    response = client.get(pdf_url(language=language))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert f'filename="annual-report-{YEAR}-{language}.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "public, max-age=3600"
    reader, text = _pdf_text(response.content)
    assert len(reader.pages) > 3
    assert reader.trailer["/Root"].get("/Lang") == language
    assert {"nl": "Voorwoord.", "fr": "Avant-propos.", "de": "Vorwort."}[language] in text
    assert str(YEAR) in text


def test_the_pdf_is_cached_until_a_draft_changes(client, advp, register, monkeypatch):
    report = _report(foreword_en="First.")
    renders = []
    render = pdf_module.render_report_pdf

    def counting(report, language):
        renders.append(language)
        return render(report, language)

    monkeypatch.setattr(pdf_module, "render_report_pdf", counting)
    client.force_login(advp)
    first = client.get(pdf_url()).content
    assert client.get(pdf_url()).content == first
    assert renders == ["en"]
    response = client.post(detail() + "edit/?language=en", {"foreword": "Second."})
    assert response.status_code == 302
    second = client.get(pdf_url()).content
    assert second != first and renders == ["en", "en"]
    assert "Second." in _pdf_text(second)[1] and "First." not in _pdf_text(second)[1]
    add_network()  # the data changed: a draft's PDF is rendered again
    client.get(pdf_url())
    assert len(renders) == 3
    report.refresh_from_db()
    assert report.foreword_en == "Second."


def test_a_drafts_figures_follow_a_charter_decision(advp, register):
    """Charters and reviews do not move the open-data fingerprint: the report's own fingerprint covers them, so a
    draft's figures (and PDF) follow a decision at once."""
    report = _report()
    target = Network.objects.get(name="Gent Zuid")
    submitted = charter(target, 1, "submitted", f"{YEAR}-05-02T10:00")
    assert report_figures(report)["charters"]["reviewed"]["value"] == 0
    first_pdf = pdf_module.report_pdf(report, "en")
    CharterReview.objects.create(
        charter=submitted,
        started_at=submitted.submitted_at,
        decided_at=submitted.submitted_at + datetime.timedelta(days=10),
        decision="conform",
    )
    assert report_figures(report)["charters"]["reviewed"]["value"] == 1
    assert pdf_module.report_pdf(report, "en") != first_pdf
