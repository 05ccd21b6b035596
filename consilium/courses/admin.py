"""Administration of the course bank.

Disciplines and rubric criteria are reference lists the network administrators keep here.
Courses and reviews are shown read-only: they change only through the services (the authors'
and methodologists' pages and the API), which check the review rules and keep the catalog's
search index and caches right.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin

from consilium.courses.models import (
    Course,
    CourseVariant,
    Discipline,
    Review,
    ReviewScore,
    RubricCriterion,
    Run,
)


@admin.register(Discipline)
class DisciplineAdmin(TranslationAdmin[Discipline]):
    list_display = ["name", "code"]
    search_fields = ["code", "name_en", "name_ru", "name_uk", "name_kk"]


@admin.register(RubricCriterion)
class RubricCriterionAdmin(TranslationAdmin[RubricCriterion]):
    list_display = ["position", "name", "max_score", "active"]
    list_display_links = ["name"]
    list_filter = ["active"]
    ordering = ["position", "id"]


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VariantInline(ReadOnlyMixin, admin.TabularInline[CourseVariant, Course]):
    model = CourseVariant
    fields = ["language", "title", "translation_status"]
    extra = 0


class RunInline(ReadOnlyMixin, admin.TabularInline[Run, Course]):
    model = Run
    fields = ["starts_on", "ends_on", "pacing", "capacity", "enrolled"]
    readonly_fields = ["enrolled"]
    extra = 0


@admin.register(Course)
class CourseAdmin(ReadOnlyMixin, admin.ModelAdmin[Course]):
    list_display = ["__str__", "owner", "discipline", "status", "published_at", "next_start"]
    list_filter = ["status", "audience", "level"]
    list_select_related = ["owner", "discipline"]
    search_fields = ["search_text"]
    inlines = [VariantInline, RunInline]


class ScoreInline(ReadOnlyMixin, admin.TabularInline[ReviewScore, Review]):
    model = ReviewScore
    fields = ["criterion", "score", "comment"]
    extra = 0


@admin.register(Review)
class ReviewAdmin(ReadOnlyMixin, admin.ModelAdmin[Review]):
    list_display = ["__str__", "course", "reviewer", "verdict", "submitted_at", "decided_at"]
    list_filter = ["verdict"]
    list_select_related = ["course", "reviewer"]
    inlines = [ScoreInline]
