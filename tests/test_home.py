"""The personal home: after sign-in, ``/`` lists what awaits the person, from the panels the
apps register (core/home.py); visitors still get the directory's hero."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from consilium.accounts.testing import UserFactory
from consilium.core.roles import Role
from consilium.core.testing import assert_queries_constant, get_ok
from consilium.courses.services import learning, reviewing
from consilium.courses.testing import course
from consilium.institutions.models import Membership
from consilium.institutions.testing import InstitutionFactory, member
from consilium.partnerships import services as partnership_services
from consilium.partnerships.tests.factories import make_agreement

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_visitors_get_the_hero() -> None:
    page = Client().get("/").content.decode()
    assert "One platform for a network of medical schools" in page
    assert "What awaits you" not in page


def test_a_learner_sees_the_courses_to_continue_with_the_next_lesson() -> None:
    learner = UserFactory()
    taken = course(titles={"en": "Clinical research methods"})
    learning.enrolment_create(run=taken.runs.get(), learner=learner)
    page = _client(learner).get("/").content.decode()
    assert "What awaits you" in page
    assert "One platform for a network of medical schools" not in page
    assert "Continue learning" in page
    assert "Clinical research methods" in page
    assert "Lesson 1" in page  # the next lesson
    assert "Courses to review" not in page
    assert "Agreements awaiting my approval" not in page


def test_a_methodologist_sees_the_courses_waiting_for_their_review() -> None:
    methodologist = member(Role.METHODOLOGIST)
    other = InstitutionFactory()
    draft = course(owner=other, status="draft", titles={"en": "Triage in emergencies"})
    reviewing.review_submit(course=draft, reviewer=methodologist, by=UserFactory())
    page = _client(methodologist).get("/").content.decode()
    assert "Courses to review" in page
    assert "Triage in emergencies" in page


def test_a_coordinator_sees_the_drafts_their_party_has_not_approved() -> None:
    agreement = make_agreement()
    parties = list(agreement.parties.order_by("order"))
    coordinator = member(Role.PARTNERSHIP_COORDINATOR, parties[0].institution)
    client = _client(coordinator)
    page = client.get("/").content.decode()
    assert "Agreements awaiting my approval" in page
    assert "Test partnership" in page

    version = partnership_services.current_version(agreement)
    assert version is not None
    partnership_services.agreement_approve(
        agreement=agreement, party=parties[0], by=coordinator, version_number=version.number
    )
    page = client.get("/").content.decode()
    assert "Agreements awaiting my approval" not in page  # approved: nothing waits
    assert "Nothing awaits you right now." in page


def test_the_other_partys_approval_does_not_count_for_mine() -> None:
    agreement = make_agreement()
    parties = list(agreement.parties.order_by("order"))
    coordinator = member(Role.PARTNERSHIP_COORDINATOR, parties[0].institution)
    version = partnership_services.current_version(agreement)
    assert version is not None
    partnership_services.agreement_approve(
        agreement=agreement, party=parties[1], by=None, version_number=version.number
    )
    assert "Test partnership" in _client(coordinator).get("/").content.decode()


def test_the_home_page_costs_the_same_queries_however_much_awaits() -> None:
    """A person who learns, reviews and coordinates: more rows, no more queries."""
    school = InstitutionFactory()
    person = member(Role.PARTNERSHIP_COORDINATOR, school)
    Membership.objects.create(user=person, institution=school, role=Role.METHODOLOGIST)
    client = _client(person)

    def add_rows() -> None:
        for n in range(3):
            other = InstitutionFactory()
            taken = course(owner=other, titles={"en": f"Course {n}"})
            learning.enrolment_create(run=taken.runs.get(), learner=person)
            draft = course(owner=other, status="draft", titles={"en": f"Draft {n}"})
            reviewing.review_submit(course=draft, reviewer=person, by=UserFactory())
            make_agreement(parties=[school, other])

    add_rows()  # one of each first, so every panel is shown both times
    assert_queries_constant(get_ok(client, "/"), add_rows)
