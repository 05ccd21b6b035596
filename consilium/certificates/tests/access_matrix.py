"""The access matrix's rows for the certificates (verification, a holder's and an issuer's,
revocation, reissue, status lists, the issuers' DID documents) in the pages and the API. See
``tests/access_matrix.py``.

Certificates add to the course bank's part of the world (``"courses"``, built after the course
bank's own, whose predicates they share): ``certificate``, issued by ``own`` to the learner
persona for a completed course (``done_enrolment``), and ``other_certificate``, issued by
``other`` to someone else. Rows read them as ``w.certs.<name>``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from consilium.accounts.testing import UserFactory
from consilium.certificates.services import certificate_issue
from consilium.core.roles import Role
from consilium.courses.models import CourseVariant, Lesson, LessonKind, Module, Quiz
from consilium.courses.services import learning
from consilium.courses.testing import course
from consilium.courses.tests.access_matrix import (
    CA,
    PART,
    C,
    learner,
    own_teaching,
)
from tests.access_matrix import (
    World,
    WorldPart,
    everyone,
    network_admin,
    network_readers,
    other_pk,
    own_pk,
    signed_in,
)


@dataclass
class CertificateWorld:
    done_enrolment: Any  # the learner persona's, completed, with ``certificate``
    certificate: Any
    other_certificate: Any


def _completed(completed_course: Any, person: Any) -> Any:
    """Enrol ``person`` and carry them through every lesson and quiz with the services."""
    enrolment = learning.enrolment_create(run=completed_course.runs.get(), learner=person)
    for lesson in Lesson.objects.filter(module__variant=enrolment.variant_id):
        if lesson.kind == LessonKind.QUIZ:
            quiz = Quiz.objects.get(lesson=lesson)
            answers = {
                q.pk: [c.pk for c in q.choices.all() if c.correct] for q in quiz.questions.all()
            }
            learning.quiz_submit(enrolment=enrolment, quiz=quiz, answers=answers)
        elif lesson.required:
            learning.lesson_complete(enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"
    return enrolment


def build(world: World) -> dict[str, Any]:
    users, own, other = world.users, world.own, world.other
    done = course(owner=own, titles={"en": "Completed"}, credits=2)
    done_enrolment = _completed(done, users[Role.LEARNER.value])
    certificate = certificate_issue(enrolment=done_enrolment)
    theirs = course(owner=other, titles={"en": "Other's"}, with_content=False)
    # A course without quizzes is enough for the other certificate: one required text lesson.
    Lesson.objects.create(
        module=Module.objects.create(
            variant=CourseVariant.objects.get(course=theirs), position=1, title="M"
        ),
        position=1,
        title="Only",
        kind=LessonKind.TEXT,
        body="<p>x</p>",
    )
    other_certificate = certificate_issue(enrolment=_completed(theirs, UserFactory()))
    return {"certs": CertificateWorld(done_enrolment, certificate, other_certificate)}


WORLD_PARTS = [WorldPart(PART, build)]


# --- who is allowed (roles at ``own``, network roles at a ministry) -------------------------


def holder_or_issuer(persona: str) -> bool:
    """A certificate of ``own``: the holder, own's administrators, authors, teachers; network."""
    return persona == Role.LEARNER or own_teaching(persona)


def revokers(persona: str) -> bool:
    return persona in (Role.INSTITUTION_ADMIN, Role.NETWORK_ADMIN)


# --- the rows ------------------------------------------------------------------------------


def _cert(attr: str, key: str = "pk") -> Callable[[World], dict[str, Any]]:
    """URL kwargs ``{key: world.certs.<attr>.pk}``."""
    return lambda w: {key: getattr(w.certs, attr).pk}


# Anyone verifies; the holder, the issuer's teaching staff and the network see one; the
# issuer's administrators and the network admin revoke; the holder reissues.
ROWS = [
    C("certificates:verify", everyone, ok=(200,)),
    C(
        "certificates:verify",
        everyone,
        "post",
        data=lambda w: {"credential": json.dumps(w.certs.certificate.credential)},
        ok=(200,),
    ),
    C(
        "certificates:public",
        everyone,
        kwargs=lambda w: {"code": w.certs.certificate.code},
        ok=(200,),
    ),
    C("certificates:mine", signed_in),
    C("certificates:pdf", holder_or_issuer, kwargs=_cert("certificate"), ok=(200,)),
    C("certificates:pdf", network_readers, kwargs=_cert("other_certificate"), label="other"),
    C("certificates:json", holder_or_issuer, kwargs=_cert("certificate"), ok=(200,)),
    C("certificates:json", network_readers, kwargs=_cert("other_certificate"), label="other"),
    C("certificates:reissue", learner, kwargs=_cert("certificate"), ok=(200,)),
    C(
        "certificates:reissue",
        learner,
        "post",
        kwargs=_cert("certificate"),
        data=lambda w: {"reason": "My name changed"},
        ok=(302, 400),  # 400: the name in the profile is already the one on it
    ),
    C("certificates:revoke", revokers, kwargs=_cert("certificate"), ok=(200,)),
    C(
        "certificates:revoke",
        revokers,
        "post",
        kwargs=_cert("certificate"),
        data=lambda w: {"reason": "Issued by mistake"},
        ok=(302,),
    ),
    C(
        "certificates:revoke",
        network_admin,
        "post",
        kwargs=_cert("other_certificate"),
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
        kwargs=lambda w: {"pk": w.certs.certificate.status_list_id},
        ok=(200,),
    ),
    C("certificates:did", everyone, kwargs=own_pk, ok=(200,)),
]


CE = "/api/v1/certificates"


def _certificate(attr: str = "certificate", tail: str = "/") -> Callable[[World], str]:
    return lambda w: f"{CE}/{getattr(w.certs, attr).pk}{tail}"


API_ROWS = [
    CA(
        "GET",
        f"{CE}/enrolments/{{enrolment_id}}/",
        holder_or_issuer,
        lambda w: f"{CE}/enrolments/{w.certs.done_enrolment.pk}/",
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
        lambda w: f"{CE}/verify/{w.certs.certificate.code}",
    ),
    CA(
        "POST",
        f"{CE}/verify",
        everyone,
        lambda w: f"{CE}/verify",
        body=lambda w: w.certs.certificate.credential,
    ),
]
