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
