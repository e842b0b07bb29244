"""Navigation and home-page registrations of messaging (part "member"), called from MessagingConfig.ready().

Two home sections: for mandated officers and coordinators, the new reports of their zone and the unread replies to
their messages; for members, their unread messages, with the way to their inbox and reports."""

from __future__ import annotations

from core.roles import Role, has_role


def is_sender(user) -> bool:
    return has_role(user, Role.ZONE_OFFICER, Role.COORDINATOR)


def is_member(user) -> bool:
    return has_role(user, Role.MEMBER)


def sender_home_context(request) -> dict:
    from . import selectors_member as selectors

    user = request.user
    officer = has_role(user, Role.ZONE_OFFICER)
    return {
        "officer": officer,
        "new_reports": selectors.officer_report_new_count(user=user) if officer else 0,
        "unread_replies": selectors.sender_unread_reply_count(user=user),
    }


def member_home_context(request) -> dict:
    from members.portal_selectors import member_for_user

    from . import selectors_member as selectors

    member = member_for_user(user=request.user)
    return {"member": member, "unread_messages": selectors.inbox_unread_count(member=member) if member else 0}


def subnav_counts(user) -> dict[str, int]:
    """Counts to show beside the links of the messaging sub-navigation, by URL name: the new reports of a mandated
    officer's zone(s) and the unread replies to a sender's messages. Empty for everybody else."""
    from . import selectors_member as selectors

    counts: dict[str, int] = {}
    if has_role(user, Role.ZONE_OFFICER):
        counts["messaging:report_list"] = selectors.officer_report_new_count(user=user)
    if is_sender(user):
        counts["messaging:reply_list"] = selectors.sender_unread_reply_count(user=user)
    return counts


def register() -> None:
    from core.home import register_home_section

    from . import tasks_member  # noqa: F401  (the task that e-mails answers to reports)

    register_home_section(
        "messaging/member/partials/_home_sender.html", visible=is_sender, context=sender_home_context, order=20
    )
    register_home_section(
        "messaging/portal/partials/_home_member.html", visible=is_member, context=member_home_context, order=6
    )
