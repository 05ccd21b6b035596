"""EWP IIA v7: exports validate against the official schema; official files import."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any
from xml.etree import ElementTree as ET

import pytest
import xmlschema
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from consilium.accounts.testing import UserFactory
from consilium.core.roles import Role
from consilium.institutions.models import Institution
from consilium.institutions.testing import InstitutionFactory, member
from consilium.partnerships import ewp
from consilium.partnerships.models import Agreement
from consilium.partnerships.tests.factories import make_agreement

pytestmark = pytest.mark.django_db

#: The official EWP files, vendored byte for byte (see ``standards/README.md``).
OFFICIAL = ewp.SCHEMA_PATH.parent
NS = {"i": ewp.NS, "c": ewp.NS_CONTACT}


@pytest.fixture(scope="module")
def official_schema() -> xmlschema.XMLSchema10:
    """The official schema loaded on its own, not through the application's validator."""
    return xmlschema.XMLSchema10(str(OFFICIAL / "iia-get.xsd"), allow="local")


def official_example() -> bytes:
    return (OFFICIAL / "iia-get-example.xml").read_bytes()


def erasmus(**fields: Any) -> Agreement:
    parties = fields.pop("parties", None) or [
        InstitutionFactory(name_en="Astana Medical University", website="https://amu.kz/"),
        InstitutionFactory(
            name_en="Uniwersytet Warszawski", country="PL", website="https://www.uw.edu.pl"
        ),
    ]
    data: dict[str, Any] = {
        "kind": "erasmus_iia",
        "titles": {"en": "Erasmus+ exchange"},
        "forms": ["mobility"],
        "number": "2024/E+/KZ-PL/1",
        "valid_from": date(2024, 9, 1),
        "valid_until": date(2027, 8, 31),
    }
    data.update(fields)
    return make_agreement(parties=parties, **data)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, data: bytes, name: str = "iia.xml") -> Any:
    return client.post(
        reverse("partnerships:iia_import"),
        {"file": SimpleUploadedFile(name, data, content_type="application/xml")},
    )


def problems_of(response: Any) -> list[str]:
    return [str(error) for error in response.context["form"].non_field_errors()] + [
        str(error) for error in response.context["form"].errors.get("file", [])
    ]


def partners_from_example() -> Any:
    """Institutions whose websites give the example's hei-ids uw.edu.pl and hibo.no.

    Returns Warsaw, whose coordinator may import the agreement (a proposer must be a party).
    """
    warsaw = InstitutionFactory(
        name_en="University of Warsaw", country="PL", website="https://www.uw.edu.pl/"
    )
    InstitutionFactory(name_en="Bergen University College", country="NO", website="http://hibo.no")
    return warsaw


# --- identifiers -------------------------------------------------------------------------


def test_hei_id_is_the_website_domain_or_a_name_slug_with_the_country() -> None:
    assert ewp.hei_id(InstitutionFactory(website="https://www.duke.edu/about")) == "duke.edu"
    assert ewp.hei_id(InstitutionFactory(website="HTTP://Uw.Edu.PL")) == "uw.edu.pl"
    no_site = InstitutionFactory(name_en="Almaty Medical College", country="KZ", website="")
    assert ewp.hei_id(no_site) == "almaty-medical-college.kz"
    assert ewp.match_institution("almaty-medical-college.kz") == [no_site]


def test_academic_years_follow_september() -> None:
    agreement = erasmus(valid_from=date(2024, 1, 15), valid_until=date(2027, 12, 31))
    assert ewp.academic_years(agreement) == ("2023/2024", "2027/2028")
    assert ewp.year_dates("2023/2024", "2027/2028") == (date(2023, 9, 1), date(2028, 8, 31))


# --- export ------------------------------------------------------------------------------


