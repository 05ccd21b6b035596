"""Methodologists' pages: the review queue and one review (read the course, score, decide)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from consilium.accounts.http import AuthedRequest
from consilium.core.access import requires
from consilium.core.html import video_embed
from consilium.core.viewkit import posted, save_form
from consilium.courses.forms.authoring import DecideForm
from consilium.courses.models import LessonKind, Review, RubricCriterion, Verdict
from consilium.courses.policy import Perm
from consilium.courses.selectors import authoring as selectors
from consilium.courses.services import reviewing


def _review(request: HttpRequest, pk: int, **_kwargs: Any) -> Review:
    try:
        return selectors.review_detail_for_decision(pk)
    except Review.DoesNotExist:
        raise Http404 from None


@requires(Perm.COURSE_REVIEW_QUEUE)
def review_queue(request: AuthedRequest) -> HttpResponse:
    page = Paginator(selectors.review_queue(request.user), 20).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.title = selectors.variant_title(row.course, request.LANGUAGE_CODE)
    return render(request, "courses/reviewing/queue.html", {"page": page})


@requires(Perm.COURSE_REVIEW, item=_review)
def review_detail(request: AuthedRequest, pk: int, *, item: Review) -> HttpResponse:
    """The course read-only (a variant at a time), the rubric and the verdict form."""
    course = selectors.course_detail_for_edit(item.course_id)
    criteria = list(RubricCriterion.objects.filter(active=True))
    form = DecideForm(posted(request), criteria=criteria)
    pending = item.verdict == Verdict.PENDING
    if request.method == "POST" and not pending:
        messages.error(request, _("This review is already decided."))
        return redirect("courses:review", pk=pk)

    def save(data: dict[str, Any]) -> str:
        reviewing.review_decide(
            review_=item,
            verdict=data["verdict"],
            scores=form.scores(),
            comment=data["comment"],
            by=request.user,
        )
        return _("Your verdict is recorded; the authors are told.")

    if (done := save_form(request, form, save, to=reverse("courses:review_queue"))) is not None:
        return done
    variants = list(course.variants.all())
    language = request.GET.get("variant") or course.original_language
    current = next((v for v in variants if v.language == language), None) or (
        variants[0] if variants else None
    )
    modules = list(current.modules.all()) if current else []
    for module in modules:
        for lesson in module.lessons.all():
            lesson.player = video_embed(lesson.video_url) if lesson.video_url else None  # type: ignore[attr-defined]
            lesson.questions = (  # type: ignore[attr-defined]
                list(lesson.quiz.questions.all()) if lesson.kind == LessonKind.QUIZ else []
            )
    return render(
        request,
        "courses/reviewing/review.html",
        {
            "item": item,
            "course": course,
            "title": selectors.variant_title(course, request.LANGUAGE_CODE),
            "variants": variants,
            "current": current,
            "modules": modules,
            "form": form,
            "pending": pending,
            "history": list(selectors.review_list_of_course(course)),
        },
    )


urls = [
    path("reviews/", review_queue, name="review_queue"),
    path("reviews/<int:pk>/", review_detail, name="review"),
]
