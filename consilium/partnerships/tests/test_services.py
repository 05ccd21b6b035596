from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consilium.institutions.testing import InstitutionFactory
from consilium.partnerships import services
from consilium.partnerships.models import Agreement, AgreementParty, Document, Transition
from consilium.partnerships.tests.factories import approve_all, make_agreement

pytestmark = pytest.mark.django_db


def _edit(agreement, **changes):
    agreement.refresh_from_db()
    content = services.agreement_content(agreement)
    fields = {
        "kind": agreement.kind,
        "titles": content["title"],
        "forms": content["forms"],
        "parties": [
            services.PartyData(institution=p.institution, role=p.role)
            for p in agreement.parties.order_by("order")
        ],
        "valid_from": agreement.valid_from,
        "valid_until": agreement.valid_until,
    }
    fields.update(changes)
    return services.agreement_edit(
        agreement=agreement, expected_revision=agreement.revision, by=None, **fields
    )


def test_create_freezes_a_first_version_with_a_hash() -> None:
    agreement = make_agreement()
    version = services.current_version(agreement)
    assert version.number == 1
    assert version.content_hash == services.content_hash(services.agreement_content(agreement))
    assert agreement.status == "proposed"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"parties": "one"}, "parties"),
        ({"parties": "twice"}, "parties"),
        ({"valid_from": date(2025, 1, 1), "valid_until": date(2024, 1, 1)}, "valid_until"),
        ({"titles": {"en": ""}}, "title_en"),
        ({"kind": "alliance"}, "kind"),
        ({"forms": ["telepathy"]}, "forms"),
        ({"funding": [services.FundingData("Bank", "-5", "USD")]}, "funding"),
        ({"funding": [services.FundingData("Bank", "lots", "USD")]}, "funding"),
        ({"funding": [services.FundingData("Bank", "5", "DOLLARS")]}, "funding"),
    ],
)
def test_bad_agreements_are_refused_and_nothing_is_written(change, field) -> None:
    a, b = InstitutionFactory(), InstitutionFactory()
    if change.get("parties") == "one":
        change["parties"] = [a]
    elif change.get("parties") == "twice":
        change["parties"] = [a, a]
    with pytest.raises(ValidationError) as exc:
        make_agreement(parties=change.pop("parties", [a, b]), **change)
    assert field in exc.value.message_dict
    assert Agreement.objects.count() == 0
    assert AgreementParty.objects.count() == 0


def test_signing_needs_every_party_to_approve_the_same_version() -> None:
    agreement = make_agreement()
    services.agreement_transition(agreement=agreement, to="negotiating", by=None)
    first, second = agreement.parties.order_by("order")
    services.agreement_approve(agreement=agreement, party=first, by=None, version_number=1)
    with pytest.raises(ValidationError, match="approve the same version"):
        services.agreement_transition(
            agreement=agreement, to="signed", by=None, data={"signed_on": date(2024, 1, 5)}
        )
    services.agreement_approve(agreement=agreement, party=second, by=None, version_number=1)
    signed = services.agreement_transition(
        agreement=agreement, to="signed", by=None, data={"signed_on": date(2024, 1, 5)}
    )
    assert signed.status == "signed" and signed.signed_on == date(2024, 1, 5)
    assert Transition.objects.filter(agreement=agreement).count() == 2


def test_a_later_edit_invalidates_earlier_approvals() -> None:
    agreement = make_agreement()
    approve_all(agreement)
    assert services.missing_approvals(agreement) == []
    edited = _edit(agreement, number="NEW-1")
    assert services.current_version(edited).number == 2
    assert len(services.missing_approvals(edited)) == 2
    services.agreement_transition(agreement=edited, to="negotiating", by=None)
    with pytest.raises(ValidationError):
        services.agreement_transition(
            agreement=edited, to="signed", by=None, data={"signed_on": date(2024, 1, 5)}
        )


def test_approving_a_stale_version_is_refused() -> None:
    agreement = make_agreement()
    _edit(agreement, number="X-2")
    party = agreement.parties.first()
    with pytest.raises(ValidationError, match="changed since you opened it"):
        services.agreement_approve(agreement=agreement, party=party, by=None, version_number=1)


def test_saving_unchanged_content_makes_no_new_version() -> None:
    agreement = make_agreement()
    _edit(agreement)
    assert agreement.versions.count() == 1


def test_two_editors_second_is_told_of_the_conflict_and_nothing_is_lost() -> None:
    agreement = make_agreement()
    stale_revision = agreement.revision
    _edit(agreement, number="FIRST")
    with pytest.raises(services.ConflictError):
        services.agreement_edit(
            agreement=agreement,
            expected_revision=stale_revision,
            by=None,
            kind="strategic",
            titles={"en": "Second editor"},
            forms=[],
            parties=[
                services.PartyData(institution=p.institution, role=p.role)
                for p in agreement.parties.all()
            ],
        )
    agreement.refresh_from_db()
    assert agreement.number == "FIRST" and agreement.title_en == "Test partnership"


@pytest.mark.parametrize(
    "current, target",
    [
        ("proposed", "signed"),
        ("proposed", "active"),
        ("proposed", "expired"),
        ("proposed", "renewed"),
        ("proposed", "proposed"),
        ("proposed", "nonsense"),
    ],
)
def test_transitions_outside_the_table_are_refused(current, target) -> None:
    agreement = make_agreement()
    with pytest.raises(ValidationError, match="cannot become"):
        services.agreement_transition(agreement=agreement, to=target, by=None)
    agreement.refresh_from_db()
    assert agreement.status == current


