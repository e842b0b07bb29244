"""The home section of ADVP and the Knowledge Centre about the documents members accept (the privacy notice and the
national model internal rules): the versions in force and where to publish new ones. `register()` is called once
from `MembersConfig.ready()`."""

from __future__ import annotations

from core.roles import Role, has_role

from .choices import DocumentKind


def publishes_national_documents(user) -> bool:
    return has_role(user, Role.ADVP, Role.KNOWLEDGE_CENTRE)


def documents_home_context(request) -> dict:
    from .services.documents import document_current

    return {
        "privacy_notice": document_current(kind=DocumentKind.PRIVACY_NOTICE),
        "rules": document_current(kind=DocumentKind.INTERNAL_RULES),
    }


def register() -> None:
    from core.home import register_home_section

    register_home_section(
        "members/join/partials/_home_documents.html",
        visible=publishes_national_documents,
        context=documents_home_context,
        order=60,
    )
