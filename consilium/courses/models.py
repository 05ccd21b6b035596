"""The shared course bank (seed 004: one bank of online courses for many universities).

A course belongs to an owner institution (with co-authoring institutions) and has one
*variant* per language, each with its own title, description and content (modules, lessons,
quizzes). Catalog entry, enrolments and statistics belong to the course, not the variant.
The review status is a state machine declared in review.py; every write goes through
services.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from consilium.core.models import TimeStampedModel
from consilium.institutions.models import Institution

LANGUAGE_CHOICES = [("en", "English"), ("ru", "Русский"), ("uk", "Українська"), ("kk", "Қазақша")]


class Discipline(models.Model):
    """A discipline or specialty courses are filed under (name per language)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Audience(models.TextChoices):
    STUDENTS = "students", _("Students")
    RESIDENTS = "residents", _("Residents")
    NURSES = "nurses", _("Nurses")
    PHYSICIANS = "physicians", _("Physicians (continuing education)")


class Level(models.TextChoices):
    INTRODUCTORY = "introductory", _("Introductory")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class CourseStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Course(TimeStampedModel):
    owner = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="courses", verbose_name=_("owner")
    )
    co_authors = models.ManyToManyField(
        Institution,
        blank=True,
        related_name="co_authored_courses",
        verbose_name=_("co-authoring institutions"),
    )
    discipline = models.ForeignKey(
        Discipline,
        on_delete=models.PROTECT,
        related_name="courses",
        verbose_name=_("discipline"),
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    hours = models.PositiveSmallIntegerField(_("hours of effort"))
    credits = models.DecimalField(
        _("continuing-education credits"), max_digits=5, decimal_places=1, default=0
    )
    tags = models.CharField(_("tags"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=CourseStatus.choices, default=CourseStatus.DRAFT
    )
    # The first publication; the course has been open to learners since then (unless archived).
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The original language; the catalog falls back to it when the reader's variant is missing.
    original_language = models.CharField(
        _("original language"), max_length=2, choices=LANGUAGE_CHOICES
    )
    # Folded words of every variant's title and of the tags (core/text.py), for the catalog.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    # The next start date of a run open to enrolment (kept by the run services), for the catalog.
    next_start = models.DateField(_("next start"), null=True, blank=True, editable=False)
    # Optimistic locking of the course's settings form.
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="course_catalog_idx"),
            models.Index(fields=["owner", "status"], name="course_owner_idx"),
            models.Index(fields=["status", "next_start"], name="course_next_start_idx"),
            # The catalog's order (next start, then newest) read straight from the index.
            models.Index(fields=["status", "next_start", "-id"], name="course_catalog_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="course_hours_positive"),
            models.CheckConstraint(condition=Q(credits__gte=0), name="course_credits_not_negative"),
        ]

    def __str__(self) -> str:
        return f"course {self.pk}"

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


class CourseSearchWord(models.Model):
    """One folded word of a course's titles and tags: the catalog search index."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="search_words", verbose_name=_("course")
    )
    word = models.CharField(_("word"), max_length=60)

    class Meta:
        verbose_name = _("course search word")
        verbose_name_plural = _("course search words")
        constraints = [
            models.UniqueConstraint(fields=["word", "course"], name="course_search_word_unique")
        ]

    def __str__(self) -> str:
        return self.word


class TranslationStatus(models.TextChoices):
    ORIGINAL = "original", _("Original")
    IN_PROGRESS = "in_progress", _("Translation in progress")
    COMPLETE = "complete", _("Translated")
    NEEDS_UPDATE = "needs_update", _("Translation needs updating")


class CourseVariant(TimeStampedModel):
    """A course in one language: its own title, description and content."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="variants", verbose_name=_("course")
    )
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    title = models.CharField(_("title"), max_length=300)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    # Sanitised HTML (services clean it with nh3 before saving).
    description = models.TextField(_("description"), blank=True)
    translation_status = models.CharField(
        _("translation status"),
        max_length=20,
        choices=TranslationStatus.choices,
        default=TranslationStatus.ORIGINAL,
    )

    class Meta:
        verbose_name = _("language variant")
        verbose_name_plural = _("language variants")
        ordering = ["course_id", "language"]
        constraints = [
            models.UniqueConstraint(fields=["course", "language"], name="variant_one_per_language")
        ]

    def __str__(self) -> str:
        return self.title


class Module(models.Model):
    variant = models.ForeignKey(
        CourseVariant, on_delete=models.CASCADE, related_name="modules", verbose_name=_("variant")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=300)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["variant_id", "position", "id"]

    def __str__(self) -> str:
        return self.title


