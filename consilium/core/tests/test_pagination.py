"""Pagination and filter links keep the reader's filters: Django's {% querystring %} tag."""

import pytest
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from consilium.institutions import services


def test_page_links_keep_every_filter_and_replace_the_page() -> None:
    request = RequestFactory().get(
        "/list/", {"q": "Алматы", "kind": ["college", "ministry"], "page": 2}
    )
    page = Paginator(range(60), 20).get_page(2)
    html = render_to_string("components/pagination.html", {"page": page}, request=request)
    query = "q=%D0%90%D0%BB%D0%BC%D0%B0%D1%82%D1%8B&amp;kind=college&amp;kind=ministry"
    assert f'href="?{query}&amp;page=1"' in html
    assert f'href="?{query}&amp;page=3"' in html


def test_page_links_without_filters_carry_the_page_alone() -> None:
    request = RequestFactory().get("/list/")
    page = Paginator(range(60), 20).get_page(1)
    html = render_to_string("components/pagination.html", {"page": page}, request=request)
    assert 'href="?page=2"' in html and "Previous" not in html


@pytest.mark.django_db
def test_the_directory_keeps_its_filter_in_page_and_export_links(client) -> None:
    for n in range(21):
        services.institution_create(
            data={"kind": "college", "country": "KZ", "name_en": f"Steppe College {n}"}
        )
    reader = get_user_model().objects.create_user(email="reader@example.org", password="x")
    client.force_login(reader)  # the export links are for signed-in readers
    url = reverse("institutions:list")
    first = client.get(url, {"q": "steppe"}).content.decode()
    assert 'href="?q=steppe&amp;page=2"' in first
    second = client.get(url, {"q": "steppe", "page": 2}).content.decode()
    assert 'href="?q=steppe&amp;page=1"' in second
    export = reverse("institutions:export", args=["csv"])
    assert f'href="{export}?q=steppe"' in second  # the page is left out of the export
