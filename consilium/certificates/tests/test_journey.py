"""The learner's whole journey through the API with real transactions: enrol, learn, complete,
and the certificate issued by the completion handler, verified by its code.

``transaction=True``: nothing here runs inside a test transaction, so a service that is not
atomic, a lock taken outside a transaction (the 500 of PostgreSQL) or a task queued on commit
that never runs fails here as it would in production. The suite runs it on both databases.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from consilium.accounts.services import api_token_create
from consilium.accounts.testing import UserFactory
from consilium.courses import testing
from consilium.courses.models import Lesson, LessonKind, Question

pytestmark = pytest.mark.django_db(transaction=True)


def test_enrol_learn_complete_and_verify_the_certificate_through_the_api() -> None:
    course = testing.course(titles={"en": "Clinical ethics"})
    run = course.runs.get()
    learner = UserFactory(full_name="Aigerim Nurlanovna")
    token = api_token_create(user=learner, name="journey")[1]
    client = Client(headers={"Authorization": f"Bearer {token}"})

    def post(path: str, body: dict[str, Any] | None = None) -> Any:
        response = client.post(f"/api/v1{path}", body or {}, content_type="application/json")
        assert response.status_code in {200, 201}, (path, response.status_code, response.content)
        return response.json()

    enrolment = post(f"/courses/catalog/runs/{run.pk}/enrol")
    pk = enrolment["id"]
    text = Lesson.objects.get(module__variant__course=course, kind=LessonKind.TEXT)
    post(f"/courses/enrolments/{pk}/lessons/{text.pk}/complete")
    question = Question.objects.get(quiz__lesson__module__variant__course=course)
    right = question.choices.get(correct=True)
    attempt = post(
        f"/courses/enrolments/{pk}/quizzes/{question.quiz_id}/attempts",
        {"answers": {str(question.pk): [right.pk]}},
    )
    assert attempt["passed"] and attempt["enrolment"]["status"] == "completed"

    status = client.get(f"/api/v1/certificates/enrolments/{pk}/").json()
    assert status["completed"] and status["issued"], status
    code = status["certificate"]["code"]
    verdict = Client().get(f"/api/v1/certificates/verify/{code}").json()
    assert verdict["outcome"] == "valid", verdict
