"""The authoring and review API: happy paths, 400, 403, 404, 409 and query counts."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from consilium.accounts.models import User
from consilium.accounts.services import api_token_create
from consilium.core.roles import Role
from consilium.core.testing import assert_queries_constant
from consilium.courses import testing
from consilium.courses.models import Course, CourseStatus, Review, RubricCriterion, Run
from consilium.institutions.testing import InstitutionFactory, member

pytestmark = pytest.mark.django_db

BASE = "/api/v1/courses"


def api(user: User) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def send(client: Client, method: str, path: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, path, data, content_type="application/json")


@pytest.fixture
def school():
    return InstitutionFactory()


@pytest.fixture
def author(school):
    return member(Role.COURSE_AUTHOR, school)


@pytest.fixture
def methodologist():
    return member(Role.METHODOLOGIST)


def course_body(school, **over: Any) -> dict[str, Any]:
    body = {
        "owner_id": school.pk,
        "discipline_id": testing.discipline().pk,
        "audience": "physicians",
        "level": "intermediate",
        "hours": 20,
        "credits": "2.0",
        "tags": ["ultrasound"],
        "language": "uk",
        "title": "Ультразвук",
        "description": "<p>ok</p><script>x()</script>",
    }
    body.update(over)
    return body


def test_create_read_update_and_conflict(school, author):
    client = api(author)
    response = send(client, "POST", f"{BASE}/authored/", course_body(school))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "draft" and data["tags"] == ["ultrasound"]
    assert data["variants"][0]["description"] == "<p>ok</p>"
    pk = data["id"]
    assert send(client, "GET", f"{BASE}/authored/{pk}").json()["revision"] == 1
    update = {
        "discipline_id": data["discipline_id"],
        "audience": "residents",
        "level": "advanced",
        "hours": 30,
        "credits": "1.0",
        "tags": ["pocus", "ultrasound"],
        "revision": 1,
    }
    response = send(client, "PUT", f"{BASE}/authored/{pk}", update)
    assert response.status_code == 200 and response.json()["revision"] == 2
    response = send(client, "PUT", f"{BASE}/authored/{pk}", {**update, "hours": 99})
    assert response.status_code == 409 and response.json()["revision"] == 2
    assert Course.objects.get(pk=pk).hours == 30
    listing = send(client, "GET", f"{BASE}/authored/?status=draft").json()
    assert listing["count"] == 1 and listing["items"][0]["id"] == pk


def test_bad_input_is_400_with_field_errors(school, author):
    client = api(author)
    response = send(client, "POST", f"{BASE}/authored/", course_body(school, hours=0, title=""))
    assert response.status_code == 400
    assert {"hours", "title"} <= set(response.json()["errors"])
    response = send(client, "POST", f"{BASE}/authored/", course_body(school, discipline_id=10**6))
    assert response.status_code == 400 and "discipline_id" in response.json()["errors"]
    response = send(client, "POST", f"{BASE}/authored/", course_body(school, hours="many"))
    assert response.status_code == 400
    response = client.generic(
        "POST", f"{BASE}/authored/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert not Course.objects.exists()


def test_permissions(school, author):
    other_school_author = member(Role.COURSE_AUTHOR)
    response = send(api(other_school_author), "POST", f"{BASE}/authored/", course_body(school))
    assert response.status_code == 400 and "owner" in response.json()["errors"]
    assert (
        send(
            api(member(Role.LEARNER)), "POST", f"{BASE}/authored/", course_body(school)
        ).status_code
        == 403
    )
    assert Client().get(f"{BASE}/authored/").status_code in (401, 403)
    course = testing.course(owner=school, status=CourseStatus.DRAFT)
    assert send(api(other_school_author), "GET", f"{BASE}/authored/{course.pk}").status_code == 403
    assert send(api(author), "GET", f"{BASE}/authored/999999").status_code == 404
    assert send(api(author), "GET", f"{BASE}/reviews/").status_code == 403


def test_variants_and_runs(school, author):
    client = api(author)
    course = testing.course(owner=school, status=CourseStatus.DRAFT, run=False)
    response = send(
        client,
        "POST",
        f"{BASE}/authored/{course.pk}/variants",
        {"language": "ru", "title": "Персонализация"},
    )
    assert response.status_code == 201 and response.json()["translation_status"] == "in_progress"
    response = send(
        client,
        "POST",
        f"{BASE}/authored/{course.pk}/variants",
        {"language": "ru", "title": "Again"},
    )
    assert response.status_code == 400 and "language" in response.json()["errors"]
    response = send(
        client,
        "PUT",
        f"{BASE}/authored/{course.pk}/variants/ru",
        {"title": "Новое", "translation_status": "complete"},
    )
    assert response.status_code == 200 and response.json()["title"] == "Новое"
    assert (
        send(
            client,
            "PUT",
            f"{BASE}/authored/{course.pk}/variants/kk",
            {"title": "X", "translation_status": "complete"},
        ).status_code
        == 404
    )

    today = timezone.localdate()
    run = {
        "starts_on": (today + timedelta(days=3)).isoformat(),
        "enrolment_opens_on": today.isoformat(),
        "capacity": 10,
    }
    response = send(client, "POST", f"{BASE}/authored/{course.pk}/runs", {**run, "capacity": 0})
    assert response.status_code == 400 and "capacity" in response.json()["errors"]
    response = send(client, "POST", f"{BASE}/authored/{course.pk}/runs", run)
    assert response.status_code == 201
    run_id = response.json()["id"]
    assert Course.objects.get(pk=course.pk).next_start == today + timedelta(days=3)
    assert len(send(client, "GET", f"{BASE}/authored/{course.pk}/runs").json()) == 1
    response = send(
        client, "PUT", f"{BASE}/authored/{course.pk}/runs/{run_id}", {**run, "pacing": "self_paced"}
    )
    assert response.status_code == 200 and response.json()["pacing"] == "self_paced"
    Run.objects.filter(pk=run_id).update(enrolled=2)
    assert send(client, "DELETE", f"{BASE}/authored/{course.pk}/runs/{run_id}").status_code == 400
    Run.objects.filter(pk=run_id).update(enrolled=0)
    assert send(client, "DELETE", f"{BASE}/authored/{course.pk}/runs/{run_id}").status_code == 204
    assert send(client, "DELETE", f"{BASE}/authored/{course.pk}/runs/{run_id}").status_code == 404


def test_submit_and_decide(school, author, methodologist):
    course = testing.course(owner=school, status=CourseStatus.DRAFT)
    client = api(author)
    response = send(
        client, "POST", f"{BASE}/authored/{course.pk}/submit", {"reviewer_id": author.pk}
    )
    assert response.status_code == 400 and "reviewer" in response.json()["errors"]
    response = send(
        client,
        "POST",
        f"{BASE}/authored/{course.pk}/submit",
        {"reviewer_id": methodologist.pk, "note": "v1"},
    )
    assert response.status_code == 201
    review_id = response.json()["id"]
    reviewer = api(methodologist)
    queue = send(reviewer, "GET", f"{BASE}/reviews/?pending=true").json()
    assert queue["count"] == 1 and queue["items"][0]["id"] == review_id
    criteria = list(RubricCriterion.objects.filter(active=True))
    scores = [{"criterion_id": c.pk, "score": 4} for c in criteria]
    response = send(
        reviewer,
        "POST",
        f"{BASE}/reviews/{review_id}/decide",
        {"verdict": "approved", "scores": scores[:-1]},
    )
    assert response.status_code == 400 and f"score_{criteria[-1].pk}" in response.json()["errors"]
    stranger = api(member(Role.METHODOLOGIST))
    assert (
        send(
            stranger,
            "POST",
            f"{BASE}/reviews/{review_id}/decide",
            {"verdict": "approved", "scores": scores},
        ).status_code
        == 403
    )
    assert (
        send(
            reviewer,
            "POST",
            f"{BASE}/reviews/999999/decide",
            {"verdict": "approved", "scores": scores},
        ).status_code
        == 404
    )
    response = send(
        reviewer,
        "POST",
        f"{BASE}/reviews/{review_id}/decide",
        {"verdict": "approved", "scores": scores},
    )
    assert response.status_code == 200
    assert response.json()["verdict"] == "approved" and len(response.json()["scores"]) == 6
    assert Course.objects.get(pk=course.pk).status == CourseStatus.PUBLISHED
    assert Review.objects.get(pk=review_id).decided_at is not None


def test_published_major_change_through_api_needs_reviewer(school, author, methodologist):
    course = testing.course(owner=school)
    client = api(author)
    update = {
        "discipline_id": course.discipline_id,
        "audience": "students",
        "level": "introductory",
        "hours": 40,
        "revision": 1,
    }
    response = send(client, "PUT", f"{BASE}/authored/{course.pk}", update)
    assert response.status_code == 400 and "reviewer" in response.json()["errors"]
    response = send(
        client, "PUT", f"{BASE}/authored/{course.pk}", {**update, "reviewer_id": methodologist.pk}
    )
    assert response.status_code == 200 and response.json()["status"] == "in_review"


@pytest.mark.parametrize("path", ["authored", "reviews"])
def test_list_query_counts(school, author, methodologist, path):
    from consilium.courses.services import reviewing

    client = api(author if path == "authored" else methodologist)

    def add() -> None:
        course = testing.course(
            owner=school, status=CourseStatus.DRAFT, titles={"en": "A", "ru": "Б"}
        )
        reviewing.review_submit(course=course, reviewer=methodologist, by=author)

    def fetch() -> None:
        assert send(client, "GET", f"{BASE}/{path}/").status_code == 200

    def add_rows() -> None:
        for _ in range(19):
            add()

    add()
    # warm_up: the first call also notes the token's use.
    assert_queries_constant(fetch, add_rows, warm_up=True)
