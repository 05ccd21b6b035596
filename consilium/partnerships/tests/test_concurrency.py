"""Versions of one document uploaded at the same moment, under real concurrent transactions."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from consilium.core.testing import run_concurrently
from consilium.partnerships import services
from consilium.partnerships.models import Document
from consilium.partnerships.tests.factories import make_agreement

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("existing", [0, 1], ids=["first version", "next version"])
def test_six_uploads_of_one_title_at_once_make_six_numbered_versions(existing: int) -> None:
    agreement = make_agreement()
    for n in range(existing):
        services.document_upload(
            agreement=agreement,
            kind="signed",
            title="Signed scan",
            upload=SimpleUploadedFile("scan.pdf", b"%PDF-1.7\nold " + bytes([n])),
            by=None,
        )

    def upload(n: int) -> Document:
        scan = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\nscan " + str(n).encode())
        return services.document_upload(
            agreement=agreement, kind="signed", title="Signed scan", upload=scan, by=None
        )

    outcomes = run_concurrently(*[lambda n=n: upload(n) for n in range(6)])
    assert all(isinstance(o, Document) for o in outcomes), outcomes
    versions = sorted(
        Document.objects.filter(agreement=agreement).values_list("version", flat=True)
    )
    assert versions == list(range(1, existing + 7))
