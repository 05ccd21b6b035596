import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from consilium.core.roles import Role
from consilium.core.testing import assert_queries_constant, get_ok
from consilium.institutions import services
from consilium.institutions.models import Institution
from consilium.institutions.testing import InstitutionFactory, member

pytestmark = pytest.mark.django_db


def _data(**extra):
    data = {
        "kind": "university",
        "country": "KZ",
        "name_en": "Steppe Medical University",
        "name_ru": "Степной медицинский университет",
        "name_kk": "Дала медицина университеті",
    }
    data.update(extra)
    return data


def test_create_keeps_names_in_every_language() -> None:
    institution = services.institution_create(data=_data())
    institution.refresh_from_db()
    assert institution.name_ru == "Степной медицинский университет"
    assert institution.name_kk == "Дала медицина университеті"
    assert "dala medicina" in institution.search_text


def test_same_institution_twice_is_refused() -> None:
    services.institution_create(data=_data())
    with pytest.raises(ValidationError) as exc:
        services.institution_create(data=_data(name_en="  steppe MEDICAL university "))
    assert "already in the directory" in str(exc.value)
    assert Institution.objects.count() == 1


def test_same_name_in_another_country_is_another_institution() -> None:
    services.institution_create(data=_data())
    services.institution_create(data=_data(country="UA"))
    assert Institution.objects.count() == 2


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"name_en": ""}, "name_en"),
        ({"kind": "spaceship"}, "kind"),
        ({"country": "XX"}, "country"),
        ({"website": "not a url"}, "website"),
        ({"name_en": "x" * 301}, "name_en"),
    ],
)
def test_bad_data_is_refused_with_field_errors(bad, field) -> None:
    with pytest.raises(ValidationError) as exc:
        services.institution_create(data=_data(**bad))
    assert field in exc.value.message_dict
    assert Institution.objects.count() == 0


def test_branch_cycles_are_refused() -> None:
    parent = services.institution_create(data=_data())
    branch = services.institution_create(data=_data(name_en="Steppe branch", parent=parent))
    with pytest.raises(ValidationError):
        services.institution_update(institution=parent, data={"parent": branch})


def test_update_records_history() -> None:
    institution = services.institution_create(data=_data())
    services.institution_update(institution=institution, data={"name_ru": "Новое имя"})
    assert institution.history.count() == 2
    assert institution.history.first().name_ru == "Новое имя"


def test_create_page_shows_errors_in_the_users_language(client) -> None:
    admin = member(Role.NETWORK_ADMIN, language="ru")
    client.force_login(admin)
    response = client.post(reverse("institutions:create"), {"kind": "university", "country": "KZ"})
    assert response.status_code == 200
    from django.utils import translation

    with translation.override("ru"):
        required = translation.gettext("This field is required.")
    assert required != "This field is required."
    assert required in response.content.decode()
    assert Institution.objects.count() == 1  # only the admin's own institution


def test_create_page_refuses_a_duplicate_with_a_clear_message(client) -> None:
    admin = member(Role.NETWORK_ADMIN)
    existing = InstitutionFactory(name_en="Lund University", country="SE")
    client.force_login(admin)
    response = client.post(
        reverse("institutions:create"),
        {"kind": "university", "country": "SE", "name_en": "Lund university"},
    )
    assert response.status_code == 200
    assert "already in the directory" in response.content.decode()
    assert Institution.objects.filter(country="SE").count() == 1
    assert existing.pk


def test_edit_page_saves_and_redirects(client) -> None:
    institution = InstitutionFactory()
    admin = member(Role.INSTITUTION_ADMIN, institution)
    client.force_login(admin)
    form = {
        "kind": "college",
        "country": "KZ",
        "name_en": "Renamed College",
        "name_kk": "Жаңа колледж",
    }
    response = client.post(reverse("institutions:edit", args=[institution.pk]), form)
    assert response.status_code == 302
    institution.refresh_from_db()
    assert (institution.name_en, institution.name_kk, institution.kind) == (
        "Renamed College",
        "Жаңа колледж",
        "college",
    )


def test_detail_shows_people_only_to_those_allowed(client) -> None:
    institution = InstitutionFactory()
    teacher = member(Role.TEACHER, institution, full_name="Visible Teacher")
    stranger = member(Role.TEACHER)
    page = reverse("institutions:detail", args=[institution.pk])
    assert "Visible Teacher" not in client.get(page).content.decode()
    client.force_login(stranger)
    assert "Visible Teacher" not in client.get(page).content.decode()
    client.force_login(teacher)
    assert "Visible Teacher" in client.get(page).content.decode()


def test_list_page_query_count_does_not_grow_with_rows(client) -> None:
    parent = InstitutionFactory(name_en="Parent")
    InstitutionFactory(parent=parent)
    assert_queries_constant(
        get_ok(client, reverse("institutions:list")),
        lambda: InstitutionFactory.create_batch(19, parent=parent),
    )


def test_api_list_query_count_does_not_grow_with_rows(client) -> None:
    InstitutionFactory()
    assert_queries_constant(
        get_ok(client, "/api/v1/institutions/"), lambda: InstitutionFactory.create_batch(19)
    )


def test_detail_query_count_does_not_grow_with_people(client) -> None:
    institution = InstitutionFactory()
    admin = member(Role.INSTITUTION_ADMIN, institution)
    InstitutionFactory(parent=institution)
    client.force_login(admin)

    def add_rows() -> None:
        for _ in range(19):
            member(Role.TEACHER, institution)
            InstitutionFactory(parent=institution)

    fetch = get_ok(client, reverse("institutions:detail", args=[institution.pk]))
    assert_queries_constant(fetch, add_rows)
