"""Choices of the networks register, and the life cycle of a network."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NetworkKind(models.TextChoices):
    RESIDENTIAL = "residential", _("residential (BIN / PLP)")
    SELF_EMPLOYED = "self_employed", _("self-employed (BIN-Z / PLP-I)")
    SECTORAL = "sectoral", _("sectoral (sector-BIN / PLP sectoriel)")


class NetworkSector(models.TextChoices):
    PHARMACIES = "pharmacies", _("pharmacies")
    JEWELLERS = "jewellers", _("jewellers")
    PORT = "port", _("port")
    RETAIL = "retail", _("retail")
    BUSINESS_PARK = "business_park", _("business park")
    HOSPITALITY = "hospitality", _("hospitality")
    OTHER = "other", _("other")


class NetworkStatus(models.TextChoices):
    IN_PREPARATION = "in_preparation", _("in preparation")
    CHARTER_SUBMITTED = "charter_submitted", _("charter submitted")
    ACTIVE = "active", _("active")
    DORMANT = "dormant", _("dormant")
    DISSOLVED = "dissolved", _("dissolved")
    MERGED = "merged", _("merged")


# Which status a network may move to from each status. Dissolved and merged are final.
# charter_submitted → active happens only through a conform charter review (charter services).
TRANSITIONS: dict[str, frozenset[str]] = {
    NetworkStatus.IN_PREPARATION: frozenset({NetworkStatus.CHARTER_SUBMITTED, NetworkStatus.DISSOLVED}),
    NetworkStatus.CHARTER_SUBMITTED: frozenset(
        {NetworkStatus.ACTIVE, NetworkStatus.IN_PREPARATION, NetworkStatus.DISSOLVED}
    ),
    NetworkStatus.ACTIVE: frozenset(
        {NetworkStatus.DORMANT, NetworkStatus.DISSOLVED, NetworkStatus.MERGED, NetworkStatus.CHARTER_SUBMITTED}
    ),
    NetworkStatus.DORMANT: frozenset({NetworkStatus.ACTIVE, NetworkStatus.DISSOLVED, NetworkStatus.MERGED}),
    NetworkStatus.DISSOLVED: frozenset(),
    NetworkStatus.MERGED: frozenset(),
}
# Moving to these needs a reason and a date.
STATUSES_NEEDING_REASON = frozenset({NetworkStatus.DORMANT, NetworkStatus.DISSOLVED, NetworkStatus.MERGED})
# ADVP is told at once when a network ends.
FINAL_STATUSES = frozenset({NetworkStatus.DISSOLVED, NetworkStatus.MERGED})


class StreetParity(models.TextChoices):
    ALL = "all", _("all numbers")
    EVEN = "even", _("even numbers")
    ODD = "odd", _("odd numbers")


class PartnerRole(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    DEPUTY_COORDINATOR = "deputy_coordinator", _("deputy coordinator")
    STEERING_GROUP = "steering_group", _("steering group member")
    MANDATED_OFFICER = "mandated_officer", _("mandated officer")
    DEPUTY_OFFICER = "deputy_officer", _("deputy mandated officer")
    MUNICIPAL_CONTACT = "municipal_contact", _("municipal contact")


# Coordinator roles: 18+, screened by police, and granted the platform's coordinator role.
COORDINATOR_ROLES = frozenset({PartnerRole.COORDINATOR, PartnerRole.DEPUTY_COORDINATOR})


class ScreeningResult(models.TextChoices):
    FAVOURABLE = "favourable", _("favourable")
    UNFAVOURABLE = "unfavourable", _("unfavourable")
    PENDING = "pending", _("pending")


# ---- charters -------------------------------------------------------------------------------------


class CharterStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    CONFORM = "conform", _("conform")
    CHANGES_NEEDED = "changes_needed", _("changes needed")
    SUPERSEDED = "superseded", _("superseded")


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")
    VOICE = "voice", _("voice call")
    WEB = "web", _("web inbox")
    APP = "app", _("app")
    BE_ALERT = "be_alert", _("BE-Alert")
    PRINT = "print", _("printed letter")


class MessageType(models.TextChoices):
    URGENT_ALERT = "urgent_alert", _("urgent alert")
    FEEDBACK = "feedback", _("feedback")
    PREVENTION_TIP = "prevention_tip", _("prevention tip")
    NEWSLETTER = "newsletter", _("newsletter")
    MISSING_PERSON = "missing_person", _("missing person")
    CRISIS = "crisis", _("crisis")


class Sender(models.TextChoices):
    POLICE = "police", _("police")
    COORDINATOR = "coordinator", _("coordinator")


class CostPayer(models.TextChoices):
    MEMBERS = "members", _("members")
    MUNICIPALITY = "municipality", _("municipality")
    POLICE = "police", _("police")
    SPONSOR = "sponsor", _("sponsor")
    OTHER = "other", _("other")


class Signatory(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    MANDATED_OFFICER = "mandated_officer", _("mandated officer")
    CHIEF_OF_POLICE = "chief_of_police", _("chief of police")
    MAYOR = "mayor", _("mayor")


class ReviewDecision(models.TextChoices):
    CONFORM = "conform", _("conform")
    CHANGES_NEEDED = "changes_needed", _("changes needed")


class LetterRecipient(models.TextChoices):
    CHIEF_OF_POLICE = "chief_of_police", _("chief of police")
    MAYOR = "mayor", _("mayor")


class LetterLanguage(models.TextChoices):
    NL = "nl", _("Dutch")
    FR = "fr", _("French")
    DE = "de", _("German")
    NL_FR = "nl+fr", _("Dutch and French (bilingual)")


# ---- sanctions ------------------------------------------------------------------------------------


class SanctionTarget(models.TextChoices):
    MEMBER = "member", _("member")
    COORDINATOR = "coordinator", _("coordinator")


class SanctionMeasure(models.TextChoices):
    WRITTEN_REPRIMAND = "written_reprimand", _("written reprimand")
    TEMPORARY_SUSPENSION = "temporary_suspension", _("temporary suspension")
    PERMANENT_SUSPENSION = "permanent_suspension", _("permanent suspension")
    TALK = "talk", _("talk")
    WRITTEN_REPRIMAND_CHIEF = "written_reprimand_chief", _("written reprimand by the chief of police")
    TEMPORARY_REMOVAL = "temporary_removal", _("temporary removal")
    PERMANENT_REMOVAL = "permanent_removal", _("permanent removal")


MEMBER_MEASURES = frozenset(
    {
        SanctionMeasure.WRITTEN_REPRIMAND,
        SanctionMeasure.TEMPORARY_SUSPENSION,
        SanctionMeasure.PERMANENT_SUSPENSION,
    }
)
COORDINATOR_MEASURES = frozenset(
    {
        SanctionMeasure.TALK,
        SanctionMeasure.WRITTEN_REPRIMAND_CHIEF,
        SanctionMeasure.TEMPORARY_REMOVAL,
        SanctionMeasure.PERMANENT_REMOVAL,
    }
)
TEMPORARY_MEASURES = frozenset({SanctionMeasure.TEMPORARY_SUSPENSION, SanctionMeasure.TEMPORARY_REMOVAL})
APPEAL_DAYS = 21


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("sanction upheld")
    ANNULLED = "annulled", _("sanction annulled")
    MODIFIED = "modified", _("sanction modified")
