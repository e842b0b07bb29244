"""Demo annual reports: the year before last frozen and published (figures kept, forewords in the four languages),
last year's as a draft ADVP can still write in and freeze. Written directly (seeded, not done by people: no audit
rows). Seeding again adds nothing when reports exist."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .models import AnnualReport, AnnualReportStatus
from .opendata_selectors import available_years
from .report_selectors import compute_report_figures

FOREWORDS = {
    "nl": "Dit jaarverslag bundelt de cijfers van de buurtinformatienetwerken in België, zoals ze in het register "
    "staan, voor het begeleidingscomité.",
    "fr": "Ce rapport annuel rassemble les chiffres des partenariats locaux de prévention en Belgique, tels qu'ils "
    "figurent au registre, pour le comité d'accompagnement.",
    "de": "Dieser Jahresbericht fasst die Zahlen der lokalen Präventionspartnerschaften in Belgien aus dem Register "
    "für den Begleitausschuss zusammen.",
    "en": "This annual report brings together the figures of the neighbourhood information networks in Belgium, as "
    "the register holds them, for the steering committee.",
}


@dataclass
class DemoReports:
    created: bool
    frozen: int = 0
    drafts: int = 0
    seconds: float = 0.0


def seed_reports() -> DemoReports:
    if AnnualReport.objects.exists():
        return DemoReports(created=False)
    started = time.perf_counter()
    years = available_years()
    last = timezone.localdate().year - 1
    advp = User.objects.filter(email="advp@demo.binplp.be").first()
    result = DemoReports(created=True)
    with transaction.atomic():
        if last - 1 in years:
            AnnualReport.objects.create(
                year=last - 1,
                status=AnnualReportStatus.FROZEN,
                figures=compute_report_figures(last - 1),
                frozen_at=timezone.now(),
                frozen_by=advp,
                created_by=advp,
                **{f"foreword_{code}": text for code, text in FOREWORDS.items()},
            )
            result.frozen += 1
        if last in years:
            AnnualReport.objects.create(year=last, created_by=advp)
            result.drafts += 1
    result.seconds = time.perf_counter() - started
    return result
