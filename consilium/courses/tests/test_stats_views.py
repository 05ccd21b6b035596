"""Statistics pages: funnel math, access, CSV, query counts, the institution-page section."""

import csv
import io
from datetime import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from consilium.accounts.testing import UserFactory
from consilium.core.roles import Role
from consilium.core.testing import assert_queries_constant, get_ok
from consilium.courses import testing
from consilium.courses.models import Course, Enrolment, StatsScope, YearStats
from consilium.courses.selectors import stats
from consilium.institutions.testing import InstitutionFactory, member

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year


def totals(scope: str, scope_id: int, year: int, **values: int) -> YearStats:
    return YearStats.objects.create(scope=scope, scope_id=scope_id, year=year, **values)


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


# --- funnel math -----------------------------------------------------------------------------


def test_growth_labels():
    with translation.override("en"):
        assert stats.Growth.of(120_000, 3_000).label == "×40"
        assert stats.Growth.of(25, 10).label == "×2.5"
        assert stats.Growth.of(112, 100).label == "+12\u00a0%"
        assert stats.Growth.of(92, 100).label == "\u22128\u00a0%"
        assert stats.Growth.of(100, 100).label == "0\u00a0%"
        assert stats.Growth.of(5, 0).label == ""  # nothing the year before
        assert stats.Growth.of(0, 0).direction == "flat"
        assert stats.Growth.of(0, 4).direction == "down"


def test_course_funnel_rates_and_growth_with_zeros():
    course = testing.course()
    totals(StatsScope.COURSE, course.pk, 2019, visitors=3000, enrolments=0)
    totals(
        StatsScope.COURSE,
        course.pk,
        2020,
        visitors=120_000,
        enrolments=10_000,
        completions=6_000,
        certificates=2_000,
    )
    first, second = stats.course_funnel(course.pk)
    assert first.enrolment_rate == 0
    assert first.completion_rate is None and first.certificate_rate is None  # no division
    assert first.certificate_one_in is None
    assert first.growth["visitors"].ratio is None  # no year before
    assert second.enrolment_rate == pytest.approx(100 / 12)
    assert second.completion_rate == 60
    assert second.certificate_rate == 20
    assert second.certificate_one_in == 5  # one in five
    assert second.growth["visitors"].ratio == 40
    assert second.growth["enrolments"].ratio is None  # none the year before
    assert stats.course_funnel(999_999) == []


def test_growth_compares_with_the_year_just_before_only():
    course = testing.course()
    totals(StatsScope.COURSE, course.pk, 2018, visitors=10)
    totals(StatsScope.COURSE, course.pk, 2020, visitors=30)
    assert stats.course_funnel(course.pk)[1].growth["visitors"].ratio is None


# --- access ----------------------------------------------------------------------------------


def test_access_to_the_statistics_pages(client):
    institution = InstitutionFactory()
    course = testing.course(owner=institution)
    urls = {
        "course": reverse("courses:course_stats", args=[course.pk]),
        "course_csv": reverse("courses:course_stats_csv", args=[course.pk]),
        "institution": reverse("courses:institution_stats", args=[institution.pk]),
        "institution_csv": reverse("courses:institution_stats_csv", args=[institution.pk]),
        "network": reverse("courses:network_stats"),
        "network_csv": reverse("courses:network_stats_csv"),
    }
    for url in urls.values():
        assert client.get(url).status_code == 302  # anonymous: sign in first

    allowed = {
        Role.LEARNER: set(),
        Role.PARTNERSHIP_COORDINATOR: set(),
        Role.TEACHER: {"course", "course_csv", "institution", "institution_csv"},
        Role.COURSE_AUTHOR: {"course", "course_csv", "institution", "institution_csv"},
        Role.INSTITUTION_ADMIN: {"course", "course_csv", "institution", "institution_csv"},
        Role.NETWORK_ADMIN: set(urls),
        Role.MINISTRY_OBSERVER: set(urls),
    }
    for role, names in allowed.items():
        at = InstitutionFactory() if role in (Role.NETWORK_ADMIN, Role.MINISTRY_OBSERVER) else None
        client.force_login(member(role, at or institution))
        for name, url in urls.items():
            expected = 200 if name in names else 403
            assert client.get(url).status_code == expected, (role, name)
    # A teacher of another institution sees neither this course nor this institution.
    client.force_login(member(Role.TEACHER))
    assert client.get(urls["course"]).status_code == 403
    assert client.get(urls["institution"]).status_code == 403
    assert client.get(reverse("courses:course_stats", args=[999_999])).status_code == 404
    assert client.get(reverse("courses:institution_stats", args=[999_999])).status_code == 404


def test_a_teacher_of_a_co_authoring_institution_follows_the_learners(client):
    partner = InstitutionFactory()
    course = testing.course()
    course.co_authors.add(partner)
    client.force_login(member(Role.TEACHER, partner))
    assert client.get(reverse("courses:course_stats", args=[course.pk])).status_code == 200


