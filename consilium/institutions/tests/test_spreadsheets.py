import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from consilium.core.roles import Role
from consilium.institutions.models import Institution
from consilium.institutions.testing import InstitutionFactory, member

pytestmark = pytest.mark.django_db

HEADER = "name_en,name_ru,name_kk,kind,country,city_en,parent,aliases\n"


def _upload(client, content: bytes, name: str = "institutions.csv"):
    return client.post(reverse("institutions:import"), {"file": SimpleUploadedFile(name, content)})


@pytest.fixture
def coordinator(client):
    user = member(Role.PARTNERSHIP_COORDINATOR)
    client.force_login(user)
    return user


def test_good_csv_imports_every_row(client, coordinator) -> None:
    before = Institution.objects.count()
    content = (
        HEADER
        + "Steppe College,Степной колледж,Дала колледжі,college,KZ,Kostanay,,\n"
        + "Steppe College branch,,,college,kz,Rudny,Steppe College,Rudny branch; RB\n"
    ).encode()
    response = _upload(client, content)
    assert response.status_code == 302
    assert Institution.objects.count() == before + 2
    branch = Institution.objects.get(name_en="Steppe College branch")
    assert branch.parent.name_en == "Steppe College"
    assert branch.aliases == "Rudny branch\nRB"


def test_one_bad_row_imports_nothing_and_names_every_line(client, coordinator) -> None:
    InstitutionFactory(name_en="Existing University", country="KZ")
    before = Institution.objects.count()
    content = (
        HEADER
        + "Good College,,,college,KZ,,,\n"
        + ",Без английского,,college,KZ,,,\n"
        + "Existing University,,,university,KZ,,,\n"
        + "Odd Place,,,spaceship,XX,,,\n"
        + "Orphan branch,,,college,KZ,,No Such Parent,\n"
    ).encode()
    response = _upload(client, content)
    body = response.content.decode()
    assert response.status_code == 200
    assert Institution.objects.count() == before
    for line in ("Line 3", "Line 4", "Line 5", "Line 6"):
        assert line in body
    assert "Line 2" not in body
    assert "already in the directory" in body
    assert "No Such Parent" in body


def test_duplicates_within_one_file_are_refused(client, coordinator) -> None:
    before = Institution.objects.count()
    content = (
        HEADER + "Twin College,,,college,KZ,,,\n" + "twin  college,,,college,KZ,,,\n"
    ).encode()
    body = _upload(client, content).content.decode()
    assert "Line 3" in body
    assert Institution.objects.count() == before


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"", "empty.csv", "empty"),
        (b"kind,country\ncollege,KZ\n", "x.csv", "missing: name_en"),
        (b"name_en,kind,country,colour\nA,college,KZ,red\n", "x.csv", "Unknown columns"),
        (b"\xff\xfe\x00n\x00a", "x.csv", "UTF-8"),
        (b"name_en,kind,country\n", "x.pdf", ".csv or .xlsx"),
        (b"this is not a zip", "x.xlsx", "not an XLSX"),
        (b"PK\x03\x04 broken zip", "x.xlsx", "cannot be opened"),
    ],
)
def test_unusable_files_get_a_clear_message(client, coordinator, content, name, message) -> None:
    before = Institution.objects.count()
    response = _upload(client, content, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Institution.objects.count() == before


def test_oversized_file_is_refused(client, coordinator, settings) -> None:
    settings.IMPORT_MAX_BYTES = 100
    body = _upload(client, HEADER.encode() + b"x" * 200).content.decode()
    assert "larger than" in body


def test_import_messages_follow_the_users_language(client) -> None:
    user = member(Role.NETWORK_ADMIN, language="ru")
    client.force_login(user)
    body = _upload(client, b"kind,country\n", "x.csv").content.decode()
    english = "The first row must name the columns; missing: %(columns)s."
    with translation.override("ru"):
        russian = translation.gettext(english)
    assert russian != english
    assert russian % {"columns": "name_en"} in body


def test_xlsx_import_and_semicolon_csv(client, coordinator) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["name_en", "kind", "country", "city_kk"])
    sheet.append(["Aral College", "college", "KZ", "Арал"])
    out = io.BytesIO()
    book.save(out)
    assert _upload(client, out.getvalue(), "list.xlsx").status_code == 302
    assert Institution.objects.get(name_en="Aral College").city_kk == "Арал"
    semicolons = b"name_en;kind;country\nBalkhash College;college;KZ\n"
    assert _upload(client, semicolons).status_code == 302


def test_export_round_trips_through_import(client, coordinator) -> None:
    InstitutionFactory(
        name_en="Round Trip University", name_ru="Круговой университет", aliases="RTU\n=cmd()"
    )
    csv_response = client.get(reverse("institutions:export", args=["csv"]), {"q": "round trip"})
    text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    assert rows[0]["name_ru"] == "Круговой университет"
    assert not rows[0]["aliases"].startswith("=")  # no spreadsheet formula injection
    xlsx = client.get(reverse("institutions:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(1, 1).value == "name_en"
    assert sheet.max_row == Institution.objects.count() + 1
    Institution.objects.filter(name_en="Round Trip University").delete()
    reimport = _upload(client, text.encode())
    assert reimport.status_code == 302
    assert Institution.objects.filter(name_ru="Круговой университет").exists()


def test_unknown_export_format_is_404(client, coordinator) -> None:
    assert client.get(reverse("institutions:export", args=["pdf"])).status_code == 404