def test_full_lifecycle_and_renewal() -> None:
    agreement = make_agreement(valid_from=date(2020, 1, 1), valid_until=date(2021, 12, 31))
    approve_all(agreement)
    for step, data in (
        ("negotiating", {}),
        ("signed", {"signed_on": date(2020, 1, 2)}),
        ("active", {}),
        ("expired", {}),
    ):
        agreement = services.agreement_transition(agreement=agreement, to=step, by=None, data=data)
    successor = services.agreement_renew(
        agreement=agreement, by=None, valid_from=date(2022, 1, 1), valid_until=None
    )
    agreement.refresh_from_db()
    assert agreement.status == "renewed"
    assert successor.renewal_of == agreement and successor.status == "proposed"
    assert successor.parties.count() == 2


def test_expiry_waits_for_the_end_date_and_termination_needs_a_reason() -> None:
    agreement = make_agreement(valid_until=timezone.localdate() + timedelta(days=10))
    approve_all(agreement)
    services.agreement_transition(agreement=agreement, to="negotiating", by=None)
    services.agreement_transition(
        agreement=agreement, to="signed", by=None, data={"signed_on": timezone.localdate()}
    )
    services.agreement_transition(agreement=agreement, to="active", by=None)
    with pytest.raises(ValidationError, match="after its end date"):
        services.agreement_transition(agreement=agreement, to="expired", by=None)
    with pytest.raises(ValidationError):
        services.agreement_transition(agreement=agreement, to="terminated", by=None)
    done = services.agreement_transition(
        agreement=agreement, to="terminated", by=None, data={"note": "Partner closed the programme"}
    )
    assert done.status == "terminated"


def test_signing_date_cannot_be_in_the_future() -> None:
    agreement = make_agreement()
    approve_all(agreement)
    services.agreement_transition(agreement=agreement, to="negotiating", by=None)
    with pytest.raises(ValidationError):
        services.agreement_transition(
            agreement=agreement,
            to="signed",
            by=None,
            data={"signed_on": timezone.localdate() + timedelta(days=3)},
        )


def test_documents_are_checked_by_content_and_versioned() -> None:
    agreement = make_agreement()
    pdf = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n...")
    first = services.document_upload(
        agreement=agreement, kind="signed", title="Signed scan", upload=pdf, by=None
    )
    png = SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n....")
    second = services.document_upload(
        agreement=agreement, kind="signed", title="Signed scan", upload=png, by=None
    )
    assert (first.version, second.version) == (1, 2)
    assert second.content_type == "image/png"
    with pytest.raises(ValidationError, match="whatever its name says"):
        services.document_upload(
            agreement=agreement,
            kind="annex",
            title="Fake",
            upload=SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 exe"),
            by=None,
        )
    assert Document.objects.count() == 2


def test_oversized_document_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(services.documents, "MAX_DOCUMENT_BYTES", 10)
    agreement = make_agreement()
    with pytest.raises(ValidationError, match="larger than"):
        services.document_upload(
            agreement=agreement,
            kind="annex",
            title="Big",
            upload=SimpleUploadedFile("b.pdf", b"%PDF-" + b"x" * 50),
            by=None,
        )


def test_funding_lines_are_kept_exactly() -> None:
    agreement = make_agreement(funding=[services.FundingData("World Bank", "1 250 000,50", "usd")])
    line = agreement.funding_lines.get()
    assert (line.amount, line.currency) == (Decimal("1250000.50"), "USD")


def test_recommendation_done_needs_evidence() -> None:
    agreement = make_agreement()
    rec = services.recommendation_add(agreement=agreement, text="Open a research office")
    with pytest.raises(ValidationError):
        services.recommendation_update(recommendation=rec, status="done", evidence="")
    services.recommendation_update(recommendation=rec, status="done", evidence="Order №12")
    rec.refresh_from_db()
    assert rec.done_on == timezone.localdate()


def test_version_diff_names_each_changed_field() -> None:
    agreement = make_agreement()
    _edit(agreement, number="N-7", titles={"en": "Renamed", "kk": "Сынақ серіктестігі"})
    older, newer = agreement.versions.order_by("number")
    fields = {c["field"] for c in services.version_diff(older.content, newer.content)}
    assert fields == {"number", "title.en"}


def test_parties_keep_their_identity_and_old_approvals_across_edits() -> None:
    agreement = make_agreement()
    approve_all(agreement)
    party_ids = sorted(agreement.parties.values_list("pk", flat=True))
    _edit(agreement, number="V2")
    assert sorted(agreement.parties.values_list("pk", flat=True)) == party_ids
    first = agreement.versions.get(number=1)
    assert first.approvals.count() == 2


def test_phases_and_programmes_check_their_dates() -> None:
    owner = InstitutionFactory(kind="ministry")
    with pytest.raises(ValidationError) as exc:
        services.programme_create(
            owner=owner, titles={"en": "P"}, starts_on=date(2020, 1, 1), ends_on=date(2019, 1, 1)
        )
    assert "ends_on" in exc.value.message_dict
    programme = services.programme_create(
        owner=owner, titles={"en": "P"}, starts_on=date(2020, 1, 1)
    )
    with pytest.raises(ValidationError):
        services.phase_add(
            programme=programme,
            number=1,
            titles={"en": "I"},
            starts_on=date(2020, 2, 1),
            ends_on=date(2020, 1, 1),
        )
    services.phase_add(
        programme=programme,
        number=1,
        titles={"en": "I"},
        starts_on=date(2020, 1, 1),
        ends_on=date(2020, 12, 31),
    )
    with pytest.raises(ValidationError, match="already has a phase"):
        services.phase_add(
            programme=programme,
            number=1,
            titles={"en": "Again"},
            starts_on=date(2020, 1, 1),
            ends_on=date(2020, 12, 31),
        )
    with pytest.raises(ValidationError):
        services.funder_add(programme=programme, source="Bank", amount=Decimal("-5"))
