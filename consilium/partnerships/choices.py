"""The fixed lists of partnerships: kinds, statuses and roles of agreements, forms of
cooperation, and the kinds and statuses of what agreements carry.

The first of each pair is stored, the second is its translated label. ``models.py`` imports
them for its fields, so ``models.AgreementStatus`` keeps working where other apps read it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementKind(models.TextChoices):
    STRATEGIC = "strategic", _("Strategic partnership")
    MEMORANDUM = "memorandum", _("Memorandum of cooperation")
    CONTRACT = "contract", _("Agreement or contract")
    ERASMUS = "erasmus_iia", _("Erasmus+ inter-institutional agreement")


class AgreementStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    NEGOTIATING = "negotiating", _("Negotiating")
    SIGNED = "signed", _("Signed")
    ACTIVE = "active", _("Active")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")
    RENEWED = "renewed", _("Renewed")


class PartyRole(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic university")
    FOREIGN = "foreign", _("Foreign partner")
    CLINICAL_BASE = "clinical_base", _("Clinical base")
    COLLEGE = "college", _("College")
    FUNDER = "funder", _("Funder")
    PARTNER = "partner", _("Partner")


class CooperationForm(models.TextChoices):
    CONSULTING = "consulting", _("Consulting")
    MENTORING = "mentoring", _("Mentoring")
    COLLABORATION = "collaboration", _("Collaboration")
    TRUST_MANAGEMENT = "trust_management", _("Trust management")
    PRACTICE = "practice", _("Practice placements")
    CONFERENCES = "conferences", _("Conferences")
    INFORMATION = "information", _("Information exchange")
    MOBILITY = "mobility", _("Academic mobility")
    RESEARCH = "research", _("Joint research")
    CPD = "cpd", _("Continuing professional development")


class DocumentKind(models.TextChoices):
    SIGNED = "signed", _("Signed agreement")
    ANNEX = "annex", _("Annex")
    EVIDENCE = "evidence", _("Evidence")


class WorkKind(models.TextChoices):
    GOAL = "goal", _("Goal")
    ACTIVITY = "activity", _("Activity")
    RESULT = "result", _("Result")
