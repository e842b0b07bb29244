"""Services of practices: drafts, revisions, submission, moderation, translations, helpful marks."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import AuditEvent
from practices.choices import CommentKind, PracticeStatus
from practices.models import HelpfulMark, ModerationComment, Practice, PracticeRevision
from practices.services import practice as services
from practices.tests.core_support import draft, practice_data, published, submitted

pytestmark = pytest.mark.django_db


def _audit(practice, action=None):
    events = AuditEvent.objects.filter(object_id=str(practice.pk), content_type__model="practice")
    return events.filter(action=action) if action else events


def test_it_creates_a_draft_with_tags_networks_revision_and_audit(personas):
    practice = draft(personas.coordinator, networks=[personas.network_a], themes=["burglary", "communication"])
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.DRAFT and practice.author == personas.coordinator
    assert sorted(practice.tags.filter(facet="theme").values_list("value", flat=True)) == ["burglary", "communication"]
    assert list(practice.networks.all()) == [personas.network_a]
    revision = PracticeRevision.objects.get(practice=practice)
    assert revision.number == 1 and "title" in revision.changed_fields and revision.content["title"] == practice.title
    event = _audit(practice, "create").get()
    assert event.actor == personas.coordinator and event.changes["status"] == [None, "draft"]


def test_it_saves_a_draft_with_only_a_title(personas):
    practice = services.practice_create(actor=personas.trainer, data={"title": "Idea", "language": "nl"})
    assert practice.status == PracticeStatus.DRAFT and practice.summary == ""


@pytest.mark.parametrize("name", ["member", "outsider"])
def test_it_refuses_non_contributors(personas, name):
    with pytest.raises(PermissionDenied):
        draft(getattr(personas, name))
    assert not Practice.objects.exists()


def test_it_refuses_networks_the_actor_does_not_see(personas):
    with pytest.raises(ValidationError) as error:
        draft(personas.coordinator, networks=[personas.network_b])
    assert "networks" in error.value.error_dict
    assert not Practice.objects.exists()


def test_it_refuses_unknown_themes(personas):
    with pytest.raises(ValidationError) as error:
        draft(personas.coordinator, themes=["aliens"])
    assert "themes" in error.value.error_dict


def test_it_keeps_a_revision_with_the_changed_fields(personas):
    practice = draft(personas.coordinator)
    services.practice_update(
        actor=personas.coordinator,
        practice=practice,
        data=practice_data(summary="A shorter summary.", results="Fewer burglaries."),
        themes=["burglary", "elderly"],
    )
    revision = practice.revisions.order_by("-number").first()
    assert revision.number == 2 and revision.changed_fields == ["summary", "results"]
    assert revision.content["summary"] == "A shorter summary."
    event = _audit(practice, "update").get()
    assert event.changes["fields"] == ["summary", "results", "themes"]


def test_it_keeps_no_revision_when_only_tags_change(personas):
    practice = draft(personas.coordinator)
    services.practice_update(actor=personas.coordinator, practice=practice, data={}, themes=["scams"])
    assert practice.revisions.count() == 1


def test_it_does_nothing_when_nothing_changes(personas):
    practice = draft(personas.coordinator)
    services.practice_update(actor=personas.coordinator, practice=practice, data=practice_data())
    assert practice.revisions.count() == 1 and not _audit(practice, "update").exists()


def test_the_author_cannot_edit_a_submitted_practice_but_a_moderator_can(personas):
    practice = submitted(personas.coordinator)
    with pytest.raises(PermissionDenied):
        services.practice_update(actor=personas.coordinator, practice=practice, data={"title": "New"})
    services.practice_update(actor=personas.knowledge_centre, practice=practice, data={"title": "Better title"})
    practice.refresh_from_db()
    assert practice.title == "Better title"
    assert practice.revisions.first().created_by == personas.knowledge_centre


def test_another_contributor_cannot_edit_a_draft(personas):
    practice = draft(personas.coordinator)
    with pytest.raises(PermissionDenied):
        services.practice_update(actor=personas.zone_officer, practice=practice, data={"title": "Mine now"})


def test_it_submits_and_emails_the_moderators(personas, smtp_server, django_capture_on_commit_callbacks):
    from accounts.models import User

    User.objects.filter(pk=personas.knowledge_centre.pk).update(language="fr")  # the moderator reads French
    practice = draft(personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_submit(actor=personas.coordinator, practice=practice)
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.SUBMITTED and practice.submitted_at is not None
    assert practice.comments.get().kind == CommentKind.SUBMITTED
    assert _audit(practice, "update").get().changes["status"] == ["draft", "submitted"]
    [message] = smtp_server.to(personas.knowledge_centre.email)
    # The Knowledge Centre persona reads French.
    assert "Door-to-door" in message["Subject"] and practice.get_absolute_url() in smtp_server.body(message)
    assert message["Content-Language"] == "fr"
    assert not smtp_server.to(personas.coordinator.email)


def test_it_refuses_to_submit_an_incomplete_practice(personas, smtp_server):
    practice = services.practice_create(actor=personas.coordinator, data={"title": "Idea", "language": "en"})
    with pytest.raises(ValidationError) as error:
        services.practice_submit(actor=personas.coordinator, practice=practice)
    assert set(error.value.error_dict) == {"summary", "problem", "actions", "results", "themes"}
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.DRAFT and not practice.comments.exists()
    assert not smtp_server.messages


def test_saving_and_submitting_is_all_or_nothing(personas, smtp_server):
    with pytest.raises(ValidationError):
        services.practice_save(
            actor=personas.coordinator, data={"title": "Only a title", "language": "en"}, submit=True
        )
    assert not Practice.objects.exists() and not AuditEvent.objects.filter(content_type__model="practice").exists()
    assert not smtp_server.messages
    practice = services.practice_save(
        actor=personas.coordinator, data=practice_data(), themes=["burglary"], submit=True
    )
    assert practice.status == PracticeStatus.SUBMITTED


def test_a_blank_required_field_does_not_count(personas):
    practice = draft(personas.coordinator, summary="   ")
    with pytest.raises(ValidationError) as error:
        services.practice_submit(actor=personas.coordinator, practice=practice)
    assert set(error.value.error_dict) == {"summary"}


def test_the_change_request_reaches_the_author_in_their_language(
    personas, smtp_server, django_capture_on_commit_callbacks
):
    from accounts.models import User

    User.objects.filter(pk=personas.coordinator.pk).update(language="en")
    practice = submitted(personas.coordinator)
    smtp_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_request_changes(
            actor=personas.knowledge_centre, practice=practice, body="Please add the figures before and after."
        )
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.CHANGES_REQUESTED
    comment = practice.comments.get(kind=CommentKind.CHANGE_REQUEST)
    assert comment.body == "Please add the figures before and after." and comment.author == personas.knowledge_centre
    [message] = smtp_server.to(personas.coordinator.email)
    assert (
        message["Subject"].strip() == "Changes requested on your practice “Door-to-door visits after a burglary wave”"
    )
    assert "Please add the figures before and after." in smtp_server.body(message)
    # The author revises and submits again.
    services.practice_update(actor=personas.coordinator, practice=practice, data={"results": "Figures: 3 → 0."})
    services.practice_submit(actor=personas.coordinator, practice=practice)
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.SUBMITTED
    assert practice.revisions.first().changed_fields == ["results"]


def test_a_change_request_needs_a_text_and_a_moderator(personas):
    practice = submitted(personas.coordinator)
    with pytest.raises(ValidationError):
        services.practice_request_changes(actor=personas.knowledge_centre, practice=practice, body="  ")
    with pytest.raises(PermissionDenied):
        services.practice_request_changes(actor=personas.advp_admin, practice=practice, body="Change it")
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.SUBMITTED


def test_it_publishes_and_tells_the_author(personas, smtp_server, django_capture_on_commit_callbacks):
    practice = submitted(personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.practice_publish(actor=personas.knowledge_centre, practice=practice)
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.PUBLISHED and practice.published_at is not None
    assert practice.comments.filter(kind=CommentKind.PUBLISHED).exists()
    assert _audit(practice, "update").filter(changes__status=["submitted", "published"]).exists()
    [message] = smtp_server.to(personas.coordinator.email)
    assert practice.title in message["Subject"]


def test_only_moderators_publish_and_only_submitted_practices(personas):
    practice = draft(personas.coordinator)
    with pytest.raises(PermissionDenied):
        services.practice_publish(actor=personas.coordinator, practice=practice)
    with pytest.raises(ValidationError):
        services.practice_publish(actor=personas.knowledge_centre, practice=practice)


def test_it_archives_a_published_practice(personas):
    practice = published(personas.coordinator, personas.knowledge_centre)
    services.practice_archive(actor=personas.knowledge_centre, practice=practice)
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.ARCHIVED
    assert list(practice.comments.values_list("kind", flat=True)) == ["submitted", "published", "archived"]
    with pytest.raises(ValidationError):
        services.practice_archive(actor=personas.knowledge_centre, practice=practice)


def test_comments_come_from_the_author_or_moderators(personas, smtp_server, django_capture_on_commit_callbacks):
    practice = submitted(personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.practice_comment(actor=personas.knowledge_centre, practice=practice, body="Nice work.")
    assert comment.kind == CommentKind.COMMENT
    assert smtp_server.to(personas.coordinator.email)
    assert AuditEvent.objects.filter(object_id=str(comment.pk), content_type__model="moderationcomment").exists()
    with pytest.raises(PermissionDenied):
        services.practice_comment(actor=personas.zone_officer, practice=practice, body="Me too")
    with pytest.raises(ValidationError):
        services.practice_comment(actor=personas.coordinator, practice=practice, body="")


def test_a_moderator_translation_is_published_with_the_originals_facets(personas):
    original = published(personas.coordinator, personas.knowledge_centre, networks=[personas.network_a])
    translation = services.practice_translate(
        actor=personas.knowledge_centre,
        original=original,
        language="fr",
        data={**practice_data(), "title": "Visites porte-à-porte après une vague de cambriolages"},
    )
    assert translation.original == original and translation.language == "fr"
    assert translation.status == PracticeStatus.PUBLISHED and translation.published_at is not None
    assert set(translation.tags.values_list("facet", "value")) == set(original.tags.values_list("facet", "value"))
    assert list(translation.networks.all()) == [personas.network_a]
    assert translation.evidence_level == original.evidence_level
    assert _audit(translation, "create").get().changes["translation_of"] == [None, original.pk]


def test_an_author_translation_goes_to_moderation(personas, smtp_server, django_capture_on_commit_callbacks):
    original = published(personas.coordinator, personas.knowledge_centre)
    with django_capture_on_commit_callbacks(execute=True):
        translation = services.practice_translate(
            actor=personas.coordinator, original=original, language="nl", data=practice_data(title="Huisbezoeken")
        )
    assert translation.status == PracticeStatus.SUBMITTED
    assert smtp_server.to(personas.knowledge_centre.email)


def test_one_translation_per_language(personas):
    original = published(personas.coordinator, personas.knowledge_centre)
    services.practice_translate(actor=personas.knowledge_centre, original=original, language="fr", data=practice_data())
    for language in ("fr", "en"):  # already translated / the original's language
        with pytest.raises(ValidationError) as error:
            services.practice_translate(
                actor=personas.knowledge_centre, original=original, language=language, data=practice_data()
            )
        assert "language" in error.value.error_dict
    assert Practice.objects.filter(original=original).count() == 1


def test_others_cannot_translate_and_drafts_are_not_translated(personas):
    original = published(personas.coordinator, personas.knowledge_centre)
    with pytest.raises(PermissionDenied):
        services.practice_translate(actor=personas.zone_officer, original=original, language="fr", data=practice_data())
    other = draft(personas.coordinator)
    with pytest.raises(PermissionDenied):
        services.practice_translate(
            actor=personas.knowledge_centre, original=other, language="fr", data=practice_data()
        )


def test_helpful_is_counted_once_per_reader(personas):
    practice = published(personas.coordinator, personas.knowledge_centre)
    assert services.helpful_mark(actor=personas.member, practice=practice) is True
    assert services.helpful_mark(actor=personas.member, practice=practice) is False
    assert services.helpful_mark(actor=personas.outsider, practice=practice) is True
    practice.refresh_from_db()
    assert practice.helpful_count == 2 and HelpfulMark.objects.filter(practice=practice).count() == 2


def test_helpful_needs_a_published_practice(personas):
    practice = draft(personas.coordinator)
    with pytest.raises(ValidationError):
        services.helpful_mark(actor=personas.member, practice=practice)


def test_every_status_change_leaves_a_trace(personas):
    practice = published(personas.coordinator, personas.knowledge_centre)
    kinds = list(ModerationComment.objects.filter(practice=practice).values_list("kind", flat=True))
    assert kinds == ["submitted", "published"]
