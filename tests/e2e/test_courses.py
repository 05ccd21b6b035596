"""Journeys of the course bank.

1. An anonymous visitor switches the site to Kazakh, finds a course by a Kazakh query, creates
   an account from the course page, enrols, learns its Kazakh variant to the end (a text
   lesson and a quiz answered right) and sees the course completed.
2. A methodologist scores a submitted course against every rubric criterion and approves it;
   its author sees it published and the course appears in the public catalog.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from consilium.accounts.testing import PASSWORD
from consilium.certificates.models import Certificate
from consilium.core import public_cache
from consilium.core.roles import Role
from consilium.courses import testing
from consilium.courses.models import (
    Choice,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    Lesson,
    Question,
    RubricCriterion,
    Verdict,
)
from consilium.courses.services.authoring import course_next_start_refresh, course_search_rebuild
from consilium.courses.services.reviewing import review_submit
from consilium.courses.versions import CATALOG
from consilium.institutions.testing import InstitutionFactory, member

from .helpers import (
    html_lang,
    in_language,
    mark_lesson_done,
    pass_quiz,
    sign_in,
    snap,
    switch_language,
)

KK_TITLE = "Қоғамдық денсаулық сақтау негіздері"
EN_TITLE = "Foundations of public health"
KK_MODULE = "Кіріспе"
KK_LESSON = "Денсаулықтың әлеуметтік детерминанттары"
KK_BODY = "Денсаулық көбінесе адамның өмір сүретін ортасына байланысты."
KK_QUIZ = "Бақылау тесті"
# The quiz: a single-choice question and a multiple-choice one, with their right answers.
KK_Q1 = ("Денсаулықтың негізгі детерминанты қайсы?", ["Әлеуметтік жағдай"], ["Шаш түсі"])
KK_Q2 = ("Қайсысы алдын алу шарасы?", ["Вакцинация", "Скрининг"], ["Тек емдеу"])

LEARN_URL = re.compile(r"/courses/learn/(\d+)/(\?lesson=\d+)?$")
COURSE_URL = re.compile(r"/courses/(\d+)/\?lang=kk$")


def indexed(course: Course) -> Course:
    """Search words and the next start, as the authoring services keep them."""
    course_search_rebuild(course)
    course_next_start_refresh(course_ids=[course.pk])
    public_cache.bump(CATALOG)
    return course


def kazakh_course() -> Course:
    """A published course written in Kazakh (with an English variant): one module, a text
    lesson and a quiz of two questions, all in Kazakh, and a run open for enrolment."""
    course = testing.course(
        owner=InstitutionFactory(
            name_en="Asfendiyarov Kazakh National Medical University",
            name_kk="С.Ж. Асфендияров атындағы Қазақ ұлттық медицина университеті",
        ),
        titles={"kk": KK_TITLE, "en": EN_TITLE},
    )
    variant = course.variants.get(language="kk")
    module = variant.modules.get()
    module.title = KK_MODULE
    module.save()
    text, quiz_lesson = module.lessons.order_by("position")
    Lesson.objects.filter(pk=text.pk).update(title=KK_LESSON, body=f"<p>{KK_BODY}</p>")
    Lesson.objects.filter(pk=quiz_lesson.pk).update(title=KK_QUIZ)
    quiz = quiz_lesson.quiz
    quiz.questions.all().delete()
    for position, (question, right, wrong) in enumerate((KK_Q1, KK_Q2), start=1):
        row = Question.objects.create(
            quiz=quiz, position=position, text=question, multiple=len(right) > 1
        )
        for number, (answer, correct) in enumerate(
            [(a, True) for a in right] + [(a, False) for a in wrong], start=1
        ):
            Choice.objects.create(question=row, position=number, text=answer, correct=correct)
    return indexed(course)


def search_catalog(page: Page, query: str) -> None:
    """Type into the catalog's search box and wait for htmx to swap in the results."""
    box = page.locator("#id_q")
    with page.expect_response(lambda r: "/courses/?" in r.url and "q=" in r.url):
        box.fill(query)
        box.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]q="))


