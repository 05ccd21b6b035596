"""Statistics totals: visit marks, incremental refresh, the nightly close and rebuild."""

from datetime import date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from consilium.accounts.testing import UserFactory
from consilium.courses import signals, tasks, testing
from consilium.courses.models import (
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
    StatsScope,
    VisitMark,
    YearStats,
)
from consilium.courses.services import stats
from consilium.institutions.testing import InstitutionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def certificates(monkeypatch):
    """Certificates per (course, year), as the certificates app would count them: the only
    answer to ``signals.count_certificates`` here (the app's own receiver is set aside)."""
    issued: dict[tuple[int, int], int] = {}

    def count(sender, *, course_id, year, **kwargs):
        return issued.get((course_id, year), 0)

    monkeypatch.setattr(signals.count_certificates, "receivers", [])
    monkeypatch.setattr(signals.count_certificates, "sender_receivers_cache", {})
    signals.count_certificates.connect(count, weak=False)
    return issued


def at(year: int, month: int = 6, day: int = 1) -> datetime:
    return timezone.make_aware(datetime(year, month, day, 12))


def enrol(course, *, year: int, completed: int | None = None) -> Enrolment:
    run = course.runs.first()
    return Enrolment.objects.create(
        run=run,
        course=course,
        learner=UserFactory(),
        variant=course.variants.first(),
        enrolled_at=at(year),
        completed_at=at(completed) if completed else None,
        status=EnrolmentStatus.COMPLETED if completed else EnrolmentStatus.ACTIVE,
        progress=100 if completed else 10,
    )


def row(scope: str, scope_id: int, year: int) -> YearStats:
    return YearStats.objects.get(scope=scope, scope_id=scope_id, year=year)


def visit(course_id: int, *, ip="10.0.0.1", agent="Mozilla/5.0", method="GET", **headers):
    request = getattr(RequestFactory(), method.lower())(
        "/", REMOTE_ADDR=ip, HTTP_USER_AGENT=agent, **headers
    )
    counted = stats.visit_to_count(course_id=course_id, request=request)
    if counted is not None:
        stats.visit_record(course_id=course_id, day=counted[0], digest=counted[1])


# --- visits ----------------------------------------------------------------------------------


def test_a_visitor_is_marked_once_a_day_and_only_as_a_digest(django_assert_num_queries):
    course = testing.course()
    visit(course.pk)
    with django_assert_num_queries(0):  # a repeat visit costs no database write
        visit(course.pk)
    visit(course.pk, ip="10.0.0.2")
    visit(course.pk, agent="Firefox")
    marks = list(VisitMark.objects.values())
    assert len(marks) == 3
    for mark in marks:
        assert set(mark) == {"id", "course_id", "day", "digest"}
        assert len(mark["digest"]) == 64
        assert "10.0.0" not in mark["digest"] and "Mozilla" not in mark["digest"]
    assert {mark["day"] for mark in marks} == {timezone.localdate()}


