"""Every role against every view and API endpoint: what each may see and do.

The tables below name each route once, with who is allowed. A route that is added to the URL
configuration or the API without a row here fails ``test_every_route_is_in_the_matrix``: there
is no way to add a page without saying who may use it.

Personas: anonymous, a signed-in person with no role, and one person per role. Network roles
are held at a ministry; every other role is held at the institution ``own``. ``other`` is an
institution where nobody but the network roles has any business.

The course bank and certificates have their own part of the world (``tests/access_courses.py``:
courses in each state, enrolments, a review, certificates) and their own predicates; each case
builds only the part its route needs (``Route.part``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from consilium.accounts.testing import UserFactory
from consilium.api import api
from consilium.core.roles import NETWORK_ROLES, Role
from consilium.institutions import services
from consilium.institutions.models import Institution, InstitutionKind, Invitation, Membership
from consilium.institutions.testing import InstitutionFactory
from tests import access_courses
from tests.access_courses import (
    assigned_reader,
    holder_or_issuer,
    learner,
    learner_or_staff,
    nobody,
    own_authors,
    own_course_readers,
    own_teaching,
    reviewer,
    revokers,
)

PERSONAS = ["anonymous", "no_role", *[role.value for role in Role]]


@dataclass
class World:
    own: Institution
    other: Institution
    users: dict[str, Any]
    target_membership: dict[str, Membership]
    target_invitation: dict[str, Invitation]
    draft: Any = None  # a public draft agreement between own and partner
    hidden: Any = None  # a non-public agreement between other and partner
    document: Any = None  # a document of the draft
    recommendation: Any = None
    programme: Any = None
    c: access_courses.CourseWorld = None  # type: ignore[assignment]  # the course bank's part


def build_world(part: str = "partnerships") -> World:
    """The personas and their institutions, with the rows of one ``part``: "partnerships" or
    "courses" (the course bank and certificates), so that each case builds only what it uses."""
    ministry = InstitutionFactory(kind=InstitutionKind.MINISTRY, name_en="Ministry")
    own = InstitutionFactory(name_en="Own University")
    other = InstitutionFactory(name_en="Other University")
    users: dict[str, Any] = {"anonymous": None, "no_role": UserFactory()}
    for role in Role:
        user = UserFactory()
        where = ministry if role in NETWORK_ROLES else own
        Membership.objects.create(user=user, institution=where, role=role)
        users[role.value] = user
    # Someone to act on at each institution, and an open invitation at each.
    target_membership, target_invitation = {}, {}
    inviter = users[Role.NETWORK_ADMIN.value]
    for key, institution in (("own", own), ("other", other)):
        Membership.objects.create(
            user=UserFactory(), institution=institution, role=Role.INSTITUTION_ADMIN
        )
        target_membership[key] = Membership.objects.create(
            user=UserFactory(), institution=institution, role=Role.TEACHER
        )
        target_invitation[key] = services.invitation_create(
            institution=institution,
            email=f"invitee-{key}@example.org",
            role=Role.LEARNER,
            invited_by=inviter,
        ).invitation
    world = World(own, other, users, target_membership, target_invitation)
    if part == "courses":
        world.c = access_courses.build(users, own, other)
    else:
        _partnerships(world, ministry)
    return world


def _partnerships(world: World, ministry: Institution) -> None:
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from consilium.partnerships import services as ps

    partner = InstitutionFactory(name_en="Partner University", country="US")
    coordinator = world.users[Role.NETWORK_ADMIN.value]
    world.programme = ps.programme_create(
        owner=ministry, titles={"en": "Programme"}, starts_on=date(2016, 1, 1), by=coordinator
    )
    world.draft = ps.agreement_create(
        kind="strategic",
        titles={"en": "Own draft"},
        by=coordinator,
        programme=world.programme,
        parties=[
            ps.PartyData(institution=world.own, role="domestic"),
            ps.PartyData(institution=partner, role="foreign"),
        ],
    )
    world.hidden = ps.agreement_create(
        kind="memorandum",
        titles={"en": "Hidden"},
        by=coordinator,
        is_public=False,
        parties=[
            ps.PartyData(institution=world.other, role="clinical_base"),
            ps.PartyData(institution=partner, role="college"),
        ],
    )
    world.document = ps.document_upload(
        agreement=world.draft,
        kind="annex",
        title="Annex",
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 test"),
        by=coordinator,
    )
    world.recommendation = ps.recommendation_add(agreement=world.draft, text="Do it")


# --- who is allowed ----------------------------------------------------------------------

Allowed = Callable[[str], bool]


def everyone(persona: str) -> bool:
    return True


def signed_in(persona: str) -> bool:
    return persona != "anonymous"


def network_admin(persona: str) -> bool:
    return persona == Role.NETWORK_ADMIN


def managers_of_own(persona: str) -> bool:
    return persona in (Role.NETWORK_ADMIN, Role.INSTITUTION_ADMIN)


def members_of_own(persona: str) -> bool:
    return persona in Role.values  # every role is held at own or network-wide


def network_readers(persona: str) -> bool:
    return persona in NETWORK_ROLES


def importers(persona: str) -> bool:
    return persona in (Role.NETWORK_ADMIN, Role.INSTITUTION_ADMIN, Role.PARTNERSHIP_COORDINATOR)


coordinators_anywhere = importers  # the same three roles speak for an institution


def own_party_coordinators(persona: str) -> bool:
    """Who approves for own: its coordinators and administrators, not the network admin."""
    return persona in (Role.INSTITUTION_ADMIN, Role.PARTNERSHIP_COORDINATOR)


@dataclass
class Route:
    name: str
    allowed: Allowed
    method: str = "get"
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    label: str = ""
    # Statuses that count as "allowed" (a redirect after a successful POST, a 410 for a
    # dead invitation link...). Denied is always 403, or a redirect to sign in.
    ok: tuple[int, ...] = (200, 302)
    extra: dict[str, Any] = field(default_factory=dict)
    part: str = "partnerships"  # which rows of the world it needs (see build_world)

    @property
    def id(self) -> str:
        return f"{self.name}{'@' + self.label if self.label else ''}:{self.method}"


own_pk = lambda w: {"pk": w.own.pk}  # noqa: E731
draft_pk = lambda w: {"pk": w.draft.pk}  # noqa: E731
hidden_pk = lambda w: {"pk": w.hidden.pk}  # noqa: E731
programme_pk = lambda w: {"pk": w.programme.pk}  # noqa: E731
other_pk = lambda w: {"pk": w.other.pk}  # noqa: E731

VIEW_ROUTES = [
    Route("core:home", everyone),
    Route("core:health", everyone),
    Route("core:floor", everyone),
    Route("core:set_language", everyone, "post", data=lambda w: {"language": "ru"}),
    Route("accounts:login", everyone),
    Route("accounts:sign_up", everyone),
    Route("accounts:logout", everyone, "post"),
    Route("accounts:password_reset", everyone),
    Route("accounts:password_reset_done", everyone),
    Route(
        "accounts:password_reset_confirm",
        everyone,
        kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"},
    ),
    Route("accounts:password_reset_complete", everyone),
    Route("accounts:profile", signed_in),
    Route("accounts:tokens", signed_in),
    Route("accounts:token_revoke", signed_in, "post", kwargs=lambda w: {"pk": 999999}, ok=(404,)),
    Route("institutions:list", everyone),
    Route("institutions:create", network_admin),
    Route("institutions:import", importers),
    Route("institutions:export", signed_in, kwargs=lambda w: {"fmt": "csv"}),
    Route("institutions:detail", everyone, kwargs=own_pk),
    Route("institutions:edit", managers_of_own, kwargs=own_pk),
    Route("institutions:edit", network_admin, kwargs=other_pk, label="other"),
    Route("institutions:history", managers_of_own, kwargs=own_pk),
    Route("institutions:history", network_admin, kwargs=other_pk, label="other"),
    Route(
        "institutions:invite",
        managers_of_own,
        "post",
        kwargs=own_pk,
        data=lambda w: {"email": "new@example.org", "role": "teacher"},
    ),
    Route(
        "institutions:invite",
        network_admin,
        "post",
        kwargs=other_pk,
        label="other",
        data=lambda w: {"email": "new@example.org", "role": "teacher"},
    ),
    Route(
        "institutions:membership_role",
        managers_of_own,
        "post",
        kwargs=lambda w: {"pk": w.own.pk, "membership": w.target_membership["own"].pk},
        data=lambda w: {"role": "learner"},
    ),
    Route(
        "institutions:membership_role",
        network_admin,
        "post",
        label="other",
        kwargs=lambda w: {"pk": w.other.pk, "membership": w.target_membership["other"].pk},
        data=lambda w: {"role": "learner"},
    ),
    Route(
        "institutions:membership_remove",
        managers_of_own,
        "post",
        kwargs=lambda w: {"pk": w.own.pk, "membership": w.target_membership["own"].pk},
    ),
    Route(
        "institutions:membership_remove",
        network_admin,
        "post",
        label="other",
        kwargs=lambda w: {"pk": w.other.pk, "membership": w.target_membership["other"].pk},
    ),
    Route(
        "institutions:invitation_cancel",
        managers_of_own,
        "post",
        kwargs=lambda w: {"pk": w.own.pk, "invitation": w.target_invitation["own"].pk},
    ),
    Route(
        "institutions:invitation_cancel",
        network_admin,
        "post",
        label="other",
        kwargs=lambda w: {"pk": w.other.pk, "invitation": w.target_invitation["other"].pk},
    ),
    Route(
        "institutions:invitation_accept", everyone, kwargs=lambda w: {"token": "unknown"}, ok=(410,)
    ),
    # --- partnerships ---
    Route("partnerships:agreement_list", members_of_own),
    Route("partnerships:agreement_create", coordinators_anywhere),
    Route("partnerships:agreement_export", members_of_own, kwargs=lambda w: {"fmt": "csv"}),
    Route("partnerships:iia_import", coordinators_anywhere),
    Route("partnerships:agreement_detail", members_of_own, kwargs=draft_pk),
    Route("partnerships:agreement_detail", network_readers, kwargs=hidden_pk, label="hidden"),
    Route("partnerships:agreement_edit", coordinators_anywhere, kwargs=draft_pk),
    Route("partnerships:agreement_edit", network_admin, kwargs=hidden_pk, label="hidden"),
    Route("partnerships:agreement_history", members_of_own, kwargs=draft_pk),
    Route("partnerships:agreement_diff", members_of_own, kwargs=draft_pk),
    Route(
        "partnerships:agreement_approve",
        own_party_coordinators,
        "post",
        kwargs=draft_pk,
        data=lambda w: {"party": w.draft.parties.get(institution=w.own).pk, "version": 1},
    ),
    Route(
        "partnerships:agreement_transition",
        coordinators_anywhere,
        "post",
        kwargs=draft_pk,
        data=lambda w: {"to": "negotiating"},
    ),
    Route("partnerships:agreement_renew", coordinators_anywhere, "post", kwargs=draft_pk),
    Route("partnerships:document_upload", coordinators_anywhere, "post", kwargs=draft_pk),
    Route(
        "partnerships:document_download",
        members_of_own,
        ok=(200,),
        kwargs=lambda w: {"pk": w.draft.pk, "document": w.document.pk},
    ),
    Route("partnerships:analysis_save", coordinators_anywhere, "post", kwargs=draft_pk),
    Route("partnerships:recommendation_add", coordinators_anywhere, "post", kwargs=draft_pk),
    Route(
        "partnerships:recommendation_update",
        coordinators_anywhere,
        "post",
        kwargs=lambda w: {"pk": w.draft.pk, "recommendation": w.recommendation.pk},
    ),
    Route("partnerships:work_item_add", coordinators_anywhere, "post", kwargs=draft_pk),
    Route("partnerships:agreement_pdf", members_of_own, kwargs=draft_pk, ok=(200,)),
    Route("partnerships:iia_export", members_of_own, kwargs=draft_pk, ok=(200, 404)),
    Route("partnerships:programme_list", members_of_own),
    Route("partnerships:programme_create", network_admin),
    Route("partnerships:programme_detail", members_of_own, kwargs=programme_pk),
    Route("partnerships:programme_edit", network_admin, kwargs=programme_pk),
    Route("partnerships:phase_add", network_admin, "post", kwargs=programme_pk),
    Route("partnerships:area_add", network_admin, "post", kwargs=programme_pk),
    Route("partnerships:funder_add", network_admin, "post", kwargs=programme_pk),
    Route("partnerships:programme_report", members_of_own, kwargs=programme_pk),
    Route("partnerships:programme_report_pdf", members_of_own, kwargs=programme_pk, ok=(200,)),
    Route("partnerships:network", members_of_own),
    Route("notifications:list", signed_in),
    Route("notifications:mark_all_read", signed_in, "post"),
]


# --- the course bank and certificates (world: access_courses.build) ----------------------


def C(name: str, allowed: Allowed, method: str = "get", **kwargs: Any) -> Route:
    return Route(name, allowed, method, part="courses", **kwargs)


def _c(attr: str, key: str = "pk") -> Callable[[World], dict[str, Any]]:
    """URL kwargs ``{key: world.c.<attr>.pk}``."""
    return lambda w: {key: getattr(w.c, attr).pk}


def _item(course: str, item: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"pk": getattr(w.c, course).pk, "item": getattr(w.c, item).pk}


def _course_form(w: World) -> dict[str, Any]:
    from consilium.courses.testing import discipline

    return {
        "owner": w.own.pk,
        "discipline": discipline().pk,
        "audience": "students",
        "level": "introductory",
        "hours": 12,
        "credits": "1",
        "language": "en",
        "title": "A new course",
        "revision": w.c.draft.revision if w.c else 1,
    }


def _run_form(prefix: str = "run-") -> Callable[[World], dict[str, Any]]:
    def data(w: World) -> dict[str, Any]:
        from datetime import date, timedelta

        today = date.today()
        return {
            f"{prefix}starts_on": (today + timedelta(days=40)).isoformat(),
            f"{prefix}ends_on": (today + timedelta(days=80)).isoformat(),
            f"{prefix}enrolment_opens_on": today.isoformat(),
            f"{prefix}enrolment_closes_on": (today + timedelta(days=39)).isoformat(),
            f"{prefix}pacing": "scheduled",
        }

    return data


def _decision(w: World) -> dict[str, Any]:
    from consilium.courses.models import RubricCriterion

    data: dict[str, Any] = {"verdict": "changes_requested", "comment": "Shorter lessons"}
    for criterion in RubricCriterion.objects.filter(active=True):
        data[f"score_{criterion.pk}"] = 3
    return data


def _variant(w: World) -> dict[str, Any]:
    return {"variant": w.c.published.variants.get().pk}


draft_item = lambda attr: _item("draft", attr)  # noqa: E731
enrolment_pk = _c("enrolment")
theirs_pk = _c("their_enrolment")

COURSE_VIEW_ROUTES = [
    # catalog: published courses for everyone; the rest for those who may read them
    C("courses:catalog", everyone),
    C("courses:runs_ical", everyone),
    C("courses:course", everyone, kwargs=_c("published")),
    C("courses:course", own_course_readers, kwargs=_c("draft"), label="draft"),
    C("courses:course", own_course_readers, kwargs=_c("coauthored"), label="coauthored"),
    C("courses:course", network_readers, kwargs=_c("hidden"), label="hidden"),
    C("courses:course", assigned_reader, kwargs=_c("in_review"), label="in_review"),
    C("courses:course_ical", everyone, kwargs=_c("published"), ok=(200,)),
    C("courses:course_ical", network_readers, kwargs=_c("hidden"), label="hidden", ok=(200,)),
    # authoring: course authors of the course's institutions (and the network admin)
    C("courses:authored", own_authors),
    C("courses:create", own_authors),
    C("courses:create", own_authors, "post", data=_course_form, label="post"),
    C("courses:edit", own_authors, kwargs=_c("draft")),
    C("courses:edit", own_authors, "post", kwargs=_c("draft"), data=_course_form, label="post"),
    C("courses:edit", own_authors, kwargs=_c("coauthored"), label="coauthored"),
    C("courses:edit", network_admin, kwargs=_c("hidden"), label="hidden"),
    C("courses:edit", own_authors, kwargs=_c("published"), label="published"),
    C(
        "courses:variant_add",
        own_authors,
        "post",
        kwargs=_c("draft"),
        data=lambda w: {
            "variant-language": "ru",
            "variant-title": "Черновик",
            "variant-translation_status": "in_progress",
        },
    ),
    C(
        "courses:variant_edit",
        own_authors,
        kwargs=lambda w: {"pk": w.c.draft.pk, "item": w.c.draft.variants.get().pk},
    ),
    C(
        "courses:module_add",
        own_authors,
        "post",
        kwargs=_c("draft"),
        data=lambda w: {"language": "en", "module-title": "Module 2"},
    ),
    C("courses:module_edit", own_authors, kwargs=draft_item("draft_module")),
    C(
        "courses:module_edit",
        network_admin,
        kwargs=_item("hidden", "hidden_module"),
        label="hidden",
    ),
    C("courses:module_delete", own_authors, kwargs=draft_item("draft_module")),
    C(
        "courses:module_move",
        own_authors,
        "post",
        kwargs=draft_item("draft_module"),
        data=lambda w: {"direction": "down"},
    ),
    C("courses:lesson_add", own_authors, kwargs=draft_item("draft_module")),
    C(
        "courses:lesson_add",
        own_authors,
        "post",
        kwargs=draft_item("draft_module"),
        data=lambda w: {"kind": "text", "title": "Lesson 3", "body": "<p>Text</p>"},
        label="post",
    ),
    C("courses:lesson_edit", own_authors, kwargs=draft_item("draft_lesson")),
    C("courses:lesson_delete", own_authors, kwargs=draft_item("draft_lesson")),
    C(
        "courses:lesson_move",
        own_authors,
        "post",
        kwargs=draft_item("draft_lesson"),
        data=lambda w: {"direction": "down"},
    ),
    C("courses:lesson_preview", own_authors, kwargs=draft_item("draft_lesson")),
    C("courses:quiz_edit", own_authors, kwargs=draft_item("draft_quiz_lesson")),
    C("courses:question_add", own_authors, kwargs=draft_item("draft_quiz_lesson")),
    C("courses:question_edit", own_authors, kwargs=draft_item("draft_question")),
    C("courses:question_delete", own_authors, kwargs=draft_item("draft_question")),
    C("courses:run_add", own_authors, "post", kwargs=_c("draft"), data=_run_form()),
    C("courses:run_edit", own_authors, kwargs=draft_item("draft_run")),
    C("courses:run_delete", own_authors, "post", kwargs=draft_item("draft_run")),
    C(
        "courses:review_submit",
        own_authors,
        "post",
        kwargs=_c("draft"),
        data=lambda w: {"reviewer": w.users[Role.METHODOLOGIST.value].pk, "note": "Please"},
    ),
    C("courses:review_withdraw", own_authors, "post", kwargs=_c("draft")),
    C("courses:archive", own_authors, "post", kwargs=_c("draft")),
    C("courses:restore", own_authors, "post", kwargs=_c("draft")),
    # reviewing: the methodologist a review is assigned to, nobody else
    C("courses:review_queue", reviewer),
    C("courses:review", reviewer, kwargs=_c("review")),
    C("courses:review", reviewer, "post", kwargs=_c("review"), data=_decision),
    C("courses:review", nobody, kwargs=_c("their_review"), label="theirs"),
    # learning: anyone signed in enrols; an enrolment is its learner's only
    C(
        "courses:enrol",
        signed_in,
        "post",
        kwargs=lambda w: {"pk": w.c.published.runs.get().pk},
        data=_variant,
        ok=(302,),
    ),
    C("courses:my_learning", signed_in),
    C("courses:learn", learner, kwargs=enrolment_pk, ok=(200,)),
    C("courses:learn", nobody, kwargs=theirs_pk, label="theirs"),
    C("courses:learn_variant", learner, "post", kwargs=enrolment_pk, data=_variant, ok=(302,)),
    C("courses:withdraw", learner, "post", kwargs=enrolment_pk, ok=(302,)),
    C("courses:withdraw", nobody, "post", kwargs=theirs_pk, label="theirs"),
    C(
        "courses:lesson_done",
        learner,
        "post",
        kwargs=lambda w: {"pk": w.c.enrolment.pk, "lesson": w.c.text_lesson.pk},
        ok=(302,),
    ),
    C(
        "courses:lesson_done",
        nobody,
        "post",
        kwargs=lambda w: {"pk": w.c.their_enrolment.pk, "lesson": w.c.text_lesson.pk},
        label="theirs",
    ),
    C(
        "courses:quiz",
        learner,
        kwargs=lambda w: {"pk": w.c.enrolment.pk, "lesson": w.c.quiz.lesson_id},
        ok=(200,),
    ),
    C(
        "courses:quiz_result",
        learner,
        kwargs=lambda w: {"pk": w.c.enrolment.pk, "attempt": w.c.attempt.pk},
        ok=(200,),
    ),
    C("courses:lesson_file", learner_or_staff, kwargs=_c("file_lesson", "lesson"), ok=(200,)),
    # statistics: a course's and an institution's for its teachers, authors, administrators
    # and the network readers; the network's for the network readers
    C("courses:course_stats", own_teaching, kwargs=_c("published"), ok=(200,)),
    C("courses:course_stats", own_teaching, kwargs=_c("coauthored"), label="coauthored"),
    C("courses:course_stats", network_readers, kwargs=_c("hidden"), label="hidden"),
    C("courses:course_stats_csv", own_teaching, kwargs=_c("published"), ok=(200,)),
    C("courses:course_stats_csv", network_readers, kwargs=_c("hidden"), label="hidden"),
    C("courses:institution_stats", own_teaching, kwargs=own_pk, ok=(200,)),
    C("courses:institution_stats", network_readers, kwargs=other_pk, label="other"),
    C("courses:institution_stats_csv", own_teaching, kwargs=own_pk, ok=(200,)),
    C("courses:institution_stats_csv", network_readers, kwargs=other_pk, label="other"),
    C("courses:network_stats", network_readers, ok=(200,)),
    C("courses:network_stats_csv", network_readers, ok=(200,)),
    # certificates: anyone verifies; the holder, the issuer's teaching staff and the network
    # see one; the issuer's administrators and the network admin revoke; the holder reissues
    C("certificates:verify", everyone, ok=(200,)),
    C(
        "certificates:verify",
        everyone,
        "post",
        data=lambda w: {"credential": __import__("json").dumps(w.c.certificate.credential)},
        ok=(200,),
    ),
    C("certificates:public", everyone, kwargs=lambda w: {"code": w.c.certificate.code}, ok=(200,)),
    C("certificates:mine", signed_in),
    C("certificates:pdf", holder_or_issuer, kwargs=_c("certificate"), ok=(200,)),
    C("certificates:pdf", network_readers, kwargs=_c("other_certificate"), label="other"),
    C("certificates:json", holder_or_issuer, kwargs=_c("certificate"), ok=(200,)),
    C("certificates:json", network_readers, kwargs=_c("other_certificate"), label="other"),
    C("certificates:reissue", learner, kwargs=_c("certificate"), ok=(200,)),
    C(
        "certificates:reissue",
        learner,
        "post",
        kwargs=_c("certificate"),
        data=lambda w: {"reason": "My name changed"},
        ok=(302, 400),  # 400: the name in the profile is already the one on it
    ),
    C("certificates:revoke", revokers, kwargs=_c("certificate"), ok=(200,)),
    C(
        "certificates:revoke",
        revokers,
        "post",
        kwargs=_c("certificate"),
        data=lambda w: {"reason": "Issued by mistake"},
        ok=(302,),
    ),
    C(
        "certificates:revoke",
        network_admin,
        "post",
        kwargs=_c("other_certificate"),
        data=lambda w: {"reason": "Issued by mistake"},
        label="other",
        ok=(302,),
    ),
    C("certificates:institution", own_teaching, kwargs=own_pk, ok=(200,)),
    C("certificates:institution", network_readers, kwargs=other_pk, label="other"),
    C("certificates:institution_export", own_teaching, kwargs=own_pk, ok=(200,)),
    C("certificates:institution_export", network_readers, kwargs=other_pk, label="other"),
    C(
        "certificates:status_list",
        everyone,
        kwargs=lambda w: {"pk": w.c.certificate.status_list_id},
        ok=(200,),
    ),
    C("certificates:did", everyone, kwargs=own_pk, ok=(200,)),
]
VIEW_ROUTES += COURSE_VIEW_ROUTES


@dataclass
class ApiRoute:
    method: str
    path: str
    allowed: Allowed
    url: Callable[[World], str]
    body: Callable[[World], dict[str, Any]] | None = None
    label: str = ""
    form: Callable[[World], dict[str, Any]] | None = None  # a multipart POST instead of JSON
    ok: tuple[int, ...] = (200, 201)  # statuses that count as "allowed"
    part: str = "partnerships"

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}{'@' + self.label if self.label else ''}"


def _institution_body(w: World) -> dict[str, Any]:
    return {"kind": "college", "country": "KZ", "name": {"en": "Brand New College"}}


PS = "/api/v1/partnerships"


def _draft(tail: str = "") -> Callable[[World], str]:
    return lambda w: f"{PS}/agreements/{w.draft.pk}{tail}"


def _hidden(tail: str = "") -> Callable[[World], str]:
    return lambda w: f"{PS}/agreements/{w.hidden.pk}{tail}"


def _programme(tail: str = "") -> Callable[[World], str]:
    return lambda w: f"{PS}/programmes/{w.programme.pk}{tail}"


def _agreement_body(w: World) -> dict[str, Any]:
    return {
        "kind": "memorandum",
        "title": {"en": "New memorandum"},
        "parties": [
            {"institution_id": w.own.pk, "role": "domestic"},
            {"institution_id": w.other.pk, "role": "partner"},
        ],
    }


def _in_force(w: World) -> dict[str, Any]:
    """Carry the draft to active through the services, so that it may be renewed."""
    from django.utils import timezone

    from consilium.partnerships import services as ps

    by = w.users[Role.NETWORK_ADMIN.value]
    ps.agreement_transition(agreement=w.draft, to="negotiating", by=by)
    for party in w.draft.parties.all():
        ps.agreement_approve(agreement=w.draft, party=party, by=by, version_number=1)
    ps.agreement_transition(
        agreement=w.draft, to="signed", by=by, data={"signed_on": timezone.localdate()}
    )
    ps.agreement_transition(agreement=w.draft, to="active", by=by)
    return {"valid_from": "2030-01-01"}


def _analysis_body(w: World) -> dict[str, Any]:
    from consilium.partnerships import services as ps

    area = ps.priority_area_add(programme=w.programme, names={"en": "Area"})
    return {"area_id": area.pk, "situation": "As it is"}


def _upload(w: World) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"kind": "annex", "title": "Annex", "file": SimpleUploadedFile("b.pdf", b"%PDF-1.4 b")}


API_ROUTES = [
    ApiRoute("GET", "/api/v1/institutions/", everyone, lambda w: "/api/v1/institutions/"),
    ApiRoute(
        "POST",
        "/api/v1/institutions/",
        network_admin,
        lambda w: "/api/v1/institutions/",
        _institution_body,
    ),
    ApiRoute(
        "GET", "/api/v1/institutions/{pk}", everyone, lambda w: f"/api/v1/institutions/{w.own.pk}"
    ),
    ApiRoute(
        "PATCH",
        "/api/v1/institutions/{pk}",
        managers_of_own,
        lambda w: f"/api/v1/institutions/{w.own.pk}",
        lambda w: {"website": "https://x.kz"},
    ),
    ApiRoute(
        "PATCH",
        "/api/v1/institutions/{pk}",
        network_admin,
        lambda w: f"/api/v1/institutions/{w.other.pk}",
        lambda w: {"website": "https://x.kz"},
        label="other",
    ),
    ApiRoute(
        "GET",
        "/api/v1/institutions/{pk}/members",
        members_of_own,
        lambda w: f"/api/v1/institutions/{w.own.pk}/members",
    ),
    ApiRoute(
        "GET",
        "/api/v1/institutions/{pk}/members",
        network_readers,
        lambda w: f"/api/v1/institutions/{w.other.pk}/members",
        label="other",
    ),
    ApiRoute("GET", "/api/v1/me/", signed_in, lambda w: "/api/v1/me/"),
    # --- partnerships ---
    ApiRoute("GET", f"{PS}/programmes/", members_of_own, lambda w: f"{PS}/programmes/"),
    ApiRoute(
        "POST",
        f"{PS}/programmes/",
        network_admin,
        lambda w: f"{PS}/programmes/",
        lambda w: {
            "owner_id": w.programme.owner_id,
            "title": {"en": "New programme"},
            "starts_on": "2020-01-01",
        },
    ),
    ApiRoute("GET", f"{PS}/programmes/{{pk}}", members_of_own, _programme()),
    ApiRoute(
        "PATCH",
        f"{PS}/programmes/{{pk}}",
        network_admin,
        _programme(),
        lambda w: {"funding_frame": "World Bank"},
    ),
    ApiRoute(
        "POST",
        f"{PS}/programmes/{{pk}}/phases",
        network_admin,
        _programme("/phases"),
        lambda w: {
            "number": 1,
            "title": {"en": "Phase"},
            "starts_on": "2016-01-01",
            "ends_on": "2016-12-31",
        },
    ),
    ApiRoute(
        "POST",
        f"{PS}/programmes/{{pk}}/areas",
        network_admin,
        _programme("/areas"),
        lambda w: {"name": {"en": "Area"}},
    ),
    ApiRoute(
        "POST",
        f"{PS}/programmes/{{pk}}/funders",
        network_admin,
        _programme("/funders"),
        lambda w: {"source": "World Bank"},
    ),
    ApiRoute("GET", f"{PS}/programmes/{{pk}}/report", members_of_own, _programme("/report")),
    ApiRoute("GET", f"{PS}/agreements/", members_of_own, lambda w: f"{PS}/agreements/"),
    ApiRoute(
        "POST",
        f"{PS}/agreements/",
        coordinators_anywhere,
        lambda w: f"{PS}/agreements/",
        _agreement_body,
    ),
    ApiRoute("GET", f"{PS}/agreements/{{pk}}", members_of_own, _draft()),
    ApiRoute("GET", f"{PS}/agreements/{{pk}}", network_readers, _hidden(), label="hidden"),
    ApiRoute(
        "PUT",
        f"{PS}/agreements/{{pk}}",
        coordinators_anywhere,
        _draft(),
        lambda w: {**_agreement_body(w), "revision": w.draft.revision},
    ),
    ApiRoute(
        "PATCH",
        f"{PS}/agreements/{{pk}}",
        coordinators_anywhere,
        _draft(),
        lambda w: {"revision": w.draft.revision, "summary": "Changed"},
    ),
    ApiRoute(
        "PATCH",
        f"{PS}/agreements/{{pk}}",
        network_admin,
        _hidden(),
        lambda w: {"revision": w.hidden.revision, "summary": "Changed"},
        label="hidden",
    ),
    ApiRoute(
        "POST",
        f"{PS}/agreements/{{pk}}/approve",
        own_party_coordinators,
        _draft("/approve"),
        lambda w: {"party_id": w.draft.parties.get(institution=w.own).pk, "version": 1},
    ),
    ApiRoute(
        "POST",
        f"{PS}/agreements/{{pk}}/transition",
        coordinators_anywhere,
        _draft("/transition"),
        lambda w: {"to": "negotiating"},
    ),
    ApiRoute(
        "POST", f"{PS}/agreements/{{pk}}/renew", coordinators_anywhere, _draft("/renew"), _in_force
    ),
    ApiRoute("GET", f"{PS}/agreements/{{pk}}/versions", members_of_own, _draft("/versions")),
    ApiRoute(
        "GET",
        f"{PS}/agreements/{{pk}}/versions",
        network_readers,
        _hidden("/versions"),
        label="hidden",
    ),
    ApiRoute(
        "GET", f"{PS}/agreements/{{pk}}/versions/{{number}}", members_of_own, _draft("/versions/1")
    ),
    ApiRoute("GET", f"{PS}/agreements/{{pk}}/diff", members_of_own, _draft("/diff")),
    ApiRoute(
        "GET", f"{PS}/agreements/{{pk}}/recommendations", members_of_own, _draft("/recommendations")
    ),
    ApiRoute(
        "POST",
        f"{PS}/agreements/{{pk}}/recommendations",
        coordinators_anywhere,
        _draft("/recommendations"),
        lambda w: {"text": "Do more"},
    ),
    ApiRoute(
        "PATCH",
        f"{PS}/agreements/{{pk}}/recommendations/{{recommendation_id}}",
        coordinators_anywhere,
        lambda w: f"{PS}/agreements/{w.draft.pk}/recommendations/{w.recommendation.pk}",
        lambda w: {"status": "in_progress"},
    ),
    ApiRoute("GET", f"{PS}/agreements/{{pk}}/work-items", members_of_own, _draft("/work-items")),
    ApiRoute(
        "POST",
        f"{PS}/agreements/{{pk}}/work-items",
        coordinators_anywhere,
        _draft("/work-items"),
        lambda w: {"kind": "goal", "title": "Goal", "period": "2016"},
    ),
    ApiRoute("GET", f"{PS}/agreements/{{pk}}/analyses", members_of_own, _draft("/analyses")),
    ApiRoute(
        "POST",
        f"{PS}/agreements/{{pk}}/analyses",
        coordinators_anywhere,
        _draft("/analyses"),
        _analysis_body,
    ),
    ApiRoute("GET", f"{PS}/agreements/{{pk}}/documents", members_of_own, _draft("/documents")),
    ApiRoute(
        "GET",
        f"{PS}/agreements/{{pk}}/documents",
        network_readers,
        _hidden("/documents"),
        label="hidden",
    ),
    ApiRoute(
        "POST",
        f"{PS}/agreements/{{pk}}/documents",
        coordinators_anywhere,
        _draft("/documents"),
        form=_upload,
    ),
    ApiRoute(
        "GET",
        f"{PS}/agreements/{{pk}}/documents/{{document_id}}/file",
        members_of_own,
        lambda w: f"{PS}/agreements/{w.draft.pk}/documents/{w.document.pk}/file",
    ),
    ApiRoute("GET", f"{PS}/network", members_of_own, lambda w: f"{PS}/network"),
    ApiRoute("GET", "/api/v1/openapi.json", everyone, lambda w: "/api/v1/openapi.json"),
    ApiRoute("GET", "/api/v1/docs", everyone, lambda w: "/api/v1/docs"),
]


# --- the course bank and certificates ----------------------------------------------------

CO = "/api/v1/courses"
CE = "/api/v1/certificates"


def CA(method: str, path: str, allowed: Allowed, url: Callable[[World], str], **kw: Any) -> Any:
    return ApiRoute(method, path, allowed, url, part="courses", **kw)


def _authored(attr: str = "draft", tail: str = "") -> Callable[[World], str]:
    return lambda w: f"{CO}/authored/{getattr(w.c, attr).pk}{tail}"


def _settings_body(w: World) -> dict[str, Any]:
    return {
        "discipline_id": w.c.draft.discipline_id,
        "audience": "students",
        "level": "introductory",
        "hours": 20,
    }


def _run_body(w: World) -> dict[str, Any]:
    from datetime import date, timedelta

    today = date.today()
    return {
        "starts_on": (today + timedelta(days=40)).isoformat(),
        "enrolment_opens_on": today.isoformat(),
    }


def _decide_body(w: World) -> dict[str, Any]:
    from consilium.courses.models import RubricCriterion

    return {
        "verdict": "changes_requested",
        "comment": "Shorter lessons",
        "scores": [
            {"criterion_id": c.pk, "score": 3} for c in RubricCriterion.objects.filter(active=True)
        ],
    }


def _wrong_answers(w: World) -> dict[str, Any]:
    return {"answers": {str(k): v for k, v in w.c.attempt.answers.items()}}


def _enrolment(attr: str, tail: str = "") -> Callable[[World], str]:
    return lambda w: f"{CO}/enrolments/{getattr(w.c, attr).pk}{tail}"


def _certificate(attr: str = "certificate", tail: str = "/") -> Callable[[World], str]:
    return lambda w: f"{CE}/{getattr(w.c, attr).pk}{tail}"


COURSE_API_ROUTES = [
    CA("GET", f"{CO}/catalog/", everyone, lambda w: f"{CO}/catalog/"),
    CA("GET", f"{CO}/catalog/runs/", everyone, lambda w: f"{CO}/catalog/runs/"),
    CA("GET", f"{CO}/catalog/{{pk}}", everyone, lambda w: f"{CO}/catalog/{w.c.published.pk}"),
    CA(
        "GET",
        f"{CO}/catalog/{{pk}}",
        own_course_readers,
        lambda w: f"{CO}/catalog/{w.c.draft.pk}",
        label="draft",
    ),
    CA(
        "GET",
        f"{CO}/catalog/{{pk}}",
        network_readers,
        lambda w: f"{CO}/catalog/{w.c.hidden.pk}",
        label="hidden",
    ),
    CA(
        "GET",
        f"{CO}/catalog/{{pk}}",
        assigned_reader,
        lambda w: f"{CO}/catalog/{w.c.in_review.pk}",
        label="in_review",
    ),
    CA("GET", f"{CO}/authored/", own_authors, lambda w: f"{CO}/authored/"),
    CA(
        "POST",
        f"{CO}/authored/",
        own_authors,
        lambda w: f"{CO}/authored/",
        body=lambda w: {
            **_settings_body(w),
            "owner_id": w.own.pk,
            "language": "en",
            "title": "New",
        },
    ),
    CA("GET", f"{CO}/authored/{{pk}}", own_authors, _authored()),
    CA("GET", f"{CO}/authored/{{pk}}", own_authors, _authored("coauthored"), label="coauthored"),
    CA("GET", f"{CO}/authored/{{pk}}", network_admin, _authored("hidden"), label="hidden"),
    CA(
        "PUT",
        f"{CO}/authored/{{pk}}",
        own_authors,
        _authored(),
        body=lambda w: {**_settings_body(w), "revision": w.c.draft.revision},
    ),
    CA(
        "PUT",
        f"{CO}/authored/{{pk}}",
        network_admin,
        _authored("hidden"),
        body=lambda w: {**_settings_body(w), "revision": w.c.hidden.revision},
        label="hidden",
    ),
    CA(
        "POST",
        f"{CO}/authored/{{pk}}/variants",
        own_authors,
        _authored(tail="/variants"),
        body=lambda w: {"language": "ru", "title": "Черновик"},
    ),
    CA(
        "PUT",
        f"{CO}/authored/{{pk}}/variants/{{language}}",
        own_authors,
        _authored(tail="/variants/en"),
        body=lambda w: {"title": "Own draft, again", "translation_status": "original"},
    ),
    CA("GET", f"{CO}/authored/{{pk}}/runs", own_authors, _authored(tail="/runs")),
    CA("POST", f"{CO}/authored/{{pk}}/runs", own_authors, _authored(tail="/runs"), body=_run_body),
    CA(
        "PUT",
        f"{CO}/authored/{{pk}}/runs/{{run_id}}",
        own_authors,
        lambda w: f"{CO}/authored/{w.c.draft.pk}/runs/{w.c.draft_run.pk}",
        body=_run_body,
    ),
    CA(
        "DELETE",
        f"{CO}/authored/{{pk}}/runs/{{run_id}}",
        own_authors,
        lambda w: f"{CO}/authored/{w.c.draft.pk}/runs/{w.c.draft_run.pk}",
        ok=(204,),
    ),
    CA(
        "POST",
        f"{CO}/authored/{{pk}}/submit",
        own_authors,
        _authored(tail="/submit"),
        body=lambda w: {"reviewer_id": w.users[Role.METHODOLOGIST.value].pk},
    ),
    CA("GET", f"{CO}/reviews/", reviewer, lambda w: f"{CO}/reviews/"),
    CA(
        "POST",
        f"{CO}/reviews/{{pk}}/decide",
        reviewer,
        lambda w: f"{CO}/reviews/{w.c.review.pk}/decide",
        body=_decide_body,
    ),
    CA(
        "POST",
        f"{CO}/reviews/{{pk}}/decide",
        nobody,
        lambda w: f"{CO}/reviews/{w.c.their_review.pk}/decide",
        body=_decide_body,
        label="theirs",
    ),
    CA(
        "POST",
        f"{CO}/catalog/runs/{{pk}}/enrol",
        signed_in,
        lambda w: f"{CO}/catalog/runs/{w.c.published.runs.get().pk}/enrol",
        body=lambda w: {},
        ok=(201, 400),  # 400: the learner persona is enrolled already
    ),
    CA("GET", f"{CO}/enrolments/", signed_in, lambda w: f"{CO}/enrolments/"),
    CA("GET", f"{CO}/enrolments/{{pk}}", learner, _enrolment("enrolment")),
    CA("GET", f"{CO}/enrolments/{{pk}}", nobody, _enrolment("their_enrolment"), label="theirs"),
    CA(
        "POST",
        f"{CO}/enrolments/{{pk}}/lessons/{{lesson_id}}/complete",
        learner,
        lambda w: f"{CO}/enrolments/{w.c.enrolment.pk}/lessons/{w.c.text_lesson.pk}/complete",
    ),
    CA(
        "POST",
        f"{CO}/enrolments/{{pk}}/lessons/{{lesson_id}}/complete",
        nobody,
        lambda w: f"{CO}/enrolments/{w.c.their_enrolment.pk}/lessons/{w.c.text_lesson.pk}/complete",
        label="theirs",
    ),
    CA(
        "POST",
        f"{CO}/enrolments/{{pk}}/quizzes/{{quiz_id}}/attempts",
        learner,
        lambda w: f"{CO}/enrolments/{w.c.enrolment.pk}/quizzes/{w.c.quiz.pk}/attempts",
        body=_wrong_answers,
    ),
    CA(
        "POST",
        f"{CO}/enrolments/{{pk}}/quizzes/{{quiz_id}}/attempts",
        nobody,
        lambda w: f"{CO}/enrolments/{w.c.their_enrolment.pk}/quizzes/{w.c.quiz.pk}/attempts",
        body=_wrong_answers,
        label="theirs",
    ),
    CA("POST", f"{CO}/enrolments/{{pk}}/withdraw", learner, _enrolment("enrolment", "/withdraw")),
    CA(
        "POST",
        f"{CO}/enrolments/{{pk}}/withdraw",
        nobody,
        _enrolment("their_enrolment", "/withdraw"),
        label="theirs",
    ),
    # certificates
    CA(
        "GET",
        f"{CE}/enrolments/{{enrolment_id}}/",
        holder_or_issuer,
        lambda w: f"{CE}/enrolments/{w.c.done_enrolment.pk}/",
    ),
    CA(
        "GET",
        f"{CE}/enrolments/{{enrolment_id}}/",
        own_teaching,
        lambda w: f"{CE}/enrolments/{w.c.their_enrolment.pk}/",
        label="theirs",
    ),
    CA("GET", f"{CE}/{{pk}}/", holder_or_issuer, _certificate()),
    CA("GET", f"{CE}/{{pk}}/", network_readers, _certificate("other_certificate"), label="other"),
    CA("GET", f"{CE}/{{pk}}/credential", holder_or_issuer, _certificate(tail="/credential")),
    CA(
        "GET",
        f"{CE}/{{pk}}/credential",
        network_readers,
        _certificate("other_certificate", "/credential"),
        label="other",
    ),
    CA("GET", f"{CE}/{{pk}}/pdf", holder_or_issuer, _certificate(tail="/pdf")),
    CA(
        "POST",
        f"{CE}/{{pk}}/revoke",
        revokers,
        _certificate(tail="/revoke"),
        body=lambda w: {"reason": "Issued by mistake"},
    ),
    CA(
        "POST",
        f"{CE}/{{pk}}/revoke",
        network_admin,
        _certificate("other_certificate", "/revoke"),
        body=lambda w: {"reason": "Issued by mistake"},
        label="other",
    ),
    CA(
        "GET",
        f"{CE}/verify/{{code}}",
        everyone,
        lambda w: f"{CE}/verify/{w.c.certificate.code}",
    ),
    CA(
        "POST",
        f"{CE}/verify",
        everyone,
        lambda w: f"{CE}/verify",
        body=lambda w: w.c.certificate.credential,
    ),
]
API_ROUTES += COURSE_API_ROUTES

# Routes that are not ours to police: Django's admin (staff only, its own checks) and static.
EXCLUDED_PREFIXES = ("admin:",)


def _named_routes(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            prefix = f"{namespace}{ns}:" if ns else namespace
            names |= _named_routes(pattern.url_patterns, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_route_is_in_the_matrix() -> None:
    ours = {
        name
        for name in _named_routes(get_resolver().url_patterns)
        if not name.startswith(EXCLUDED_PREFIXES) and not name.startswith("api:")
    }
    covered = {route.name for route in VIEW_ROUTES}
    assert ours - covered == set(), "add these routes to VIEW_ROUTES"
    assert covered - ours == set(), "these routes no longer exist"


def test_every_view_declares_its_access_rule() -> None:
    def walk(patterns: list[Any]) -> list[URLPattern]:
        found = []
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in ("admin", "api"):
                    continue
                found += walk(pattern.url_patterns)
            else:
                found.append(pattern)
        return found

    undeclared = [
        p.name for p in walk(get_resolver().url_patterns) if not hasattr(p.callback, "access_rule")
    ]
    assert undeclared == []


def test_every_api_operation_is_in_the_matrix() -> None:
    schema = api.get_openapi_schema()
    operations = {
        (method.upper(), "/api/v1" + path.removeprefix("/api/v1").replace("{pk}", "{pk}"))
        for path, ops in schema["paths"].items()
        for method in ops
    }
    covered = {
        (r.method, r.path)
        for r in API_ROUTES
        if r.path.startswith(
            (
                "/api/v1/institutions",
                "/api/v1/me",
                "/api/v1/partnerships",
                "/api/v1/courses",
                "/api/v1/certificates",
            )
        )
    }
    assert operations == covered


def _client_for(world: World, persona: str) -> Client:
    client = Client()
    user = world.users[persona]
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", VIEW_ROUTES, ids=lambda r: r.id)
def test_view_access(route: Route, persona: str) -> None:
    world = build_world(route.part)
    client = _client_for(world, persona)
    url = reverse(route.name, kwargs=route.kwargs(world))
    response = getattr(client, route.method)(url, route.data(world))
    allowed = route.allowed(persona)
    is_login_redirect = response.status_code == 302 and "/accounts/sign-in/" in response.get(
        "Location", ""
    )
    if allowed:
        assert response.status_code in route.ok, (persona, response.status_code)
        assert not (is_login_redirect and route.name != "accounts:logout"), persona
    elif persona == "anonymous":
        assert is_login_redirect, response.status_code
    else:
        assert response.status_code == 403, (persona, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", API_ROUTES, ids=lambda r: r.id)
def test_api_access(route: ApiRoute, persona: str) -> None:
    from consilium.accounts.services import api_token_create

    world = build_world(route.part)
    headers = {}
    user = world.users[persona]
    if user is not None:
        _token, raw = api_token_create(user=user, name="matrix")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    client = Client()
    if route.form is not None:
        response = client.post(route.url(world), route.form(world), **headers)
    else:
        body = route.body(world) if route.body else None
        response = client.generic(
            route.method,
            route.url(world),
            data=__import__("json").dumps(body) if body is not None else "",
            content_type="application/json",
            **headers,
        )
    if route.allowed(persona):
        assert response.status_code in route.ok, (
            persona,
            response.status_code,
            response.content[:300],
        )
    elif persona == "anonymous":
        assert response.status_code in (401, 403), response.status_code
    else:
        assert response.status_code == 403, (persona, response.status_code)