@pytest.mark.e2e
def test_visitor_in_kazakh_finds_enrols_and_completes_a_course(page, transactional_db):  # type: ignore[no-untyped-def]
    course = kazakh_course()
    other = indexed(testing.course(titles={"en": "Clinical pharmacology"}))

    # --- the catalog, switched to Kazakh --------------------------------------------------
    page.goto("/courses/")
    assert html_lang(page) == "en"
    switch_language(page, "kk")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page).to_have_url(re.compile(r"/courses/$"))
    expect(page.locator("main h1")).to_have_text(in_language(page, "Course catalog"))
    results = page.locator("#results")
    expect(results.locator(f"a[href^='/courses/{other.pk}/']")).to_have_count(1)

    search_catalog(page, "қоғамдық денсаулық")
    cards = results.locator("article")
    expect(cards).to_have_count(1)
    link = cards.locator(f"a[href='/courses/{course.pk}/?lang=kk']")
    expect(link).to_have_text(KK_TITLE)  # the Kazakh variant, for a Kazakh interface
    expect(cards.locator(".badge[lang=kk]")).to_have_text("KK")
    expect(cards.locator(".badge[lang=en]")).to_have_text("EN")
    expect(cards).to_contain_text("Қазақ ұлттық медицина университеті")
    snap(page, "courses-1-catalog-kk")

    # --- the course page, then an account --------------------------------------------------
    link.click()
    expect(page).to_have_url(COURSE_URL)
    expect(page.locator("main h1")).to_have_text(KK_TITLE)
    syllabus = page.locator("main ol.list-group")
    expect(syllabus).to_contain_text(KK_MODULE)
    expect(syllabus).to_contain_text(KK_LESSON)
    expect(syllabus).to_contain_text(KK_QUIZ)
    page.get_by_role("link", name=in_language(page, "Create an account to enrol")).click()

    expect(page).to_have_url(re.compile(r"/accounts/sign-up/\?next="))
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    form = page.locator("main form[method=post]")
    # The interface language is proposed for the account.
    expect(form.locator("select[name=language]")).to_have_value("kk")
    form.locator("input[name=email]").fill("aigerim.nurlanovna@example.kz")
    form.locator("input[name=full_name]").fill("Айгерим Нұрланқызы")
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    # Back on the course page, signed in, still in Kazakh.
    expect(page).to_have_url(COURSE_URL)
    expect(page.locator(".messages .alert-success")).to_have_text(
        in_language(page, "Welcome to Consilium! Your account is ready.")
    )
    expect(page.locator("#account-menu")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "kk")

    # --- enrol in the Kazakh variant ---------------------------------------------------------
    enrol = page.locator("main form[action$='/enrol/'] button[type=submit]")
    expect(enrol).to_have_text(in_language(page, "Enrol (in %(language)s)", language="Қазақша"))
    with page.expect_navigation():
        enrol.click()
    expect(page).to_have_url(LEARN_URL)
    expect(page.locator(".messages .alert-success")).to_have_text(
        in_language(page, "You are enrolled. Welcome to the course!")
    )
    expect(page.locator("main h1")).to_have_text(KK_TITLE)
    enrolment = Enrolment.objects.get(course=course)
    assert enrolment.learner.email == "aigerim.nurlanovna@example.kz"
    assert enrolment.learner.language == "kk"
    assert enrolment.variant.language == "kk"

    # --- learn: the text lesson, then the quiz with the right answers ------------------------
    expect(page.locator("main .lesson-body")).to_have_text(KK_BODY)
    snap(page, "courses-1-lesson-kk")
    mark_lesson_done(page, KK_LESSON)
    outline = page.locator("main nav.card")
    expect(
        outline.locator("li", has_text=KK_LESSON).locator(".bi-check-circle-fill")
    ).to_have_count(1)
    pass_quiz(page, KK_QUIZ, KK_Q1[1] + KK_Q2[1])
    completed = in_language(page, "Course completed")
    expect(page.locator("main .alert-success[role=status]")).to_have_text(completed)
    snap(page, "courses-1-quiz-passed-kk")

    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.progress == 100
    assert enrolment.completed_at is not None

    # --- the learn page and "My learning" say so ----------------------------------------------
    page.get_by_role("link", name=in_language(page, "Back to the course")).click()
    expect(page).to_have_url(LEARN_URL)
    expect(page.locator("main .alert-success[role=status] strong")).to_have_text(completed)
    expect(page.locator("main .progress")).to_have_attribute("aria-valuenow", "100")
    expect(outline.locator(".bi-check-circle-fill")).to_have_count(2)

    nav = page.locator("#nav-main a.nav-link[href='/courses/my/']")
    expect(nav).to_have_text(in_language(page, "My learning"))
    nav.click()
    expect(page).to_have_url(re.compile(r"/courses/my/$"))
    item = page.locator("main .list-group-item", has_text=KK_TITLE)
    expect(item).to_have_count(1)
    expect(item.locator(".badge.text-bg-success")).to_have_text(in_language(page, "Completed"))
    expect(item).to_contain_text(in_language(page, "%(progress)s%% done", progress=100))
    snap(page, "courses-1-my-learning-kk")

    # --- the certificate, issued by the completion handler (after the commit) ----------------
    page.goto(page.url.split("/courses/")[0] + reverse("certificates:mine"))
    expect(page.locator("main h1")).to_have_text(in_language(page, "My certificates"))
    expect(page.locator("main .card", has_text=KK_TITLE)).to_have_count(1)
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.holder_name == "Айгерим Нұрланқызы"


