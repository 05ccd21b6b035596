"""The demo course bank: seed 004 (Sechenov Online, a bank of online courses of many universities).

Courses are written through the authoring, review and learning services, as people would:
Sechenov University's "Personalisation in higher education: approaches and solutions" (whose
run starts on 19 October), courses of other demo institutions in several languages, one in
review and one draft. The bank's history (2019 and 2020: the seed's forty-fold growth in
visitors, one in five learners with a certificate) cannot be lived through today, so past
enrolments and visits are written directly, flagged ``is_demo``, and the yearly totals rebuilt
from them by the statistics service, as after any bulk load. ``build`` returns the published
courses it wrote (kept as ``context.built["courses"]``), so that the certificates' demo
(``certificates/demo.py``, a builder that needs this one) issues theirs: the course bank does
not import certificates.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from consilium.accounts.models import User
from consilium.core.demo import DemoContext
from consilium.courses.models import (
    Course,
    CourseVariant,
    Discipline,
    Enrolment,
    EnrolmentStatus,
    Lesson,
    LessonKind,
    RubricCriterion,
    Run,
    VisitMark,
)
from consilium.courses.services import authoring, learning, reviewing, stats
from consilium.courses.services.authoring import LessonData, RunData, Settings

# (code, en, ru, uk, kk)
DISCIPLINES = [
    (
        "medical-education",
        "Medical education",
        "Медицинское образование",
        "Медична освіта",
        "Медициналық білім",
    ),
    ("nursing", "Nursing", "Сестринское дело", "Сестринська справа", "Мейіргер ісі"),
    (
        "emergency-medicine",
        "Emergency medicine",
        "Неотложная медицина",
        "Невідкладна медицина",
        "Шұғыл медицина",
    ),
    ("hematology", "Hematology", "Гематология", "Гематологія", "Гематология"),
    (
        "clinical-research",
        "Clinical research",
        "Клинические исследования",
        "Клінічні дослідження",
        "Клиникалық зерттеулер",
    ),
    (
        "digital-health",
        "Digital health",
        "Цифровое здравоохранение",
        "Цифрова охорона здоров'я",
        "Цифрлық денсаулық сақтау",
    ),
]

SECHENOV_TITLE = "Персонализация в высшем образовании: подходы и решения"


@dataclass
class Lessons:
    """A module's lessons: (title, text) and a closing quiz of (question, [(answer, right)])."""

    title: str
    texts: list[tuple[str, str]]
    quiz: list[tuple[str, list[tuple[str, bool]]]] = field(default_factory=list)


@dataclass
class DemoCourse:
    owner: str
    author: str  # e-mail of the demo user who writes it
    discipline: str
    audience: str
    level: str
    hours: int
    credits: str
    tags: str
    # language -> (title, summary); the first is the original
    variants: dict[str, tuple[str, str]]
    modules: list[Lessons]
    outcome: str  # "published", "in_review" or "draft"
    co_authors: tuple[str, ...] = ()


PERSONALISATION = [
    Lessons(
        "Персонализация: что это и зачем",
        [
            (
                "Индивидуальные траектории обучения",
                "<p>Персонализация в высшем медицинском образовании — это построение "
                "<strong>индивидуальной образовательной траектории</strong> студента с учётом его "
                "целей, уровня подготовки и темпа.</p><ul><li>цели и результаты обучения;</li>"
                "<li>входная диагностика;</li><li>выбор модулей и темпа.</li></ul>",
            ),
            (
                "Цифровой университет",
                "<p>Цифровая платформа объединяет онлайн-курсы многих вузов: в 2020 году "
                "платформа «Сеченов онлайн» объединила курсы 27 медицинских вузов.</p>",
            ),
        ],
        [
            (
                "Что лежит в основе индивидуальной траектории?",
                [
                    ("Цели и уровень подготовки студента", True),
                    ("Расписание аудиторий", False),
                    ("Число студентов в группе", False),
                ],
            ),
            (
                "Какие элементы помогают персонализировать обучение? (несколько ответов)",
                [
                    ("Входная диагностика", True),
                    ("Выбор модулей и темпа", True),
                    ("Единый для всех темп", False),
                ],
            ),
        ],
    ),
    Lessons(
        "Подходы и решения",
        [
            (
                "Адаптивные курсы и наставничество",
                "<p>Адаптивный курс подстраивает задания под ответы студента; наставник "
                "помогает выбрать траекторию и оценивает прогресс.</p>",
            ),
        ],
    ),
]

