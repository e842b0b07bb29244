"""A participant's own pages, opened from the signed link in every e-mail they get (no account needed): their
sessions (upcoming with the calendar file and a cancel button, past with attendance and result), their certificates
as PDF, and the evaluation form of sessions they attended. A signed-in user linked to the trainee reaches the same
pages from /training/me/. An expired link offers to e-mail a fresh one."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.decorators import require, signed_in
from core.forms import add_service_errors

from . import selectors_enrol as selectors
from . import tokens
from .forms_enrol import EvaluationForm, LinkRequestForm
from .models import Trainee
from .services import enrolments as services
from .services import evaluations
from .views_enrol import over_rate_limit


class _Expired(Exception):
    pass


def _trainee(request, token: str) -> Trainee:
    """The trainee the link names. A forged link is a 404; an expired one is answered with the fresh-link page,
    except for the signed-in user linked to that trainee, who is sent on with a fresh link."""
    try:
        return services.participant_from_token(token)
    except tokens.LinkInvalid:
        raise Http404 from None
    except tokens.LinkExpired:
        raise _Expired from None


def _own_trainee(request) -> Trainee | None:
    if not request.user.is_authenticated:
        return None
    return Trainee.objects.filter(user=request.user).first()


def _private(response: HttpResponse) -> HttpResponse:
    # The address carries the link: other sites never see it ("same-origin"; "no-referrer" would make browsers send
    # "Origin: null" with the page's own forms, which the CSRF check refuses), and shared caches keep nothing.
    response["Referrer-Policy"] = "same-origin"
    return response


def _participant_view(view):
    def wrapper(request, token: str, *args, **kwargs):
        try:
            trainee = _trainee(request, token)
        except _Expired:
            own = _own_trainee(request)
            if own is not None:
                return redirect(reverse("training:participant", args=[tokens.participant_token(own)]))
            return _private(
                render(
                    request,
                    "training/participant/link_expired.html",
                    {"form": LinkRequestForm(), "link_days": settings.BINPLP_TRAINING_LINK_DAYS},
                    status=410,
                )
            )
        return _private(view(request, trainee, token, *args, **kwargs))

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return never_cache(wrapper)


@require_GET
@_participant_view
def participant(request, trainee: Trainee, token: str):
    data = selectors.participant_enrolments(trainee)
    evaluations_open = {e.pk for e in data["past"] if evaluations.evaluation_is_open(e)}
    return render(
        request,
        "training/participant/home.html",
        {"trainee": trainee, "token": token, "evaluations_open": evaluations_open, **data},
    )


@require_POST
@_participant_view
def participant_cancel(request, trainee: Trainee, token: str, pk: int):
    enrolment = selectors.participant_enrolment(trainee, pk)
    if enrolment is None:
        raise Http404
    try:
        services.enrolment_cancel(actor=None, enrolment=enrolment, participant=trainee)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your enrolment is cancelled. You get a confirmation by e-mail."))
    return redirect("training:participant", token=token)


@require_http_methods(["GET", "POST"])
@_participant_view
def participant_evaluation(request, trainee: Trainee, token: str, enrolment_pk: int):
    enrolment = selectors.participant_enrolment(trainee, enrolment_pk)
    if enrolment is None:
        raise Http404
    context = {"trainee": trainee, "token": token, "enrolment": enrolment, "session": enrolment.session}
    try:
        evaluations.evaluation_open_check(enrolment)
    except ValidationError as error:
        context["closed_reason"] = " ".join(error.messages)
        return render(request, "training/participant/evaluation.html", context, status=409 if request.POST else 200)
    form = EvaluationForm(
        request.POST if request.method == "POST" else None, questions=evaluations.evaluation_questions(enrolment)
    )
    if request.method == "POST" and form.is_valid():
        try:
            evaluations.evaluation_submit(enrolment=enrolment, answers=form.answers())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: your evaluation is saved."))
            return redirect("training:participant", token=token)
    context["form"] = form
    return render(request, "training/participant/evaluation.html", context, status=400 if form.is_bound else 200)


@require_GET
@_participant_view
def participant_certificate(request, trainee: Trainee, token: str, pk: int):
    certificate = selectors.participant_certificate(trainee, pk)
    if certificate is None:
        raise Http404
    from .services import certificates

    pdf = certificates.certificate_pdf(certificate, language=trainee.language)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificates.certificate_filename(certificate)}"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def participant_link(request):
    """Ask for a fresh link to one's pages: it goes to the address if a trainee has it; the answer is the same."""
    form = LinkRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if over_rate_limit(request, "link"):
            return render(request, "training/participant/rate_limited.html", {}, status=429)
        if form.is_valid():
            services.participant_link_resend(email=form.cleaned_data["email"])
            return render(request, "training/participant/link_sent.html", {})
    return render(
        request,
        "training/participant/link_expired.html",
        {"form": form, "link_days": settings.BINPLP_TRAINING_LINK_DAYS, "asked": True},
        status=400 if form.is_bound else 200,
    )


@require(signed_in)
@require_GET
def participant_me(request):
    """A signed-in user linked to a trainee goes to their participant pages."""
    own = _own_trainee(request)
    if own is None:
        raise Http404
    return redirect(reverse("training:participant", args=[tokens.participant_token(own)]))
