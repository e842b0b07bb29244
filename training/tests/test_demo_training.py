"""The BIN course demo (training/demo.py, run by `manage.py seed_demo`) at the test scale
(BINPLP_DEMO_NETWORKS_SCALE): the course in four languages, closed sessions with results, certificates and evaluations,
coming sessions with a waiting list, coverage between 40 and 60 % — no e-mail sent, nothing added by a second run."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from training import selectors_coverage, selectors_stats
from training.demo import seed_training
from training.models import Certificate, Course, Enrolment, EvaluationResponse, Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(reference_data):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_seeds_the_course_sessions_and_coverage(seeded, smtp_server):
    assert "Demo BIN course:" in seeded and "mandated officers trained" in seeded
    course = Course.objects.get(code="bin-course")
    version = course.versions.get(status="current")
    assert all(getattr(version, f"objectives_{code}") for code in ("nl", "fr", "de", "en"))
    modules = list(version.modules.all())
    assert 5 <= len(modules) <= 6 and all(m.title_de and m.summary_en for m in modules)
    assert version.questions.count() == 3
    now = timezone.now()
    closed = Session.objects.filter(status="closed")
    assert closed.exists() and not closed.filter(starts_at__gt=now).exists()
    assert closed.order_by("starts_at").first().starts_at < now - timezone.timedelta(days=365)
    assert Session.objects.filter(status="published", starts_at__gt=now).values("academy").distinct().count() >= 3
    assert Session.objects.filter(status="cancelled").exists()
    assert Enrolment.objects.filter(status="waiting", session__status="published").exists()
    assert Certificate.objects.exists() and EvaluationResponse.objects.exists()
    assert Enrolment.objects.filter(session__status="closed", result="failed").exists()
    assert not smtp_server.messages

    summary = selectors_coverage.coverage_summary()
    assert summary.officers > 0 and 0.4 <= summary.share <= 0.6, (summary.trained, summary.officers)
    assert selectors_coverage.officer_is_trained(User.objects.get(email="politie.antwerpen@demo.binplp.be"))
    assert not selectors_coverage.officer_is_trained(User.objects.get(email="police.liege@demo.binplp.be"))
    rows = selectors_stats.training_statistics()
    assert sum(row["sessions_held"] for row in rows) == closed.count()
    assert any(row["evaluation_average"] for row in rows)


def test_seeding_again_adds_nothing(seeded):
    counts = (Session.objects.count(), Enrolment.objects.count(), Certificate.objects.count())
    summary = seed_training()
    assert not summary.created
    assert (Session.objects.count(), Enrolment.objects.count(), Certificate.objects.count()) == counts
