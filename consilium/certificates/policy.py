"""Who may see, revoke and reissue certificates, and which certificates one may see.

Registered into ``consilium.core.access`` by ``CertificatesConfig.ready()``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db.models import Q, QuerySet

from consilium.certificates.models import Certificate
from consilium.core import access
from consilium.core.access import AnyUser, Grants
from consilium.core.roles import Role
from consilium.courses.policy import TEACHING_ROLES, institution_statistics


class Perm(StrEnum):
    CERTIFICATE_VIEW = "certificate.view"
    CERTIFICATE_REVOKE = "certificate.revoke"
    CERTIFICATE_REISSUE = "certificate.reissue"
    CERTIFICATE_LIST = "certificate.list"


def _certificate_institution_ids(certificate: Any) -> set[int]:
    """The issuing and co-issuing institutions (uses prefetched co-issuers if there)."""
    return {certificate.issuer_id, *(i.pk for i in certificate.co_issuers.all())}


# --- rules -------------------------------------------------------------------------------


def sees_certificate(user: AnyUser, g: Grants, obj: Any) -> bool:
    """``obj`` is a Certificate: its holder, the issuing institutions' administrators, authors
    and teachers, and the network readers."""
    if user.is_authenticated and obj.learner_id == user.pk:
        return True
    if g.reads_network:
        return True
    return any(g.at(pk) & TEACHING_ROLES for pk in _certificate_institution_ids(obj))


def revokes_certificate(user: AnyUser, g: Grants, obj: Any) -> bool:
    """``obj`` is a Certificate: the issuing institution's administrators, network admins."""
    if g.is_network_admin:
        return True
    return Role.INSTITUTION_ADMIN in g.at(obj.issuer_id)


def holds_certificate(user: AnyUser, g: Grants, obj: Any) -> bool:
    return bool(user.is_authenticated and obj.learner_id == user.pk)


RULES: dict[StrEnum, access.Rule] = {
    Perm.CERTIFICATE_VIEW: sees_certificate,
    Perm.CERTIFICATE_REVOKE: revokes_certificate,
    Perm.CERTIFICATE_REISSUE: holds_certificate,
    # An institution's list: whoever sees its course statistics (``obj`` is the Institution).
    Perm.CERTIFICATE_LIST: institution_statistics,
}


# --- rows --------------------------------------------------------------------------------


def visible_certificates(user: AnyUser) -> QuerySet[Certificate]:
    """What ``certificate.view`` allows, as rows: the holder's own, those issued or co-issued
    by institutions where the user teaches, authors or administers, and all of them for the
    network readers."""
    g = access.grants(user)
    if g.reads_network:
        return Certificate.objects.all()
    if not user.is_authenticated:
        return Certificate.objects.none()
    own = Q(learner_id=user.pk)
    teaching = g.holding(TEACHING_ROLES)
    if not teaching:
        return Certificate.objects.filter(own)
    issued = Certificate.objects.filter(Q(issuer_id__in=teaching) | Q(co_issuers__in=teaching))
    return Certificate.objects.filter(own | Q(pk__in=issued.values("pk")))


def register() -> None:
    access.register_rules(RULES)
    access.register_scope(Certificate, visible_certificates)
