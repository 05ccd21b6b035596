"""Writes to the directory: institutions, memberships, invitations, imports.

Every function is keyword-only, runs in a transaction, validates before it writes and raises
``django.core.exceptions.ValidationError`` with messages in the active language.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from consilium.accounts.models import EventKind, User
from consilium.accounts.services import security_event_record
from consilium.core import public_cache
from consilium.core.access import forget_grants
from consilium.core.crypto import seal
from consilium.core.roles import Role
from consilium.core.services import read_only, service
from consilium.core.text import document_words, search_document, search_key
from consilium.institutions import policy
from consilium.institutions.models import Institution, Invitation, Membership, SearchWord
from consilium.institutions.tasks import INVITATION_SEAL, invitation_url, send_invitation

LANGS = [code for code, _label in settings.LANGUAGES]
TRANSLATED = ("name", "short_name", "city")
PLAIN = ("kind", "country", "website", "aliases", "parent")


@read_only
def institution_fields() -> list[str]:
    """Every field a form, an import or the API may set, per-language columns included."""
    return [f"{base}_{lang}" for base in TRANSLATED for lang in LANGS] + list(PLAIN)


def _refresh_keys(institution: Institution) -> None:
    names: list[str | None] = []
    for base in ("name", "short_name"):
        names += [getattr(institution, f"{base}_{lang}", "") for lang in LANGS]
    names += (institution.aliases or "").splitlines()
    institution.search_text = search_document(*names)
    institution.name_key = search_key(institution.english_name)[:300]


@service
def institution_search_rebuild(institutions: list[Institution]) -> None:
    """Store the search words of saved institutions (also used by bulk loaders).

    Every write to the directory passes here, so this is where cached public answers about
    the directory are retired.
    """
    public_cache.bump("directory")
    ids = [i.pk for i in institutions]
    SearchWord.objects.filter(institution_id__in=ids).delete()
    SearchWord.objects.bulk_create(
        [
            SearchWord(institution_id=i.pk, word=word)
            for i in institutions
            for word in sorted(document_words(i.search_text))
        ],
        batch_size=1000,
    )


def _check(institution: Institution) -> None:
    errors: dict[str, list[str]] = {}
    if not (institution.english_name).strip():
        errors["name_en"] = [_("Give the name in English.")]
    if institution.parent_id and institution.pk and institution.parent_id == institution.pk:
        errors["parent"] = [_("An institution cannot be its own branch.")]
    parent = institution.parent
    seen = {institution.pk}
    while parent is not None and institution.pk:
        if parent.pk in seen:
            errors["parent"] = [_("This would make a circle of branches.")]
            break
        seen.add(parent.pk)
        parent = parent.parent
    try:
        institution.full_clean(exclude=["name_key", "search_text"], validate_unique=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if not errors.get("name_en"):
        clash = Institution.objects.filter(
            country=institution.country, name_key=institution.name_key
        ).exclude(pk=institution.pk)
        if clash.exists():
            errors.setdefault("name_en", []).append(
                _("%(name)s is already in the directory for this country.")
                % {"name": institution.english_name}
            )
    if errors:
        raise ValidationError(errors)


def _assign(institution: Institution, data: dict[str, Any]) -> None:
    for field in institution_fields():
        if field in data:
            value = data[field]
            if isinstance(value, str):
                value = value.strip()
            if value is None and field != "parent":
                value = ""
            if field == "aliases":
                value = "\n".join(line.strip() for line in value.splitlines() if line.strip())
            setattr(institution, field, value)


@service
def institution_create(*, data: dict[str, Any], by: User | None = None) -> Institution:
    institution = Institution()
    _assign(institution, data)
    _refresh_keys(institution)
    _check(institution)
    try:
        with transaction.atomic():
            institution.save()
            institution_search_rebuild([institution])
    except IntegrityError as exc:  # a concurrent insert of the same name
        raise ValidationError(
            {
                "name_en": [
                    _("%(name)s is already in the directory for this country.")
                    % {"name": institution.english_name}
                ]
            }
        ) from exc
    return institution


@service
def institution_update(
    *, institution: Institution, data: dict[str, Any], by: User | None = None
) -> Institution:
    institution = Institution.objects.select_for_update().get(pk=institution.pk)
    _assign(institution, data)
    _refresh_keys(institution)
    _check(institution)
    institution.save()
    institution_search_rebuild([institution])
    return institution


# --- people ------------------------------------------------------------------------------


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass
class InvitationSent:
    invitation: Invitation
    url: str


@service
def invitation_create(
    *, institution: Institution, email: str, role: str, invited_by: User
) -> InvitationSent:
    email = email.strip().lower()
    _check_grantable(role, invited_by)
    if Membership.objects.filter(
        institution=institution, role=role, user__email__iexact=email
    ).exists():
        raise ValidationError(
            {"email": [_("%(email)s already holds this role here.") % {"email": email}]}
        )
    if Invitation.objects.filter(
        institution=institution,
        role=role,
        email__iexact=email,
        accepted_at__isnull=True,
        cancelled_at__isnull=True,
    ).exists():
        raise ValidationError(
            {"email": [_("%(email)s has already been invited with this role.") % {"email": email}]}
        )
    raw = secrets.token_urlsafe(32)
    existing = User.objects.filter(email__iexact=email).first()
    language = (existing.language if existing and existing.language else None) or (
        translation.get_language() or settings.LANGUAGE_CODE
    )
    invitation = Invitation.objects.create(
        email=email,
        institution=institution,
        role=role,
        token_hash=_hash(raw),
        token_sealed=seal(INVITATION_SEAL, raw),
        language=language,
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )
    url = invitation_url(raw)
    # The task carries the invitation's id only: the link (a bearer token that may carry an
    # administrator's role) is unsealed and put in the mail when it is sent (tasks.py).
    transaction.on_commit(lambda: send_invitation.enqueue(invitation_id=invitation.pk))
    return InvitationSent(invitation=invitation, url=url)


@read_only
def invitation_detail_by_token(raw: str) -> Invitation | None:
    if not raw or len(raw) > 100:
        return None
    return (
        Invitation.objects.select_related("institution", "invited_by")
        .filter(token_hash=_hash(raw))
        .first()
    )


@read_only
def invitation_problem(invitation: Invitation | None) -> str | None:
    """Why an invitation cannot be accepted, or None."""
    if invitation is None:
        return _("This invitation link is not valid.")
    if invitation.cancelled_at:
        return _("This invitation was cancelled.")
    if invitation.accepted_at:
        return _("This invitation has already been accepted.")
    if invitation.expires_at < timezone.now():
        return _("This invitation has expired. Ask for a new one.")
    return None


@service
def invitation_accept(
    *,
    invitation: Invitation,
    user: User | None = None,
    full_name: str = "",
    password: str = "",
) -> Membership:
    """Accept as the signed-in ``user``, or create the account from name and password."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    problem = invitation_problem(invitation)
    if problem:
        raise ValidationError(problem)
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                _("An account with this e-mail address exists: sign in to accept.")
            )
        user = User.objects.create_user(
            email=invitation.email,
            password=password,
            full_name=full_name.strip(),
            language=translation.get_language() or "",
        )
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s; sign in with that address.")
            % {"email": invitation.email}
        )
    membership, _created = Membership.objects.get_or_create(
        user=user,
        institution=invitation.institution,
        role=invitation.role,
        defaults={"created_by": invitation.invited_by},
    )
    security_event_record(kind=EventKind.ROLE_GIVEN, actor=user, subject=user.email, institution_id=invitation.institution_id, details={"role": invitation.role, "invitation": invitation.pk})  # fmt: skip
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    forget_grants(user)
    return membership


