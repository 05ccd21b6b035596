"""The shared test helpers of core/testing.py."""

import pytest

from consilium.core.testing import assert_queries_constant
from consilium.institutions.models import Institution
from consilium.institutions.testing import InstitutionFactory

pytestmark = pytest.mark.django_db


def test_a_list_read_in_one_query_passes_and_returns_the_last_result() -> None:
    InstitutionFactory()
    measured = assert_queries_constant(
        lambda: list(Institution.objects.all()),
        lambda: InstitutionFactory.create_batch(19),
    )
    assert measured.count == 1
    assert len(measured.result) == 20


def test_a_query_per_row_fails_and_lists_the_queries() -> None:
    parent = InstitutionFactory()
    InstitutionFactory(parent=parent)

    def parents() -> list[object]:
        rows = Institution.objects.filter(parent__isnull=False)
        return [row.parent for row in rows]  # one more query per row

    with pytest.raises(AssertionError) as failure:
        assert_queries_constant(parents, lambda: InstitutionFactory.create_batch(3, parent=parent))
    message = str(failure.value)
    assert "2 queries before add_rows():" in message and "5 queries after:" in message
    assert "SELECT" in message


def test_warm_up_leaves_out_the_first_call() -> None:
    calls: list[int] = []

    def fetch() -> None:
        if not calls:
            list(Institution.objects.all())  # work done once, on the first call only
        calls.append(1)

    assert assert_queries_constant(fetch, lambda: None, warm_up=True).count == 0
    assert len(calls) == 3