COURSES = [
    DemoCourse(
        owner="sechenov",
        author="author@sechenov.demo.consilium.kz",
        discipline="medical-education",
        audience="physicians",
        level="intermediate",
        hours=36,
        credits="36",
        tags="персонализация, цифровой университет, CPD",
        variants={
            "ru": (
                SECHENOV_TITLE,
                "Онлайн-курс для преподавателей медицинских вузов: индивидуальные траектории, "
                "адаптивное обучение, наставничество.",
            ),
            "en": (
                "Personalisation in higher education: approaches and solutions",
                "An online course for medical teachers: individual learning paths, adaptive "
                "learning, mentoring.",
            ),
            "kk": (
                "Жоғары білім берудегі дербестендіру: тәсілдер мен шешімдер",
                "Медициналық ЖОО оқытушыларына арналған онлайн курс: жеке білім траекториясы, "
                "бейімделген оқыту, тәлімгерлік.",
            ),
        },
        modules=PERSONALISATION,
        outcome="published",
    ),
    DemoCourse(
        owner="kaznmu",
        author="network.admin@demo.consilium.kz",
        discipline="nursing",
        audience="nurses",
        level="introductory",
        hours=24,
        credits="12",
        tags="мейіргер, evidence-based",
        variants={
            "kk": (
                "Дәлелді мейіргерлік күтім",
                "Мейіргерлерге арналған дәлелді практика негіздері.",
            ),
            "ru": (
                "Доказательный сестринский уход",
                "Основы доказательной практики для медицинских сестёр.",
            ),
            "en": (
                "Evidence-based nursing care",
                "Foundations of evidence-based nursing practice.",
            ),
        },
        modules=[
            Lessons(
                "Дәлелді практика",
                [
                    (
                        "Дәлел деңгейлері",
                        "<p>Дәлелдердің деңгейлері: жүйелі шолулар, рандомизацияланған "
                        "зерттеулер, бақылау зерттеулері.</p>",
                    )
                ],
                [
                    (
                        "Ең жоғары дәлел деңгейі қайсы?",
                        [
                            ("Жүйелі шолу", True),
                            ("Жеке пікір", False),
                        ],
                    )
                ],
            )
        ],
        outcome="published",
    ),
    DemoCourse(
        owner="donnmu",
        author="network.admin@demo.consilium.kz",
        discipline="emergency-medicine",
        audience="students",
        level="intermediate",
        hours=16,
        credits="8",
        tags="невідкладна допомога, симуляція",
        variants={
            "uk": (
                "Невідкладна медицина: навчання на клінічних випадках",
                "Розбір клінічних випадків невідкладних станів для студентів.",
            ),
            "en": (
                "Emergency medicine: case-based learning",
                "Emergency cases worked through step by step, for students.",
            ),
        },
        modules=[
            Lessons(
                "Алгоритм ABCDE",
                [
                    (
                        "Первинний огляд",
                        "<p>Огляд за алгоритмом <em>ABCDE</em>: дихальні шляхи, дихання, "
                        "кровообіг, неврологічний статус, огляд тіла.</p>",
                    )
                ],
                [
                    (
                        "З чого починається огляд за ABCDE?",
                        [("Дихальні шляхи", True), ("Кровообіг", False), ("Огляд тіла", False)],
                    )
                ],
            )
        ],
        outcome="published",
    ),
    DemoCourse(
        owner="duke",
        author="network.admin@demo.consilium.kz",
        discipline="clinical-research",
        audience="residents",
        level="advanced",
        hours=40,
        credits="20",
        tags="research methods, GCP",
        variants={
            "en": (
                "Clinical research methods",
                "Designing, running and reporting clinical studies, with KazNMU.",
            ),
            "ru": (
                "Методы клинических исследований",
                "Планирование, проведение и публикация клинических исследований.",
            ),
        },
        modules=[
            Lessons(
                "Study design",
                [
                    (
                        "Randomised controlled trials",
                        "<p>Randomisation, blinding and allocation concealment protect a "
                        "trial from bias.</p>",
                    )
                ],
                [
                    (
                        "What does allocation concealment prevent?",
                        [("Selection bias", True), ("Recall bias", False)],
                    )
                ],
            )
        ],
        outcome="published",
        co_authors=("kaznmu",),
    ),
    DemoCourse(
        owner="mua",
        author="network.admin@demo.consilium.kz",
        discipline="hematology",
        audience="nurses",
        level="introductory",
        hours=18,
        credits="6",
        tags="гематология, уход",
        variants={
            "ru": (
                "Гематология для медицинских сестёр",
                "Уход за пациентами с заболеваниями крови.",
            ),
            "kk": (
                "Мейіргерлерге арналған гематология",
                "Қан аурулары бар науқастарды күту.",
            ),
        },
        modules=[
            Lessons(
                "Основы гематологии",
                [("Анализ крови", "<p>Общий анализ крови: показатели и их значение.</p>")],
            )
        ],
        outcome="in_review",
    ),
    DemoCourse(
        owner="semey-smu",
        author="network.admin@demo.consilium.kz",
        discipline="digital-health",
        audience="students",
        level="introductory",
        hours=8,
        credits="0",
        tags="digital health",
        variants={"en": ("Digital health basics", "Medical information systems and data.")},
        modules=[
            Lessons(
                "Medical information systems",
                [("Document flow", "<p>How a medical information system keeps records.</p>")],
            )
        ],
        outcome="draft",
    ),
]


