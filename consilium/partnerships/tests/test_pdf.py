"""PDF summaries: content, language, access, query counts and an offline renderer."""

import io
import itertools
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from consilium.accounts.testing import UserFactory
from consilium.core.pdf import render_pdf
from consilium.core.roles import Role
from consilium.core.testing import assert_queries_constant, get_ok
from consilium.institutions.models import InstitutionKind
from consilium.institutions.testing import InstitutionFactory, member
from consilium.partnerships import services
from consilium.partnerships.models import Agreement, Programme

pytestmark = pytest.mark.django_db

KK_TITLE = "Қазақстан мен Әзірбайжан университеттерінің өңірлік серіктестігі"
RU_TITLE = "Региональное партнёрство университетов"
_serial = itertools.count(1)


def _programme() -> Programme:
    ministry = InstitutionFactory(
        kind=InstitutionKind.MINISTRY, name_en=f"Ministry of Health {next(_serial)}"
    )
    programme = services.programme_create(
        owner=ministry,
        titles={
            "en": "Strategic partnership programme",
            "kk": "Стратегиялық серіктестік бағдарламасы",
        },
        descriptions={"en": "Twinning of medical universities."},
        starts_on=date(2016, 1, 1),
        ends_on=date(2020, 12, 31),
        funding_frame="World Bank loan with ministry co-funding.",
    )
    services.phase_add(
        programme=programme,
        number=1,
        titles={"en": "Assessment", "kk": "Бағалау"},
        starts_on=date(2016, 1, 1),
        ends_on=date(2017, 12, 31),
    )
    services.priority_area_add(programme=programme, names={"en": "Education", "kk": "Білім беру"})
    services.funder_add(
        programme=programme, source="World Bank", amount=Decimal("1500000"), currency="USD"
    )
    return programme


def _agreement(programme: Programme | None = None, recommendations: int = 1) -> Agreement:
    programme = programme or _programme()
    n = next(_serial)
    home = InstitutionFactory(name_en=f"Astana Medical University {n}", short_name_en="AMU")
    partner = InstitutionFactory(
        name_en=f"Vilnius University {n}", country="LT", short_name_en="VU"
    )
    agreement = services.agreement_create(
        kind="strategic",
        titles={"en": "Regional partnership of universities", "ru": RU_TITLE, "kk": KK_TITLE},
        parties=[
            services.PartyData(
                institution=home,
                role="domestic",
                signatory="Aigerim Nurlanovna",
                signatory_title="Rector",
                contact_name="Dana Seitkali",
                contact_email="dana@example.org",
            ),
            services.PartyData(institution=partner, role="foreign", signatory="Jonas Petraitis"),
        ],
        by=None,
        forms=["consulting", "mentoring"],
        number="SP-2016/07",
        programme=programme,
        phase=programme.phases.first(),
        valid_from=date(2016, 3, 1),
        valid_until=date(2020, 12, 31),
        funding=[
            services.FundingData(
                "World Bank", "125000.50", "USD", date(2016, 3, 1), date(2018, 2, 28)
            )
        ],
    )
    version = services.current_version(agreement)
    assert version is not None
    first = agreement.parties.order_by("order").first()
    services.agreement_approve(
        agreement=agreement, party=first, by=UserFactory(), version_number=version.number
    )
    area = programme.priority_areas.first()
    for n in range(recommendations):
        services.recommendation_add(
            agreement=agreement,
            text=f"Open a simulation centre {n}",
            area=area,
            owner=UserFactory(),
        )
    services.work_item_add(
        agreement=agreement,
        kind="result",
        period="2016",
        title="Curriculum reviewed",
        done="12 modules",
    )
    services.work_item_add(
        agreement=agreement,
        kind="goal",
        period="2017",
        title="Joint residency",
        planned="Two tracks",
    )
    return agreement


def _reader(client, user):
    client.force_login(user)
    return client


