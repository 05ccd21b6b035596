"""Authoring services: every write's happy path and every refusal (nothing half-written)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from consilium.core.models import ContentVersion
from consilium.core.roles import Role
from consilium.core.text import search_key
from consilium.courses import testing
from consilium.courses.models import (
    Choice,
    Course,
    CourseSearchWord,
    CourseStatus,
    CourseVariant,
    Enrolment,
    Lesson,
    LessonKind,
    Module,
    Question,
    Review,
    Run,
    TranslationStatus,
    Verdict,
)
from consilium.courses.services import authoring as services
from consilium.institutions.models import Membership
from consilium.institutions.testing import InstitutionFactory, member

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 lesson handout"


@pytest.fixture
def school():
    return InstitutionFactory()


@pytest.fixture
def author(school):
    return member(Role.COURSE_AUTHOR, school)


@pytest.fixture
def methodologist():
    return member(Role.METHODOLOGIST)


def settings_(**over):
    values = {
        "discipline": testing.discipline(),
        "audience": "residents",
        "level": "advanced",
        "hours": 12,
        "credits": Decimal("1.5"),
        "tags": "ECG, cardiology, ecg",
    }
    values.update(over)
    return services.Settings(**values)


def version() -> int:
    row = ContentVersion.objects.filter(name="courses").first()
    return row.version if row else 0


def make(author, school, **over):
    return services.course_create(
        by=author,
        owner=school,
        settings_=settings_(**over),
        language="ru",
        title="Электрокардиография",
        summary="ЭКГ для ординаторов",
        description='<p onclick="x()">Hi</p><script>alert(1)</script>',
    )


# --- courses -----------------------------------------------------------------------------


def test_course_create_writes_draft_variant_and_search_words(author, school):
    partner = InstitutionFactory()
    course = services.course_create(
        by=author,
        owner=school,
        settings_=settings_(co_authors=[partner, school]),
        language="ru",
        title="Электрокардиография",
        description="<p>ok</p><script>bad()</script>",
    )
    assert course.status == CourseStatus.DRAFT
    assert course.created_by == author
    assert course.tags == "ECG, cardiology"
    assert list(course.co_authors.all()) == [partner]
    variant = course.variants.get()
    assert variant.language == "ru" and variant.translation_status == TranslationStatus.ORIGINAL
    assert variant.description == "<p>ok</p>"
    words = set(CourseSearchWord.objects.filter(course=course).values_list("word", flat=True))
    assert {search_key("Электрокардиография"), search_key("ECG"), search_key("cardiology")} <= words


def test_course_create_refuses_other_institution(author):
    with pytest.raises(ValidationError) as exc:
        services.course_create(
            by=author, owner=InstitutionFactory(), settings_=settings_(), language="en", title="X"
        )
    assert "owner" in exc.value.message_dict
    assert not Course.objects.exists()


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"hours": 0}, "hours"),
        ({"credits": Decimal("-1")}, "credits"),
        ({"audience": "pilots"}, "audience"),
        ({"level": "expert"}, "level"),
        ({"tags": "x" * 301}, "tags"),
    ],
)
def test_course_create_refuses_bad_settings(author, school, over, field):
    with pytest.raises(ValidationError) as exc:
        make(author, school, **over)
    assert field in exc.value.message_dict
    assert not Course.objects.exists()


def test_course_create_refuses_empty_title_and_unknown_language(author, school):
    with pytest.raises(ValidationError) as exc:
        services.course_create(
            by=author, owner=school, settings_=settings_(), language="de", title="  "
        )
    assert {"language", "title"} <= set(exc.value.message_dict)
    assert not CourseVariant.objects.exists()


def test_course_update_bumps_revision_and_rebuilds_search(author, school):
    course = make(author, school)
    updated = services.course_update(
        course=course,
        by=author,
        expected_revision=course.revision,
        settings_=settings_(tags="arrhythmia"),
    )
    assert updated.revision == 2
    assert updated.tags == "arrhythmia"
    assert search_key("arrhythmia") in updated.search_text
    assert CourseSearchWord.objects.filter(course=course, word=search_key("arrhythmia")).exists()
    assert not CourseSearchWord.objects.filter(course=course, word=search_key("ECG")).exists()


def test_course_update_stale_revision_is_a_conflict(author, school):
    course = make(author, school)
    with pytest.raises(services.ConflictError):
        services.course_update(
            course=course, by=author, expected_revision=7, settings_=settings_(hours=99)
        )
    assert Course.objects.get(pk=course.pk).hours == 12


def test_course_update_refused_while_in_review(author, school):
    course = testing.course(owner=school, status=CourseStatus.IN_REVIEW)
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.course_update(course=course, by=author, expected_revision=1, settings_=settings_())


def test_published_major_setting_change_needs_reviewer_and_goes_back_to_review(
    author, school, methodologist
):
    course = testing.course(owner=school)
    before = version()
    with pytest.raises(ValidationError) as exc:
        services.course_update(
            course=course, by=author, expected_revision=1, settings_=settings_(hours=40)
        )
    assert "reviewer" in exc.value.message_dict
    assert Course.objects.get(pk=course.pk).hours == 36
    services.course_update(
        course=course,
        by=author,
        expected_revision=1,
        settings_=settings_(hours=40),
        reviewer=methodologist,
        note="More practice",
    )
    course.refresh_from_db()
    assert course.status == CourseStatus.IN_REVIEW and course.hours == 40
    pending = Review.objects.get(course=course, verdict=Verdict.PENDING)
    assert pending.reviewer == methodologist
    assert "More practice" in pending.note and "hours of effort" in pending.note
    assert version() > before


def test_published_wording_change_stays_published(author, school):
    course = testing.course(owner=school)
    variant = course.variants.get()
    before = version()
    services.variant_update(
        variant=variant,
        by=author,
        title="Personalised learning",
        summary="New",
        translation_status=TranslationStatus.ORIGINAL,
    )
    course.refresh_from_db()
    assert course.status == CourseStatus.PUBLISHED
    assert search_key("Personalised") in course.search_text
    assert version() > before


# --- variants ----------------------------------------------------------------------------


def test_variant_add_one_per_language(author, school):
    course = make(author, school)
    variant = services.variant_add(
        course=course, by=author, language="en", title="Electrocardiography"
    )
    assert variant.translation_status == TranslationStatus.IN_PROGRESS
    assert search_key("Electrocardiography") in Course.objects.get(pk=course.pk).search_text
    with pytest.raises(ValidationError) as exc:
        services.variant_add(course=course, by=author, language="en", title="Again")
    assert "language" in exc.value.message_dict


def test_variant_translation_status_rules(author, school):
    course = make(author, school)
    with pytest.raises(ValidationError):
        services.variant_add(
            course=course,
            by=author,
            language="en",
            title="X",
            translation_status=TranslationStatus.ORIGINAL,
        )
    with pytest.raises(ValidationError):
        services.variant_update(
            variant=course.variants.get(),
            by=author,
            title="Y",
            translation_status=TranslationStatus.COMPLETE,
        )
    assert course.variants.count() == 1


def test_variant_add_to_published_course_is_major(author, school, methodologist):
    course = testing.course(owner=school)
    with pytest.raises(ValidationError) as exc:
        services.variant_add(course=course, by=author, language="kk", title="Тақырып")
    assert "reviewer" in exc.value.message_dict
    assert course.variants.count() == 1
    services.variant_add(
        course=course, by=author, language="kk", title="Тақырып", reviewer=methodologist
    )
    assert Course.objects.get(pk=course.pk).status == CourseStatus.IN_REVIEW


# --- modules, lessons, quizzes -------------------------------------------------------------


def test_modules_add_rename_move_delete(author, school):
    course = make(author, school)
    variant = course.variants.get()
    first = services.module_add(variant=variant, by=author, title="Basics")
    second = services.module_add(variant=variant, by=author, title="Rhythms")
    assert (first.position, second.position) == (1, 2)
    services.module_move(module=second, by=author, direction="up")
    assert list(Module.objects.filter(variant=variant).values_list("title", flat=True)) == [
        "Rhythms",
        "Basics",
    ]
    services.module_move(module=second, by=author, direction="up")  # already first: no-op
    services.module_update(module=first, by=author, title="ECG basics")
    services.module_delete(module=second, by=author)
    assert list(Module.objects.filter(variant=variant).values_list("title", "position")) == [
        ("ECG basics", 1)
    ]
    with pytest.raises(ValidationError):
        services.module_add(variant=variant, by=author, title="  ")
    with pytest.raises(ValidationError):
        services.module_move(module=first, by=author, direction="sideways")


def test_lesson_kinds_and_their_checks(author, school):
    course = make(author, school)
    module = services.module_add(variant=course.variants.get(), by=author, title="M")
    text = services.lesson_add(
        module=module,
        by=author,
        kind=LessonKind.TEXT,
        data=services.LessonData(title="Intro", body='<h2>Hi</h2><img src=x onerror="a()">'),
    )
    assert text.body == "<h2>Hi</h2><img>"
    with pytest.raises(ValidationError) as exc:
        services.lesson_add(
            module=module,
            by=author,
            kind=LessonKind.TEXT,
            data=services.LessonData(title="Empty", body="<script>x</script>"),
        )
    assert "body" in exc.value.message_dict
    video = services.lesson_add(
        module=module,
        by=author,
        kind=LessonKind.VIDEO,
        data=services.LessonData(title="V", video_url="https://youtu.be/dQw4w9WgXcQ"),
    )
    assert video.position == 2
    with pytest.raises(ValidationError) as exc:
        services.lesson_add(
            module=module,
            by=author,
            kind=LessonKind.VIDEO,
            data=services.LessonData(title="V", video_url="javascript:alert(1)"),
        )
    assert "video_url" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.lesson_add(
            module=module,
            by=author,
            kind=LessonKind.LINK,
            data=services.LessonData(title="L", link_url="ftp://x"),
        )
    assert "link_url" in exc.value.message_dict
    quiz = services.lesson_add(
        module=module, by=author, kind=LessonKind.QUIZ, data=services.LessonData(title="Q")
    )
    assert quiz.quiz.passing_score == 70
    with pytest.raises(ValidationError):
        services.lesson_add(
            module=module, by=author, kind="podcast", data=services.LessonData(title="P")
        )
    assert Lesson.objects.filter(module=module).count() == 3


def test_file_lesson_checks_real_type_and_size(author, school, monkeypatch):
    course = make(author, school)
    module = services.module_add(variant=course.variants.get(), by=author, title="M")
    with pytest.raises(ValidationError) as exc:
        services.lesson_add(
            module=module,
            by=author,
            kind=LessonKind.FILE,
            data=services.LessonData(
                title="F", upload=SimpleUploadedFile("a.pdf", b"MZ\x90 not a pdf")
            ),
        )
    assert "file" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.lesson_add(
            module=module, by=author, kind=LessonKind.FILE, data=services.LessonData(title="F")
        )
    big = SimpleUploadedFile("big.pdf", PDF)
    big.size = 21 * 1024 * 1024
    with pytest.raises(ValidationError, match="20 MB"):
        services.lesson_add(
            module=module,
            by=author,
            kind=LessonKind.FILE,
            data=services.LessonData(title="F", upload=big),
        )
    assert not Lesson.objects.filter(module=module).exists()
    lesson = services.lesson_add(
        module=module,
        by=author,
        kind=LessonKind.FILE,
        data=services.LessonData(title="F", upload=SimpleUploadedFile("h.exe", PDF)),
    )
    assert lesson.file.name.endswith(".pdf")
    services.lesson_update(lesson=lesson, by=author, data=services.LessonData(title="F2"))
    assert Lesson.objects.get(pk=lesson.pk).file  # kept without a new upload


def test_lessons_move_and_delete(author, school):
    course = make(author, school)
    module = services.module_add(variant=course.variants.get(), by=author, title="M")
    a, b = (
        services.lesson_add(
            module=module,
            by=author,
            kind=LessonKind.LINK,
            data=services.LessonData(title=t, link_url="https://who.int"),
        )
        for t in ("A", "B")
    )
    services.lesson_move(lesson=a, by=author, direction="down")
    assert list(module.lessons.values_list("title", flat=True)) == ["B", "A"]
    services.lesson_delete(lesson=b, by=author)
    assert list(module.lessons.values_list("title", "position")) == [("A", 1)]


def test_questions_rules(author, school):
    course = make(author, school)
    module = services.module_add(variant=course.variants.get(), by=author, title="M")
    quiz = services.lesson_add(
        module=module, by=author, kind=LessonKind.QUIZ, data=services.LessonData(title="Q")
    ).quiz
    with pytest.raises(ValidationError, match="exactly one"):
        services.question_add(
            quiz=quiz, by=author, text="?", multiple=False, choices=[("a", True), ("b", True)]
        )
    with pytest.raises(ValidationError, match="at least one"):
        services.question_add(
            quiz=quiz, by=author, text="?", multiple=True, choices=[("a", False), ("b", False)]
        )
    with pytest.raises(ValidationError, match="at least two"):
        services.question_add(
            quiz=quiz, by=author, text="?", multiple=False, choices=[("a", True), ("", False)]
        )
    with pytest.raises(ValidationError) as exc:
        services.question_add(
            quiz=quiz, by=author, text=" ", multiple=False, choices=[("a", True), ("b", False)]
        )
    assert "text" in exc.value.message_dict
    assert not Question.objects.exists()
    question = services.question_add(
        quiz=quiz,
        by=author,
        text="Which leads?",
        multiple=True,
        choices=[("I", True), ("", False), ("II", True), ("aVR", False)],
    )
    assert list(question.choices.values_list("text", "correct", "position")) == [
        ("I", True, 1),
        ("II", True, 2),
        ("aVR", False, 3),
    ]
    services.question_update(
        question=question,
        by=author,
        text="Which limb leads?",
        multiple=True,
        choices=[("Lead I", True), ("Lead II", True), ("aVR", False)],
    )
    assert list(question.choices.values_list("text", flat=True)) == ["Lead I", "Lead II", "aVR"]
    services.quiz_update(quiz=quiz, by=author, passing_score=80, max_attempts=1)
    with pytest.raises(ValidationError) as exc:
        services.quiz_update(quiz=quiz, by=author, passing_score=0, max_attempts=0)
    assert {"passing_score", "max_attempts"} <= set(exc.value.message_dict)
    services.question_delete(question=question, by=author)
    assert not Choice.objects.exists()


def test_published_answer_change_is_major_wording_is_not(author, school, methodologist):
    course = testing.course(owner=school)
    question = Question.objects.get(quiz__lesson__module__variant__course=course)
    services.question_update(
        question=question,
        by=author,
        text="Pick the first one",
        multiple=False,
        choices=[("The first", True), ("The second", False)],
    )
    assert Course.objects.get(pk=course.pk).status == CourseStatus.PUBLISHED
    with pytest.raises(ValidationError) as exc:
        services.question_update(
            question=question,
            by=author,
            text="Pick the second",
            multiple=False,
            choices=[("The first", False), ("The second", True)],
        )
    assert "reviewer" in exc.value.message_dict
    assert question.choices.get(position=1).correct is True
    services.question_update(
        question=question,
        by=author,
        text="Pick the second",
        multiple=False,
        choices=[("The first", False), ("The second", True)],
        reviewer=methodologist,
    )
    assert Course.objects.get(pk=course.pk).status == CourseStatus.IN_REVIEW
    assert question.choices.get(position=2).correct is True


@pytest.mark.parametrize(
    "change",
    [
        lambda c, a, r: services.module_add(
            variant=c.variants.get(), by=a, title="New", reviewer=r
        ),
        lambda c, a, r: services.module_delete(
            module=Module.objects.get(variant__course=c), by=a, reviewer=r
        ),
        lambda c, a, r: services.lesson_delete(
            lesson=Lesson.objects.filter(module__variant__course=c).first(), by=a, reviewer=r
        ),
        lambda c, a, r: services.quiz_update(
            quiz=Lesson.objects.get(module__variant__course=c, kind="quiz").quiz,
            by=a,
            passing_score=90,
            max_attempts=2,
            reviewer=r,
        ),
        lambda c, a, r: services.question_delete(
            question=Question.objects.get(quiz__lesson__module__variant__course=c),
            by=a,
            reviewer=r,
        ),
    ],
)
def test_structural_changes_of_published_course_are_major(author, school, methodologist, change):
    course = testing.course(owner=school)
    with pytest.raises(ValidationError):
        change(course, author, None)
    assert Course.objects.get(pk=course.pk).status == CourseStatus.PUBLISHED
    change(course, author, methodologist)
    assert Course.objects.get(pk=course.pk).status == CourseStatus.IN_REVIEW


def test_reviewer_must_not_author_the_course(author, school):
    course = testing.course(owner=school)
    both = member(Role.METHODOLOGIST)
    Membership.objects.create(user=both, institution=school, role=Role.COURSE_AUTHOR)
    with pytest.raises(ValidationError, match="cannot review"):
        services.module_add(variant=course.variants.get(), by=author, title="N", reviewer=both)
    with pytest.raises(ValidationError, match="methodologist"):
        services.module_add(variant=course.variants.get(), by=author, title="N", reviewer=author)
    assert Module.objects.filter(variant__course=course).count() == 1


def test_content_locked_while_in_review_or_archived(author, school):
    for status in (CourseStatus.IN_REVIEW, CourseStatus.ARCHIVED):
        course = testing.course(owner=school, status=status)
        with pytest.raises(ValidationError, match="cannot be changed"):
            services.module_add(variant=course.variants.get(), by=author, title="N")


# --- runs --------------------------------------------------------------------------------


def run_data(**over):
    today = timezone.localdate()
    values = {
        "starts_on": today + timedelta(days=10),
        "ends_on": today + timedelta(days=40),
        "enrolment_opens_on": today,
        "enrolment_closes_on": today + timedelta(days=9),
        "pacing": "scheduled",
        "capacity": 30,
    }
    values.update(over)
    return services.RunData(**values)


def test_runs_keep_next_start(author, school):
    course = make(author, school)
    today = timezone.localdate()
    later = services.run_create(course=course, by=author, data=run_data())
    assert Course.objects.get(pk=course.pk).next_start == later.starts_on
    sooner = services.run_create(
        course=course, by=author, data=run_data(starts_on=today + timedelta(days=3))
    )
    assert Course.objects.get(pk=course.pk).next_start == sooner.starts_on
    services.run_update(
        run=sooner,
        by=author,
        data=run_data(
            starts_on=today - timedelta(days=30),
            ends_on=today - timedelta(days=1),
            enrolment_opens_on=today - timedelta(days=40),
            enrolment_closes_on=today - timedelta(days=31),
        ),
    )
    assert Course.objects.get(pk=course.pk).next_start == later.starts_on
    services.run_delete(run=later, by=author)
    assert Course.objects.get(pk=course.pk).next_start is None


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"ends_on": date(2000, 1, 1)}, "ends_on"),
        ({"enrolment_closes_on": date(2000, 1, 1)}, "enrolment_closes_on"),
        ({"capacity": 0}, "capacity"),
        ({"pacing": "whenever"}, "pacing"),
    ],
)
def test_run_refusals(author, school, over, field):
    course = make(author, school)
    with pytest.raises(ValidationError) as exc:
        services.run_create(course=course, by=author, data=run_data(**over))
    assert field in exc.value.message_dict
    assert not Run.objects.filter(course=course).exists()


def test_run_with_enrolments_keeps_capacity_and_cannot_be_deleted(author, school):
    course = testing.course(owner=school)
    run = course.runs.get()
    learner = member(Role.LEARNER)
    Enrolment.objects.create(
        run=run,
        course=course,
        learner=learner,
        variant=course.variants.get(),
        enrolled_at=timezone.now(),
    )
    Run.objects.filter(pk=run.pk).update(enrolled=5)
    run.refresh_from_db()
    with pytest.raises(ValidationError, match="5 people"):
        services.run_update(run=run, by=author, data=run_data(capacity=4))
    services.run_update(run=run, by=author, data=run_data(capacity=5))
    with pytest.raises(ValidationError, match="enrolled"):
        services.run_delete(run=run, by=author)
    assert Run.objects.filter(pk=run.pk).exists()


def test_archived_course_gets_no_runs(author, school):
    course = testing.course(owner=school, status=CourseStatus.ARCHIVED, run=False)
    with pytest.raises(ValidationError, match="archived"):
        services.run_create(course=course, by=author, data=run_data())


def test_refresh_course_dates_command(school):
    course = testing.course(owner=school)
    Course.objects.filter(pk=course.pk).update(next_start=None)
    call_command("refresh_course_dates")
    assert Course.objects.get(pk=course.pk).next_start == course.runs.get().starts_on
    assert services.course_next_start_refresh() == 0
