"""Video lessons come only from the allowed hosts (``VIDEO_HOSTS``), refused with a clear
message on the form and in the service, and every embedded player is sandboxed."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from consilium.accounts.testing import UserFactory
from consilium.core.html import video_host_error
from consilium.core.roles import Role
from consilium.courses import testing
from consilium.courses.models import CourseStatus, Enrolment, Lesson, LessonKind, Module
from consilium.courses.services import authoring as services
from consilium.institutions.testing import InstitutionFactory, member

pytestmark = pytest.mark.django_db

SANDBOX = 'sandbox="allow-scripts allow-same-origin allow-presentation"'


@pytest.fixture
def school():
    return InstitutionFactory()


@pytest.fixture
def author(school):
    return member(Role.COURSE_AUTHOR, school)


def draft(school):
    return testing.course(owner=school, status=CourseStatus.DRAFT)


def test_the_service_refuses_a_host_outside_the_list(school, author) -> None:
    module = Module.objects.filter(variant__course=draft(school)).first()
    assert module is not None
    with pytest.raises(ValidationError) as exc:
        services.lesson_add(
            module=module,
            by=author,
            kind=LessonKind.VIDEO,
            data=services.LessonData(title="V", video_url="https://videos.example.org/v/1"),
        )
    (message,) = exc.value.message_dict["video_url"]
    assert "youtube.com" in message and "vimeo.com" in message
    lesson = services.lesson_add(
        module=module,
        by=author,
        kind=LessonKind.VIDEO,
        data=services.LessonData(title="V", video_url="https://vimeo.com/76979871"),
    )
    assert lesson.video_url == "https://vimeo.com/76979871"


def test_the_host_list_is_a_setting(school, author, settings) -> None:
    settings.VIDEO_HOSTS = ["videos.example.org"]
    module = Module.objects.filter(variant__course=draft(school)).first()
    lesson = services.lesson_add(
        module=module,
        by=author,
        kind=LessonKind.VIDEO,
        data=services.LessonData(title="V", video_url="https://videos.example.org/v/1"),
    )
    assert lesson.video_url == "https://videos.example.org/v/1"
    with pytest.raises(ValidationError):
        services.lesson_add(
            module=module,
            by=author,
            kind=LessonKind.VIDEO,
            data=services.LessonData(title="Y", video_url="https://youtu.be/dQw4w9WgXcQ"),
        )


def test_the_form_says_which_hosts_are_allowed(school, author) -> None:
    course = testing.course(owner=school, status=CourseStatus.DRAFT)
    module = Module.objects.filter(variant__course=course).first()
    assert module is not None
    client = Client()
    client.force_login(author)
    add = reverse("courses:lesson_add", args=[course.pk, module.pk])
    page = client.get(add + "?kind=video").content.decode()
    assert "youtube.com, youtu.be, youtube-nocookie.com, vimeo.com" in page  # the help text
    response = client.post(
        add, {"kind": "video", "title": "V", "video_url": "https://videos.example.org/v/1"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["video_url"]
    assert errors == [
        "Videos can only come from these sites: "
        + ", ".join(["youtube.com", "youtu.be", "youtube-nocookie.com", "vimeo.com"])
        + "."
    ]
    assert not Lesson.objects.filter(module=module, kind=LessonKind.VIDEO).exists()


@pytest.mark.parametrize("language", ["ru", "uk", "kk"])
def test_the_refusal_is_translated(language: str) -> None:
    with translation.override(language):
        message = video_host_error("https://videos.example.org/v/1")
    assert message and not message.startswith("Videos can only") and "vimeo.com" in message


def test_players_are_sandboxed_for_learners_as_for_authors(school, author) -> None:
    course = testing.course(owner=school)
    module = Module.objects.filter(variant__course=course).first()
    assert module is not None
    video = Lesson.objects.create(
        module=module,
        position=9,
        title="V",
        kind=LessonKind.VIDEO,
        video_url="https://youtu.be/dQw4w9WgXcQ",
    )
    learner = UserFactory()
    enrolment = Enrolment.objects.create(
        run=course.runs.get(),
        course=course,
        learner=learner,
        variant=module.variant,
        enrolled_at=timezone.now(),
    )
    client = Client()
    client.force_login(learner)
    page = client.get(reverse("courses:learn", args=[enrolment.pk]), {"lesson": video.pk})
    html = page.content.decode()
    assert '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in html
    assert SANDBOX in html and 'referrerpolicy="strict-origin-when-cross-origin"' in html


def test_a_stored_address_from_another_host_is_not_framed(school) -> None:
    """A lesson saved before the list existed (or after the list shrank) keeps its link for
    the learner, but no player is framed."""
    course = testing.course(owner=school)
    module = Module.objects.filter(variant__course=course).first()
    assert module is not None
    video = Lesson.objects.create(
        module=module,
        position=9,
        title="Old",
        kind=LessonKind.VIDEO,
        video_url="https://videos.example.org/v/1",
    )
    learner = UserFactory()
    enrolment = Enrolment.objects.create(
        run=course.runs.get(),
        course=course,
        learner=learner,
        variant=module.variant,
        enrolled_at=timezone.now(),
    )
    client = Client()
    client.force_login(learner)
    html = client.get(
        reverse("courses:learn", args=[enrolment.pk]), {"lesson": video.pk}
    ).content.decode()
    assert "<iframe" not in html
    assert 'href="https://videos.example.org/v/1"' in html
