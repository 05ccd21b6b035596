import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["q=%00", "q=a%00b&kind=x", "page=1&q=%00"])
def test_a_nul_in_the_query_string_is_a_bad_request(client, query) -> None:
    # PostgreSQL refuses a NUL in any text it compares: without the middleware this was a 500
    # there (the agreements list, the network picture, a course's learners).
    assert client.get(f"/institutions/?{query}").status_code == 400


@pytest.mark.django_db
def test_an_ordinary_query_string_passes(client) -> None:
    assert client.get("/institutions/?q=almaty").status_code == 200