def _disciplines() -> dict[str, Discipline]:
    found = {}
    for code, en, ru, uk, kk in DISCIPLINES:
        found[code] = Discipline.objects.get_or_create(
            code=code, defaults={"name_en": en, "name_ru": ru, "name_uk": uk, "name_kk": kk}
        )[0]
    return found


def _next_19_october(today: date) -> date:
    this_year = date(today.year, 10, 19)
    return this_year if this_year > today else date(today.year + 1, 10, 19)


def _write(spec: DemoCourse, institutions: dict[str, Any], users: dict[str, User]) -> Course:
    by = users[spec.author]
    languages = list(spec.variants)
    title, summary = spec.variants[languages[0]]
    course = authoring.course_create(
        by=by,
        owner=institutions[spec.owner],
        settings_=Settings(
            discipline=_disciplines()[spec.discipline],
            audience=spec.audience,
            level=spec.level,
            hours=spec.hours,
            credits=Decimal(spec.credits),
            tags=spec.tags,
            co_authors=[institutions[key] for key in spec.co_authors],
        ),
        language=languages[0],
        title=title,
        summary=summary,
        description="<ul>" + "".join(f"<li>{block.title}</li>" for block in spec.modules) + "</ul>",
    )
    for language in languages[1:]:
        title, summary = spec.variants[language]
        authoring.variant_add(
            course=course,
            by=by,
            language=language,
            title=title,
            summary=summary,
            translation_status="in_progress",
        )
    # The content in the original language; the other variants' translations are in progress.
    variant = course.variants.get(language=languages[0])
    for block in spec.modules:
        module = authoring.module_add(variant=variant, by=by, title=block.title)
        for lesson_title, text in block.texts:
            authoring.lesson_add(
                module=module, by=by, kind=LessonKind.TEXT, data=LessonData(lesson_title, text)
            )
        if block.quiz:
            lesson = authoring.lesson_add(
                module=module, by=by, kind=LessonKind.QUIZ, data=LessonData("Тест")
            )
            for text, answers in block.quiz:
                authoring.question_add(
                    quiz=lesson.quiz,
                    by=by,
                    text=text,
                    multiple=sum(right for _, right in answers) > 1,
                    choices=answers,
                )
    return course


