"""Enrolment: the rules (window, capacity, once per run, published only, signed in), pages, API."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from consilium.accounts.services import api_token_create
from consilium.accounts.testing import UserFactory
from consilium.courses import testing
from consilium.courses.models import CourseStatus, Enrolment, EnrolmentStatus, Run
from consilium.courses.services.learning import enrolment_create, enrolment_withdraw

pytestmark = pytest.mark.django_db
TODAY = date.today()


def api(user) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def run() -> Run:
    return testing.course(titles={"en": "Ethics", "ru": "Этика"}).runs.get()


def refused(run: Run, learner, message: str, **kwargs) -> None:
    before = Run.objects.get(pk=run.pk).enrolled
    count = Enrolment.objects.count()
    with pytest.raises(ValidationError) as exc:
        enrolment_create(run=run, learner=learner, **kwargs)
    assert message in " ".join(exc.value.messages)
    assert Enrolment.objects.count() == count
    assert Run.objects.get(pk=run.pk).enrolled == before


def test_enrol_counts_the_place_and_picks_the_learner_language(run) -> None:
    learner = UserFactory(language="ru")
    enrolment = enrolment_create(run=run, learner=learner)
    assert enrolment.variant.language == "ru"
    assert enrolment.status == EnrolmentStatus.ACTIVE
    assert Run.objects.get(pk=run.pk).enrolled == 1


def test_second_enrolment_is_refused(run) -> None:
    learner = UserFactory()
    enrolment_create(run=run, learner=learner)
    refused(run, learner, "already enrolled")


@pytest.mark.parametrize(
    ("opens", "closes", "ends"),
    [
        (TODAY + timedelta(days=1), None, None),  # not open yet
        (TODAY - timedelta(days=9), TODAY - timedelta(days=1), None),  # closed yesterday
        (TODAY - timedelta(days=30), None, TODAY - timedelta(days=1)),  # the run has ended
    ],
)
def test_closed_window_is_refused(run, opens, closes, ends) -> None:
    Run.objects.filter(pk=run.pk).update(
        starts_on=TODAY - timedelta(days=20) if ends else run.starts_on,
        enrolment_opens_on=opens,
        enrolment_closes_on=closes,
        ends_on=ends,
    )
    refused(run, UserFactory(), "closed")


def test_window_ends_are_inclusive(run) -> None:
    Run.objects.filter(pk=run.pk).update(enrolment_opens_on=TODAY, enrolment_closes_on=TODAY)
    enrolment_create(run=run, learner=UserFactory())


def test_full_run_is_refused_and_a_withdrawal_frees_a_place(run) -> None:
    Run.objects.filter(pk=run.pk).update(capacity=1)
    first = enrolment_create(run=run, learner=UserFactory())
    refused(run, UserFactory(), "full")
    enrolment_withdraw(enrolment=first)
    assert Run.objects.get(pk=run.pk).enrolled == 0
    enrolment_create(run=run, learner=UserFactory())


def test_coming_back_after_withdrawing_reuses_the_enrolment(run) -> None:
    learner = UserFactory()
    first = enrolment_create(run=run, learner=learner)
    enrolment_withdraw(enrolment=first)
    again = enrolment_create(run=run, learner=learner)
    assert again.pk == first.pk and again.status == EnrolmentStatus.ACTIVE
    assert Run.objects.get(pk=run.pk).enrolled == 1


@pytest.mark.parametrize("status", [CourseStatus.DRAFT, CourseStatus.IN_REVIEW, "archived"])
def test_unpublished_course_is_refused(run, status) -> None:
    run.course.__class__.objects.filter(pk=run.course_id).update(status=status)
    refused(run, UserFactory(), "not open")


def test_anonymous_is_refused(run) -> None:
    refused(run, AnonymousUser(), "Sign in")


def test_variant_of_another_course_is_refused(run) -> None:
    other = testing.course(titles={"kk": "Басқа"}).variants.get()
    refused(run, UserFactory(), "languages", variant=other)


# --- pages ---------------------------------------------------------------------------------


def test_enrol_page_flow(client, run) -> None:
    learner = UserFactory()
    client.force_login(learner)
    course_url = reverse("courses:course", args=[run.course_id])
    text = client.get(course_url, {"lang": "ru"}).content.decode()
    assert "Enrol (in Русский)" in text
    variant = run.course.variants.get(language="ru")
    response = client.post(reverse("courses:enrol", args=[run.pk]), {"variant": variant.pk})
    enrolment = Enrolment.objects.get(learner=learner)
    assert response.url == reverse("courses:learn", args=[enrolment.pk])
    assert enrolment.variant == variant
    text = client.get(course_url).content.decode()
    assert "You are enrolled." in text and "Continue learning" in text
    response = client.post(
        reverse("courses:enrol", args=[run.pk]), {"variant": variant.pk}, follow=True
    )
    assert "You are already enrolled in this run." in response.content.decode()
    assert Enrolment.objects.count() == 1


def test_enrol_page_refuses_a_foreign_variant_and_anonymous(client, run) -> None:
    url = reverse("courses:enrol", args=[run.pk])
    assert client.post(url, {"variant": 1}).status_code == 302  # to sign in
    assert not Enrolment.objects.exists()
    client.force_login(UserFactory())
    other = testing.course().variants.get()
    response = client.post(url, {"variant": other.pk}, follow=True)
    assert "Choose one of this course" in response.content.decode()
    assert client.get(url).status_code == 405
    assert not Enrolment.objects.exists()


def test_full_run_shows_no_button(client, run) -> None:
    Run.objects.filter(pk=run.pk).update(capacity=2, enrolled=2)
    client.force_login(UserFactory())
    text = client.get(reverse("courses:course", args=[run.course_id])).content.decode()
    assert "No places left" in text
    assert reverse("courses:enrol", args=[run.pk]) not in text


# --- API -----------------------------------------------------------------------------------


def test_api_enrol_and_refusals(run) -> None:
    learner = UserFactory()
    client = api(learner)
    url = f"/api/v1/courses/catalog/runs/{run.pk}/enrol"
    variant = run.course.variants.get(language="ru")
    response = client.post(url, {"variant_id": variant.pk}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["language"] == "ru"
    again = client.post(url, {}, content_type="application/json")
    assert again.status_code == 400
    assert "already enrolled" in again.json()["errors"]["__all__"][0]
    other = api(UserFactory()).post(url, {"variant_id": 10**6}, content_type="application/json")
    assert other.status_code == 400 and "variant_id" in other.json()["errors"]
    assert Client().post(url, {}, content_type="application/json").status_code == 403
    missing = client.post(
        "/api/v1/courses/catalog/runs/999999/enrol", {}, content_type="application/json"
    )
    assert missing.status_code == 404
    assert Enrolment.objects.count() == 1


def test_completed_course_cannot_be_withdrawn_from(run) -> None:
    enrolment = enrolment_create(run=run, learner=UserFactory())
    Enrolment.objects.filter(pk=enrolment.pk).update(status=EnrolmentStatus.COMPLETED)
    with pytest.raises(ValidationError, match="completed"):
        enrolment_withdraw(enrolment=enrolment)
    assert Run.objects.get(pk=run.pk).enrolled == 1


def test_enrol_prefers_a_variant_with_lessons_over_an_empty_translation() -> None:
    course = testing.course(titles={"ru": "Этика"})
    from consilium.courses.models import CourseVariant

    CourseVariant.objects.create(course=course, language="kk", title="Этика", summary="")
    enrolment = enrolment_create(run=course.runs.get(), learner=UserFactory(language="kk"))
    assert enrolment.variant.language == "ru"  # the Kazakh translation has no lessons yet
