"""The one access policy of Consilium.

It answers two questions and nothing else answers them:

* ``can(user, perm, obj)``: may this user do this (to this object)?
* ``visible_*(user)``: which rows of a model may this user see?

Every view names the permission it requires with ``@requires`` (or declares itself public),
every API endpoint calls ``require``, and every selector starts from a ``visible_*`` queryset.
``tests/test_access_matrix.py`` walks all roles against all views and endpoints. Deny by default:
a permission nobody wrote a rule for is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from consilium.core.roles import COORDINATOR_ROLES, IMPORT_ROLES, NETWORK_ROLES, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from consilium.accounts.models import User
    from consilium.courses.models import Course
    from consilium.institutions.models import Institution, Membership
    from consilium.partnerships.models import Agreement

    AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class Grants:
    """What one user holds: network-wide roles and roles per institution id."""

    network: frozenset[str] = frozenset()
    by_institution: dict[int, frozenset[str]] = field(default_factory=dict)

    def at(self, institution_id: int | None) -> frozenset[str]:
        if institution_id is None:
            return frozenset()
        return self.by_institution.get(institution_id, frozenset())

    def anywhere(self) -> frozenset[str]:
        roles: set[str] = set(self.network)
        for held in self.by_institution.values():
            roles |= held
        return frozenset(roles)

    @property
    def is_network_admin(self) -> bool:
        return Role.NETWORK_ADMIN in self.network

    @property
    def reads_network(self) -> bool:
        return bool(self.network & NETWORK_ROLES)


def grants(user: AnyUser) -> Grants:
    """The user's roles, read once per request and kept on the user object."""
    if not user.is_authenticated or not user.is_active:
        return Grants()
    cached = getattr(user, "_consilium_grants", None)
    if cached is not None:
        return cached
    from consilium.institutions.models import Membership

    by_institution: dict[int, set[str]] = {}
    network: set[str] = set()
    for institution_id, role in Membership.objects.filter(user=user).values_list(
        "institution_id", "role"
    ):
        by_institution.setdefault(institution_id, set()).add(role)
        if role in NETWORK_ROLES:
            network.add(role)
    if user.is_superuser:
        network.add(Role.NETWORK_ADMIN)
    result = Grants(
        network=frozenset(network),
        by_institution={key: frozenset(value) for key, value in by_institution.items()},
    )
    user._consilium_grants = result  # type: ignore[union-attr,attr-defined]
    return result


def forget_grants(user: AnyUser) -> None:
    """Drop the cached roles after a change of memberships."""
    if hasattr(user, "_consilium_grants"):
        del user._consilium_grants  # type: ignore[union-attr]


def _institution_id(obj: Any) -> int | None:
    return getattr(obj, "pk", None) if obj is not None else None


# --- rules -------------------------------------------------------------------------------
# Each rule takes (user, grants, obj) and returns True to allow.

Rule = Callable[["AnyUser", Grants, Any], bool]


def _public(user: AnyUser, g: Grants, obj: Any) -> bool:
    return True


