"""Statistics of the BIN course per academy and per year (the year a session starts, Belgian time).

`training_statistics(*, year=None, academy_ids=None) -> list[dict]` is what the statistics page, the API and the
annual report (issue 6) read. One dict per academy and year with at least one session that is not a draft, the latest
year first, then by academy short name. Keys:

- `academy_id` (int), `academy_code` (str), `academy` (str: the name in the current language), `year` (int);
- `sessions_held`: closed sessions; `sessions_cancelled`: cancelled ones; `sessions_planned`: published ones (not
  yet closed);
- `seats_offered`: seats of the closed sessions; `seats_filled`: participants holding a seat in them (enrolled);
  `fill_rate`: seats_filled / seats_offered;
- `attended`: of those, who attended; `attendance_rate`: attended / seats_filled;
- `passed`: of those, who passed; `pass_rate`: passed / attended;
- `certificates`: certificates issued for these sessions (revoked ones included: they were issued);
- `trained_officers`: distinct holders of those certificates who are today an active mandated officer of a network
  (matched by account or e-mail address as coverage is, selectors_coverage);
- `evaluations`: evaluation forms returned; `evaluation_average`: the mean of every 1–5 answer (None without
  answers); `evaluation_questions`: per scale question, in form order, {"question_id", "position", "text",
  "average", "answers"} — averages only, never who answered what.

Rates are floats from 0 to 1, or None when there is nothing to divide by. Seven queries, whatever the number of
rows.

`evaluation_comments` gives the free-text answers without names, for the national roles and the academy's
trainers (the statistics page decides who calls it).
"""

from __future__ import annotations

from collections import defaultdict
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractYear

from core.roles import is_national
from geography.models import Academy

from .choices import Attendance, EnrolmentStatus, QuestionKind, Result, SessionStatus
from .models import Certificate, Enrolment, EvaluationQuestion, EvaluationResponse, Session
from .permissions import can_see_statistics, trainer_academies
from .selectors_coverage import active_officers

BRUSSELS = ZoneInfo("Europe/Brussels")


def statistics_academy_ids(user) -> list[int] | None:
    """The academies whose statistics `user` sees: None (all) for national roles, a trainer's academies, else []."""
    if is_national(user):
        return None
    return trainer_academies(user) if can_see_statistics(user) else []


def _year(path: str = "starts_at") -> ExtractYear:
    return ExtractYear(path, tzinfo=BRUSSELS)


