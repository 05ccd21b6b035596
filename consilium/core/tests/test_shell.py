import os
import subprocess
import sys

import pytest
from django.test import override_settings
from django.urls import reverse

from consilium.institutions.testing import InstitutionFactory

pytestmark = pytest.mark.django_db
LANGS = ["en", "ru", "uk", "kk"]


@pytest.mark.parametrize("lang", LANGS)
def test_home_in_every_language(client, lang) -> None:
    InstitutionFactory()
    client.cookies["consilium_language"] = lang
    body = client.get("/").content.decode()
    assert f'<html lang="{lang}">' in body
    assert 'id="main"' in body and "<nav" in body and "<footer" in body


def test_navigation_has_no_dead_links(client) -> None:
    import re

    body = client.get("/").content.decode()
    links = {
        href for href in re.findall(r'href="(/[^"#]*)"', body) if not href.startswith("/static/")
    }
    assert links
    for href in links:
        assert client.get(href).status_code == 200, href


@pytest.mark.parametrize("lang", LANGS)
def test_404_page_in_every_language(client, lang) -> None:
    client.cookies["consilium_language"] = lang
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert f'<html lang="{lang}">' in response.content.decode()


@override_settings(DEBUG=False)
def test_500_page_is_friendly(client) -> None:
    from django.test import RequestFactory
    from django.utils import translation

    from consilium.core.views import error_500

    for lang in LANGS:
        with translation.override(lang):
            response = error_500(RequestFactory().get("/"))
            expected = translation.gettext("Something went wrong")
        assert response.status_code == 500
        assert f'<html lang="{lang}">' in response.content.decode()
        assert expected in response.content.decode()


def test_403_page_is_rendered_with_the_shell(client) -> None:
    from consilium.accounts.testing import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("institutions:create"))
    assert response.status_code == 403
    assert "Access denied" in response.content.decode()


def _settings_in_subprocess(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import consilium.settings"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_real_secret_key() -> None:
    result = _settings_in_subprocess({"CONSILIUM_ENV": "production", "ALLOWED_HOSTS": "x.kz"})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
    weak = _settings_in_subprocess(
        {"CONSILIUM_ENV": "production", "ALLOWED_HOSTS": "x.kz", "SECRET_KEY": "a" * 60}
    )
    assert weak.returncode != 0


def test_production_refuses_to_start_without_allowed_hosts() -> None:
    result = _settings_in_subprocess(
        {"CONSILIUM_ENV": "production", "SECRET_KEY": "k3y-" + "x9Yz" * 15}
    )
    assert result.returncode != 0 and "ALLOWED_HOSTS" in result.stderr


def test_production_starts_when_configured() -> None:
    result = _settings_in_subprocess(
        {
            "CONSILIUM_ENV": "production",
            "SECRET_KEY": "k3y-" + "x9Yz" * 15,
            "ALLOWED_HOSTS": "consilium.example.kz",
            "SITE_URL": "https://consilium.example.kz",
        }
    )
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_its_public_address() -> None:
    result = _settings_in_subprocess(
        {
            "CONSILIUM_ENV": "production",
            "SECRET_KEY": "k3y-" + "x9Yz" * 15,
            "ALLOWED_HOSTS": "consilium.example.kz",
            "SITE_URL": "",
        }
    )
    assert result.returncode != 0 and "SITE_URL" in result.stderr


def test_modules_add_sections_to_the_institution_page(client) -> None:
    from consilium.core.sections import (
        InstitutionSection,
        register_institution_section,
        unregister_institution_section,
    )

    institution = InstitutionFactory()
    register_institution_section(
        InstitutionSection(
            key="test",
            template="core_tests/section.html",
            context=lambda request, inst: (
                {"greeting": f"Section for {inst.pk}"} if request.user.is_authenticated else None
            ),
        )
    )
    try:
        url = reverse("institutions:detail", args=[institution.pk])
        assert "Section for" not in client.get(url).content.decode()
        from consilium.accounts.testing import UserFactory

        client.force_login(UserFactory())
        assert f"Section for {institution.pk}" in client.get(url).content.decode()
    finally:
        unregister_institution_section("test")
