"""The Knowledge Centre's moderation: the queue and the actions (comment, request changes, publish, archive)."""

import datetime

import pytest
from django.utils import timezone

from core.testing.matrix import assert_permission_matrix
from practices.choices import CommentKind, PracticeStatus
from practices.models import Practice
from practices.tests.core_support import draft, published, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies["binplp_language"] = "en"
    return client


def test_the_queue_matrix(client, personas):
    assert_permission_matrix(
        client,
        "/practices/moderation/",
        allowed=[personas.knowledge_centre],
        in_scope_wrong_role=[personas.advp_admin, personas.coordinator, personas.member, personas.outsider],
    )


def test_the_queue_lists_submitted_oldest_first_then_changes_requested(
    english, personas, django_assert_max_num_queries
):
    submitted(personas.coordinator, title="Newer practice")
    older = submitted(personas.zone_officer, title="Older practice")
    Practice.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=9))
    waiting = submitted(personas.trainer, title="Waiting for changes")
    Practice.objects.filter(pk=waiting.pk).update(status=PracticeStatus.CHANGES_REQUESTED)
    draft(personas.coordinator, title="Still a draft")
    english.force_login(personas.knowledge_centre)
    with django_assert_max_num_queries(12):
        response = english.get("/practices/moderation/")
    content = response.content.decode()
    assert content.index("Older practice") < content.index("Newer practice") < content.index("Waiting for changes")
    assert "9 days" in content and "Still a draft" not in content


@pytest.mark.parametrize(
    ("action", "data"),
    [("publish", {}), ("request-changes", {"body": "More figures please."}), ("archive", {})],
)
def test_only_the_knowledge_centre_moderates(client, personas, action, data):
    practice = (
        submitted(personas.coordinator)
        if action != "archive"
        else published(personas.coordinator, personas.knowledge_centre)
    )
    url = f"/practices/{practice.pk}/{action}/"
    assert_permission_matrix(
        client,
        url,
        method="post",
        data=data,
        in_scope_wrong_role=[personas.coordinator],  # the author sees it, may not moderate
        hidden=[personas.zone_officer, personas.member, personas.outsider] if action != "archive" else [],
        allowed=[personas.knowledge_centre],
        allowed_status=(302,),
    )


def test_request_changes_then_revise_then_publish(english, personas, smtp_server, django_capture_on_commit_callbacks):
    practice = submitted(personas.coordinator)
    english.force_login(personas.knowledge_centre)
    response = english.post(f"/practices/{practice.pk}/request-changes/", {"body": ""})
    practice.refresh_from_db()
    assert response.status_code == 302 and practice.status == PracticeStatus.SUBMITTED  # a text is required
    with django_capture_on_commit_callbacks(execute=True):
        english.post(f"/practices/{practice.pk}/request-changes/", {"body": "Add the costs."})
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.CHANGES_REQUESTED
    [message] = smtp_server.to(personas.coordinator.email)
    assert "Add the costs." in smtp_server.body(message)

    english.force_login(personas.coordinator)
    content = english.get(practice.get_absolute_url()).content.decode()
    assert "Add the costs." in content
    data = {
        "title": practice.title,
        "summary": practice.summary,
        "problem": practice.problem,
        "actions": practice.actions,
        "results": practice.results,
        "costs": "€ 150 for leaflets, paid by the city.",
        "evidence_level": "monitored",
        "language": "en",
        "themes": ["burglary"],
        "action": "submit",
    }
    response = english.post(f"/practices/{practice.pk}/edit/", data)
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.SUBMITTED and practice.revisions.first().changed_fields == ["costs"]

    english.force_login(personas.knowledge_centre)
    english.post(f"/practices/{practice.pk}/publish/")
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.PUBLISHED
    kinds = list(practice.comments.values_list("kind", flat=True))
    assert kinds == [CommentKind.SUBMITTED, CommentKind.CHANGE_REQUEST, CommentKind.SUBMITTED, CommentKind.PUBLISHED]


def test_comments_from_the_page(english, personas):
    practice = submitted(personas.coordinator)
    english.force_login(personas.coordinator)
    english.post(f"/practices/{practice.pk}/comment/", {"body": "Question for the KC"})
    english.force_login(personas.zone_officer)
    assert english.post(f"/practices/{practice.pk}/comment/", {"body": "x"}).status_code == 404
    english.force_login(personas.member)
    public = published(personas.trainer, personas.knowledge_centre)
    assert english.post(f"/practices/{public.pk}/comment/", {"body": "x"}).status_code == 404
    assert list(practice.comments.filter(kind="comment").values_list("body", flat=True)) == ["Question for the KC"]


def test_publishing_twice_shows_an_error(english, personas):
    practice = published(personas.coordinator, personas.knowledge_centre)
    english.force_login(personas.knowledge_centre)
    response = english.post(f"/practices/{practice.pk}/publish/", follow=True)
    assert "Only a submitted practice is published." in response.content.decode()


def test_the_home_section_counts_waiting_practices(english, personas):
    from core.home import _sections
    from practices import home

    before = list(_sections)
    try:
        home.register()
        submitted(personas.coordinator)
        english.force_login(personas.knowledge_centre)
        content = english.get("/").content.decode()
        assert "1 practice waiting for moderation." in content
    finally:
        _sections[:] = before