def _text(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _fonts(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        resources: Any = page["/Resources"]
        names |= {str(font["/BaseFont"]) for font in resources["/Font"].values()}
    return names


def _network_reader():
    return member(Role.MINISTRY_OBSERVER)


def test_agreement_pdf_holds_the_summary(client) -> None:
    agreement = _agreement()
    response = _reader(client, _network_reader()).get(
        reverse("partnerships:agreement_pdf", args=[agreement.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert f"agreement-{agreement.pk}-en.pdf" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = _text(response.content)
    version = services.current_version(agreement)
    for expected in (
        "Consilium",
        "Regional partnership of universities",
        "Strategic partnership",
        "SP-2016/07",
        "Proposed",
        "Astana Medical University",
        "Domestic university",
        "Aigerim Nurlanovna",
        "Foreign partner",
        "Consulting",
        "Mentoring",
        "World Bank",
        "Open a simulation centre 0",
        "Curriculum reviewed",
        "Joint residency",
        "approval pending",
        version.content_hash[:16],
    ):
        assert expected in text, expected
    # The full hash is printed (it may wrap across lines).
    assert version.content_hash in "".join(text.split())


def test_programme_report_pdf_holds_each_pair(client) -> None:
    programme = _programme()
    agreement = _agreement(programme)
    response = _reader(client, _network_reader()).get(
        reverse("partnerships:programme_report_pdf", args=[programme.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = _text(response.content)
    for expected in (
        "Report: Strategic partnership programme",
        "Assessment",
        "Education",
        "World Bank loan with ministry co-funding.",
        "AMU — VU",
        agreement.title,
        "1 open recommendation",
        "Curriculum reviewed: 12 modules",
        "Joint residency: Two tracks",
    ):
        assert expected in text, expected


def test_the_pdf_speaks_the_language_of_the_cookie(client) -> None:
    agreement = _agreement()
    client.cookies["consilium_language"] = "kk"
    response = _reader(client, _network_reader()).get(
        reverse("partnerships:agreement_pdf", args=[agreement.pk])
    )
    assert response.status_code == 200
    assert "-kk.pdf" in response["Content-Disposition"]
    text = _text(response.content)
    assert KK_TITLE in text
    assert set("әғқңөұ") <= set(text)
    assert "Regional partnership of universities" not in text
    with translation.override("kk"):
        labels = [translation.gettext("Parties"), translation.gettext("Forms of cooperation")]
    for label in labels:
        assert label in text
    assert "Parties" not in text


def test_render_pdf_uses_the_active_language_and_embeds_dejavu() -> None:
    programme = _programme()
    _agreement(programme)
    from consilium.partnerships import selectors

    with translation.override("kk"):
        programme = Programme.objects.get(pk=programme.pk)
        data = render_pdf(
            "partnerships/pdf/programme_report.html",
            {
                "programme": programme,
                "report": selectors.programme_report(_network_reader(), programme),
            },
        )
    text = _text(data)
    assert "Стратегиялық серіктестік бағдарламасы" in text
    assert KK_TITLE in text
    # The stylesheet's font is the one embedded: it has every Kazakh letter (no fallback).
    fonts = _fonts(data)
    assert fonts
    assert all("DejaVu-Sans" in name for name in fonts), fonts


def test_anonymous_readers_are_sent_to_sign_in(client) -> None:
    agreement = _agreement()
    for url in (
        reverse("partnerships:agreement_pdf", args=[agreement.pk]),
        reverse("partnerships:programme_report_pdf", args=[agreement.programme_id]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_people_without_a_role_are_refused(client) -> None:
    agreement = _agreement()
    client.force_login(UserFactory())
    for url in (
        reverse("partnerships:agreement_pdf", args=[agreement.pk]),
        reverse("partnerships:programme_report_pdf", args=[agreement.programme_id]),
    ):
        assert client.get(url).status_code == 403


def test_a_hidden_agreement_is_refused_to_another_institution(client) -> None:
    agreement = _agreement()
    Agreement.objects.filter(pk=agreement.pk).update(is_public=False)
    client.force_login(member(Role.PARTNERSHIP_COORDINATOR))
    response = client.get(reverse("partnerships:agreement_pdf", args=[agreement.pk]))
    assert response.status_code == 403


def test_the_agreement_pdf_reads_a_fixed_number_of_queries(client) -> None:
    user = _network_reader()
    client.force_login(user)
    agreement = _agreement(recommendations=1)
    area = agreement.programme.priority_areas.first()

    def add_rows() -> None:
        for n in range(1, 20):
            services.recommendation_add(
                agreement=agreement, text=f"Recommendation {n}", area=area, owner=UserFactory()
            )

    url = reverse("partnerships:agreement_pdf", args=[agreement.pk])
    # warm_up: the session and the user are read the same way each time.
    assert_queries_constant(get_ok(client, url), add_rows, warm_up=True)
