"""Actions: recording, the lifecycle with its guards, the effectiveness check, evidence."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consilium.accounts.testing import UserFactory
from consilium.actions import lifecycle, services
from consilium.actions.models import Action, EvidenceFile
from consilium.actions.testing import make_action
from consilium.institutions.testing import InstitutionFactory

pytestmark = pytest.mark.django_db


def _refused(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


def test_an_action_keeps_its_titles_per_language_and_its_history() -> None:
    by = UserFactory()
    action = make_action(titles={"ru": "Открыть центр", "kk": "Орталық ашу"}, by=by, responsible=by)
    action.refresh_from_db()
    assert action.title_ru == "Открыть центр" and action.title_kk == "Орталық ашу"
    assert action.status == "open" and action.history.count() == 1
    services.action_transition(action=action, to="in_progress", by=by)
    assert [h.status for h in action.history.order_by("history_date")] == ["open", "in_progress"]
    assert action.history.latest("history_date").history_user == by


def test_a_due_date_before_the_day_it_was_decided_is_refused_and_nothing_is_written() -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as exc:
        make_action(due_on=today - timedelta(days=1))
    assert "due date" in _refused(exc)
    assert not Action.objects.exists()
    # A decision of the past may be recorded with the day it was taken.
    make_action(opened_on=today - timedelta(days=30), due_on=today - timedelta(days=1))


def test_the_lifecycle_is_the_table() -> None:
    assert lifecycle.allowed("open") == ("in_progress", "done", "dropped")
    assert lifecycle.allowed("verified") == ()
    action = make_action()
    with pytest.raises(ValidationError) as exc:
        services.action_transition(action=action, to="verified", by=None)
    assert "cannot go from “Open” to “Verified”" in _refused(exc)


def test_done_needs_evidence_and_dropped_a_reason() -> None:
    action = make_action()
    with pytest.raises(ValidationError) as exc:
        services.action_transition(action=action, to="done", by=None)
    assert "evidence" in _refused(exc)
    with pytest.raises(ValidationError) as exc:
        services.action_transition(action=action, to="dropped", by=None)
    assert "why" in _refused(exc)
    action.refresh_from_db()
    assert action.status == "open"
    services.action_transition(action=action, to="dropped", by=None, data={"drop_reason": "Moot"})
    assert Action.objects.get().drop_reason == "Moot"


def test_a_corrective_action_closes_only_after_an_effective_check() -> None:
    judge = UserFactory()
    action = make_action(kind="corrective")
    with pytest.raises(ValidationError) as exc:
        services.action_transition(action=action, to="done", by=None, data={"evidence": "x"})
    assert "effectiveness" in _refused(exc)
    services.action_transition(
        action=action, to="done", by=None, data={"evidence": "x", "check_criterion": "No repeat"}
    )
    with pytest.raises(ValidationError) as exc:
        services.action_transition(action=action, to="verified", by=None)
    assert "effectiveness is checked" in _refused(exc)
    services.action_judge(action=action, result="effective", by=judge)
    action.refresh_from_db()
    assert (action.status, action.check_result, action.checked_by) == (
        "verified",
        "effective",
        judge,
    )


def test_an_ineffective_check_reopens_the_work_as_a_linked_action() -> None:
    judge = UserFactory()
    action = make_action(kind="corrective", titles={"en": "Fix it", "ru": "Исправить"})
    services.action_transition(
        action=action, to="done", by=None, data={"evidence": "x", "check_criterion": "No repeat"}
    )
    with pytest.raises(ValidationError):
        services.action_judge(action=action, result="ineffective", by=judge)  # no note
    follow_up = services.action_judge(
        action=action, result="ineffective", note="It happened again", by=judge
    )
    action.refresh_from_db()
    assert action.check_result == "ineffective" and action.status == "done"
    assert follow_up.follow_up_of == action and follow_up.status == "open"
    assert follow_up.title_ru == "Исправить" and follow_up.kind == "corrective"


def test_evidence_files_are_checked_by_their_content() -> None:
    action = make_action()
    with pytest.raises(ValidationError) as exc:
        services.evidence_upload(
            action=action,
            title="Fake",
            upload=SimpleUploadedFile("fake.pdf", b"MZ\x90 not a pdf"),
            by=UserFactory(),
        )
    assert "whatever its name says" in _refused(exc)
    assert not EvidenceFile.objects.exists()
    item = services.evidence_upload(
        action=action,
        title="Minutes",
        upload=SimpleUploadedFile("m.pdf", b"%PDF-1.4 minutes"),
        by=UserFactory(),
    )
    assert item.content_type == "application/pdf"


def test_unknown_kind_and_empty_title_are_refused() -> None:
    with pytest.raises(ValidationError):
        make_action(kind="wish")
    with pytest.raises(ValidationError):
        make_action(titles={"en": "  "})
    assert not Action.objects.exists()


def test_a_long_text_keeps_its_start_as_title_and_the_whole_as_description() -> None:
    text = "word " * 100
    title, description = services.split_text(text)
    assert len(title) <= 300 and description == text.strip()
    assert services.split_text("short") == ("short", "")


def test_the_owner_institution_is_required() -> None:
    with pytest.raises(TypeError):
        services.action_create(kind="decision", titles={"en": "x"}, by=None)  # type: ignore[call-arg]
    assert InstitutionFactory()