def test_behind_a_trusted_proxy_visitors_are_their_forwarded_addresses(settings):
    """The visitor is ``core.http.client_ip``: behind the proxy two people are two visitors,
    and a forwarded address claimed by anyone else changes nothing."""
    settings.TRUSTED_PROXIES = ["10.9.9.9"]
    course = testing.course()
    visit(course.pk, ip="10.9.9.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    visit(course.pk, ip="10.9.9.9", HTTP_X_FORWARDED_FOR="198.51.100.2")
    visit(course.pk, ip="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.2")
    visit(course.pk, ip="198.51.100.3", HTTP_X_FORWARDED_FOR="198.51.100.4")
    visit(course.pk, ip="198.51.100.3", HTTP_X_FORWARDED_FOR="198.51.100.5")
    assert VisitMark.objects.count() == 3


def test_the_mark_survives_a_lost_cache_guard_without_counting_twice():
    course = testing.course()
    visit(course.pk)
    mark = VisitMark.objects.get()
    cache.delete(f"visit:{mark.day.isoformat()}:{mark.digest}")
    visit(course.pk)
    assert VisitMark.objects.count() == 1


def test_robots_and_head_requests_are_not_counted():
    course = testing.course()
    visit(course.pk, agent="Googlebot/2.1")
    visit(course.pk, agent="Some Spider")
    visit(course.pk, agent="crawler 1.0")
    visit(course.pk, method="HEAD")
    assert not VisitMark.objects.exists()


def test_the_salt_differs_per_day_and_lives_only_in_the_cache():
    today = date(2026, 3, 1)
    one = stats.visit_digest(course_id=1, identity="10.0.0.1|x", day=today)
    assert one == stats.visit_digest(course_id=1, identity="10.0.0.1|x", day=today)
    assert one != stats.visit_digest(
        course_id=1, identity="10.0.0.1|x", day=today + timedelta(days=1)
    )
    assert one != stats.visit_digest(course_id=2, identity="10.0.0.1|x", day=today)
    cache.clear()  # the salt is gone: nobody can recompute yesterday's digests
    assert one != stats.visit_digest(course_id=1, identity="10.0.0.1|x", day=today)


def test_closing_a_day_counts_distinct_visitors_and_is_idempotent():
    owner = InstitutionFactory()
    course = testing.course(owner=owner)
    other = testing.course(owner=owner)
    day = date(2025, 12, 31)
    VisitMark.objects.bulk_create(
        [VisitMark(course=course, day=day, digest=f"{n:064d}") for n in range(3)]
        + [VisitMark(course=course, day=day - timedelta(days=1), digest="a" * 64)]
        + [VisitMark(course=other, day=day, digest="b" * 64)]
        + [VisitMark(course=other, day=day + timedelta(days=1), digest="c" * 64)]
    )
    assert stats.visit_day_close(day) == 5
    assert row(StatsScope.COURSE, course.pk, 2025).visitors == 4
    assert row(StatsScope.COURSE, other.pk, 2025).visitors == 1
    assert row(StatsScope.INSTITUTION, owner.pk, 2025).visitors == 5
    assert row(StatsScope.NETWORK, 0, 2025).visitors == 5
    assert list(VisitMark.objects.values_list("day", flat=True)) == [day + timedelta(days=1)]
    assert stats.visit_day_close(day) == 0  # the second run finds nothing
    assert row(StatsScope.NETWORK, 0, 2025).visitors == 5


def test_closing_adds_to_the_totals_and_keeps_other_counts():
    course = testing.course()
    enrol(course, year=2025)
    stats.course_year_refresh(course_id=course.pk, year=2025)
    VisitMark.objects.create(course=course, day=date(2025, 5, 1), digest="a" * 64)
    stats.visit_day_close(date(2025, 5, 1))
    VisitMark.objects.create(course=course, day=date(2025, 5, 2), digest="a" * 64)
    stats.visit_day_close(date(2025, 5, 2))
    stats.course_year_refresh(course_id=course.pk, year=2025)  # keeps visitors
    course_row = row(StatsScope.COURSE, course.pk, 2025)
    assert (course_row.visitors, course_row.enrolments) == (2, 1)


# --- totals ----------------------------------------------------------------------------------


def test_record_change_refreshes_after_commit(django_capture_on_commit_callbacks, certificates):
    last, this = timezone.localdate().year - 1, timezone.localdate().year
    owner = InstitutionFactory()
    course = testing.course(owner=owner)
    enrol(course, year=last, completed=this)
    enrol(course, year=last)
    certificates[(course.pk, this)] = 1
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tasks.record_change(course_id=course.pk, year=last)
        tasks.record_change(course_id=course.pk, year=this)
        assert not YearStats.objects.exists()  # nothing before the commit
    assert len(callbacks) == 2
    rlast, rthis = row(StatsScope.COURSE, course.pk, last), row(StatsScope.COURSE, course.pk, this)
    assert (rlast.enrolments, rlast.completions, rlast.certificates) == (2, 0, 0)
    assert (rthis.enrolments, rthis.completions, rthis.certificates) == (0, 1, 1)
    institution = row(StatsScope.INSTITUTION, owner.pk, last)
    assert (institution.enrolments, institution.courses) == (2, 0)  # published this year
    network = row(StatsScope.NETWORK, 0, this)
    assert (network.completions, network.certificates, network.courses) == (1, 1, 1)


def test_institution_rows_count_owned_courses_only():
    this = timezone.localdate().year
    owner, partner = InstitutionFactory(), InstitutionFactory()
    course = testing.course(owner=owner)
    course.co_authors.add(partner)
    testing.course(owner=owner, status=CourseStatus.DRAFT)
    enrol(course, year=this)
    stats.course_year_refresh(course_id=course.pk, year=this)
    assert row(StatsScope.INSTITUTION, owner.pk, this).enrolments == 1
    assert row(StatsScope.INSTITUTION, owner.pk, this).courses == 1
    assert not YearStats.objects.filter(scope=StatsScope.INSTITUTION, scope_id=partner.pk)


def test_refreshing_a_missing_course_does_nothing():
    stats.course_year_refresh(course_id=999999, year=2026)
    assert not YearStats.objects.exists()


def _table() -> set[tuple]:
    return set(
        YearStats.objects.values_list(
            "scope",
            "scope_id",
            "year",
            "visitors",
            "enrolments",
            "completions",
            "certificates",
            "courses",
        )
    )


def test_rebuild_all_equals_the_incremental_totals(certificates):
    this_year = timezone.localdate().year
    first, second = InstitutionFactory(), InstitutionFactory()
    a = testing.course(owner=first)
    b = testing.course(owner=first)
    c = testing.course(owner=second)
    for course, year, completed in [
        (a, this_year - 1, this_year - 1),
        (a, this_year - 1, this_year),
        (a, this_year, None),
        (b, this_year, this_year),
        (c, this_year - 1, None),
        (c, this_year, this_year),
    ]:
        enrol(course, year=year, completed=completed)
    certificates[(a.pk, this_year)] = 1
    certificates[(c.pk, this_year)] = 1
    VisitMark.objects.create(course=a, day=date(this_year - 1, 3, 3), digest="a" * 64)
    stats.visit_day_close(date(this_year - 1, 3, 3))
    for course in (a, b, c):
        for year in (this_year - 1, this_year):
            stats.course_year_refresh(course_id=course.pk, year=year)
    incremental = _table()
    YearStats.objects.exclude(scope=StatsScope.COURSE).delete()
    YearStats.objects.filter(scope=StatsScope.COURSE).update(enrolments=99, completions=99)
    stats.stats_rebuild_all()
    assert _table() == incremental
    assert row(StatsScope.COURSE, a.pk, this_year - 1).visitors == 1  # kept
    network = row(StatsScope.NETWORK, 0, this_year)
    assert (network.enrolments, network.completions, network.certificates) == (3, 3, 2)


def test_the_command_closes_yesterday_and_rebuilds():
    course = testing.course()
    yesterday = timezone.localdate() - timedelta(days=1)
    today = timezone.localdate()
    VisitMark.objects.create(course=course, day=yesterday, digest="a" * 64)
    VisitMark.objects.create(course=course, day=today, digest="b" * 64)
    enrol(course, year=today.year)
    call_command("course_stats")
    call_command("course_stats")
    assert row(StatsScope.COURSE, course.pk, yesterday.year).visitors == 1
    assert row(StatsScope.COURSE, course.pk, today.year).enrolments == 1
    assert list(VisitMark.objects.values_list("day", flat=True)) == [today]
