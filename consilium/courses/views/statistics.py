"""Statistics pages of the course bank: a course (with its learners), an institution, the
network; each with a CSV export. They read the kept totals only (selectors/stats.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from consilium.accounts.http import AuthedRequest
from consilium.core import access
from consilium.core.access import requires
from consilium.core.person_cache import cached_per_person
from consilium.core.tabular import csv_stream
from consilium.courses.models import Course
from consilium.courses.policy import Perm
from consilium.courses.selectors import learning, stats
from consilium.courses.services.stats import STATS_CACHE
from consilium.institutions.models import Institution


def _course(request: HttpRequest, pk: int, **_kwargs: Any) -> Course:
    return get_object_or_404(Course.objects.prefetch_related("co_authors"), pk=pk)


def _institution(request: HttpRequest, pk: int, **_kwargs: Any) -> Institution:
    return get_object_or_404(Institution, pk=pk)


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and len(value) == 4 else None


def _headers() -> list[str]:
    return [
        _("Year"),
        _("Courses"),
        _("Visitors"),
        _("Enrolments"),
        _("Completions"),
        _("Certificates"),
    ]


def _chart(years: list[stats.YearTotals]) -> dict[str, Any]:
    """Data for the per-year chart (the table next to it shows the same numbers)."""
    return {
        "labels": [str(t.year) for t in years],
        "series": [
            {"label": _("Visitors"), "data": [t.visitors for t in years]},
            {"label": _("Enrolments"), "data": [t.enrolments for t in years]},
            {"label": _("Completions"), "data": [t.completions for t in years]},
            {"label": _("Certificates"), "data": [t.certificates for t in years]},
        ],
    }


def _ranking(names: list[str], values: list[int]) -> dict[str, Any]:
    """Data for a chart of the first ten rows of a ranking by enrolments."""
    return {
        "labels": names[:10],
        "series": [{"label": _("Enrolments"), "data": values[:10]}],
    }


def _csv(rows: Iterator[list[Any]], name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_stream(rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response


# --- a course --------------------------------------------------------------------------------


@requires(Perm.COURSE_LEARNERS, course=_course)
def course_stats(request: AuthedRequest, pk: int, *, course: Course) -> HttpResponse:
    years = stats.course_funnel(course.pk)
    query = request.GET.get("q", "")[:100]
    page = Paginator(
        stats.course_learner_list(request.user, course, query), settings.PAGE_SIZE
    ).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    can_grant = access.can(request.user, Perm.COURSE_ATTEMPT_GRANT, course)
    exhausted = learning.quiz_list_exhausted(rows) if can_grant else {}
    for enrolment in rows:
        enrolment.quizzes_exhausted = exhausted.get(enrolment.pk, [])
    page.object_list = rows
    return render(
        request,
        "courses/statistics/course.html",
        {
            "can_grant": can_grant,
            "course": course,
            "title": stats.course_title_map([course.pk])[course.pk],
            "years": years,
            "latest": years[-1] if years else None,
            "chart": _chart(years),
            "page": page,
            "q": query,
        },
    )


@requires(Perm.COURSE_LEARNERS, course=_course)
def course_stats_csv(request: AuthedRequest, pk: int, *, course: Course) -> StreamingHttpResponse:
    def rows() -> Iterator[list[Any]]:
        yield _headers()
        for totals in stats.course_funnel(pk):
            yield totals.as_row()

    return _csv(rows(), f"course-{pk}-statistics")


# --- an institution --------------------------------------------------------------------------


@cached_per_person(STATS_CACHE, "directory")
@requires(Perm.STATS_INSTITUTION, institution=_institution)
def institution_stats(request: AuthedRequest, pk: int, *, institution: Institution) -> HttpResponse:
    dashboard = stats.institution_dashboard(institution, _year(request))
    return render(
        request,
        "courses/statistics/institution.html",
        {
            "institution": institution,
            "dashboard": dashboard,
            "chart": _chart(dashboard.years),
            "ranking": _ranking(
                [line.title for line in dashboard.courses],
                [line.totals.enrolments for line in dashboard.courses],
            ),
        },
    )


@requires(Perm.STATS_INSTITUTION, institution=_institution)
def institution_stats_csv(
    request: AuthedRequest, pk: int, *, institution: Institution
) -> StreamingHttpResponse:

    def rows() -> Iterator[list[Any]]:
        dashboard = stats.institution_dashboard(institution, _year(request), limit=None)
        yield _headers()
        for totals in dashboard.years:
            yield totals.as_row()
        yield []
        yield [_("Course"), *_headers()[1:]]
        for line in dashboard.courses:
            yield [line.title, *line.totals.as_row()[1:]]

    return _csv(rows(), f"institution-{pk}-statistics")


# --- the network -----------------------------------------------------------------------------


# Outside @requires: the permission depends only on the person's memberships (see
# core/person_cache.py); the totals' version is bumped by every refresh of them.
@cached_per_person(STATS_CACHE, "directory")
@requires(Perm.STATS_NETWORK)
def network_stats(request: AuthedRequest) -> HttpResponse:
    dashboard = stats.network_dashboard(_year(request))
    return render(
        request,
        "courses/statistics/network.html",
        {
            "dashboard": dashboard,
            "chart": _chart(dashboard.years),
            "ranking": _ranking(
                [line.institution.display_short for line in dashboard.institutions],
                [line.totals.enrolments for line in dashboard.institutions],
            ),
        },
    )


@requires(Perm.STATS_NETWORK)
def network_stats_csv(request: AuthedRequest) -> StreamingHttpResponse:
    def rows() -> Iterator[list[Any]]:
        dashboard = stats.network_dashboard(_year(request), limit=None)
        yield _headers()
        for totals in dashboard.years:
            yield totals.as_row()
        yield []
        yield [_("Institution"), *_headers()[1:]]
        for line in dashboard.institutions:
            yield [line.institution.name, *line.totals.as_row()[1:]]

    return _csv(rows(), "network-statistics")


urls: list[URLPattern] = [
    path("<int:pk>/statistics/", course_stats, name="course_stats"),
    path("<int:pk>/statistics.csv", course_stats_csv, name="course_stats_csv"),
    path("institutions/<int:pk>/statistics/", institution_stats, name="institution_stats"),
    path(
        "institutions/<int:pk>/statistics.csv",
        institution_stats_csv,
        name="institution_stats_csv",
    ),
    path("statistics/", network_stats, name="network_stats"),
    path("statistics.csv", network_stats_csv, name="network_stats_csv"),
]