def _signed_in(user: AnyUser, g: Grants, obj: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _network_admin(user: AnyUser, g: Grants, obj: Any) -> bool:
    return g.is_network_admin


def _manages_institution(user: AnyUser, g: Grants, obj: Any) -> bool:
    if g.is_network_admin:
        return True
    return Role.INSTITUTION_ADMIN in g.at(_institution_id(obj))


def _sees_people(user: AnyUser, g: Grants, obj: Any) -> bool:
    return g.reads_network or bool(g.at(_institution_id(obj)))


def _imports_institutions(user: AnyUser, g: Grants, obj: Any) -> bool:
    return bool(g.anywhere() & IMPORT_ROLES)


def _party_ids(agreement: Any) -> set[int]:
    """Institutions that are parties to an agreement (uses prefetched parties if there)."""
    return {party.institution_id for party in agreement.parties.all()}


def _member_anywhere(user: AnyUser, g: Grants, obj: Any) -> bool:
    return bool(g.by_institution) or g.reads_network


def _reads_agreement(user: AnyUser, g: Grants, obj: Any) -> bool:
    if g.reads_network:
        return True
    if not g.by_institution:
        return False
    return bool(obj.is_public) or bool(_party_ids(obj) & set(g.by_institution))


def _sees_agreement_documents(user: AnyUser, g: Grants, obj: Any) -> bool:
    return g.reads_network or bool(_party_ids(obj) & set(g.by_institution))


def _coordinates_party(user: AnyUser, g: Grants, obj: Any) -> bool:
    """A partnership coordinator (or administrator) of one of the agreement's parties."""
    if g.is_network_admin:
        return True
    return any(g.at(institution_id) & COORDINATOR_ROLES for institution_id in _party_ids(obj))


def _approves_for_party(user: AnyUser, g: Grants, obj: Any) -> bool:
    """``obj`` is an AgreementParty: its own coordinators approve for it."""
    return bool(g.at(obj.institution_id) & COORDINATOR_ROLES)


def _creates_agreements(user: AnyUser, g: Grants, obj: Any) -> bool:
    return g.is_network_admin or any(
        roles & COORDINATOR_ROLES for roles in g.by_institution.values()
    )


def _proposes_between(user: AnyUser, g: Grants, obj: Any) -> bool:
    """``obj`` is the parties' institution ids: the proposer must speak for one of them."""
    if g.is_network_admin:
        return True
    return any(g.at(institution_id) & COORDINATOR_ROLES for institution_id in obj or ())


def _manages_programmes(user: AnyUser, g: Grants, obj: Any) -> bool:
    if g.is_network_admin:
        return True
    if obj is not None:
        return Role.INSTITUTION_ADMIN in g.at(obj.owner_id) and obj.owner.kind == "ministry"
    from consilium.institutions.models import Institution

    ministries = Institution.objects.filter(
        pk__in=[pk for pk, roles in g.by_institution.items() if Role.INSTITUTION_ADMIN in roles],
        kind="ministry",
    )
    return ministries.exists()


# --- course bank -------------------------------------------------------------------------

AUTHOR_ROLES = frozenset({Role.COURSE_AUTHOR})
# Who follows an institution's learners: its teachers, authors and administrators.
TEACHING_ROLES = frozenset({Role.TEACHER, Role.COURSE_AUTHOR, Role.INSTITUTION_ADMIN})


def _course_institution_ids(course: Any) -> set[int]:
    """The owner and co-authoring institutions (uses prefetched co-authors if there)."""
    return {course.owner_id, *(i.pk for i in course.co_authors.all())}


def _creates_courses(user: AnyUser, g: Grants, obj: Any) -> bool:
    """``obj`` is None (anywhere) or the owner institution the course would belong to."""
    if g.is_network_admin:
        return True
    if obj is None:
        return any(roles & AUTHOR_ROLES for roles in g.by_institution.values())
    return bool(g.at(_institution_id(obj)) & AUTHOR_ROLES)


def _authors_course(user: AnyUser, g: Grants, obj: Any) -> bool:
    if g.is_network_admin:
        return True
    return any(g.at(pk) & AUTHOR_ROLES for pk in _course_institution_ids(obj))


def _reads_course(user: AnyUser, g: Grants, obj: Any) -> bool:
    """Published courses are public; drafts are for their authors, reviewers and the network."""
    if obj.status == "published" or g.reads_network:
        return True
    if any(g.at(pk) & (AUTHOR_ROLES | TEACHING_ROLES) for pk in _course_institution_ids(obj)):
        return True
    return bool(
        user.is_authenticated
        and Role.METHODOLOGIST in g.anywhere()
        and obj.reviews.filter(reviewer=user).exists()
    )


def _reviews(user: AnyUser, g: Grants, obj: Any) -> bool:
    """``obj`` is a Review: only the methodologist it is assigned to."""
    return Role.METHODOLOGIST in g.anywhere() and obj.reviewer_id == user.pk


def _methodologist(user: AnyUser, g: Grants, obj: Any) -> bool:
    return Role.METHODOLOGIST in g.anywhere()


def _follows_learners(user: AnyUser, g: Grants, obj: Any) -> bool:
    """``obj`` is a Course: its institutions' teachers, authors and administrators."""
    if g.reads_network:
        return True
    return any(g.at(pk) & TEACHING_ROLES for pk in _course_institution_ids(obj))


def _own_enrolment(user: AnyUser, g: Grants, obj: Any) -> bool:
    return bool(user.is_authenticated and obj.learner_id == user.pk)


def _institution_statistics(user: AnyUser, g: Grants, obj: Any) -> bool:
    """``obj`` is an Institution: its administrators, authors, teachers; the network readers."""
    if g.reads_network:
        return True
    return bool(g.at(_institution_id(obj)) & TEACHING_ROLES)


def _network_reader(user: AnyUser, g: Grants, obj: Any) -> bool:
    return g.reads_network


def _staff(user: AnyUser, g: Grants, obj: Any) -> bool:
    return bool(user.is_authenticated and user.is_staff and g.is_network_admin)


def _certificate_institution_ids(certificate: Any) -> set[int]:
    """The issuing and co-issuing institutions (uses prefetched co-issuers if there)."""
    return {certificate.issuer_id, *(i.pk for i in certificate.co_issuers.all())}


def _sees_certificate(user: AnyUser, g: Grants, obj: Any) -> bool:
    """``obj`` is a Certificate: its holder, the issuing institutions' administrators, authors
    and teachers, and the network readers."""
    if user.is_authenticated and obj.learner_id == user.pk:
        return True
    if g.reads_network:
        return True
    return any(g.at(pk) & TEACHING_ROLES for pk in _certificate_institution_ids(obj))


def _revokes_certificate(user: AnyUser, g: Grants, obj: Any) -> bool:
    """``obj`` is a Certificate: the issuing institution's administrators, network admins."""
    if g.is_network_admin:
        return True
    return Role.INSTITUTION_ADMIN in g.at(obj.issuer_id)


def _holds_certificate(user: AnyUser, g: Grants, obj: Any) -> bool:
    return bool(user.is_authenticated and obj.learner_id == user.pk)


RULES: dict[str, Rule] = {
    "public": _public,
    "signed_in": _signed_in,
    "directory.view": _public,
    "directory.export": _signed_in,
    "institution.create": _network_admin,
    "institution.change": _manages_institution,
    "institution.import": _imports_institutions,
    "institution.people.view": _sees_people,
    "institution.people.manage": _manages_institution,
    "account.tokens": _signed_in,
    "admin.site": _staff,
    "programme.view": _member_anywhere,
    "programme.manage": _manages_programmes,
    "agreement.list": _member_anywhere,
    "agreement.create": _creates_agreements,
    "agreement.propose": _proposes_between,
    "agreement.view": _reads_agreement,
    "agreement.edit": _coordinates_party,
    "agreement.documents": _sees_agreement_documents,
    "agreement.approve": _approves_for_party,
    "course.catalog": _public,
    "course.view": _reads_course,
    "course.create": _creates_courses,
    "course.author": _authors_course,
    "course.review": _reviews,
    "course.review_queue": _methodologist,
    "course.learners": _follows_learners,
    "course.enrol": _signed_in,
    "course.learn": _own_enrolment,
    "course.stats.institution": _institution_statistics,
    "course.stats.network": _network_reader,
    "certificate.view": _sees_certificate,
    "certificate.revoke": _revokes_certificate,
    "certificate.reissue": _holds_certificate,
    "certificate.list": _institution_statistics,
}


def can(user: AnyUser, perm: str, obj: Any = None) -> bool:
    rule = RULES.get(perm)
    if rule is None:
        return False
    return rule(user, grants(user), obj)


def require(user: AnyUser, perm: str, obj: Any = None) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied


# --- views -------------------------------------------------------------------------------


def requires(perm: str, obj: Callable[..., Any] | None = None) -> Callable:
    """Declare what a view requires; anonymous users are sent to sign in, others get 403.

    ``obj(request, **kwargs)`` loads the object the permission is checked against (and may
    raise Http404 first).
    """

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            target = obj(request, **kwargs) if obj is not None else None
            if not can(request.user, perm, target):
                if not request.user.is_authenticated and perm != "public":
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            if target is not None:
                request.access_object = target
            return view(request, *args, **kwargs)

        wrapper.access_rule = perm  # type: ignore[attr-defined]
        return wrapper

    return decorate


# --- rows --------------------------------------------------------------------------------


def visible_memberships(user: AnyUser) -> QuerySet[Membership]:
    from consilium.institutions.models import Membership

    g = grants(user)
    if g.reads_network:
        return Membership.objects.all()
    if not g.by_institution:
        return Membership.objects.none()
    return Membership.objects.filter(institution_id__in=list(g.by_institution))


def visible_institutions(user: AnyUser) -> QuerySet[Institution]:
    """The directory is public: every institution is listed for everyone."""
    from consilium.institutions.models import Institution

    return Institution.objects.all()


def visible_agreements(user: AnyUser) -> QuerySet[Agreement]:
    """Network readers see all; members see public ones and their institutions' own."""
    from django.db.models import Exists, OuterRef, Q

    from consilium.partnerships.models import Agreement, AgreementParty

    g = grants(user)
    if g.reads_network:
        return Agreement.objects.all()
    if not g.by_institution:
        return Agreement.objects.none()
    own = AgreementParty.objects.filter(
        agreement=OuterRef("pk"), institution_id__in=list(g.by_institution)
    )
    return Agreement.objects.filter(Q(is_public=True) | Exists(own))


def visible_courses(user: AnyUser) -> QuerySet[Course]:
    """Everyone sees published courses; authors and teachers their institutions' own; a
    methodologist the courses assigned to them; the network readers all of them."""
    from django.db.models import Q

    from consilium.courses.models import Course, CourseStatus

    g = grants(user)
    if g.reads_network:
        return Course.objects.all()
    published = Q(status=CourseStatus.PUBLISHED)
    if not user.is_authenticated:
        return Course.objects.filter(published)
    own = [pk for pk, roles in g.by_institution.items() if roles & (AUTHOR_ROLES | TEACHING_ROLES)]
    condition = published
    if own:
        condition |= Q(owner_id__in=own) | Q(co_authors__in=own)
    if Role.METHODOLOGIST in g.anywhere():
        condition |= Q(reviews__reviewer=user)
    if condition is published:
        return Course.objects.filter(published)
    return Course.objects.filter(pk__in=Course.objects.filter(condition).values("pk"))
