"""The follow-up list /committee/actions/: every action item not done yet (the committee reads it; ADVP and the
Knowledge Centre move their status)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.decorators import require, signed_in
from core.scoping import get_for_user

from . import permissions, selectors
from .forms import ActionStatusForm
from .models import ActionItem
from .services import actions as services


@require_GET
@require(signed_in)
def action_list(request):
    permissions.require_reader(request.user)
    show_done = request.GET.get("done") == "1"
    return render(
        request,
        "committee/actions/action_list.html",
        {
            "actions": selectors.action_list(user=request.user, show_done=show_done),
            "show_done": show_done,
            "can_prepare": permissions.can_prepare(request.user),
            "status_form": ActionStatusForm(),
        },
    )


@require_POST
@require(signed_in)
def action_status(request, pk: int):
    action = get_for_user(ActionItem.objects, request.user, "change", pk=pk)
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.action_set_status(actor=request.user, action=action, status=form.cleaned_data["status"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Status of “%(title)s” saved.") % {"title": action.title})
    else:
        messages.error(request, _("Choose open, in progress or done."))
    return redirect("committee:action_list")