class LessonKind(models.TextChoices):
    TEXT = "text", _("Text")
    VIDEO = "video", _("Video")
    FILE = "file", _("File")
    LINK = "link", _("External link")
    QUIZ = "quiz", _("Quiz")


class Lesson(models.Model):
    module = models.ForeignKey(
        Module, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("module")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=LessonKind.choices)
    # Sanitised HTML (services clean it with nh3 before saving).
    body = models.TextField(_("text"), blank=True)
    video_url = models.URLField(_("video address"), blank=True)
    file = models.FileField(_("file"), upload_to="courses/lessons/%Y/", blank=True)
    link_url = models.URLField(_("link"), blank=True)
    required = models.BooleanField(_("required for completion"), default=True)

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["module_id", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Quiz(models.Model):
    lesson = models.OneToOneField(
        Lesson, on_delete=models.CASCADE, related_name="quiz", verbose_name=_("lesson")
    )
    passing_score = models.PositiveSmallIntegerField(_("passing score, %"), default=70)
    max_attempts = models.PositiveSmallIntegerField(_("attempts allowed"), default=3)

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")
        constraints = [
            models.CheckConstraint(
                condition=Q(passing_score__gte=1) & Q(passing_score__lte=100),
                name="quiz_passing_score_percent",
            ),
            models.CheckConstraint(condition=Q(max_attempts__gte=1), name="quiz_attempts_positive"),
        ]

    def __str__(self) -> str:
        return f"quiz {self.pk}"


class Question(models.Model):
    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="questions", verbose_name=_("quiz")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("question"))
    multiple = models.BooleanField(_("several answers may be right"), default=False)
    # Shown with the learner's result, right or wrong: why the answer is what it is. In the
    # variant's language, as the question (each language variant has its own questions).
    explanation = models.TextField(_("explanation"), blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["quiz_id", "position", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Choice(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("answer"), max_length=500)
    correct = models.BooleanField(_("correct"), default=False)

    class Meta:
        verbose_name = _("answer choice")
        verbose_name_plural = _("answer choices")
        ordering = ["question_id", "position", "id"]

    def __str__(self) -> str:
        return self.text[:60]


# --- methodological review -----------------------------------------------------------------


class RubricCriterion(models.Model):
    """A criterion methodologists score a course against (name per language)."""

    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    max_score = models.PositiveSmallIntegerField(_("highest score"), default=5)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Verdict(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Review(models.Model):
    """One methodologist's review of one submission of a course; every verdict is kept."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("course")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="course_reviews",
        verbose_name=_("methodologist"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    # What the author says changed (a resubmission or a major change after publication).
    note = models.TextField(_("note to the reviewer"), blank=True)
    verdict = models.CharField(
        _("verdict"), max_length=20, choices=Verdict.choices, default=Verdict.PENDING
    )
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["reviewer", "verdict"], name="review_queue_idx")]
        constraints = [
            # At most one open review per course at a time.
            models.UniqueConstraint(
                fields=["course"],
                condition=Q(verdict="pending"),
                name="review_one_pending_per_course",
            )
        ]

    def __str__(self) -> str:
        return f"review {self.pk}"


class ReviewScore(models.Model):
    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="scores", verbose_name=_("review")
    )
    criterion = models.ForeignKey(
        RubricCriterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("criterion")
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="review_score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


# --- runs and learning ---------------------------------------------------------------------


class Pacing(models.TextChoices):
    SELF_PACED = "self_paced", _("Self-paced")
    SCHEDULED = "scheduled", _("Scheduled")


class Run(TimeStampedModel):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="runs", verbose_name=_("course")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    enrolment_opens_on = models.DateField(_("enrolment opens on"))
    enrolment_closes_on = models.DateField(_("enrolment closes on"), null=True, blank=True)
    pacing = models.CharField(
        _("pacing"), max_length=12, choices=Pacing.choices, default=Pacing.SCHEDULED
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    # Kept by the enrolment services (under a row lock) so capacity checks need no count.
    enrolled = models.PositiveIntegerField(_("enrolled"), default=0, editable=False)

    class Meta:
        verbose_name = _("run")
        verbose_name_plural = _("runs")
        ordering = ["course_id", "starts_on", "id"]
        indexes = [models.Index(fields=["starts_on"], name="run_starts_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="run_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(enrolment_closes_on__isnull=True)
                | Q(enrolment_closes_on__gte=F("enrolment_opens_on")),
                name="run_enrolment_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="run_capacity_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_id}: {self.starts_on}"


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", _("Learning")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Enrolment(models.Model):
    run = models.ForeignKey(
        Run, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("run")
    )
    # Denormalised from the run, for statistics and "my courses" without a join.
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("course")
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("learner"),
    )
    variant = models.ForeignKey(
        CourseVariant,
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("language variant"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.ACTIVE,
    )
    enrolled_at = models.DateTimeField(_("enrolled at"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Share of required items done, 0–100, kept by the progress services.
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_at", "-id"]
        indexes = [
            models.Index(fields=["course", "enrolled_at"], name="enrolment_course_idx"),
            models.Index(fields=["learner", "-enrolled_at"], name="enrolment_learner_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["run", "learner"], name="enrolment_once_per_run")
        ]

    def __str__(self) -> str:
        return f"enrolment {self.pk}"


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="lessons_done",
        verbose_name=_("enrolment"),
    )
    lesson = models.ForeignKey(
        Lesson, on_delete=models.CASCADE, related_name="+", verbose_name=_("lesson")
    )
    completed_at = models.DateTimeField(_("completed at"))

    class Meta:
        verbose_name = _("lesson done")
        verbose_name_plural = _("lessons done")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="lesson_progress_once")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}/{self.lesson_id}"


class QuizAttempt(models.Model):
    """One graded attempt; answers are stored as submitted, the score is the server's."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("enrolment")
    )
    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("quiz")
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    answers = models.JSONField(_("answers"), default=dict)
    score = models.PositiveSmallIntegerField(_("score, %"))
    passed = models.BooleanField(_("passed"))
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        ordering = ["enrolment_id", "quiz_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "quiz", "number"], name="quiz_attempt_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}/{self.quiz_id}#{self.number}"


class QuizAttemptGrant(models.Model):
    """One more attempt at a quiz given to one learner by a teacher of the course (recorded:
    who, when, for whom)."""

    enrolment = models.ForeignKey(
        Enrolment,
        on_delete=models.CASCADE,
        related_name="attempt_grants",
        verbose_name=_("enrolment"),
    )
    quiz = models.ForeignKey(
        Quiz, on_delete=models.CASCADE, related_name="attempt_grants", verbose_name=_("quiz")
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted at"))

    class Meta:
        verbose_name = _("extra quiz attempt")
        verbose_name_plural = _("extra quiz attempts")
        ordering = ["enrolment_id", "quiz_id", "granted_at"]
        indexes = [models.Index(fields=["enrolment", "quiz"], name="attempt_grant_enrolment_idx")]

    def __str__(self) -> str:
        return f"{self.enrolment_id}/{self.quiz_id}+1"


# --- statistics ------------------------------------------------------------------------------


class VisitMark(models.Model):
    """Today's visit of one (unknown) visitor to one course: a salted hash, nothing else.

    The salt lives only in the cache for the day, so a mark cannot be traced back to a person;
    the nightly task turns the day's marks into a count in ``CourseYearStats`` and deletes them.
    """

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="+", verbose_name=_("course")
    )
    day = models.DateField(_("day"))
    digest = models.CharField(_("digest"), max_length=64)

    class Meta:
        verbose_name = _("visit mark")
        verbose_name_plural = _("visit marks")
        constraints = [
            models.UniqueConstraint(fields=["course", "day", "digest"], name="visit_mark_unique")
        ]

    def __str__(self) -> str:
        return f"{self.course_id} {self.day}"


class StatsScope(models.TextChoices):
    COURSE = "course", _("Course")
    INSTITUTION = "institution", _("Institution")
    NETWORK = "network", _("Network")


class YearStats(models.Model):
    """Totals per year for a course, an institution (its own courses) or the whole network.

    Kept up to date by background tasks (tasks.py) so dashboards never count raw rows.
    ``scope_id`` is the course or institution id; 0 for the network.
    """

    scope = models.CharField(_("scope"), max_length=12, choices=StatsScope.choices)
    scope_id = models.PositiveBigIntegerField(_("scope id"))
    year = models.PositiveSmallIntegerField(_("year"))
    visitors = models.PositiveIntegerField(_("visitors"), default=0)
    enrolments = models.PositiveIntegerField(_("enrolments"), default=0)
    completions = models.PositiveIntegerField(_("completions"), default=0)
    certificates = models.PositiveIntegerField(_("certificates"), default=0)
    courses = models.PositiveIntegerField(_("published courses"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("yearly totals")
        verbose_name_plural = _("yearly totals")
        ordering = ["scope", "scope_id", "year"]
        indexes = [
            # Dashboards rank the institutions (or courses) of one year by enrolments.
            models.Index(fields=["scope", "year", "-enrolments"], name="year_stats_rank_idx")
        ]
        constraints = [
            models.UniqueConstraint(fields=["scope", "scope_id", "year"], name="year_stats_unique")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.scope_id} {self.year}"
