"""The final evaluation form: a participant who attended a closed session answers the questions of the session's
course version once. Answers are stored as `{"<question id>": 1..5 | "text"}`; the academy and the Knowledge Centre
see them only as averages and anonymous comments (statistics)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.models import AuditAction

from ..choices import Attendance, EnrolmentStatus, QuestionKind, SessionStatus
from ..models import Enrolment, EvaluationQuestion, EvaluationResponse

TEXT_MAX_LENGTH = 2000


def evaluation_questions(enrolment: Enrolment) -> list[EvaluationQuestion]:
    return list(EvaluationQuestion.objects.filter(version_id=enrolment.session.version_id).order_by("position", "pk"))


def evaluation_open_check(enrolment: Enrolment) -> None:
    """Raise why this participant cannot (or no longer) fill in the evaluation."""
    if enrolment.session.status != SessionStatus.CLOSED:
        raise ValidationError(_("The evaluation opens once the session is closed."), code="session_not_closed")
    if enrolment.status != EnrolmentStatus.ENROLLED or enrolment.attendance != Attendance.ATTENDED:
        raise ValidationError(
            _("Only participants who attended the session fill in its evaluation."), code="not_attended"
        )
    if EvaluationResponse.objects.filter(enrolment=enrolment).exists():
        raise ValidationError(
            _("You have already filled in the evaluation of this session. Thank you!"), code="already_submitted"
        )


def evaluation_is_open(enrolment: Enrolment) -> bool:
    try:
        evaluation_open_check(enrolment)
    except ValidationError:
        return False
    return True


def _clean_answers(questions: list[EvaluationQuestion], answers: dict) -> dict[str, object]:
    errors: dict[str, ValidationError] = {}
    cleaned: dict[str, object] = {}
    given = {str(key): value for key, value in (answers or {}).items()}
    known = {str(question.pk) for question in questions}
    if set(given) - known:
        raise ValidationError(_("These answers do not belong to this evaluation form."), code="unknown_question")
    for question in questions:
        key = str(question.pk)
        value = given.get(key)
        value = value.strip() if isinstance(value, str) else value
        if value in (None, ""):
            if question.required:
                errors[f"q{question.pk}"] = ValidationError(_("Answer this question."), code="required")
            continue
        if question.kind == QuestionKind.SCALE:
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = 0
            if not 1 <= number <= 5 or str(value) != str(number):
                errors[f"q{question.pk}"] = ValidationError(_("Choose a score from 1 to 5."), code="invalid_score")
                continue
            cleaned[key] = number
        else:
            if len(str(value)) > TEXT_MAX_LENGTH:
                errors[f"q{question.pk}"] = ValidationError(
                    _("Keep the answer under %(max)s characters."), code="too_long", params={"max": TEXT_MAX_LENGTH}
                )
                continue
            cleaned[key] = str(value)
    if errors:
        raise ValidationError(errors)
    return cleaned


def evaluation_submit(*, enrolment: Enrolment, answers: dict) -> EvaluationResponse:
    """Store a participant's answers (`{question id: value}`) once. Nothing is stored on bad input; a second
    submission is refused with a clear message."""
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("session").get(pk=enrolment.pk)
        evaluation_open_check(enrolment)
        cleaned = _clean_answers(evaluation_questions(enrolment), answers)
        response = EvaluationResponse(enrolment=enrolment, answers=cleaned)
        try:
            with transaction.atomic():
                response.save()
        except IntegrityError:
            raise ValidationError(
                _("You have already filled in the evaluation of this session. Thank you!"), code="already_submitted"
            ) from None
        # The answers themselves stay out of the audit trail: they are anonymous outside statistics.
        audit_record(actor=None, action=AuditAction.CREATE, obj=response, changes={"questions": len(cleaned)})
    return response
