import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consilium.accounts.testing import UserFactory
from consilium.core.roles import Role
from consilium.core.testing import assert_queries_constant, get_ok
from consilium.institutions.testing import InstitutionFactory, member
from consilium.partnerships.models import Agreement, Document
from consilium.partnerships.tests.factories import coordinators, make_agreement

pytestmark = pytest.mark.django_db


def _form(parties, **extra):
    data = {
        "kind": "memorandum",
        "title_en": "Memorandum with the college",
        "title_ru": "",
        "title_uk": "",
        "title_kk": "",
        "number": "M-1",
        "summary": "",
        "valid_from": "",
        "valid_until": "",
        "is_public": "on",
        "cooperation": ["practice", "conferences"],
        "party-TOTAL_FORMS": str(len(parties)),
        "party-INITIAL_FORMS": "0",
        "party-MIN_NUM_FORMS": "2",
        "party-MAX_NUM_FORMS": "20",
        "funding-TOTAL_FORMS": "1",
        "funding-INITIAL_FORMS": "0",
        "funding-MIN_NUM_FORMS": "0",
        "funding-MAX_NUM_FORMS": "20",
    }
    for i, (institution, role) in enumerate(parties):
        data[f"party-{i}-institution"] = str(institution.pk) if institution else ""
        data[f"party-{i}-role"] = role
    data.update(extra)
    return data