# --- pages -----------------------------------------------------------------------------------


def _enrol(course, name: str, email: str, progress: int) -> Enrolment:
    return Enrolment.objects.create(
        run=course.runs.first(),
        course=course,
        learner=UserFactory(full_name=name, email=email),
        variant=course.variants.first(),
        enrolled_at=timezone.make_aware(datetime(THIS_YEAR, 2, 1, 12)),
        progress=progress,
    )


def test_course_page_lists_learners_with_progress_and_search(client):
    institution = InstitutionFactory()
    course = testing.course(owner=institution, titles={"en": "Clinical ethics"})
    _enrol(course, "Aigerim Sadykova", "aigerim@example.org", 40)
    _enrol(course, "Boris Petrov", "boris@example.org", 100)
    totals(StatsScope.COURSE, course.pk, THIS_YEAR, visitors=10, enrolments=2)
    client.force_login(member(Role.TEACHER, institution))
    url = reverse("courses:course_stats", args=[course.pk])
    page = client.get(url).content.decode()
    assert "Clinical ethics" in page and "Aigerim Sadykova" in page and "Boris Petrov" in page
    assert 'aria-valuenow="40"' in page
    assert "chart.umd.min.js" in page and 'id="chart-years"' in page
    found = client.get(url, {"q": "BORIS@"}).content.decode()
    assert "Boris Petrov" in found and "Aigerim" not in found
    nothing = client.get(url, {"q": "nobody", "page": "x"})
    assert nothing.status_code == 200 and "No learner matches." in nothing.content.decode()


def test_course_page_without_statistics_has_no_chart(client):
    institution = InstitutionFactory()
    course = testing.course(owner=institution)
    client.force_login(member(Role.TEACHER, institution))
    page = client.get(reverse("courses:course_stats", args=[course.pk])).content.decode()
    assert "No statistics yet" in page and "chart.umd.min.js" not in page