def _publish(course: Course, users: dict[str, User], by: User) -> None:
    methodologist = users["methodologist@ksmu.demo.consilium.kz"]
    review = reviewing.review_submit(
        course=course, reviewer=methodologist, note="Готов к рецензии.", by=by
    )
    scores = {c.pk: (c.max_score, "") for c in RubricCriterion.objects.filter(active=True)}
    reviewing.review_decide(
        review_=review,
        verdict="approved",
        scores=scores,
        comment="Курс соответствует требованиям.",
        by=methodologist,
    )


def _runs(course: Course, by: User, today: date, *, historic: bool) -> Run:
    """Past runs in 2019 and 2020 and the next autumn run (historic), else a self-paced run
    that has started; returns the current one."""
    if historic:
        authoring.run_create(
            course=course,
            by=by,
            data=RunData(
                starts_on=date(2020, 10, 19),
                ends_on=date(2020, 12, 18),
                enrolment_opens_on=date(2020, 9, 29),
                enrolment_closes_on=date(2020, 11, 1),
            ),
        )
        authoring.run_create(
            course=course,
            by=by,
            data=RunData(
                starts_on=date(2019, 10, 21),
                ends_on=date(2019, 12, 20),
                enrolment_opens_on=date(2019, 9, 23),
                enrolment_closes_on=date(2019, 11, 1),
                capacity=200,
            ),
        )
    if historic:
        # The next autumn run, scheduled: learners enrol now and start on 19 October.
        starts = _next_19_october(today)
        return authoring.run_create(
            course=course,
            by=by,
            data=RunData(
                starts_on=starts,
                ends_on=starts + timedelta(days=60),
                enrolment_opens_on=today - timedelta(days=7),
                enrolment_closes_on=starts + timedelta(days=14),
                pacing="scheduled",
                capacity=500,
            ),
        )
    # A self-paced run that has started, so its learners can work (run dates gate learning).
    started = today - timedelta(days=21)
    return authoring.run_create(
        course=course,
        by=by,
        data=RunData(
            starts_on=started,
            ends_on=started + timedelta(days=90),
            enrolment_opens_on=started - timedelta(days=14),
            enrolment_closes_on=today + timedelta(days=30),
            pacing="self_paced",
        ),
    )


def _learn_through(enrolment: Enrolment) -> None:
    """The learner reads every lesson and passes every quiz (choosing the right answers)."""
    lessons = Lesson.objects.filter(module__variant=enrolment.variant).select_related("quiz")
    for lesson in lessons:
        if lesson.kind == LessonKind.QUIZ:
            answers = {
                question.pk: [c.pk for c in question.choices.all() if c.correct]
                for question in lesson.quiz.questions.prefetch_related("choices")
            }
            learning.quiz_submit(enrolment=enrolment, quiz=lesson.quiz, answers=answers)
        else:
            learning.lesson_complete(enrolment=enrolment, lesson=lesson)


