import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consilium.accounts.testing import UserFactory
from consilium.core.roles import Role
from consilium.institutions import services
from consilium.institutions.testing import InstitutionFactory, member

pytestmark = pytest.mark.django_db


def _queries(client, url, **extra) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_anonymous_directory_page_is_served_from_the_cache_until_a_write(client) -> None:
    InstitutionFactory(name_en="Steppe University")
    url = reverse("institutions:list") + "?q=steppe"
    first, body = _queries(client, url)
    again, cached = _queries(client, url)
    assert again == 1 < first  # only the version is read
    assert cached == body
    institution = services.institution_create(
        data={"kind": "college", "country": "KZ", "name_en": "Steppe College"}
    )
    _n, fresh = _queries(client, url)
    assert "Steppe College" in fresh
    services.institution_update(institution=institution, data={"name_en": "Steppe Nursing College"})
    _n, fresh = _queries(client, url)
    assert "Steppe Nursing College" in fresh and "Steppe College<" not in fresh


def test_cached_pages_follow_the_language(client) -> None:
    url = reverse("institutions:list")
    client.cookies["consilium_language"] = "ru"
    assert '<html lang="ru">' in client.get(url).content.decode()
    client.cookies["consilium_language"] = "kk"
    assert '<html lang="kk">' in client.get(url).content.decode()


def test_anonymous_pages_carry_no_csrf_token(client) -> None:
    response = client.get(reverse("institutions:list"))
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "csrftoken" not in response.cookies


def test_signed_in_pages_are_never_cached_whole(client) -> None:
    client.force_login(UserFactory(full_name="Aigerim Private"))
    body = client.get(reverse("institutions:list")).content.decode()
    assert "Aigerim" in body and "csrfmiddlewaretoken" in body
    client.logout()
    assert "Aigerim" not in client.get(reverse("institutions:list")).content.decode()


def test_language_switch_checks_csrf_for_signed_in_people_only() -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("core:set_language"), {"language": "kk", "next": "/"})
    assert response.status_code == 302  # anonymous: only a cookie changes
    user = UserFactory()
    strict.force_login(user)
    response = strict.post(reverse("core:set_language"), {"language": "kk", "next": "/"})
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.language == ""


def test_api_list_is_fresh_after_a_write(client) -> None:
    admin = member(Role.NETWORK_ADMIN)
    before = client.get("/api/v1/institutions/", {"q": "aral"}).json()["count"]
    services.institution_create(
        data={"kind": "college", "country": "KZ", "name_en": "Aral College"}, by=admin
    )
    assert client.get("/api/v1/institutions/", {"q": "aral"}).json()["count"] == before + 1
