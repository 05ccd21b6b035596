"""The public catalog: search in any script, every filter, drafts hidden, pages, API, iCalendar."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from consilium.accounts.testing import UserFactory
from consilium.core.roles import Role
from consilium.core.testing import assert_queries_constant, get_ok
from consilium.core.text import document_words
from consilium.courses import testing
from consilium.courses.models import Course, CourseSearchWord, CourseStatus, Run
from consilium.courses.selectors.catalog import CatalogFilter, course_catalog
from consilium.institutions.testing import InstitutionFactory, member

pytestmark = pytest.mark.django_db
CATALOG = "/courses/"
API = "/api/v1/courses/catalog/"


def indexed(**kwargs: Any) -> Course:
    """A course as the authoring services leave it: search words and the next start kept."""
    course = testing.course(**kwargs)
    CourseSearchWord.objects.bulk_create(
        CourseSearchWord(course=course, word=word) for word in document_words(course.search_text)
    )
    first = course.runs.order_by("starts_on").first()
    if first is not None:
        Course.objects.filter(pk=course.pk).update(next_start=first.starts_on)
        course.next_start = first.starts_on
    return course


def titles(user: Any, **params: Any) -> list[int]:
    return [c.pk for c in course_catalog(user, CatalogFilter.from_params(params))]


# --- search --------------------------------------------------------------------------------


def test_kazakh_title_is_found_by_latin_and_cyrillic_queries() -> None:
    kk = indexed(titles={"kk": "Қоғамдық денсаулық сақтау негіздері"})
    ru = indexed(titles={"ru": "Основы доказательной медицины"})
    nobody = AnonymousUser()
    assert titles(nobody, q="qogamdyq densaulyq") == [kk.pk]
    assert titles(nobody, q="Қоғамдық") == [kk.pk]
    assert titles(nobody, q="kogamdik") == [kk.pk]  # English transliteration, prefix
    assert titles(nobody, q="dokazatel") == [ru.pk]  # a Latin query finds Cyrillic
    assert titles(nobody, q="ОСНОВЫ медиц") == [ru.pk]
    assert titles(nobody, q="osnovy kogamdyk") == []  # every word must match one course


def test_latin_title_is_found_by_a_cyrillic_query() -> None:
    course = indexed(titles={"en": "Simulation in nursing"})
    assert titles(AnonymousUser(), q="симулатион нурс") == [course.pk]


# --- filters -------------------------------------------------------------------------------


def test_every_filter() -> None:
    nobody = AnonymousUser()
    owner = InstitutionFactory()
    partner = InstitutionFactory()
    a = indexed(
        owner=owner,
        titles={"en": "Alpha", "kk": "Альфа"},
        audience="nurses",
        credits=Decimal("4.5"),
        discipline=testing.discipline("surgery"),
    )
    b = indexed(titles={"ru": "Бета"}, audience="students", credits=Decimal("1"))
    b.co_authors.add(partner)
    later = date.today() + timedelta(days=40)
    Course.objects.filter(pk=b.pk).update(next_start=later)

    assert titles(nobody, institution=owner.pk) == [a.pk]
    assert titles(nobody, institution=partner.pk) == [b.pk]  # co-authoring counts
    assert titles(nobody, discipline=a.discipline_id) == [a.pk]
    assert titles(nobody, language="kk") == [a.pk]
    assert titles(nobody, language="ru") == [b.pk]
    assert titles(nobody, audience="nurses") == [a.pk]
    assert titles(nobody, credits_min="2") == [a.pk]
    assert titles(nobody, credits_min="4,5") == [a.pk]
    assert titles(nobody, starts_from=(later - timedelta(days=1)).isoformat()) == [b.pk]
    assert titles(nobody, starts_to=(later - timedelta(days=1)).isoformat()) == [a.pk]
    # The next start soonest first.
    assert titles(nobody) == [a.pk, b.pk]


def test_bad_filter_values_are_ignored() -> None:
    flt = CatalogFilter.from_params(
        {
            "institution": "x",
            "discipline": "-3",
            "language": "de",
            "audience": "pilots",
            "credits_min": "NaN",
            "starts_from": "2026-13-01",
            "starts_to": "soon",
            "q": "x" * 500,
        }
    )
    assert flt == CatalogFilter(q="x" * 200)


def test_anonymous_never_sees_drafts_but_authors_see_their_own_page(client) -> None:
    draft = indexed(titles={"en": "Secret draft"}, status=CourseStatus.DRAFT)
    published = indexed(titles={"en": "Open course"})
    response = client.get(CATALOG, {"q": "course draft"})
    assert "Secret draft" not in response.content.decode()
    assert "Open course" not in response.content.decode()  # "draft" must match too
    response = client.get(CATALOG)
    assert "Secret draft" not in response.content.decode()
    assert "Open course" in response.content.decode()
    # The draft's page sends a stranger to sign in; the API answers 403.
    assert client.get(reverse("courses:course", args=[draft.pk])).status_code == 302
    assert client.get(f"{API}{draft.pk}").status_code == 403
    assert draft.pk not in [r["id"] for r in client.get(API).json()["results"]]
    # Its authors read it (but the catalog lists published courses only).
    author = member(Role.COURSE_AUTHOR, draft.owner)
    client.force_login(author)
    assert client.get(reverse("courses:course", args=[draft.pk])).status_code == 200
    assert "Secret draft" not in client.get(CATALOG).content.decode()
    assert client.get(reverse("courses:course", args=[published.pk])).status_code == 200


def test_missing_course_is_404(client) -> None:
    assert client.get(reverse("courses:course", args=[999999])).status_code == 404
    assert client.get(f"{API}999999").status_code == 404


# --- pages ---------------------------------------------------------------------------------


def test_catalog_page_shows_start_date_in_the_reader_language(client) -> None:
    course = indexed(titles={"en": "Triage", "ru": "Сортировка"})
    start = date(date.today().year + 1, 10, 19)
    Course.objects.filter(pk=course.pk).update(next_start=start)
    text = client.get(CATALOG).content.decode()
    assert "Starts 19 October" in text
    assert "Triage" in text
    text = client.get(CATALOG, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Сортировка" in text


def test_title_falls_back_to_the_original_language(client) -> None:
    indexed(titles={"kk": "Жедел жәрдем"})
    text = client.get(CATALOG, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Жедел жәрдем" in text


def test_htmx_gives_the_results_only(client) -> None:
    indexed(titles={"en": "Anatomy"})
    response = client.get(CATALOG, {"q": "anat"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "Anatomy" in text
    assert "<html" not in text


def test_course_page_shows_everything_and_counts_the_visit(client, monkeypatch) -> None:
    visits: list[int] = []
    monkeypatch.setattr(
        "consilium.courses.services.stats.visit_to_count",
        lambda *, course_id, request: visits.append(course_id),
    )
    partner = InstitutionFactory()
    course = indexed(titles={"en": "Ethics", "kk": "Этика"}, credits=Decimal("2"))
    course.co_authors.add(partner)
    Course.objects.filter(pk=course.pk).update(revision=2)
    run = course.runs.get()
    Run.objects.filter(pk=run.pk).update(capacity=10, enrolled=3)
    url = reverse("courses:course", args=[course.pk])
    text = client.get(url).content.decode()
    assert "Ethics" in text and "About Ethics" in text
    assert "Module 1" in text and "Lesson 1" in text
    assert "7 places left" in text
    assert reverse("institutions:detail", args=[partner.pk]) in text
    assert reverse("accounts:sign_up") in text  # anonymous: create an account to enrol
    assert "Этика" in client.get(url, {"lang": "kk"}).content.decode()
    client.get(url)  # served from the cache, still counted
    assert visits == [course.pk] * 3


def test_description_html_is_kept_but_titles_are_escaped(client) -> None:
    course = indexed(titles={"en": "<b>Bold</b> title"})
    course.variants.update(description="<p><strong>Clean</strong> text</p>")
    text = client.get(reverse("courses:course", args=[course.pk])).content.decode()
    assert "<p><strong>Clean</strong> text</p>" in text
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in text


def test_catalog_page_query_count_does_not_grow(client) -> None:
    user = UserFactory()
    client.force_login(user)

    def add_rows() -> None:
        for n in range(1, 20):
            indexed(titles={"en": f"Course {n}", "ru": f"Курс {n}"})
        client.get(CATALOG)  # the institutions list is built again for the new version

    indexed(titles={"en": "Course 0", "ru": "Курс 0"})
    client.get(CATALOG)  # warm the session and the institutions list
    response = assert_queries_constant(get_ok(client, CATALOG, {"q": "course"}), add_rows).result
    assert response.content.decode().count('class="card h-100"') == 20


def test_api_catalog_query_count_does_not_grow(client) -> None:
    def add_rows() -> None:
        for n in range(1, 20):
            indexed(titles={"en": f"Course {n}"})
        cache.clear()

    indexed(titles={"en": "Course 0"})
    fetch = get_ok(client, API, {"q": "course", "limit": 50})
    data = assert_queries_constant(fetch, add_rows).result.json()
    assert data["count"] == 20 and len(data["results"]) == 20


# --- API -----------------------------------------------------------------------------------


def test_api_lists_filters_and_opens_a_course(client) -> None:
    course = indexed(titles={"en": "Pharmacology", "kk": "Фармакология"}, starts_in=7)
    other = indexed(titles={"en": "Surgery"}, starts_in=7)
    data = client.get(API, {"q": "farmak"}).json()
    assert [r["id"] for r in data["results"]] == [course.pk]
    assert data["results"][0]["languages"] == ["en", "kk"]
    data = client.get(API, {"language": "kk"}).json()
    assert [r["id"] for r in data["results"]] == [course.pk]
    data = client.get(API, {"limit": 1}).json()
    assert data["count"] == 2 and data["next_offset"] == 1
    assert client.get(API, {"limit": 500}).status_code == 400
    detail = client.get(f"{API}{course.pk}", HTTP_ACCEPT_LANGUAGE="kk").json()
    assert detail["title"] == "Фармакология"
    assert {v["language"] for v in detail["variants"]} == {"en", "kk"}
    assert detail["runs"][0]["enrolment_open"] is True
    runs = client.get(f"{API}runs/").json()
    assert {r["course_id"] for r in runs} == {course.pk, other.pk}


# --- iCalendar -----------------------------------------------------------------------------


def test_course_calendar_parses_with_a_vevent_per_run(client) -> None:
    course = indexed(titles={"en": "Cardiology"})
    first = course.runs.get()
    Run.objects.create(
        course=course,
        starts_on=date.today() + timedelta(days=100),
        enrolment_opens_on=date.today(),
    )
    response = client.get(reverse("courses:course_ical", args=[course.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = cal.walk("VEVENT")
    assert len(events) == 2
    event = events[0]
    assert str(event["SUMMARY"]) == "Cardiology"
    assert event.decoded("DTSTART") == first.starts_on
    assert event.decoded("DTEND") == first.ends_on + timedelta(days=1)  # type: ignore[operator]
    assert str(event["UID"]).startswith(f"course-run-{first.pk}@")
    assert str(event["URL"]).endswith(f"/courses/{course.pk}/")
    assert "DTSTAMP" in event
    again = Calendar.from_ical(client.get(reverse("courses:course_ical", args=[course.pk])).content)
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == [str(e["UID"]) for e in events]


def test_runs_calendar_lists_upcoming_runs_of_published_courses(client) -> None:
    shown = indexed(titles={"en": "Neurology"}, audience="residents", starts_in=7)
    indexed(titles={"en": "Hidden"}, status=CourseStatus.DRAFT)
    past = indexed(titles={"en": "Old"})
    Run.objects.filter(course=past).update(
        starts_on=timezone.localdate() - timedelta(days=30),
        enrolment_opens_on=timezone.localdate() - timedelta(days=60),
        enrolment_closes_on=timezone.localdate() - timedelta(days=31),
    )
    response = client.get(reverse("courses:runs_ical"))
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert summaries == ["Neurology"]
    response = client.get(reverse("courses:runs_ical"), {"audience": "students"})
    assert Calendar.from_ical(response.content).walk("VEVENT") == []
    assert shown.pk


def test_institution_filter_lists_owners_escaped_and_keeps_the_choice(client) -> None:
    owner = InstitutionFactory(short_name="A&B <Clinic>")
    indexed(owner=owner, titles={"en": "Dermatology"})
    draft = indexed(titles={"en": "Draft only"}, status=CourseStatus.DRAFT)
    text = client.get(CATALOG, {"institution": owner.pk}).content.decode()
    options = text.split('id="id_institution"')[1].split("</select>")[0]
    assert f'<option value="{owner.pk}" selected>A&amp;B &lt;Clinic&gt;</option>' in options
    assert f'value="{draft.owner_id}"' not in options
