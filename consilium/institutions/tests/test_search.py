import pytest
from django.urls import reverse

from consilium.demo.services import build
from consilium.institutions.selectors import DirectoryFilter, institution_list


@pytest.fixture
def demo(db):
    return build()


@pytest.mark.parametrize(
    "query", ["Асфендияров", "Asfendiyarov", "asfendiarov", "КазНМУ", "KazNMU", "ҚазҰМУ"]
)
def test_kaznmu_is_found_by_every_spelling(demo, query: str) -> None:
    found = list(institution_list(None, DirectoryFilter(q=query)))
    assert demo.institutions["kaznmu"] in found


@pytest.mark.parametrize("query", ["Қарағанды", "Qaraǵandy", "Karaganda", "Караганда"])
def test_karaganda_is_found_in_either_script(demo, query: str) -> None:
    found = list(institution_list(None, DirectoryFilter(q=query)))
    assert demo.institutions["ksmu"] in found


def test_search_needs_every_word(demo) -> None:
    found = list(institution_list(None, DirectoryFilter(q="Lund university")))
    assert found == [demo.institutions["lund"]]


def test_filters_by_kind_and_country(demo) -> None:
    colleges = list(institution_list(None, DirectoryFilter(kind="college", country="KZ")))
    assert len(colleges) == 4
    assert all(c.kind == "college" and c.country == "KZ" for c in colleges)


def test_bad_filter_values_are_ignored_not_fatal(client, demo) -> None:
    response = client.get(
        reverse("institutions:list"),
        {"kind": "spaceship", "country": "XX", "page": "-3", "parent": "abc"},
    )
    assert response.status_code == 200


def test_list_page_shows_the_match(client, demo) -> None:
    response = client.get(reverse("institutions:list"), {"q": "Qaraǵandy"})
    assert "Karaganda State Medical University" in response.content.decode()


def test_htmx_request_gets_only_the_results(client, demo) -> None:
    response = client.get(reverse("institutions:list"), {"q": "Lund"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "Lund University" in body
    assert "<html" not in body
