"""Load a course bank of benchmark size: courses in four languages, runs, learners, enrolments.

Run by ``bench/run.py`` after ``bench/seed.py`` (the institutions), as a child process with the
benchmark's environment (its own throwaway database). Generated deterministically:

* ``--courses`` courses owned by the directory's universities, colleges and clinical centres
  (a few institutions own thousands, most a handful; one in ten has a co-author), filed under
  about thirty disciplines, for every audience and level, with hours and credits;
* a variant in each of the four languages for every course (titles and summaries built from
  the same topic in English, Russian, Ukrainian and Kazakh) and the catalog's search index
  (``search_text`` and ``CourseSearchWord``) computed by the course services' own functions;
* nine in ten published, the rest in draft or review; one or two runs each, spread from 2019 to
  next year, and ``next_start`` as the run services keep it;
* ``--enrolments`` enrolments of generated learners (one learner per ten enrolments), skewed
  towards popular courses and towards recent years (the seed's forty-fold growth), one in five
  completed, and the yearly totals (``YearStats``) rebuilt from them by the statistics task.

Rows are written with ``bulk_create`` in batches; the bulk courses have no modules or lessons
(the catalog, the course page header and the dashboards do not read them; the demo's courses,
which the course-page benchmark opens, have full content).

    python bench/seed_courses.py --courses 100000 --enrolments 1000000
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

LANGS = ("en", "ru", "uk", "kk")

# (en, ru, uk, kk) names of disciplines and topics courses are made from.
TOPICS: list[tuple[str, str, str, str]] = [
    ("Cardiology", "Кардиология", "Кардіологія", "Кардиология"),
    ("Hematology", "Гематология", "Гематологія", "Гематология"),
    ("Paediatrics", "Педиатрия", "Педіатрія", "Педиатрия"),
    ("Surgery", "Хирургия", "Хірургія", "Хирургия"),
    ("Nursing care", "Сестринский уход", "Сестринський догляд", "Мейіргерлік күтім"),
    ("Public health", "Общественное здравоохранение", "Громадське здоров'я", "Қоғамдық денсаулық"),
    ("Pharmacology", "Фармакология", "Фармакологія", "Фармакология"),
    ("Anatomy", "Анатомия", "Анатомія", "Анатомия"),
    ("Physiology", "Физиология", "Фізіологія", "Физиология"),
    ("Obstetrics", "Акушерство", "Акушерство", "Акушерлік"),
    ("Neurology", "Неврология", "Неврологія", "Неврология"),
    ("Oncology", "Онкология", "Онкологія", "Онкология"),
    ("Infectious diseases", "Инфекционные болезни", "Інфекційні хвороби", "Жұқпалы аурулар"),
    ("Emergency medicine", "Неотложная медицина", "Невідкладна медицина", "Шұғыл медицина"),
    ("Dentistry", "Стоматология", "Стоматологія", "Стоматология"),
    ("Epidemiology", "Эпидемиология", "Епідеміологія", "Эпидемиология"),
    ("Medical ethics", "Медицинская этика", "Медична етика", "Медициналық этика"),
    ("Radiology", "Рентгенология", "Рентгенологія", "Рентгенология"),
    ("Psychiatry", "Психиатрия", "Психіатрія", "Психиатрия"),
    ("Endocrinology", "Эндокринология", "Ендокринологія", "Эндокринология"),
    ("Digital health", "Цифровое здравоохранение", "Цифрова охорона здоров'я", "Цифрлық денсаулық"),
    ("Medical education", "Медицинское образование", "Медична освіта", "Медициналық білім"),
    ("Clinical pharmacy", "Клиническая фармация", "Клінічна фармація", "Клиникалық фармация"),
    ("Rehabilitation", "Реабилитация", "Реабілітація", "Оңалту"),
    ("Gerontology", "Геронтология", "Геронтологія", "Геронтология"),
    ("Nutrition", "Нутрициология", "Нутриціологія", "Тамақтану ғылымы"),
    ("Immunology", "Иммунология", "Імунологія", "Иммунология"),
    (
        "Laboratory diagnostics",
        "Лабораторная диагностика",
        "Лабораторна діагностика",
        "Зертханалық диагностика",
    ),
]

# Title patterns: (en, ru, uk, kk) with {t} for the topic.
PATTERNS: list[tuple[str, str, str, str]] = [
    ("Introduction to {t}", "Введение в {t}", "Вступ до {t}", "{t} негіздері"),
    (
        "{t}: case-based learning",
        "{t}: обучение на клинических случаях",
        "{t}: навчання на клінічних випадках",
        "{t}: клиникалық жағдайлар",
    ),
    (
        "{t} for nurses",
        "{t} для медицинских сестёр",
        "{t} для медичних сестер",
        "Мейіргерлерге арналған {t}",
    ),
    ("Advanced {t}", "{t}: углублённый курс", "{t}: поглиблений курс", "{t}: тереңдетілген курс"),
    (
        "{t} in primary care",
        "{t} в первичной помощи",
        "{t} у первинній допомозі",
        "Алғашқы көмектегі {t}",
    ),
    ("Evidence-based {t}", "Доказательная {t}", "Доказова {t}", "Дәлелді {t}"),
    (
        "{t} for residents",
        "{t} для ординаторов",
        "{t} для лікарів-інтернів",
        "Резиденттерге арналған {t}",
    ),
    (
        "Simulation training in {t}",
        "Симуляционное обучение: {t}",
        "Симуляційне навчання: {t}",
        "Симуляциялық оқыту: {t}",
    ),
]

AUDIENCES = ("students", "residents", "nurses", "physicians")
LEVELS = ("introductory", "intermediate", "advanced")
OWNER_KINDS = ("university", "college", "clinical_centre")


def _title(pattern: str, topic: str) -> str:
    """The topic keeps its capital only where it opens the title."""
    return pattern.format(t=topic if pattern.startswith("{t}") else topic.lower())


def _ensure_disciplines() -> list[int]:
    from consilium.courses.models import Discipline

    ids = []
    for names in TOPICS:
        code = names[0].lower().replace(" ", "-")
        obj, _ = Discipline.objects.get_or_create(
            code=code,
            defaults={f"name_{lang}": name for lang, name in zip(LANGS, names, strict=True)},
        )
        ids.append(obj.pk)
    return ids


def _learners(count: int, batch: int) -> list[int]:
    from consilium.accounts.models import User

    first = User.objects.filter(email__startswith="bench-learner-").count()
    User.objects.bulk_create(
        [
            User(
                email=f"bench-learner-{n}@example.org",
                full_name=f"Learner {n}",
                password="!",  # unusable: these people never sign in
            )
            for n in range(first, count)
        ],
        batch_size=batch,
    )
    return list(
        User.objects.filter(email__startswith="bench-learner-").values_list("pk", flat=True)
    )


def load(courses: int, enrolments: int, seed: int, batch: int) -> dict[str, Any]:
    from django.db import transaction
    from django.utils import timezone

    from consilium.core.text import document_words, search_document
    from consilium.courses.models import (
        Course,
        CourseSearchWord,
        CourseVariant,
        Enrolment,
        Run,
    )
    from consilium.institutions.models import Institution

    rng = random.Random(seed)
    today = timezone.localdate()
    started = time.monotonic()
    owners = list(Institution.objects.filter(kind__in=OWNER_KINDS).values_list("pk", flat=True))
    if not owners:
        raise SystemExit("seed: no institution can own courses; run bench/seed.py first")
    # A skew: a few institutions own thousands of courses, most a handful.
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(owners))]
    rng.shuffle(owners)
    disciplines = _ensure_disciplines()

    with transaction.atomic():
        rows: list[Course] = []
        specs: list[tuple[int, int]] = []  # (topic, pattern) of each course
        for n in range(courses):
            topic, pattern = rng.randrange(len(TOPICS)), rng.randrange(len(PATTERNS))
            specs.append((topic, pattern))
            is_published = rng.random() < 0.9
            created = datetime(2019, 1, 1, tzinfo=UTC) + timedelta(
                days=int((today - date(2019, 1, 1)).days * rng.random() ** 0.5)
            )
            titles = [_title(PATTERNS[pattern][i], TOPICS[topic][i]) for i in range(4)]
            rows.append(
                Course(
                    owner_id=rng.choices(owners, weights)[0],
                    discipline_id=disciplines[topic],
                    audience=rng.choice(AUDIENCES),
                    level=rng.choice(LEVELS),
                    hours=rng.choice((8, 16, 24, 36, 72, 108)),
                    credits=Decimal(rng.choice((0, 1, 2, 3, 4, 6))),
                    tags=", ".join(
                        rng.sample(("cme", "online", "simulation", "clinical", "ethics"), 2)
                    ),
                    status="published" if is_published else rng.choice(("draft", "in_review")),
                    published_at=created if is_published else None,
                    original_language=rng.choice(LANGS),
                    search_text=search_document(*titles),
                    is_demo=True,
                    created_at=created,
                    updated_at=created,
                )
            )
            rows[-1]._titles = titles  # type: ignore[attr-defined]
            del n
        Course.objects.bulk_create(rows, batch_size=batch)
        variants: list[CourseVariant] = []
        words: list[CourseSearchWord] = []
        runs: list[Run] = []
        for course in rows:
            titles = course._titles  # type: ignore[attr-defined]
            for lang, title in zip(LANGS, titles, strict=True):
                variants.append(
                    CourseVariant(
                        course=course,
                        language=lang,
                        title=title,
                        summary=title,
                        translation_status="original"
                        if lang == course.original_language
                        else "complete",
                        created_at=course.created_at,
                        updated_at=course.created_at,
                    )
                )
            words += [
                CourseSearchWord(course=course, word=word)
                for word in sorted(document_words(course.search_text))
            ]
            start = course.created_at.date() + timedelta(days=rng.randint(14, 120))
            for _ in range(rng.choice((1, 1, 2))):
                runs.append(
                    Run(
                        course=course,
                        starts_on=start,
                        ends_on=start + timedelta(days=rng.choice((28, 42, 60, 90))),
                        enrolment_opens_on=start - timedelta(days=30),
                        enrolment_closes_on=start + timedelta(days=14),
                        pacing=rng.choice(("scheduled", "self_paced")),
                        capacity=rng.choice((None, None, 100, 500)),
                        created_at=course.created_at,
                        updated_at=course.created_at,
                    )
                )
                start += timedelta(days=rng.randint(180, 400))
        CourseVariant.objects.bulk_create(variants, batch_size=batch)
        CourseSearchWord.objects.bulk_create(words, batch_size=batch)
        Run.objects.bulk_create(runs, batch_size=batch)
        upcoming: dict[int, date] = {}
        for run in runs:
            if run.ends_on and run.ends_on >= today:
                current = upcoming.get(run.course_id)
                upcoming[run.course_id] = min(current, run.starts_on) if current else run.starts_on
        for course in rows:
            course.next_start = upcoming.get(course.pk)
        Course.objects.bulk_update(
            [c for c in rows if c.next_start], ["next_start"], batch_size=batch
        )

    learners = _learners(max(1, enrolments // 10), batch)
    published = [c for c in rows if c.status == "published"]
    runs_of: dict[int, list[Run]] = {}
    for run in runs:
        runs_of.setdefault(run.course_id, []).append(run)
    variant_of = {(v.course_id, v.language): v.pk for v in variants}
    popularity = [1.0 / (rank + 1) ** 0.7 for rank in range(len(published))]
    made = 0
    seen: set[tuple[int, int]] = set()
    while made < enrolments and published:
        chunk: list[Enrolment] = []
        picks = rng.choices(published, popularity, k=min(batch * 20, enrolments - made))
        for course in picks:
            run = rng.choice(runs_of[course.pk])
            learner = rng.choice(learners)
            if (run.pk, learner) in seen:
                continue
            seen.add((run.pk, learner))
            enrolled = datetime.combine(
                run.enrolment_opens_on + timedelta(days=rng.randint(0, 40)),
                datetime.min.time(),
                tzinfo=UTC,
            )
            done = rng.random() < 0.2 and run.ends_on is not None and run.ends_on < today
            chunk.append(
                Enrolment(
                    run_id=run.pk,
                    course_id=course.pk,
                    learner_id=learner,
                    variant_id=variant_of[(course.pk, rng.choice(LANGS))],
                    status="completed" if done else "active",
                    enrolled_at=enrolled,
                    completed_at=datetime.combine(run.ends_on, datetime.min.time(), tzinfo=UTC)
                    if done and run.ends_on
                    else None,
                    progress=100 if done else rng.randint(0, 90),
                    is_demo=True,
                )
            )
        with transaction.atomic():
            Enrolment.objects.bulk_create(chunk, batch_size=batch)
        made += len(chunk)
    # Run.enrolled as the enrolment services keep it.
    from django.db.models import Count

    counts = dict(
        Enrolment.objects.values("run_id").annotate(n=Count("id")).values_list("run_id", "n")
    )
    for run in runs:
        run.enrolled = counts.get(run.pk, 0)
    Run.objects.bulk_update(runs, ["enrolled"], batch_size=batch)

    from consilium.courses.services import stats

    stats.stats_rebuild_all()
    return {
        "courses": len(rows),
        "published": len(published),
        "variants": len(variants),
        "search_words": len(words),
        "runs": len(runs),
        "learners": len(learners),
        "enrolments": made,
        "seconds": round(time.monotonic() - started, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--courses", type=int, default=100_000)
    parser.add_argument("--enrolments", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20_201_019)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args(argv)
    if args.courses <= 0:
        print("seed: no courses requested")
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consilium.settings")
    import django

    django.setup()
    print(load(args.courses, args.enrolments, args.seed, args.batch))
    return 0


if __name__ == "__main__":
    sys.exit(main())