def test_export_validates_against_the_official_schema(official_schema) -> None:
    agreement = erasmus()
    coordinator = member(Role.PARTNERSHIP_COORDINATOR, agreement.parties.get(order=1).institution)
    response = signed_in(coordinator).get(reverse("partnerships:iia_export", args=[agreement.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    official_schema.validate(response.content)  # raises on any error

    root = ET.fromstring(response.content)
    iia = root.find("i:iia", NS)
    partners = iia.findall("i:partner", NS)
    assert [p.findtext("i:hei-id", namespaces=NS) for p in partners] == ["uw.edu.pl", "amu.kz"]
    # The requesting coordinator's institution comes first and carries the ids.
    assert partners[0].findtext("i:iia-id", namespaces=NS) == ewp.iia_id(agreement)
    assert partners[0].findtext("i:iia-code", namespaces=NS) == "2024/E+/KZ-PL/1"
    assert partners[1].find("i:iia-id", NS) is None
    assert iia.findtext("i:in-effect", namespaces=NS) == "false"
    specs = list(iia.find("i:cooperation-conditions", NS))
    assert [ewp.local_name(s.tag) for s in specs] == [
        ewp.STUDENT_STUDIES,
        ewp.STUDENT_STUDIES,
        ewp.STAFF_TEACHER,
        ewp.STAFF_TEACHER,
    ]
    assert {s.findtext("i:receiving-first-academic-year-id", namespaces=NS) for s in specs} == {
        "2024/2025"
    }
    assert {s.findtext("i:receiving-last-academic-year-id", namespaces=NS) for s in specs} == {
        "2026/2027"
    }
    codes = [e.text for e in iia.iter(f"{{{ewp.NS}}}isced-f-code")]
    assert codes and all(len(code) == 4 and code.isdigit() for code in codes)
    assert {e.text for e in iia.iter(f"{{{ewp.NS}}}cefr-level")} == {"B2"}
    assert iia.findtext("i:iia-hash", namespaces=NS) == ewp.iia_hash(iia)


def test_without_membership_of_a_party_the_first_party_is_local(official_schema) -> None:
    agreement = erasmus(forms=["mobility", "practice", "cpd"])
    agreement.parties.filter(order=0).update(signatory="Dr A. Bekova", contact_email="iro@amu.kz")
    reader = member(Role.MINISTRY_OBSERVER)
    response = signed_in(reader).get(reverse("partnerships:iia_export", args=[agreement.pk]))
    assert response.status_code == 200
    official_schema.validate(response.content)
    root = ET.fromstring(response.content)
    first = root.find("i:iia/i:partner", NS)
    assert first.findtext("i:hei-id", namespaces=NS) == "amu.kz"
    assert first.findtext("i:signing-contact/c:contact-name", namespaces=NS) == "Dr A. Bekova"
    assert first.findtext("c:contact/c:email", namespaces=NS) == "iro@amu.kz"
    kinds = {ewp.local_name(s.tag) for s in root.find("i:iia/i:cooperation-conditions", NS)}
    assert kinds == set(ewp.SPEC_KINDS)


def test_the_iia_hash_reproduces_the_official_example() -> None:
    root = ewp.parse(official_example())
    iia = root.find("i:iia", NS)
    assert ewp.iia_hash(iia) == iia.findtext("i:iia-hash", namespaces=NS)
    text = ewp.text_to_hash(iia)
    assert text.startswith("_iia-id_1=0f7a5682-faf7-49a7-9cc7-ec486c49a281__iia-id_2=1954991_")
    assert "contact" not in text  # contacts are left out of the hash


def test_the_hash_leaves_out_what_is_not_yet_defined_and_uses_the_v6_isced() -> None:
    root = ewp.parse(official_example())
    iia = root.find("i:iia", NS)
    spec = iia.find("i:cooperation-conditions/i:student-studies-mobility-spec", NS)
    spec.find("i:mobilities-per-year", NS).set("not-yet-defined", "true")
    spec.find("i:subject-area/i:isced-f-code", NS).set("v6-value", "031")
    text = ewp.text_to_hash(iia)
    assert "student-studies-mobility-spec.mobilities-per-year" not in text
    assert "_student-studies-mobility-spec.subject-area.isced-f-code=031_" in text
    assert "not-yet-defined" not in text and "v6-value" not in text


def test_a_non_erasmus_agreement_is_not_exported() -> None:
    agreement = make_agreement()  # a strategic partnership
    user = member(Role.PARTNERSHIP_COORDINATOR, agreement.parties.first().institution)
    response = signed_in(user).get(reverse("partnerships:iia_export", args=[agreement.pk]))
    assert response.status_code == 404
    assert "Only an Erasmus+ inter-institutional agreement" in response.content.decode()


def test_an_agreement_of_three_parties_is_not_exported() -> None:
    agreement = erasmus(parties=[InstitutionFactory(), InstitutionFactory(), InstitutionFactory()])
    user = member(Role.PARTNERSHIP_COORDINATOR, agreement.parties.first().institution)
    response = signed_in(user).get(
        reverse("partnerships:iia_export", args=[agreement.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(
        "partnerships:agreement_detail", args=[agreement.pk]
    )
    assert "exactly two partners" in response.content.decode()


def test_an_erasmus_agreement_without_mobility_is_not_exported() -> None:
    agreement = erasmus(forms=["research"])
    with pytest.raises(ewp.EwpError, match="no cooperation conditions"):
        ewp.export_agreement(agreement, local_institution_ids=())


def test_an_export_the_schema_refuses_is_not_produced(monkeypatch) -> None:
    agreement = erasmus()
    monkeypatch.setattr(ewp.iia_export, "DEFAULT_ISCED", "091")
    with pytest.raises(ewp.EwpError) as refused:
        ewp.export_agreement(agreement, local_institution_ids=())
    assert any("“091” is not a four-digit ISCED-F" in p for p in refused.value.problems)
    user = member(Role.PARTNERSHIP_COORDINATOR, agreement.parties.first().institution)
    response = signed_in(user).get(
        reverse("partnerships:iia_export", args=[agreement.pk]), follow=True
    )
    assert response.status_code == 200
    assert "does not satisfy the EWP schema" in response.content.decode()


# --- import ------------------------------------------------------------------------------


def test_the_official_example_imports_as_a_draft() -> None:
    coordinator = member(Role.PARTNERSHIP_COORDINATOR, partners_from_example())
    response = upload(signed_in(coordinator), official_example())
    assert response.status_code == 302, problems_of(response) if response.context else None
    agreement = Agreement.objects.get(kind="erasmus_iia")
    assert response["Location"] == reverse("partnerships:agreement_detail", args=[agreement.pk])
    assert agreement.status == "proposed"
    assert agreement.number == "983/E+/III14&15"
    assert agreement.title == "University of Warsaw – Bergen University College"
    parties = list(agreement.parties.order_by("order"))
    assert [(p.institution.website, p.role) for p in parties] == [
        ("https://www.uw.edu.pl/", "domestic"),
        ("http://hibo.no", "foreign"),
    ]
    assert parties[0].signatory == "Sylwia Nowak"
    assert parties[0].contact_name == "Jadwiga Kowalska"
    assert parties[1].signatory == "Monica Turner"
    assert set(agreement.forms.values_list("form", flat=True)) == {"mobility", "practice", "cpd"}
    assert (agreement.valid_from, agreement.valid_until) == (date(2014, 9, 1), date(2021, 8, 31))
    assert "0314" in agreement.summary and "1954991" in agreement.summary
    assert agreement.created_by == coordinator


def test_the_importers_own_institution_becomes_the_domestic_party() -> None:
    partners_from_example()
    bergen = Institution.objects.get(website="http://hibo.no")
    response = upload(signed_in(member(Role.INSTITUTION_ADMIN, bergen)), official_example())
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.parties.get(role="domestic").institution == bergen
    assert agreement.title.startswith("Bergen University College – ")


def test_export_then_import_gives_the_same_agreement(official_schema) -> None:
    original = erasmus(forms=["mobility", "practice"])
    amu = original.parties.get(order=0).institution
    coordinator = member(Role.PARTNERSHIP_COORDINATOR, amu)
    client = signed_in(coordinator)
    exported = client.get(reverse("partnerships:iia_export", args=[original.pk])).content
    official_schema.validate(exported)
    response = upload(client, exported)
    assert response.status_code == 302
    copy = Agreement.objects.exclude(pk=original.pk).get()
    assert copy.kind == "erasmus_iia" and copy.number == original.number
    assert [(p.institution, p.role) for p in copy.parties.order_by("order")] == [
        (p.institution, p.role) for p in original.parties.order_by("order")
    ]
    assert set(copy.forms.values_list("form", flat=True)) == {"mobility", "practice"}
    assert (copy.valid_from, copy.valid_until) == (original.valid_from, original.valid_until)
    # And the copy exports the same cooperation conditions, hence the same hash but for its id.
    again = client.get(reverse("partnerships:iia_export", args=[copy.pk])).content
    official_schema.validate(again)
    first = ET.fromstring(exported).find("i:iia/i:cooperation-conditions", NS)
    second = ET.fromstring(again).find("i:iia/i:cooperation-conditions", NS)
    assert ET.tostring(first) == ET.tostring(second)


def _example_with(old: bytes, new: bytes) -> bytes:
    data = official_example()
    assert old in data
    return data.replace(old, new, 1)


REFUSED = [
    pytest.param(
        lambda: _example_with(b"<isced-f-code>0314<", b"<isced-f-code>031<"),
        "“031” is not a four-digit ISCED-F subject area code.",
        id="isced-3-digits",
    ),
    pytest.param(
        lambda: _example_with(b"<cefr-level>B1<", b"<cefr-level>B3<"),
        "“B3” is not a CEFR language level",
        id="cefr",
    ),
    pytest.param(
        lambda: official_example()[:-40],
        "not well-formed XML",
        id="malformed",
    ),
    pytest.param(
        lambda: b"",
        "The submitted file is empty.",
        id="empty",
    ),
    pytest.param(
        lambda: (
            b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
            b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
            b"<lolz>&lol3;</lolz>"
        ),
        "declares a document type or entities",
        id="entity-bomb",
    ),
    pytest.param(
        lambda: (
            b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<r>&x;</r>"
        ),
        "declares a document type or entities",
        id="external-entity",
    ),
    pytest.param(
        lambda: official_example() + b"<!--" + b"x" * (2 * 1024 * 1024) + b"-->",
        "larger than 2 MB",
        id="oversized",
    ),
    pytest.param(
        lambda: b'<iias-get-response xmlns="urn:something-else"/>',
        "This is not an EWP inter-institutional agreement",
        id="other-document",
    ),
    pytest.param(
        lambda: _example_with(b"<in-effect>true</in-effect>", b""),
        "Not valid for the EWP schema",
        id="schema",
    ),
]


@pytest.mark.parametrize("make, message", REFUSED)
def test_bad_files_are_refused_with_a_message_and_nothing_is_created(make, message) -> None:
    partners_from_example()
    response = upload(signed_in(member(Role.PARTNERSHIP_COORDINATOR)), make())
    assert response.status_code == 200
    problems = problems_of(response)
    assert any(message in problem for problem in problems), problems
    assert "nothing was saved" in response.content.decode()
    assert not Agreement.objects.exists()


def test_an_unknown_partner_is_named_and_nothing_is_created() -> None:
    InstitutionFactory(name_en="University of Warsaw", country="PL", website="https://uw.edu.pl")
    response = upload(signed_in(member(Role.PARTNERSHIP_COORDINATOR)), official_example())
    problems = problems_of(response)
    assert problems == [
        "Agreement 1: partner 2 (hibo.no) matches no institution of the directory; add it, "
        "with a website on that domain, and import again."
    ]
    assert not Agreement.objects.exists()


def test_all_or_nothing_when_one_of_several_iias_fails() -> None:
    partners_from_example()
    data = official_example()
    start, end = data.index(b"<iia>"), data.index(b"</iia>") + len(b"</iia>")
    broken = data[start:end].replace(
        b"<iia-code>983/E+/III14&amp;15<", b"<iia-code>" + b"9" * 61 + b"<"
    )
    response = upload(
        signed_in(member(Role.PARTNERSHIP_COORDINATOR)), data[:end] + broken + data[end:]
    )
    assert problems_of(response) == [
        "Agreement 2: the agreement code " + "9" * 61 + " is longer than 60 characters."
    ]
    assert not Agreement.objects.exists()


def test_a_wrong_iia_hash_imports_with_a_warning() -> None:
    warsaw = partners_from_example()
    data = _example_with(b"<iia-hash>e950", b"<iia-hash>0000")
    client = signed_in(member(Role.PARTNERSHIP_COORDINATOR, warsaw))
    response = client.post(
        reverse("partnerships:iia_import"),
        {"file": SimpleUploadedFile("iia.xml", data)},
        follow=True,
    )
    assert Agreement.objects.count() == 1
    assert "its iia-hash does not match its cooperation conditions" in response.content.decode()


def test_problems_are_reported_in_the_users_language() -> None:
    client = signed_in(member(Role.PARTNERSHIP_COORDINATOR))
    client.cookies["consilium_language"] = "ru"
    response = upload(client, b"")
    assert response.context["LANGUAGE_CODE"] == "ru"
    assert problems_of(response) == ["Отправленный файл пуст."]
    assert not Agreement.objects.exists()


def test_the_vendored_files_are_the_official_ones() -> None:
    """Every vendored EWP file has the digest the upstream file had (``SHA256SUMS``)."""
    lines = (OFFICIAL / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {name: digest for digest, name in (line.split(maxsplit=1) for line in lines)}
    assert {p.name for p in OFFICIAL.iterdir()} - {"SHA256SUMS"} == set(listed)
    for name, digest in listed.items():
        assert hashlib.sha256((OFFICIAL / name).read_bytes()).hexdigest() == digest, name


# --- access ------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_sign_in() -> None:
    agreement = erasmus()
    for url in (
        reverse("partnerships:iia_export", args=[agreement.pk]),
        reverse("partnerships:iia_import"),
    ):
        response = Client().get(url)
        assert response.status_code == 302
        assert "/accounts/sign-in/" in response["Location"]


def test_a_user_without_membership_is_refused() -> None:
    agreement = erasmus()
    client = signed_in(UserFactory())
    assert client.get(reverse("partnerships:iia_export", args=[agreement.pk])).status_code == 403
    assert client.get(reverse("partnerships:iia_import")).status_code == 403
    assert upload(client, b"<x/>").status_code == 403


def test_a_member_who_may_not_create_agreements_may_not_import() -> None:
    teacher = member(Role.TEACHER)
    assert signed_in(teacher).get(reverse("partnerships:iia_import")).status_code == 403


def test_the_import_page_shows_the_form() -> None:
    response = signed_in(member(Role.PARTNERSHIP_COORDINATOR)).get(
        reverse("partnerships:iia_import")
    )
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_a_coordinator_of_neither_partner_cannot_import() -> None:
    partners_from_example()
    response = upload(signed_in(member(Role.PARTNERSHIP_COORDINATOR)), official_example())
    assert response.status_code == 200
    assert "must be one of the parties" in response.content.decode()
    assert not Agreement.objects.exists()
