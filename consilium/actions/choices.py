"""The fixed lists of actions: kinds, statuses and the results of an effectiveness check.

The first of each pair is stored, the second is its translated label.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActionKind(models.TextChoices):
    RECOMMENDATION = "recommendation", _("Recommendation")
    CORRECTIVE = "corrective", _("Corrective action")
    PREVENTIVE = "preventive", _("Preventive action")
    IMPROVEMENT = "improvement", _("Improvement")
    DECISION = "decision", _("Decision")
    RESOLUTION = "resolution", _("Resolution")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    VERIFIED = "verified", _("Verified")
    DROPPED = "dropped", _("Dropped")


class CheckResult(models.TextChoices):
    EFFECTIVE = "effective", _("Effective")
    INEFFECTIVE = "ineffective", _("Not effective")


# Kinds that close only after an effectiveness check (ISO 9001, 10.2).
CHECKED_KINDS = frozenset({ActionKind.CORRECTIVE, ActionKind.PREVENTIVE})
# Statuses in which the work is still to be done (counted as open, reminded, overdue).
OPEN_STATUSES = frozenset({ActionStatus.OPEN, ActionStatus.IN_PROGRESS})
