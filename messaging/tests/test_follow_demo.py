"""The demo messages (messaging/demo.py, run by `manage.py seed_demo`) at the test scale (BINPLP_DEMO_NETWORKS_SCALE =
0.02): a year of history whose deliveries look handed over by the outbox, the demo officer's feedback tasks, ratings,
replies and reports — without one e-mail or SMS going out, and nothing added by a second run."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from accounts.models import User
from members.models import Membership
from messaging import selectors_follow
from messaging.demo import TASK_ZONE, seed_messages
from messaging.models import Delivery, Message, Rating, Reply, Report

from . import follow_support

pytestmark = pytest.mark.django_db

# Fixtures of follow_support.
fresh_cache = follow_support.fresh_cache

OFFICER = "politie.antwerpen@demo.binplp.be"


@pytest.fixture
def seeded(reference_data):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_writes_a_year_of_messages_and_says_so(seeded, smtp_server):
    assert "Demo messages:" in seeded and "deliveries" in seeded
    messages = Message.objects.all()
    types = dict(messages.order_by().values_list("type").annotate(n=Count("pk")))
    assert types.get("urgent_alert", 0) >= 8 and types.get("feedback", 0) >= 5
    assert types.get("prevention_tip", 0) >= 3 and types.get("newsletter", 0) >= 2
    now = timezone.now()
    first = messages.order_by("sent_at").first().sent_at
    assert now - datetime.timedelta(days=366) <= first <= now - datetime.timedelta(days=200)
    assert not messages.exclude(status="sent").exists() and not messages.filter(sent_at__gt=now).exists()
    assert not smtp_server.messages  # nothing handed to a mail server


def test_deliveries_look_handed_over_by_the_outbox(seeded):
    deliveries = Delivery.objects.all()
    assert deliveries.count() > 1000
    assert not deliveries.filter(status__in=["queued", "sending"]).exists()
    assert not deliveries.filter(channel="web").exclude(status="delivered").exists()
    assert not deliveries.filter(channel="email").exclude(status__in=["sent", "failed"]).exists()
    assert not deliveries.filter(status__in=["sent", "delivered"], channel__in=["email", "sms"], sent_at=None).exists()
    assert not deliveries.filter(status="delivered", delivered_at=None).exists()
    failed = deliveries.filter(status="failed")
    assert failed.exists() and failed.count() < deliveries.count() * 0.05
    assert not failed.filter(failed_at=None).exists() and not failed.filter(error="").exists()
    for fallback in deliveries.filter(fallback_of__isnull=False).select_related("fallback_of")[:20]:
        assert fallback.channel == "email" and fallback.fallback_of.channel == "sms"
        assert fallback.fallback_of.status == "failed"
    # Each message reached the active members of its networks, once per channel at most.
    message = Message.objects.filter(type="urgent_alert").order_by("-sent_at").first()
    web = set(Delivery.objects.filter(message=message, channel="web").values_list("member_id", flat=True))
    members = set(
        Membership.objects.filter(network__in=message.networks.all(), status="active").values_list(
            "member_id", flat=True
        )
    )
    assert web == members and message.recipients == len(web)
    assert Delivery.objects.filter(channel="web", read_at__isnull=False).exists()


def test_the_demo_officer_has_feedback_tasks_and_a_history(seeded):
    officer = User.objects.get(email=OFFICER)
    tasks = selectors_follow.feedback_owed(user=officer)
    assert sorted(task.state for task in tasks) == ["due_soon", "overdue", "overdue", "overdue"]
    assert all(task.alert.zone.code == TASK_ZONE for task in tasks)
    assert all(task.alert.feedback_reminders >= 1 for task in tasks)
    figures = selectors_follow.message_statistics(user=officer).feedback
    # Every earlier alert was followed by feedback; the three overdue ones count against the share.
    assert figures.alerts >= 12 and figures.followed == figures.alerts - 3
    assert figures.median_hours is not None and figures.median_hours < 24
    # Feedback messages answer their alerts, after the alert.
    for message in Message.objects.filter(type="feedback").select_related("feedback_for")[:30]:
        alert = message.feedback_for
        assert alert.type == "urgent_alert" and alert.feedback_sent_at == message.sent_at > alert.sent_at
        assert set(message.networks.all()) == set(alert.networks.all())


def test_ratings_replies_and_reports(seeded):
    assert Rating.objects.count() > 10
    ratings = Rating.objects.values_list("useful", flat=True)
    assert 0.6 < sum(ratings) / len(ratings) < 1
    assert Reply.objects.exists()
    reports = Report.objects.all()
    assert reports.exists() and set(reports.values_list("status", flat=True)) <= {"new", "acknowledged", "closed"}
    assert not reports.filter(status="closed", answer="").exists()
    for report in reports.select_related("member", "network")[:20]:
        assert report.zone_id == report.network.zone_id
        assert Membership.objects.filter(member=report.member, network=report.network).exists()


def test_the_national_statistics_have_figures(seeded):
    advp = User.objects.get(email="advp@demo.binplp.be")
    figures = selectors_follow.message_statistics(user=advp)
    assert figures.messages == Message.objects.filter(sent_at__gte=figures.start).count()
    assert 0.9 < figures.hand_over()["rate"] < 1
    assert figures.ratings > 0 and sum(figures.reports.values()) > 0


def test_seeding_again_adds_nothing(seeded):
    counts = (Message.objects.count(), Delivery.objects.count(), Rating.objects.count(), Report.objects.count())
    summary = seed_messages()
    assert summary.zones == 0 and summary.skipped > 0 and summary.total == 0
    assert (Message.objects.count(), Delivery.objects.count(), Rating.objects.count(), Report.objects.count()) == counts