def _history(courses: list[Course], today: date) -> None:
    """2019 and 2020 as seed 004 tells them, scaled down: visitors ×40, one in five completing
    (and certified by the certificates' demo)."""
    rng = random.Random(2020)
    learners = []
    for n in range(1, 121):
        email = f"learner{n:03}@history.demo.consilium.kz"
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=None, full_name=f"Demo learner {n}", language="ru"
        )
        learners.append(user)
    marks: list[VisitMark] = []
    enrolments: list[Enrolment] = []
    for year, visitors, enrolled in ((2019, 25, 8), (2020, 1000, 110)):
        for course in courses:
            share = 3 if course.variants.filter(title=SECHENOV_TITLE).exists() else 1
            for n in range(visitors * share // (len(courses) + 2)):
                day = date(year, 9, 1) + timedelta(days=rng.randrange(120))
                digest = hashlib.sha256(f"demo-{course.pk}-{year}-{n}".encode()).hexdigest()
                marks.append(VisitMark(course=course, day=day, digest=digest))
            run = course.runs.filter(starts_on__year=year).first()
            if run is None:
                continue
            variants = list(course.variants.all())
            for learner in rng.sample(learners, min(len(learners), enrolled * share // 3)):
                at = datetime.combine(run.enrolment_opens_on, datetime.min.time(), tzinfo=UTC)
                at += timedelta(days=rng.randrange(30))
                done = rng.random() < 0.25
                enrolments.append(
                    Enrolment(
                        run=run,
                        course=course,
                        learner=learner,
                        variant=rng.choice(variants),
                        # The runs ended years ago: who did not finish dropped out.
                        status=EnrolmentStatus.COMPLETED if done else EnrolmentStatus.WITHDRAWN,
                        enrolled_at=at,
                        completed_at=datetime.combine(
                            run.ends_on or run.starts_on, datetime.min.time(), tzinfo=UTC
                        )
                        if done
                        else None,
                        progress=100 if done else rng.randrange(10, 90),
                        is_demo=True,
                    )
                )
    # The Sechenov course has been in the bank since before its 2019 run.
    Course.objects.filter(variants__title=SECHENOV_TITLE).update(
        published_at=datetime(2019, 9, 2, tzinfo=UTC)
    )
    VisitMark.objects.bulk_create(marks, ignore_conflicts=True)
    Enrolment.objects.bulk_create(enrolments, ignore_conflicts=True)
    for run in Run.objects.filter(course__in=courses):
        Run.objects.filter(pk=run.pk).update(
            enrolled=run.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).count()
        )
    stats.visit_day_close(today - timedelta(days=1))


@transaction.atomic
def build(context: DemoContext) -> list[Course]:
    """Write the demo course bank; returns the published courses (none when built before).

    Registered as the demo builder "courses" (``CoursesConfig.ready``)."""
    institutions: dict[str, Any] = context.institutions
    users: dict[str, User] = context.users
    if CourseVariant.objects.filter(title=SECHENOV_TITLE).exists():
        return []  # built before: the demo is idempotent
    today = timezone.localdate()
    published: list[Course] = []
    written: list[int] = []
    learner = users["learner@mua.demo.consilium.kz"]
    for spec in COURSES:
        by = users[spec.author]
        course = _write(spec, institutions, users)
        written.append(course.pk)
        if spec.outcome == "draft":
            continue
        sechenov = spec.owner == "sechenov"
        current = _runs(course, by, today, historic=sechenov)
        if spec.outcome == "in_review":
            reviewing.review_submit(
                course=course,
                reviewer=users["methodologist@ksmu.demo.consilium.kz"],
                note="Просим проверить курс.",
                by=by,
            )
            continue
        _publish(course, users, by)
        published.append(course)
        if sechenov:
            # Enrolled in the autumn run, which has not started: its lessons open on its
            # first day (run dates gate learning), so nothing is done yet.
            learning.enrolment_create(
                run=current, learner=learner, variant=course.variants.get(language="ru")
            )
        elif spec.owner == "kaznmu":
            enrolment = learning.enrolment_create(
                run=current, learner=learner, variant=course.variants.get(language="kk")
            )
            _learn_through(enrolment)
    _history(published, today)
    Course.objects.filter(pk__in=written).update(is_demo=True)
    stats.stats_rebuild_all()
    return published
