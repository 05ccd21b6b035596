import pytest
from django.core.management import call_command

from consilium.accounts.models import User
from consilium.core.roles import Role
from consilium.institutions.models import Institution, Membership

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_covers_every_role() -> None:
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    counts = (Institution.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Institution.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)


def test_demo_holds_the_seed_institutions() -> None:
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    ukraine = Institution.objects.filter(country="UA", kind="university")
    assert ukraine.count() == 13  # DonNMU and the twelve universities of the seminar
    hematology = Institution.objects.get(name_en="Hematology Centre LLP")
    assert hematology.branches.count() == 3
    kaznmu = Institution.objects.get(short_name_en="KazNMU")
    assert kaznmu.name_kk and kaznmu.name_ru
    for name in (
        "Duke University",
        "Lund University",
        "Sapienza University of Rome",
        "Sechenov First Moscow State Medical University",
    ):
        assert Institution.objects.filter(name_en=name).exists()


def test_demo_course_bank_from_seed_004() -> None:
    from consilium.certificates.models import Certificate
    from consilium.courses.models import Course, CourseVariant, Run, YearStats

    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sechenov = CourseVariant.objects.get(
        title="Персонализация в высшем образовании: подходы и решения"
    ).course
    assert sechenov.status == "published"
    assert sechenov.next_start is not None
    assert (sechenov.next_start.month, sechenov.next_start.day) == (10, 19)
    assert set(Course.objects.values_list("status", flat=True)) >= {
        "published",
        "in_review",
        "draft",
    }
    assert Course.objects.filter(is_demo=True).count() == Course.objects.count()
    network = {row.year: row for row in YearStats.objects.filter(scope="network")}
    assert network[2020].visitors >= 30 * network[2019].visitors  # the seed's forty-fold growth
    assert network[2020].certificates == Certificate.objects.filter(issued_at__year=2020).count()
    assert network[2020].certificates > 0
    # Learners of runs that ended long ago finished or dropped out; none is still learning.
    from django.utils import timezone

    from consilium.courses.models import Enrolment, EnrolmentStatus, LessonKind

    ended = Enrolment.objects.filter(run__ends_on__lt=timezone.localdate())
    assert ended.exists()
    assert not ended.filter(status=EnrolmentStatus.ACTIVE).exists()
    for run in Run.objects.all():
        assert run.enrolled == run.enrolments.exclude(status=EnrolmentStatus.WITHDRAWN).count()
    # No video unrelated to the course is embedded.
    assert not sechenov.variants.filter(modules__lessons__kind=LessonKind.VIDEO).exists()
    courses, runs = Course.objects.count(), Run.objects.count()
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Course.objects.count(), Run.objects.count()) == (courses, runs)


def test_the_apps_register_their_builders_in_order() -> None:
    """Each app registers its demo builder (core/demo.py); they run after what they need."""
    from consilium.core.demo import demo_builders

    assert [b.name for b in demo_builders()] == [
        "directory",
        "people",
        "partnerships",
        "actions",
        "courses",
        "certificates",
    ]


def test_a_builder_whose_needs_do_not_run_before_it_is_refused() -> None:
    from django.core.exceptions import ImproperlyConfigured

    from consilium.core.demo import (
        DemoBuilder,
        demo_builders,
        register_demo_builder,
        unregister_demo_builder,
    )

    for builder, message in (
        (DemoBuilder("early", lambda c: None, order=5, needs=("courses",)), "must run before"),
        (DemoBuilder("lost", lambda c: None, needs=("nothing",)), "no app registers"),
    ):
        register_demo_builder(builder)
        try:
            with pytest.raises(ImproperlyConfigured, match=message):
                demo_builders()
        finally:
            unregister_demo_builder(builder.name)
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        register_demo_builder(demo_builders()[0])
