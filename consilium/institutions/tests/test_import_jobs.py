"""Imports that finish: large files go to the task worker with a progress page, empty rows
count against the row limit, and the import writes in bulk (bench/import_institutions.py)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.styles import Font

from consilium.core.models import Job, JobStatus
from consilium.core.roles import Role
from consilium.institutions import spreadsheets
from consilium.institutions.models import Institution
from consilium.institutions.testing import member

pytestmark = pytest.mark.django_db

HEADER = "name_en,kind,country,parent\n"


@pytest.fixture
def coordinator(client):
    user = member(Role.PARTNERSHIP_COORDINATOR)
    client.force_login(user)
    return user


def _post(client, content: bytes, name: str = "big.csv"):
    return client.post(reverse("institutions:import"), {"file": SimpleUploadedFile(name, content)})


def _empty_rows_xlsx(empty: int, then: list[str]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["name_en", "kind", "country"])
    bold = Font(bold=True)
    for row in range(2, empty + 2):  # styled empty cells: stored rows that hold nothing
        sheet.cell(row=row, column=1).font = bold
    sheet.append(then)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_empty_rows_count_against_the_row_limit(client, coordinator, settings) -> None:
    settings.IMPORT_MAX_ROWS = 10
    before = Institution.objects.count()
    content = _empty_rows_xlsx(30, ["Lone College", "college", "KZ"])
    body = _post(client, content, "empty.xlsx").content.decode()
    assert "at most 10 rows" in body
    assert Institution.objects.count() == before


def test_reading_stops_after_the_limit(monkeypatch, settings) -> None:
    settings.IMPORT_MAX_ROWS = 10
    pulled = 0
    original = spreadsheets._read_csv

    def counting(raw):
        nonlocal pulled
        for item in original(raw):
            pulled += 1
            yield item

    monkeypatch.setattr(spreadsheets, "_read_csv", counting)
    content = (HEADER + ",,,\n" * 5000).encode()
    with pytest.raises(spreadsheets.ImportFileError):
        list(spreadsheets.read_rows(io.BytesIO(content), "x.csv"))
    assert pulled <= 12  # the header, ten rows and the one past the limit


def test_branches_of_branches_in_one_file_get_their_parents(coordinator) -> None:
    content = (
        HEADER
        + "Root University,university,KZ,\n"
        + "Root Branch,college,KZ,Root University\n"
        + "Root Twig,college,KZ,Root Branch\n"
    ).encode()
    report = spreadsheets.import_institutions(
        upload=io.BytesIO(content), filename="x.csv", by=coordinator
    )
    assert report.ok and report.created == 3
    twig = Institution.objects.get(name_en="Root Twig")
    assert twig.parent.name_en == "Root Branch"
    assert twig.parent.parent.name_en == "Root University"
    assert twig.history.count() == 1
    assert twig.history.first().history_user == coordinator
    assert twig.search_words.exists()


def test_a_large_file_is_imported_by_the_worker_with_progress(
    client, coordinator, settings, django_capture_on_commit_callbacks
) -> None:
    settings.IMPORT_SYNC_MAX_BYTES = 10
    content = (HEADER + "".join(f"Big College {n},college,KZ,\n" for n in range(30))).encode()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = _post(client, content)
    job = Job.objects.get(user=coordinator)
    assert response.status_code == 302
    assert response.url == reverse("institutions:import_job", args=[job.pk])
    waiting = client.get(response.url)
    assert waiting.status_code == 200
    assert waiting["Refresh"] == "2"
    assert 'class="progress-bar pct-0"' in waiting.content.decode()
    assert not Institution.objects.filter(name_en__startswith="Big College").exists()
    seen: list[tuple[int, int]] = []
    original = spreadsheets._plan

    def watching(rows, report, progress):
        def spy(done, total):
            progress(done, total)
            seen.append((done, total))

        return original(rows, report, spy)

    spreadsheets._plan = watching
    try:
        for callback in queued:  # the worker's turn (the immediate backend runs it here)
            callback()
    finally:
        spreadsheets._plan = original
    assert seen[-1] == (30, 30)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert bytes(job.payload) == b""  # the file is not kept
    assert Institution.objects.filter(name_en__startswith="Big College").count() == 30
    done = client.get(reverse("institutions:import_job", args=[job.pk]))
    assert done.status_code == 302
    assert done.url == reverse("institutions:list")


def test_a_large_file_with_bad_rows_reports_every_one(
    client, coordinator, settings, django_capture_on_commit_callbacks
) -> None:
    settings.IMPORT_SYNC_MAX_BYTES = 10
    content = (
        HEADER + "Good College,college,KZ,\n" + ",college,KZ,\n" + "Odd,spaceship,KZ,\n"
    ).encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, content)
    page = client.get(response.url)
    body = page.content.decode()
    assert "Refresh" not in page
    assert "Line 3" in body and "Line 4" in body and "Line 2" not in body
    assert not Institution.objects.filter(name_en="Good College").exists()


def test_someone_elses_import_is_refused(client, coordinator) -> None:
    other = member(Role.PARTNERSHIP_COORDINATOR)
    job = Job.objects.create(kind=spreadsheets.JOB_KIND, user=other, filename="x.csv")
    assert client.get(reverse("institutions:import_job", args=[job.pk])).status_code == 403