@service
def invitation_cancel(*, invitation: Invitation, by: User) -> Invitation:
    if invitation.is_open:
        invitation.cancelled_at = timezone.now()
        invitation.save(update_fields=["cancelled_at"])
    return invitation


def _check_grantable(role: str, by: User) -> None:
    if role not in Role.values:
        raise ValidationError({"role": [_("Choose a role from the list.")]})
    if not policy.may_give_role(by, role):
        raise ValidationError(
            {"role": [_("Only a network administrator may give a network-wide role.")]}
        )


def _last_admin_guard(membership: Membership, new_role: str | None) -> None:
    if membership.role != Role.INSTITUTION_ADMIN or new_role == Role.INSTITUTION_ADMIN:
        return
    others = Membership.objects.filter(
        institution_id=membership.institution_id, role=Role.INSTITUTION_ADMIN
    ).exclude(pk=membership.pk)
    if not others.exists():
        raise ValidationError(
            _("An institution keeps at least one administrator: appoint another one first.")
        )


@service
def membership_change_role(*, membership: Membership, role: str, by: User) -> Membership:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    _check_grantable(role, by)
    if not policy.may_give_role(by, membership.role):
        raise ValidationError({"role": [_("Only a network administrator may change this role.")]})
    if role == membership.role:
        return membership
    if Membership.objects.filter(
        user_id=membership.user_id, institution_id=membership.institution_id, role=role
    ).exists():
        raise ValidationError({"role": [_("This person already holds that role here.")]})
    _last_admin_guard(membership, role)
    security_event_record(kind=EventKind.ROLE_CHANGED, actor=by, subject=membership.user.email, institution_id=membership.institution_id, details={"from": membership.role, "to": role})  # fmt: skip
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@service
def membership_remove(*, membership: Membership, by: User) -> None:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not policy.may_give_role(by, membership.role):
        raise ValidationError(_("Only a network administrator may change this role."))
    _last_admin_guard(membership, None)
    security_event_record(kind=EventKind.MEMBERSHIP_REMOVED, actor=by, subject=membership.user.email, institution_id=membership.institution_id, details={"role": membership.role})  # fmt: skip
    membership.delete()


@service
def membership_grant(
    *, user: User, institution: Institution, role: str, by: User | None = None, title: str = ""
) -> Membership:
    """Give a role directly (demo data, administrators' tools)."""
    membership, _created = Membership.objects.get_or_create(
        user=user,
        institution=institution,
        role=role,
        defaults={"created_by": by, "title": title},
    )
    if _created:
        security_event_record(kind=EventKind.ROLE_GIVEN, actor=by, subject=user.email, institution_id=institution.pk, details={"role": role})  # fmt: skip
    forget_grants(user)
    return membership