@pytest.mark.e2e
def test_methodologist_approves_a_course_and_its_author_sees_it_published(  # type: ignore[no-untyped-def]
    new_page, transactional_db
):
    title = "Simulation-based training in obstetrics"
    owner = InstitutionFactory(name_en="Sechenov University")
    author = member(Role.COURSE_AUTHOR, institution=owner, full_name="Olga Petrova", language="en")
    methodologist = member(
        Role.METHODOLOGIST,
        institution=InstitutionFactory(name_en="Karaganda Medical University"),
        full_name="Dana Serikova",
        language="en",
    )
    course = indexed(testing.course(owner=owner, status=CourseStatus.DRAFT, titles={"en": title}))
    # The rubric is data of a migration, which transactional tests may have flushed.
    if not RubricCriterion.objects.filter(active=True).exists():
        for position, name in enumerate(("Learning outcomes", "Assessment", "Materials"), 1):
            RubricCriterion.objects.create(position=position, name=name, max_score=5)
    criteria = list(RubricCriterion.objects.filter(active=True))
    review = review_submit(
        course=course, reviewer=methodologist, note="Ready for the spring intake.", by=author
    )

    # In review: not in the public catalog yet.
    visitor = new_page()
    visitor.goto("/courses/")
    search_catalog(visitor, "simulation obstetrics")
    expect(visitor.locator("#results article")).to_have_count(0)

    # --- the methodologist scores every criterion and approves ---------------------------------
    reviewer = new_page()
    sign_in(reviewer, methodologist.email, PASSWORD)
    reviewer.goto("/courses/reviews/")
    expect(reviewer.locator("main h1")).to_have_text(in_language(reviewer, "Courses to review"))
    card = reviewer.locator("main .card", has_text=title)
    expect(card.locator(".badge")).to_have_text(in_language(reviewer, Verdict.PENDING.label))
    card.get_by_role("link", name=title).click()
    expect(reviewer).to_have_url(re.compile(rf"/courses/reviews/{review.pk}/$"))
    expect(reviewer.locator("main h1")).to_have_text(title)
    expect(reviewer.locator("main .alert-light")).to_contain_text("Ready for the spring intake.")
    # The whole course, read-only: the quiz with its right answer marked.
    content = reviewer.locator("main section.card").first
    expect(content).to_contain_text("Lesson 1")
    content.locator("details summary", has_text="Quiz").click()
    expect(content.locator("details[open]")).to_contain_text("Pick the first")

    form = reviewer.locator("main form[method=post]")
    rows = form.locator("tbody tr")
    expect(rows).to_have_count(len(criteria))
    for criterion in criteria:
        row = rows.filter(has_text=criterion.name)
        row.get_by_role("spinbutton").fill(str(criterion.max_score - 1))
        row.get_by_role("textbox").fill(f"Solid: {criterion.name.lower()}")
    form.get_by_label(in_language(reviewer, "Approve and publish")).check()
    form.get_by_label(in_language(reviewer, "Comment to the authors")).fill("Well built.")
    snap(reviewer, "courses-2-review")
    with reviewer.expect_navigation():
        form.get_by_role("button", name=in_language(reviewer, "Record the verdict")).click()
    expect(reviewer).to_have_url(re.compile(r"/courses/reviews/$"))
    expect(reviewer.locator(".messages .alert-success")).to_have_text(
        in_language(reviewer, "Your verdict is recorded; the authors are told.")
    )
    expect(card.locator(".badge")).to_have_text(in_language(reviewer, Verdict.APPROVED.label))

    review.refresh_from_db()
    assert review.verdict == Verdict.APPROVED
    assert review.comment == "Well built."
    scores = {s.criterion_id: (s.score, s.comment) for s in review.scores.all()}
    assert scores == {c.pk: (c.max_score - 1, f"Solid: {c.name.lower()}") for c in criteria}
    course.refresh_from_db()
    assert course.status == CourseStatus.PUBLISHED
    assert course.published_at is not None

    # --- the author sees it published ------------------------------------------------------------
    writer = new_page()
    sign_in(writer, author.email, PASSWORD)
    writer.goto("/courses/authoring/")
    expect(writer.locator("main h1")).to_have_text(in_language(writer, "My courses"))
    published = in_language(writer, CourseStatus.PUBLISHED.label)
    mine = writer.locator("main .card", has_text=title)
    expect(mine.locator(".badge.text-bg-success")).to_have_text(published)
    mine.get_by_role("link", name=title).click()
    expect(writer).to_have_url(re.compile(rf"/courses/authoring/{course.pk}/$"))
    expect(writer.locator("main h1 + .badge")).to_have_text(published)
    history = writer.locator("#review")
    expect(history).to_contain_text(in_language(writer, Verdict.APPROVED.label))
    expect(history).to_contain_text("Well built.")
    snap(writer, "courses-2-workspace-published")

    # --- and the course is in the public catalog ----------------------------------------------
    visitor.goto("/courses/")
    search_catalog(visitor, "simulation obstetrics")
    cards = visitor.locator("#results article")
    expect(cards).to_have_count(1)
    expect(cards.get_by_role("link", name=title)).to_have_attribute(
        "href", re.compile(rf"^/courses/{course.pk}/")
    )
    with translation.override(html_lang(visitor)):
        owner_name = owner.display_short
    expect(cards).to_contain_text(owner_name)
