"""Fixtures and helpers of the charter, review and sanction tests (imported by those test modules).

The network is made through the services (as a zone would), in Antwerpen (zone 5345 of the `zone_officer` persona,
municipality of the `municipality_official`), with the `coordinator` persona as its screened coordinator and the
`zone_officer` persona as its mandated officer.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from geography.models import Municipality

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_upload(name: str = "charter.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def make_network(actor, refnis: str = "11002", name: str = "Zuidkwartier", **values):
    from networks.services.network import network_create

    municipality = Municipality.objects.current().get(refnis=refnis)
    return network_create(actor=actor, name=name, municipality=municipality, **values)


def add_partners(network, *, actor, coordinator_user=None, officer_user=None):
    from networks.services.network import partner_add

    today = timezone.localdate()
    coordinator = partner_add(
        actor=actor,
        network=network,
        role="coordinator",
        user=coordinator_user,
        first_name="Cas",
        last_name="Wouters",
        email="" if coordinator_user else "cas.wouters@example.be",
        adult_confirmed=True,
        screening_on=today - datetime.timedelta(days=10),
        screening_result="favourable",
        active_from=today - datetime.timedelta(days=30),
    )
    officer = partner_add(
        actor=actor,
        network=network,
        role="mandated_officer",
        user=officer_user,
        first_name="Zoë",
        last_name="Peeters",
        email="" if officer_user else "zoe.peeters@example.be",
        organisation="PZ Antwerpen",
    )
    return coordinator, officer


PLAN = {
    "channels": ["email", "sms"],
    "message_types": ["urgent_alert", "feedback", "prevention_tip"],
    "senders": {"urgent_alert": ["police"], "feedback": ["police"], "prevention_tip": ["police", "coordinator"]},
    "feedback_hours": 48,
    "cost_items": [{"label": "SMS-pakket", "amount_eur": "120.00", "payer": "municipality"}],
    "member_fee_eur": None,
    "alternative_financing": "",
    "internal_rules_version": "2024-09",
}

SIGNATORIES = {
    "coordinator": "Cas Wouters",
    "mandated_officer": "Zoë Peeters",
    "chief_of_police": "Korpschef Jan Smet",
    "mayor": "Burgemeester An De Wit",
}


def complete_charter(charter, *, actor):
    """Fill a draft so that it can be submitted: plans, signed PDF, the four signatures."""
    from networks.services.charter import charter_sign, charter_update_plan, charter_upload_pdf

    charter_update_plan(actor=actor, charter=charter, **PLAN)
    charter_upload_pdf(actor=actor, charter=charter, upload=pdf_upload())
    signed_on = timezone.localdate() - datetime.timedelta(days=2)
    for signatory, name in SIGNATORIES.items():
        charter_sign(actor=actor, charter=charter, signatory=signatory, name=name, signed_on=signed_on)
    charter.refresh_from_db()
    return charter


def submitted_charter(network, *, actor):
    from networks.services.charter import charter_create, charter_submit

    charter = charter_create(actor=actor, network=network)
    complete_charter(charter, actor=actor)
    return charter_submit(actor=actor, charter=charter)


def all_results(satisfied: bool = True, remark: str = "", unsatisfied_codes: tuple[str, ...] = ()):
    from networks.services.charter import checklist_active

    return [
        {
            "item": item.pk,
            "satisfied": satisfied and item.code not in unsatisfied_codes,
            "remark": remark if item.code in unsatisfied_codes else "",
        }
        for item in checklist_active()
    ]


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    # Words as one line of text: line breaks in the PDF depend on the layout, not on the wording.
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def network(personas, media):
    """Zuidkwartier in Antwerpen (zone 5345), with the coordinator persona as coordinator (who thereby gets the
    coordinator role) and the zone officer persona as mandated officer."""
    network = make_network(personas.advp_admin)
    add_partners(
        network,
        actor=personas.advp_admin,
        coordinator_user=personas.coordinator,
        officer_user=personas.zone_officer,
    )
    for person in personas.all().values():
        from core.roles import forget_grants

        forget_grants(person)
    return network


@pytest.fixture
def draft(network, personas):
    from networks.services.charter import charter_create

    return charter_create(actor=personas.zone_officer, network=network)


@pytest.fixture
def submitted(network, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return submitted_charter(network, actor=personas.zone_officer)


@pytest.fixture
def decide(personas, django_capture_on_commit_callbacks):
    """Decide as ADVP, running the e-mail tasks as after a real commit."""
    from networks.services.charter import charter_review_decide

    def _decide(charter, decision="conform", unsatisfied=(), remark="Vul aan.", remarks=""):
        results = all_results(unsatisfied_codes=tuple(unsatisfied), remark=remark)
        with django_capture_on_commit_callbacks(execute=True):
            return charter_review_decide(
                actor=personas.advp_admin, charter=charter, decision=decision, results=results, remarks=remarks
            )

    return _decide


# Who is who for a network in Antwerpen, for the permission matrices.
def viewers(personas):
    return [
        personas.advp_admin,
        personas.knowledge_centre,
        personas.zone_officer,
        personas.municipality_official,
        personas.coordinator,
    ]


def hidden(personas):
    return [personas.other_zone_officer, personas.trainer, personas.member, personas.outsider]


def editors(personas):
    return [personas.advp_admin, personas.zone_officer]


def readers_only(personas):
    return [personas.knowledge_centre, personas.municipality_official, personas.coordinator]


# Who sees which sanctions of that network (member sanctions name a member: the zone's mandated officers and the
# network's coordinators only; coordinator sanctions: the zone, ADVP and the municipality; the Knowledge Centre none).
def member_sanction_viewers(personas):
    return [personas.zone_officer, personas.coordinator]


def member_sanction_hidden(personas):
    return [personas.advp_admin, personas.knowledge_centre, personas.municipality_official, *hidden(personas)]


def coordinator_sanction_viewers(personas):
    return [personas.advp_admin, personas.zone_officer, personas.municipality_official]


def coordinator_sanction_hidden(personas):
    return [personas.knowledge_centre, personas.coordinator, *hidden(personas)]


def record_member_sanction(network, actor, name="Lid 7", **values):
    from networks.services.sanction import sanction_create

    data = {
        "target": "member",
        "measure": "written_reprimand",
        "member_ref": name,
        "decided_on": timezone.localdate(),
        "decided_by": "Coördinator",
        "reason": "Berichten doorgestuurd buiten het netwerk.",
        **values,
    }
    return sanction_create(actor=actor, network=network, **data)


def record_talk(network, actor, decided_by="Korpschef Smet", **values):
    """A talk with the network's current coordinator: a coordinator sanction that keeps the coordinator."""
    from networks.services.sanction import sanction_create

    data = {
        "target": "coordinator",
        "measure": "talk",
        "partner": network.partners.get(role="coordinator", active_to__isnull=True),
        "decided_on": timezone.localdate(),
        "decided_by": decided_by,
        "reason": "Berichten zonder afspraak verstuurd.",
        **values,
    }
    return sanction_create(actor=actor, network=network, **data)
