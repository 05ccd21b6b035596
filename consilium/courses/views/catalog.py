"""The public catalog: search and filters, a course's page and the run calendars (iCalendar).

Anyone may browse; a draft's page is for those the access policy lets read it ("course.view").
Anonymous answers are cached until the next write to the course bank (``public_cache``), but
every view of a course page is counted first (``stats.visit_to_count`` and ``stats.visit_record``), outside that cache.
"""

from __future__ import annotations

from datetime import timedelta
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from icalendar import Calendar, Event

from consilium.core import access, public_cache
from consilium.core.access import requires
from consilium.courses.models import (
    LANGUAGE_CHOICES,
    Audience,
    Course,
    CourseVariant,
    Discipline,
    Run,
)
from consilium.courses.policy import Perm
from consilium.courses.selectors import catalog as selectors
from consilium.courses.selectors.learning import enrolment_current
from consilium.courses.services import stats

PAGE_SIZE = 20


def _course(request: HttpRequest, pk: int, **_kwargs: Any) -> Course:
    course = selectors.course_detail(pk)
    if course is None:
        raise Http404
    return course


# --- catalog -----------------------------------------------------------------------------


@requires(Perm.COURSE_CATALOG)
@public_cache.cached_for_anonymous("courses")
def catalog(request: HttpRequest) -> HttpResponse:
    flt = selectors.CatalogFilter.from_params(request.GET)
    page = Paginator(selectors.course_catalog(request.user, flt), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.course_labels(page.object_list)
    context = {
        "page": page,
        "filter": flt,
        "institution_options": _institution_options(flt.institution),
        "disciplines": Discipline.objects.all(),
        "languages": LANGUAGE_CHOICES,
        "audiences": Audience.choices,
    }
    partial = getattr(request, "htmx", False)
    template = "courses/catalog/_results.html" if partial else "courses/catalog/catalog.html"
    return render(request, template, context)


def _institution_options(selected: int | None) -> str:
    """The institution filter's <option>s, built once per version of the course bank: there
    may be thousands, and a template loop over them would cost more than the search."""
    language = translation.get_language()
    key = f"catalog:institutions:{public_cache.current('courses')}:{language}"
    options: str | None = cache.get(key)
    if options is None:
        rows = selectors.institution_list_with_courses().values_list("pk", "short_name", "name")
        options = str(
            format_html_join(
                "",
                '<option value="{}">{}</option>',
                ((pk, short or name) for pk, short, name in rows),
            )
        )
        cache.set(key, options, public_cache.TIMEOUT)
    if selected:
        options = options.replace(f'value="{selected}">', f'value="{selected}" selected>', 1)
    return mark_safe(options)  # built by format_html_join, which escapes every name


# --- one course --------------------------------------------------------------------------


# The cache is outermost: an anonymous visitor's copy of a published page is served without
# loading the course again (every change of what the page shows bumps "courses"); drafts are
# never cached for anonymous visitors, who are sent to sign in.
@public_cache.cached_for_anonymous("courses")
@requires(Perm.COURSE_VIEW, obj=_course)
def _course_page(request: HttpRequest, pk: int, *, obj: Course) -> HttpResponse:
    variants = {v.language: v for v in obj.variants.all()}
    wanted = request.GET.get("lang") or ""
    variant = variants.get(wanted) or selectors.variant_for_reader(obj)
    offered = selectors.variant_list_offered(obj)
    # A variant without lessons is a translation in progress: its title is shown, but the
    # syllabus, description and enrolment are those of a variant that is taught.
    taught = selectors.variant_taught(obj, variant, offered)
    enrolment = enrolment_current(request.user, obj.pk)
    context = {
        "course": obj,
        "variant": variant,
        "taught": taught,
        "title_only": variant is not None and taught is not None and taught.pk != variant.pk,
        "offered": offered,
        "variants": [variants[code] for code in selectors.LANGUAGES if code in variants],
        # Services store the description already cleaned with nh3; this field only.
        "description": mark_safe(taught.description) if taught else "",
        "modules": selectors.course_outline(taught) if taught else [],
        "runs": selectors.run_list_open(obj),
        "co_authors": list(obj.co_authors.all()),
        "enrolment": enrolment,
        "can_enrol": obj.status == "published"
        and taught is not None
        and access.can(request.user, Perm.COURSE_ENROL),
        "next_url": request.get_full_path(),
    }
    return render(request, "courses/catalog/course.html", context)


@wraps(_course_page)
def course(request: HttpRequest, pk: int) -> HttpResponse:
    """The course page; a visit to a page that exists is counted (cached or not)."""
    response = _course_page(request, pk=pk)
    if request.method == "GET" and response.status_code == 200:
        visit = stats.visit_to_count(course_id=pk, request=request)
        if visit is not None:
            stats.visit_record(course_id=pk, day=visit[0], digest=visit[1])
    return response


# --- calendars ---------------------------------------------------------------------------


def _calendar(request: HttpRequest, runs: list[Run], name: str) -> HttpResponse:
    cal = Calendar()
    cal.add("prodid", "-//Consilium//Course runs//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    host = request.get_host().split(":")[0] or "consilium"
    stamp = timezone.now()
    for run in runs:
        variant: CourseVariant | None = selectors.variant_for_reader(run.course)
        event = Event()
        event.add("uid", f"course-run-{run.pk}@{host}")
        event.add("dtstamp", stamp)
        event.add("summary", variant.title if variant else str(run.course))
        event.add("dtstart", run.starts_on)
        # All-day events end the day after their last day (RFC 5545, 3.6.1).
        event.add("dtend", (run.ends_on or run.starts_on) + timedelta(days=1))
        event.add(
            "url", request.build_absolute_uri(reverse("courses:course", args=[run.course_id]))
        )
        cal.add_component(event)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="course-runs.ics"'
    return response


@requires(Perm.COURSE_VIEW, obj=_course)
def course_ical(request: HttpRequest, pk: int, *, obj: Course) -> HttpResponse:
    runs = list(obj.runs.order_by("starts_on", "id"))
    for run in runs:
        run.course = obj
    variant = selectors.variant_for_reader(obj)
    return _calendar(request, runs, variant.title if variant else str(obj))


@requires(Perm.COURSE_CATALOG)
def runs_ical(request: HttpRequest) -> HttpResponse:
    """Published courses are the same for everyone, so the feed is cached for everyone."""

    def build() -> tuple[bytes, str]:
        flt = selectors.CatalogFilter.from_params(request.GET)
        response = _calendar(request, selectors.run_list_upcoming(request.user, flt), "Consilium")
        return response.content, response["Content-Type"]

    content, content_type = public_cache.cached_json("courses", request, build)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = 'inline; filename="course-runs.ics"'
    return response


urls = [
    path("", catalog, name="catalog"),
    path("calendar.ics", runs_ical, name="runs_ical"),
    path("<int:pk>/", course, name="course"),
    path("<int:pk>/calendar.ics", course_ical, name="course_ical"),
]