def _rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _answer(value) -> int | None:
    """A scale answer as a whole number from 1 to 5, else None (free text, empty, out of range)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and 1 <= value <= 5 else None


def training_statistics(*, year: int | None = None, academy_ids=None) -> list[dict]:
    """Per academy and year: sessions, seats, attendance, results, certificates, trained officers and evaluation
    averages (keys in the module docstring). `academy_ids` None: every academy."""
    academy_ids = None if academy_ids is None else sorted(set(academy_ids))
    if academy_ids == []:
        return []

    def scoped(queryset, session: str = ""):
        queryset = queryset.annotate(year=_year(f"{session}starts_at"))
        if year is not None:
            queryset = queryset.filter(year=year)
        if academy_ids is not None:
            queryset = queryset.filter(**{f"{session}academy_id__in": academy_ids})
        return queryset

    rows: dict[tuple[int, int], dict] = {}

    def row(academy_id: int, row_year: int) -> dict:
        key = (academy_id, row_year)
        if key not in rows:
            rows[key] = {
                "academy_id": academy_id,
                "year": row_year,
                "sessions_held": 0,
                "sessions_cancelled": 0,
                "sessions_planned": 0,
                "seats_offered": 0,
                "seats_filled": 0,
                "attended": 0,
                "passed": 0,
                "certificates": 0,
                "trained_officers": 0,
                "evaluations": 0,
            }
        return rows[key]

    closed = Q(status=SessionStatus.CLOSED)
    sessions = (
        scoped(Session.objects.exclude(status=SessionStatus.DRAFT))
        .order_by()
        .values("academy_id", "year")
        .annotate(
            held=Count("pk", filter=closed),
            cancelled=Count("pk", filter=Q(status=SessionStatus.CANCELLED)),
            planned=Count("pk", filter=Q(status=SessionStatus.PUBLISHED)),
            seats=Sum("capacity", filter=closed),
        )
    )
    for values in sessions:
        target = row(values["academy_id"], values["year"])
        target.update(
            sessions_held=values["held"],
            sessions_cancelled=values["cancelled"],
            sessions_planned=values["planned"],
            seats_offered=values["seats"] or 0,
        )

    enrolments = (
        scoped(
            Enrolment.objects.filter(session__status=SessionStatus.CLOSED, status=EnrolmentStatus.ENROLLED), "session__"
        )
        .order_by()
        .values("session__academy_id", "year")
        .annotate(
            filled=Count("pk"),
            attended=Count("pk", filter=Q(attendance=Attendance.ATTENDED)),
            passed=Count("pk", filter=Q(result=Result.PASSED)),
        )
    )
    for values in enrolments:
        row(values["session__academy_id"], values["year"]).update(
            seats_filled=values["filled"], attended=values["attended"], passed=values["passed"]
        )

    # Who is a mandated officer today, as coverage recognises them (account or e-mail): a few thousand pairs at most,
    # matched in Python — a correlated EXISTS on the partners' e-mail addresses would scan them per certificate.
    officer_users: set[int] = set()
    officer_emails: set[str] = set()
    for user_id, user_email, email in active_officers().values_list("user_id", "user__email", "email"):
        if user_id is not None:
            officer_users.add(user_id)
        address = user_email or email
        if address:
            officer_emails.add(address.lower())
    certificates = (
        scoped(Certificate.objects.all(), "enrolment__session__")
        .order_by()
        .values_list(
            "enrolment__session__academy_id",
            "year",
            "enrolment__trainee_id",
            "enrolment__trainee__user_id",
            "enrolment__trainee__email",
        )
    )
    officers_of: dict[tuple[int, int], set[int]] = defaultdict(set)
    for academy_id, row_year, trainee_id, user_id, email in certificates:
        target = row(academy_id, row_year)
        target["certificates"] += 1
        if (user_id is not None and user_id in officer_users) or (email or "").lower() in officer_emails:
            officers_of[(academy_id, row_year)].add(trainee_id)
    for key, trainees in officers_of.items():
        rows[key]["trained_officers"] = len(trainees)

    _evaluations(scoped(EvaluationResponse.objects.all(), "enrolment__session__"), row)

    academies = {academy.pk: academy for academy in Academy.objects.filter(pk__in={key[0] for key in rows})}
    result = []
    for (academy_id, _row_year), values in rows.items():
        academy = academies[academy_id]
        values["academy_code"] = academy.code
        values["academy"] = academy.name
        values["fill_rate"] = _rate(values["seats_filled"], values["seats_offered"])
        values["attendance_rate"] = _rate(values["attended"], values["seats_filled"])
        values["pass_rate"] = _rate(values["passed"], values["attended"])
        values.setdefault("evaluation_average", None)
        values.setdefault("evaluation_questions", [])
        result.append(values)
    return sorted(result, key=lambda values: (-values["year"], values["academy_code"]))


def _evaluations(responses, row) -> None:
    """Averages of the scale answers per academy and year (two queries: the answers, the questions)."""
    answers = responses.values_list(
        "enrolment__session__academy_id", "year", "enrolment__session__version_id", "answers"
    )
    per_group: dict[tuple[int, int], dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    counts: dict[tuple[int, int], int] = defaultdict(int)
    versions = set()
    collected = []
    for academy_id, row_year, version_id, values in answers:
        counts[(academy_id, row_year)] += 1
        versions.add(version_id)
        collected.append(((academy_id, row_year), values if isinstance(values, dict) else {}))
    if not collected:
        return
    questions = {
        question.pk: question
        for question in EvaluationQuestion.objects.filter(version_id__in=versions, kind=QuestionKind.SCALE)
    }
    for key, values in collected:
        for question_id, value in values.items():
            try:
                question_id = int(question_id)
            except (TypeError, ValueError):
                continue
            score = _answer(value)
            if question_id in questions and score is not None:
                per_group[key][question_id].append(score)
    for key, count in counts.items():
        target = row(*key)
        target["evaluations"] = count
        scores = per_group.get(key, {})
        every = [score for values in scores.values() for score in values]
        target["evaluation_average"] = sum(every) / len(every) if every else None
        target["evaluation_questions"] = [
            {
                "question_id": question_id,
                "position": questions[question_id].position,
                "text": questions[question_id].text,
                "average": sum(values) / len(values),
                "answers": len(values),
            }
            for question_id, values in sorted(scores.items(), key=lambda item: (questions[item[0]].position, item[0]))
        ]


def evaluation_comments(*, year: int | None = None, academy_ids=None, limit: int = 200) -> list[dict]:
    """The free-text answers to the evaluation forms, the latest first, without names: {"academy_id", "year",
    "question", "text"}. Two queries."""
    academy_ids = None if academy_ids is None else sorted(set(academy_ids))
    if academy_ids == []:
        return []
    responses = EvaluationResponse.objects.annotate(year=_year("enrolment__session__starts_at"))
    if year is not None:
        responses = responses.filter(year=year)
    if academy_ids is not None:
        responses = responses.filter(enrolment__session__academy_id__in=academy_ids)
    rows = list(
        responses.order_by("-submitted_at").values_list(
            "enrolment__session__academy_id", "year", "enrolment__session__version_id", "answers"
        )[:limit]
    )
    questions = {
        question.pk: question
        for question in EvaluationQuestion.objects.filter(
            version_id__in={row[2] for row in rows}, kind=QuestionKind.TEXT
        )
    }
    comments = []
    for academy_id, row_year, _version, answers in rows:
        for key, value in (answers or {}).items() if isinstance(answers, dict) else ():
            try:
                question = questions.get(int(key))
            except (TypeError, ValueError):
                question = None
            if question is not None and isinstance(value, str) and value.strip():
                comments.append(
                    {"academy_id": academy_id, "year": row_year, "question": question.text, "text": value.strip()}
                )
    return comments


def statistics_years(academy_ids=None) -> list[int]:
    """The years with sessions (not drafts), the latest first: the year filter's choices."""
    sessions = Session.objects.exclude(status=SessionStatus.DRAFT)
    if academy_ids is not None:
        sessions = sessions.filter(academy_id__in=list(academy_ids))
    years = sessions.annotate(year=_year()).order_by("-year").values_list("year", flat=True).distinct()
    return list(years)
