"""Capacity and uniqueness of enrolment under real concurrent transactions, on both databases.

Every other test runs inside one transaction (pytest-django), where a service that forgot to be
atomic still looks atomic. These open a connection per thread (``transaction=True``), so the
run's row lock (PostgreSQL) and ``BEGIN IMMEDIATE`` (SQLite) are what keep the counts right.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.urls import reverse

from consilium.accounts.testing import UserFactory
from consilium.core.testing import run_concurrently
from consilium.courses import testing
from consilium.courses.models import Enrolment, EnrolmentStatus, Run
from consilium.courses.services import learning

pytestmark = pytest.mark.django_db(transaction=True)


def _active(run: Run) -> int:
    return Enrolment.objects.filter(run=run).exclude(status=EnrolmentStatus.WITHDRAWN).count()


def _refusals(outcomes: list[object]) -> list[object]:
    unexpected = [
        o for o in outcomes if isinstance(o, Exception) and not isinstance(o, ValidationError)
    ]
    assert not unexpected, f"a concurrent enrolment failed with an unexpected error: {unexpected!r}"
    return [o for o in outcomes if isinstance(o, ValidationError)]


@pytest.mark.parametrize("capacity", [1, 3, 5])
def test_the_last_seats_go_to_exactly_as_many_people_as_there_are_seats(capacity: int) -> None:
    course = testing.course()
    run = course.runs.get()
    Run.objects.filter(pk=run.pk).update(capacity=capacity)
    people = [UserFactory() for _ in range(capacity + 6)]
    outcomes = run_concurrently(
        *[
            lambda person=person: learning.enrolment_create(run=run, learner=person)
            for person in people
        ]
    )
    refused = _refusals(outcomes)
    run.refresh_from_db()
    assert _active(run) == capacity == run.enrolled
    assert len(refused) == len(people) - capacity
    assert all("full" in " ".join(r.messages) for r in refused)


def test_one_person_enrolling_ten_times_at_once_is_enrolled_once() -> None:
    run = testing.course().runs.get()
    person = UserFactory()
    outcomes = run_concurrently(*[lambda: learning.enrolment_create(run=run, learner=person)] * 10)
    assert len(_refusals(outcomes)) == 9
    run.refresh_from_db()
    assert Enrolment.objects.filter(run=run, learner=person).count() == 1
    assert run.enrolled == 1 == _active(run)


@pytest.mark.parametrize("round_", range(3))
def test_withdraw_and_enrol_again_racing_keep_the_count_of_places(round_: int) -> None:
    run = testing.course().runs.get()
    Run.objects.filter(pk=run.pk).update(capacity=2)
    person, other = UserFactory(), UserFactory()
    enrolment = learning.enrolment_create(run=run, learner=person)
    calls = []
    for n in range(10):
        if n % 2:
            calls.append(lambda: learning.enrolment_withdraw(enrolment=enrolment))
        else:
            calls.append(lambda: learning.enrolment_create(run=run, learner=person))
    calls.append(lambda: learning.enrolment_create(run=run, learner=other))
    _refusals(run_concurrently(*calls))
    run.refresh_from_db()
    assert run.enrolled == _active(run) <= 2
    counts = Run.objects.annotate(
        active=Count("enrolments", filter=~Q(enrolments__status=EnrolmentStatus.WITHDRAWN))
    ).get(pk=run.pk)
    assert counts.active == run.enrolled


def test_the_enrol_api_under_a_burst_fills_the_run_and_answers_no_server_error() -> None:
    """The endpoint a learner's browser calls, 8 requests at once for 3 seats."""
    from django.test import Client

    from consilium.accounts.services import api_token_create

    run = testing.course().runs.get()
    Run.objects.filter(pk=run.pk).update(capacity=3)
    tokens = [api_token_create(user=UserFactory(), name="burst")[1] for _ in range(8)]
    url = f"/api/v1/courses/catalog/runs/{run.pk}/enrol"

    def post(token: str) -> int:
        return (
            Client()
            .post(
                url,
                {},
                content_type="application/json",
                headers={"Authorization": f"Bearer {token}"},
            )
            .status_code
        )

    statuses = run_concurrently(*[lambda token=token: post(token) for token in tokens])
    assert sorted(statuses) == [201] * 3 + [400] * 5, statuses
    run.refresh_from_db()
    assert run.enrolled == 3 == _active(run)


def test_the_enrol_form_under_a_burst_answers_no_server_error() -> None:
    from django.test import Client

    run = testing.course().runs.get()
    variant = run.course.variants.get()
    Run.objects.filter(pk=run.pk).update(capacity=1)
    people = [UserFactory() for _ in range(5)]

    def post(person: object) -> int:
        client = Client()
        client.force_login(person)
        return client.post(
            reverse("courses:enrol", args=[run.pk]), {"variant": variant.pk}
        ).status_code

    statuses = run_concurrently(*[lambda person=person: post(person) for person in people])
    assert statuses == [302] * 5, statuses  # enrolled, or sent back with "This run is full."
    run.refresh_from_db()
    assert run.enrolled == 1 == _active(run)
