"""The demo annual reports: the year before last frozen with its figures and forewords, last year's a draft; seeding
again adds nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from dashboard.demo import seed_reports
from dashboard.models import AnnualReport

from . import test_opendata_support as support

known_dataset = support.known_dataset


@pytest.mark.django_db
def test_demo_reports(known_dataset):
    last = timezone.localdate().year - 1
    first = seed_reports()
    assert first.created and (first.frozen, first.drafts) == (1, 1)
    frozen, draft = AnnualReport.objects.get(year=last - 1), AnnualReport.objects.get(year=last)
    assert frozen.is_frozen and frozen.figures["year"] == last - 1 and frozen.foreword("fr").startswith("Ce rapport")
    assert not draft.is_frozen and draft.figures is None
    again = seed_reports()
    assert not again.created and AnnualReport.objects.count() == 2