def test_coordinator_proposes_an_agreement_through_the_form(client) -> None:
    centre = InstitutionFactory(kind="clinical_centre", name_en="Blood Centre")
    college = InstitutionFactory(kind="college", name_en="Steppe College")
    client.force_login(member(Role.PARTNERSHIP_COORDINATOR, centre))
    response = client.post(
        reverse("partnerships:agreement_create"),
        _form(
            [(centre, "clinical_base"), (college, "college")],
            **{
                "funding-0-source": "Akimat",
                "funding-0-amount": "1500",
                "funding-0-currency": "kzt",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement = Agreement.objects.get()
    assert agreement.parties.count() == 2
    assert sorted(agreement.forms.values_list("form", flat=True)) == ["conferences", "practice"]
    assert agreement.funding_lines.get().currency == "KZT"
    # It shows on both institutions' pages.
    for institution in (centre, college):
        page = client.get(reverse("institutions:detail", args=[institution.pk]))
        assert "Memorandum with the college" in page.content.decode()


@pytest.mark.parametrize(
    "case", ["one_party", "same_twice", "end_before_start", "no_title", "bad_amount"]
)
def test_bad_forms_are_refused_with_messages_and_nothing_is_saved(client, case) -> None:
    a, b = InstitutionFactory(), InstitutionFactory()
    client.force_login(member(Role.PARTNERSHIP_COORDINATOR, a))
    parties = [(a, "domestic"), (b, "foreign")]
    extra: dict = {}
    if case == "one_party":
        parties = [(a, "domestic")]
    elif case == "same_twice":
        parties = [(a, "domestic"), (a, "foreign")]
    elif case == "end_before_start":
        extra = {"valid_from": "2025-05-01", "valid_until": "2024-05-01"}
    elif case == "no_title":
        extra = {"title_en": ""}
    elif case == "bad_amount":
        extra = {"funding-0-source": "Bank", "funding-0-amount": "-3", "funding-0-currency": "USD"}
    response = client.post(reverse("partnerships:agreement_create"), _form(parties, **extra))
    assert response.status_code == 200
    assert (
        "alert-danger" in response.content.decode()
        or "invalid-feedback" in response.content.decode()
    )
    assert Agreement.objects.count() == 0


def test_second_editor_gets_a_conflict_and_keeps_their_text(client) -> None:
    agreement = make_agreement()
    first, _second = coordinators(agreement)
    client.force_login(first)
    parties = [(p.institution, p.role) for p in agreement.parties.order_by("order")]
    stale = _form(parties, kind="strategic", title_en="Mine", revision=str(agreement.revision))
    fresh = _form(parties, kind="strategic", title_en="Theirs", revision=str(agreement.revision))
    assert (
        client.post(reverse("partnerships:agreement_edit", args=[agreement.pk]), fresh).status_code
        == 302
    )
    response = client.post(reverse("partnerships:agreement_edit", args=[agreement.pk]), stale)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this draft" in body
    assert 'value="Mine"' in body
    agreement.refresh_from_db()
    assert agreement.title_en == "Theirs"


def test_partners_approve_then_sign_upload_and_activate(client) -> None:
    agreement = make_agreement(valid_from=date(2024, 1, 1))
    home, away = coordinators(agreement)
    url = reverse("partnerships:agreement_detail", args=[agreement.pk])
    for person, party in zip((home, away), agreement.parties.order_by("order"), strict=True):
        client.force_login(person)
        client.post(
            reverse("partnerships:agreement_approve", args=[agreement.pk]),
            {"party": party.pk, "version": 1},
        )
    client.force_login(home)
    transition = reverse("partnerships:agreement_transition", args=[agreement.pk])
    client.post(transition, {"to": "negotiating"})
    client.post(transition, {"to": "signed", "signed_on": "2024-01-10"})
    upload = client.post(
        reverse("partnerships:document_upload", args=[agreement.pk]),
        {
            "kind": "signed",
            "title": "Signed scan",
            "file": SimpleUploadedFile("scan.pdf", b"%PDF-1.4 scan"),
        },
    )
    assert upload.status_code == 302
    client.post(transition, {"to": "active"})
    agreement.refresh_from_db()
    assert agreement.status == "active"
    assert Document.objects.filter(agreement=agreement).count() == 1
    page = client.get(url).content.decode()
    assert "Signed scan" in page


def test_approving_for_another_party_is_forbidden(client) -> None:
    agreement = make_agreement()
    home, _away = coordinators(agreement)
    other_party = agreement.parties.order_by("order")[1]
    client.force_login(home)
    response = client.post(
        reverse("partnerships:agreement_approve", args=[agreement.pk]),
        {"party": other_party.pk, "version": 1},
    )
    assert response.status_code == 403


def test_disallowed_transition_says_why(client) -> None:
    agreement = make_agreement()
    home, _ = coordinators(agreement)
    client.force_login(home)
    response = client.post(
        reverse("partnerships:agreement_transition", args=[agreement.pk]),
        {"to": "active"},
        follow=True,
    )
    assert "cannot become" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == "proposed"


def test_fake_document_is_refused_with_a_message(client) -> None:
    agreement = make_agreement()
    home, _ = coordinators(agreement)
    client.force_login(home)
    response = client.post(
        reverse("partnerships:document_upload", args=[agreement.pk]),
        {
            "kind": "annex",
            "title": "Evil",
            "file": SimpleUploadedFile("evil.pdf", b"<script>alert(1)</script>"),
        },
        follow=True,
    )
    assert "whatever its name says" in response.content.decode()
    assert Document.objects.count() == 0


def test_documents_stay_with_the_parties(client) -> None:
    agreement = make_agreement()
    home, _ = coordinators(agreement)
    client.force_login(home)
    client.post(
        reverse("partnerships:document_upload", args=[agreement.pk]),
        {"kind": "signed", "title": "Scan", "file": SimpleUploadedFile("s.pdf", b"%PDF-1.4 x")},
    )
    document = Document.objects.get()
    url = reverse("partnerships:document_download", args=[agreement.pk, document.pk])
    assert client.get(url).status_code == 200
    stranger = member(Role.PARTNERSHIP_COORDINATOR)
    client.force_login(stranger)
    assert client.get(url).status_code == 403
    observer = member(Role.MINISTRY_OBSERVER)
    client.force_login(observer)
    assert client.get(url).status_code == 200


def test_hidden_agreements_are_not_listed_for_strangers(client) -> None:
    make_agreement(titles={"en": "Secret memorandum"}, is_public=False)
    make_agreement(titles={"en": "Open memorandum"})
    client.force_login(member(Role.TEACHER))
    body = client.get(reverse("partnerships:agreement_list")).content.decode()
    assert "Open memorandum" in body and "Secret memorandum" not in body
    client.force_login(member(Role.MINISTRY_OBSERVER))
    body = client.get(reverse("partnerships:agreement_list")).content.decode()
    assert "Secret memorandum" in body


def test_list_filters(client) -> None:
    kz, us = InstitutionFactory(country="KZ"), InstitutionFactory(country="US")
    ua1, ua2 = InstitutionFactory(country="UA"), InstitutionFactory(country="UA")
    make_agreement(parties=[kz, us], titles={"en": "Kazakh–American"}, forms=["mentoring"])
    make_agreement(
        parties=[ua1, ua2], titles={"en": "Ukrainian pair"}, forms=["research"], kind="memorandum"
    )
    client.force_login(member(Role.MINISTRY_OBSERVER))
    url = reverse("partnerships:agreement_list")

    def titles(**params):
        return [a.title for a in client.get(url, params).context["page"].object_list]

    assert titles(country="US") == ["Kazakh–American"]
    assert titles(form="research") == ["Ukrainian pair"]
    assert titles(kind="memorandum") == ["Ukrainian pair"]
    assert titles(partner=str(kz.pk)) == ["Kazakh–American"]
    assert titles(q="ukrainian") == ["Ukrainian pair"]
    assert titles(status="signed") == []
    assert len(titles(country="ZZ", kind="?", status="?", form="?", programme="x")) == 2


def test_ending_soon_filter(client) -> None:
    from django.utils import timezone

    from consilium.partnerships import services
    from consilium.partnerships.tests.factories import approve_all

    soon = make_agreement(
        titles={"en": "Ends soon"},
        valid_from=date(2020, 1, 1),
        valid_until=timezone.localdate() + __import__("datetime").timedelta(days=40),
    )
    approve_all(soon)
    services.agreement_transition(agreement=soon, to="negotiating", by=None)
    services.agreement_transition(
        agreement=soon, to="signed", by=None, data={"signed_on": date(2020, 1, 1)}
    )
    make_agreement(titles={"en": "Draft ends soon too"})
    client.force_login(member(Role.MINISTRY_OBSERVER))
    page = client.get(reverse("partnerships:agreement_list"), {"ending_soon": "1"})
    assert [a.title for a in page.context["page"].object_list] == ["Ends soon"]


@pytest.mark.parametrize(
    "name", ["partnerships:agreement_list", "partnerships:network", "partnerships:programme_list"]
)
def test_list_query_counts_do_not_grow(client, name) -> None:
    from consilium.partnerships import services

    client.force_login(member(Role.MINISTRY_OBSERVER))
    programme = services.programme_create(
        owner=InstitutionFactory(kind="ministry"), titles={"en": "P0"}, starts_on=date(2016, 1, 1)
    )
    make_agreement(programme=programme)

    def add_rows() -> None:
        for n in range(19):
            p = services.programme_create(
                owner=InstitutionFactory(kind="ministry"),
                titles={"en": f"P{n + 1}"},
                starts_on=date(2016, 1, 1),
            )
            make_agreement(programme=p)

    assert_queries_constant(get_ok(client, reverse(name)), add_rows)


def test_programme_report_query_count_does_not_grow(client) -> None:
    from consilium.partnerships import services

    client.force_login(member(Role.MINISTRY_OBSERVER))
    programme = services.programme_create(
        owner=InstitutionFactory(kind="ministry"), titles={"en": "P"}, starts_on=date(2016, 1, 1)
    )

    def add():
        a = make_agreement(programme=programme)
        services.work_item_add(agreement=a, kind="result", title="R", period="2016")
        services.recommendation_add(agreement=a, text="Do")

    def add_rows() -> None:
        for _ in range(19):
            add()

    add()
    url = reverse("partnerships:programme_report", args=[programme.pk])
    assert_queries_constant(get_ok(client, url), add_rows)


def test_export_csv_respects_filters_and_visibility(client) -> None:
    make_agreement(titles={"en": '=HYPERLINK("x")'})
    make_agreement(titles={"en": "Hidden one"}, is_public=False)
    client.force_login(member(Role.TEACHER))
    response = client.get(reverse("partnerships:agreement_export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 2
    assert rows[1][1].startswith("'=")
    xlsx = client.get(reverse("partnerships:agreement_export", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_programme_set_up_by_network_admin(client) -> None:
    ministry = InstitutionFactory(kind="ministry")
    client.force_login(member(Role.NETWORK_ADMIN))
    response = client.post(
        reverse("partnerships:programme_create"),
        {
            "owner": ministry.pk,
            "starts_on": "2016-01-01",
            "ends_on": "2019-12-31",
            "title_en": "Strategic partnership",
            "title_ru": "Стратегическое партнёрство",
            "title_uk": "",
            "title_kk": "",
            "funding_frame": "World Bank and ministry",
            "description_en": "",
            "description_ru": "",
            "description_uk": "",
            "description_kk": "",
        },
    )
    assert response.status_code == 302
    from consilium.partnerships.models import Programme

    programme = Programme.objects.get()
    phase = client.post(
        reverse("partnerships:phase_add", args=[programme.pk]),
        {"number": 1, "title_en": "Phase I", "starts_on": "2016-01-01", "ends_on": "2015-12-31"},
        follow=True,
    )
    assert programme.phases.count() == 0
    assert "before the start" in phase.content.decode()


def test_institution_admin_of_a_ministry_sets_up_its_programmes_only(client) -> None:
    ministry = InstitutionFactory(kind="ministry")
    other_ministry = InstitutionFactory(kind="ministry")
    client.force_login(member(Role.INSTITUTION_ADMIN, ministry))
    data = {
        "starts_on": "2016-01-01",
        "title_en": "Mine",
        "title_ru": "",
        "title_uk": "",
        "title_kk": "",
        "description_en": "",
        "description_ru": "",
        "description_uk": "",
        "description_kk": "",
        "funding_frame": "",
    }
    refused = client.post(
        reverse("partnerships:programme_create"), {**data, "owner": other_ministry.pk}
    )
    assert refused.status_code == 200
    assert (
        client.post(
            reverse("partnerships:programme_create"), {**data, "owner": ministry.pk}
        ).status_code
        == 302
    )


def test_version_diff_page(client) -> None:
    agreement = make_agreement()
    home, _ = coordinators(agreement)
    client.force_login(home)
    parties = [(p.institution, p.role) for p in agreement.parties.order_by("order")]
    client.post(
        reverse("partnerships:agreement_edit", args=[agreement.pk]),
        _form(
            parties, kind="strategic", title_en="Renamed draft", revision=str(agreement.revision)
        ),
    )
    page = client.get(reverse("partnerships:agreement_diff", args=[agreement.pk])).content.decode()
    assert "title.en" in page and "Renamed draft" in page
    assert (
        client.get(
            reverse("partnerships:agreement_diff", args=[agreement.pk]), {"a": "99"}
        ).status_code
        == 404
    )


def test_anonymous_and_roleless_cannot_see_agreements(client) -> None:
    agreement = make_agreement()
    url = reverse("partnerships:agreement_detail", args=[agreement.pk])
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_a_coordinator_proposes_only_agreements_their_institution_is_party_to(client) -> None:
    a, b = InstitutionFactory(), InstitutionFactory()
    client.force_login(member(Role.PARTNERSHIP_COORDINATOR))
    response = client.post(
        reverse("partnerships:agreement_create"), _form([(a, "domestic"), (b, "foreign")])
    )
    assert response.status_code == 200
    assert "must be one of the parties" in response.content.decode()
    assert Agreement.objects.count() == 0


@pytest.mark.parametrize("params", [{"programme": "²"}, {"partner": "١٢"}, {"page": "x"}])
def test_odd_digits_in_filters_are_ignored(client, params) -> None:
    client.force_login(member(Role.MINISTRY_OBSERVER))
    assert client.get(reverse("partnerships:agreement_list"), params).status_code == 200
    assert client.get(reverse("partnerships:network"), params).status_code == 200


def test_odd_digits_in_the_diff_are_ignored(client) -> None:
    agreement = make_agreement()
    client.force_login(member(Role.MINISTRY_OBSERVER))
    url = reverse("partnerships:agreement_diff", args=[agreement.pk])
    assert client.get(url, {"a": "²", "b": "1"}).status_code == 200


def test_programme_counts_only_agreements_the_reader_may_see(client) -> None:
    from consilium.partnerships import services

    programme = services.programme_create(
        owner=InstitutionFactory(kind="ministry"), titles={"en": "P"}, starts_on=date(2016, 1, 1)
    )
    make_agreement(programme=programme)
    make_agreement(programme=programme, is_public=False)
    client.force_login(member(Role.TEACHER))
    page = client.get(reverse("partnerships:programme_list"))
    assert [p.agreement_count for p in page.context["page"].object_list] == [1]


def test_a_ministry_admin_cannot_move_a_programme_to_another_owner(client) -> None:
    from consilium.partnerships import services

    ministry, elsewhere = InstitutionFactory(kind="ministry"), InstitutionFactory(kind="ministry")
    programme = services.programme_create(
        owner=ministry, titles={"en": "P"}, starts_on=date(2016, 1, 1)
    )
    client.force_login(member(Role.INSTITUTION_ADMIN, ministry))
    data = {
        "owner": elsewhere.pk,
        "starts_on": "2016-01-01",
        "title_en": "P",
        "title_ru": "",
        "title_uk": "",
        "title_kk": "",
        "description_en": "",
        "description_ru": "",
        "description_uk": "",
        "description_kk": "",
        "funding_frame": "",
    }
    response = client.post(reverse("partnerships:programme_edit", args=[programme.pk]), data)
    assert response.status_code == 200
    programme.refresh_from_db()
    assert programme.owner == ministry
