"""Writes of actions: record, edit, move through the lifecycle, judge, attach evidence."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from consilium.accounts.models import User
from consilium.actions import lifecycle, origins
from consilium.actions.choices import ActionKind, ActionStatus, CheckResult
from consilium.actions.models import Action, EvidenceFile
from consilium.core import uploads
from consilium.core.services import read_only, service
from consilium.institutions.models import Institution

LANGS = [code for code, _label in settings.LANGUAGES]
TITLE_LENGTH = 300
# The content version of everything here (cached pages that show actions carry it).
CONTENT = "actions"


@read_only
def split_text(text: str) -> tuple[str, str]:
    """A text as (title, description): the text itself when it fits a title, else its start
    as the title and the whole text as the description (nothing is cut off)."""
    text = (text or "").strip()
    if len(text) <= TITLE_LENGTH:
        return text, ""
    return Truncator(" ".join(text.split())).chars(TITLE_LENGTH), text


def _set_texts(action: Action, base: str, values: dict[str, str] | None) -> None:
    for lang, value in (values or {}).items():
        if lang in LANGS:
            setattr(action, f"{base}_{lang}", (value or "").strip())


def _check_dates(action: Action) -> None:
    today = timezone.localdate()
    if action.opened_on > today:
        raise ValidationError({"opened_on": [_("The day it was decided cannot be in the future.")]})
    if action.due_on is not None and action.due_on < action.opened_on:
        raise ValidationError(
            {
                "due_on": [
                    _("The due date cannot be before the day it was decided (%(date)s).")
                    % {"date": action.opened_on.isoformat()}
                ]
            }
        )
    if action.check_due_on is not None and action.check_due_on < action.opened_on:
        raise ValidationError(
            {"check_due_on": [_("The check cannot be judged before the day it was decided.")]}
        )


def _check_people(responsible: User | None) -> None:
    if responsible is not None and not responsible.is_active:
        raise ValidationError({"responsible": [_("The person responsible has left.")]})


def _link(action: Action, origin: Model | None, topic: Model | None) -> None:
    if origin is None:
        if topic is not None:
            raise ValidationError({"topic": [_("A topic needs the object it belongs to.")]})
        return
    registered = origins.origin_for(type(origin))
    if registered is None:
        raise ValidationError(_("Actions cannot be recorded on this kind of object."))
    action.origin_type = origins.content_type(type(origin))
    action.origin_id = origin.pk
    if topic is not None:
        allowed = {pk for pk, _label in registered.topics(origin)} if registered.topics else set()
        if topic.pk not in allowed or type(topic) is not registered.topic_model:
            raise ValidationError({"topic": [_("Choose a topic of the object it concerns.")]})
        action.topic_type = origins.content_type(type(topic))
        action.topic_id = topic.pk


@service(bumps=[CONTENT])
def action_create(
    *,
    institution: Institution,
    kind: str,
    titles: dict[str, str],
    by: User | None,
    descriptions: dict[str, str] | None = None,
    responsible: User | None = None,
    due_on: date | None = None,
    opened_on: date | None = None,
    origin: Model | None = None,
    topic: Model | None = None,
    check_criterion: str = "",
    check_due_on: date | None = None,
    follow_up_of: Action | None = None,
) -> Action:
    """Record an action. Titles and descriptions are given per language (``{"ru": ...}``)."""
    if kind not in ActionKind.values:
        raise ValidationError({"kind": [_("Choose a kind from the list.")]})
    if not any((value or "").strip() for value in titles.values()):
        raise ValidationError({"title": [_("Give the action a title.")]})
    _check_people(responsible)
    action = Action(
        kind=kind,
        institution=institution,
        responsible=responsible,
        created_by=by,
        opened_on=opened_on or timezone.localdate(),
        due_on=due_on,
        check_criterion=check_criterion.strip(),
        check_due_on=check_due_on,
        follow_up_of=follow_up_of,
    )
    _set_texts(action, "title", titles)
    _set_texts(action, "description", descriptions)
    _check_dates(action)
    _link(action, origin, topic)
    action._history_user = by  # type: ignore[attr-defined]
    action.full_clean(exclude=["title", "description"])
    action.save()
    return action


@read_only
def texts_in_language(
    text: str, language: str | None = None
) -> tuple[dict[str, str], dict[str, str]]:
    """Titles and descriptions for a text written in ``language`` (the active one)."""
    lang = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
    if lang not in LANGS:
        lang = settings.LANGUAGE_CODE
    title, description = split_text(text)
    return {lang: title}, ({lang: description} if description else {})


@service(bumps=[CONTENT])
def action_update(
    *,
    action: Action,
    by: User | None,
    titles: dict[str, str] | None = None,
    descriptions: dict[str, str] | None = None,
    responsible: User | None = None,
    due_on: date | None = None,
    evidence: str | None = None,
    check_criterion: str | None = None,
    check_due_on: date | None = None,
) -> Action:
    """Change what the action says and who owns it when; the status moves through
    ``action_transition``. Titles given replace those languages; others stay."""
    _check_people(responsible)
    if titles is not None:
        _set_texts(action, "title", titles)
        if not any(getattr(action, f"title_{lang}", "") for lang in LANGS):
            raise ValidationError({"title": [_("Give the action a title.")]})
    if descriptions is not None:
        _set_texts(action, "description", descriptions)
    action.responsible = responsible
    action.due_on = due_on
    if evidence is not None:
        if action.status in (ActionStatus.DONE, ActionStatus.VERIFIED) and not evidence.strip():
            raise ValidationError({"evidence": [_("Give the evidence that it is done.")]})
        action.evidence = evidence.strip()
    if check_criterion is not None:
        action.check_criterion = check_criterion.strip()
    action.check_due_on = check_due_on
    _check_dates(action)
    action._history_user = by  # type: ignore[attr-defined]
    action.full_clean(exclude=["title", "description"])
    action.save()
    return action


@service(bumps=[CONTENT])
def action_transition(
    *, action: Action, to: str, by: User | None, data: dict[str, Any] | None = None
) -> Action:
    """Move the action to ``to`` as the transition table allows (``lifecycle.py``)."""
    if to not in ActionStatus.values:
        raise ValidationError({"status": [_("Choose a status from the list.")]})
    if to == action.status:
        return action
    lifecycle.MACHINE.check(action.status, to, action=action, data=data or {})
    action.status = to
    action._history_user = by  # type: ignore[attr-defined]
    action.full_clean(exclude=["title", "description"])
    action.save()
    return action


@service(bumps=[CONTENT])
def action_judge(
    *,
    action: Action,
    result: str,
    by: User,
    note: str = "",
    follow_up_due_on: date | None = None,
) -> Action:
    """Record the effectiveness check of a done action. Effective: it is verified (closed).
    Not effective: the work reopens as a new action linked to this one, which is returned."""
    if result not in CheckResult.values:
        raise ValidationError({"result": [_("Choose a result from the list.")]})
    if action.status != ActionStatus.DONE:
        raise ValidationError(_("Only an action that is done can be judged."))
    if not action.check_criterion:
        raise ValidationError(
            {"check_criterion": [_("Say how its effectiveness is judged first.")]}
        )
    action.check_result = result
    action.check_note = note.strip()
    action.checked_by = by
    action.checked_on = timezone.localdate()
    action._history_user = by  # type: ignore[attr-defined]
    if result == CheckResult.EFFECTIVE:
        lifecycle.MACHINE.check(action.status, ActionStatus.VERIFIED, action=action, data={})
        action.status = ActionStatus.VERIFIED
        action.save()
        return action
    if not action.check_note:
        raise ValidationError({"note": [_("Say why it was not effective.")]})
    action.save()
    return action_create(
        institution=action.institution,
        kind=action.kind,
        titles={lang: getattr(action, f"title_{lang}", "") or "" for lang in LANGS},
        descriptions={lang: getattr(action, f"description_{lang}", "") or "" for lang in LANGS},
        by=by,
        responsible=action.responsible
        if action.responsible and action.responsible.is_active
        else None,
        due_on=follow_up_due_on,
        origin=action.origin,
        topic=action.topic,
        check_criterion=action.check_criterion,
        follow_up_of=action,
    )


@service(bumps=[CONTENT])
def evidence_upload(*, action: Action, title: str, upload: Any, by: User) -> EvidenceFile:
    """A file that shows the work is done: a PDF, PNG or JPEG, checked by its first bytes."""
    title = title.strip()
    if not title:
        raise ValidationError({"title": [_("Give the file a title.")]})
    data, content_type, extension = uploads.read_checked(upload)
    item = EvidenceFile(
        action=action,
        title=title,
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=by,
    )
    item.file.save(
        f"action-{action.pk}-{item.sha256[:16]}{extension}", ContentFile(data), save=False
    )
    try:
        item.save()
    except Exception:
        item.file.delete(save=False)
        raise
    return item
