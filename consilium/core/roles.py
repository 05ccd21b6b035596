"""The roles a person holds at an institution (see docs/architecture.md, Access)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    NETWORK_ADMIN = "network_admin", _("Network administrator")
    MINISTRY_OBSERVER = "ministry_observer", _("Ministry observer")
    INSTITUTION_ADMIN = "institution_admin", _("Institution administrator")
    PARTNERSHIP_COORDINATOR = "partnership_coordinator", _("Partnership coordinator")
    COURSE_AUTHOR = "course_author", _("Course author")
    METHODOLOGIST = "methodologist", _("Methodologist")
    TEACHER = "teacher", _("Teacher")
    LEARNER = "learner", _("Learner")
    PLACEMENT_COORDINATOR = "placement_coordinator", _("Placement coordinator")
    CLINICAL_SUPERVISOR = "clinical_supervisor", _("Clinical supervisor")
    STUDENT = "student", _("Student")
    QUALITY_MANAGER = "quality_manager", _("Quality manager")
    AUDITOR = "auditor", _("Auditor")


# Roles whose reach is the whole network, wherever the membership that grants them is held.
# (The groups of roles each app's rules use are in that app's policy.py.)
NETWORK_ROLES = frozenset({Role.NETWORK_ADMIN, Role.MINISTRY_OBSERVER})