def test_institution_dashboard_shows_years_growth_and_its_courses(client):
    institution = InstitutionFactory()
    big = testing.course(owner=institution, titles={"en": "Big course", "ru": "Большой курс"})
    small = testing.course(owner=institution, titles={"ru": "Малый курс"})
    totals(StatsScope.INSTITUTION, institution.pk, 2019, visitors=3000, enrolments=1000)
    totals(StatsScope.INSTITUTION, institution.pk, 2020, visitors=120_000, enrolments=1120)
    totals(StatsScope.COURSE, big.pk, 2020, enrolments=1000)
    totals(StatsScope.COURSE, small.pk, 2020, enrolments=120)
    client.force_login(member(Role.INSTITUTION_ADMIN, institution))
    url = reverse("courses:institution_stats", args=[institution.pk])
    page = client.get(url).content.decode()
    assert "120,000" in page and "×40" in page and "+12\u00a0%" in page
    assert page.index("Big course") < page.index("Малый курс")  # most enrolments first
    assert reverse("courses:course_stats", args=[big.pk]) in page
    older = client.get(url, {"year": "2019"}).content.decode()
    assert "Big course" not in older and "None of its courses" in older
    for bad in ("abc", "99999", "-1", "2050"):
        assert client.get(url, {"year": bad}).status_code == 200
    with translation.override("ru"):
        page_ru = client.get(url, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Большой курс" in page_ru


def test_network_dashboard_ranks_institutions(client):
    first, second = InstitutionFactory(short_name="KazNMU"), InstitutionFactory(short_name="AMU")
    totals(StatsScope.NETWORK, 0, THIS_YEAR, courses=239, enrolments=120, certificates=24)
    totals(StatsScope.INSTITUTION, first.pk, THIS_YEAR, enrolments=20)
    totals(StatsScope.INSTITUTION, second.pk, THIS_YEAR, enrolments=100)
    client.force_login(member(Role.MINISTRY_OBSERVER))
    page = client.get(reverse("courses:network_stats")).content.decode()
    assert page.index("AMU") < page.index("KazNMU")
    assert "239" in page and "one in 5 enrolments" in page
    assert reverse("courses:institution_stats", args=[first.pk]) in page


def test_an_empty_network_dashboard_renders(client):
    client.force_login(member(Role.NETWORK_ADMIN))
    response = client.get(reverse("courses:network_stats"))
    assert response.status_code == 200
    assert "No statistics yet" in response.content.decode()


# --- CSV -------------------------------------------------------------------------------------


def test_csv_exports_guard_formulas(client):
    institution = InstitutionFactory(short_name="=HYPERLINK(1)", name_en="=HYPERLINK(1)")
    course = testing.course(owner=institution, titles={"en": "@SUM(A1)"})
    totals(StatsScope.NETWORK, 0, 2020, courses=1, enrolments=5)
    totals(StatsScope.INSTITUTION, institution.pk, 2020, enrolments=5)
    totals(StatsScope.COURSE, course.pk, 2020, enrolments=5, visitors=9)
    client.force_login(member(Role.NETWORK_ADMIN))

    network = client.get(reverse("courses:network_stats_csv"), {"year": "2020"})
    assert network["Content-Type"].startswith("text/csv")
    assert "attachment" in network["Content-Disposition"]
    rows = csv_rows(network)
    assert rows[0][0] == "Year" and rows[1] == ["2020", "1", "0", "5", "0", "0"]
    assert ["'=HYPERLINK(1)", "0", "0", "5", "0", "0"] in rows

    institution_rows = csv_rows(
        client.get(reverse("courses:institution_stats_csv", args=[institution.pk]))
    )
    assert ["'@SUM(A1)", "0", "9", "5", "0", "0"] in institution_rows

    course_rows = csv_rows(client.get(reverse("courses:course_stats_csv", args=[course.pk])))
    assert course_rows[1] == ["2020", "0", "9", "5", "0", "0"]


# --- query counts ----------------------------------------------------------------------------


def _bank(count: int) -> None:
    for _ in range(count):
        institution = InstitutionFactory()
        course = testing.course(owner=institution, run=False, with_content=False)
        totals(StatsScope.INSTITUTION, institution.pk, THIS_YEAR, enrolments=3)
        totals(StatsScope.COURSE, course.pk, THIS_YEAR, enrolments=3)
    YearStats.objects.update_or_create(
        scope=StatsScope.NETWORK, scope_id=0, year=THIS_YEAR, defaults={"enrolments": 3 * count}
    )


def _full_render(client, url):
    """A full render: rows written straight to YearStats bump no version, so the dashboards'
    per-person cache is emptied first (the cache is not the database: no query)."""
    render = get_ok(client, url)

    def fetch():
        cache.clear()
        return render()

    return fetch


@pytest.mark.parametrize("name", ["network_stats", "network_stats_csv"])
def test_network_dashboard_queries_do_not_grow(client, name):
    client.force_login(member(Role.NETWORK_ADMIN))
    _bank(1)
    url = reverse(f"courses:{name}")
    measured = assert_queries_constant(_full_render(client, url), lambda: _bank(20))
    # 9: an administrator without a second factor costs one more (accounts' gate asks
    # whether the network requires one).
    assert measured.count <= 9


def test_institution_dashboard_queries_do_not_grow(client):
    institution = InstitutionFactory()
    admin = member(Role.INSTITUTION_ADMIN, institution)
    client.force_login(admin)
    url = reverse("courses:institution_stats", args=[institution.pk])

    def add(count: int) -> None:
        for _ in range(count):
            course = testing.course(owner=institution, run=False, with_content=False)
            totals(StatsScope.COURSE, course.pk, THIS_YEAR, enrolments=2)

    totals(StatsScope.INSTITUTION, institution.pk, THIS_YEAR, enrolments=2)
    add(1)
    assert_queries_constant(_full_render(client, url), lambda: add(20))


def test_course_page_queries_do_not_grow_with_learners(client):
    institution = InstitutionFactory()
    course = testing.course(owner=institution)
    client.force_login(member(Role.TEACHER, institution))
    url = reverse("courses:course_stats", args=[course.pk])

    def add_rows() -> None:
        for n in range(20):
            _enrol(course, f"Learner {n}", f"l{n}@example.org", n)

    _enrol(course, "One", "one@example.org", 5)
    assert_queries_constant(_full_render(client, url), add_rows)


# --- the institution page --------------------------------------------------------------------


def test_institution_page_section(client):
    institution = InstitutionFactory()
    testing.course(owner=institution)
    testing.course(owner=institution, status="draft")
    totals(StatsScope.INSTITUTION, institution.pk, THIS_YEAR, enrolments=1234, visitors=5)
    url = reverse("institutions:detail", args=[institution.pk])
    catalog = reverse("courses:catalog") + f"?institution={institution.pk}"
    dashboard = reverse("courses:institution_stats", args=[institution.pk])

    page = client.get(url).content.decode()
    assert catalog in page and "1 course in the catalog" in page
    assert dashboard not in page and "1,234" not in page

    client.force_login(member(Role.INSTITUTION_ADMIN, institution))
    page = client.get(url).content.decode()
    assert dashboard in page and "1,234" in page
    assert reverse("courses:network_stats") not in page

    client.force_login(member(Role.NETWORK_ADMIN))
    page = client.get(url).content.decode()
    assert dashboard in page and reverse("courses:network_stats") in page


def test_dashboards_are_cached_per_person_until_the_totals_change(client):
    from consilium.courses.services import stats as stats_services

    client.force_login(member(Role.NETWORK_ADMIN))
    _bank(2)
    url = reverse("courses:network_stats")
    cache.clear()
    first = _count_cached(client, url)
    hit = _count_cached(client, url)
    assert hit < first  # served from the person's cache
    assert _count_cached(client, url) == hit
    course = Course.objects.first()
    stats_services.course_year_refresh(course_id=course.pk, year=THIS_YEAR)
    assert _count_cached(client, url) > hit  # the totals moved: rendered afresh


def _count_cached(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)
