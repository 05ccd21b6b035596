"""Writes about accounts: sign-in and sign-up throttling, password resets (throttled and
queued), languages, API tokens, the second factor (TOTP and recovery codes) and the security
audit log (``security_event_record``, which other apps call too)."""

import base64
import hashlib
import hmac
import ipaddress
import secrets
import unicodedata
from datetime import timedelta
from enum import StrEnum
from functools import partial
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists
from django.utils import timezone
from django.utils.translation import gettext as _

from consilium.accounts import totp
from consilium.accounts.audit import acting
from consilium.accounts.models import (
    ApiToken,
    EventKind,
    RecoveryCode,
    SecondFactor,
    SecurityEvent,
    SecuritySettings,
    User,
)
from consilium.accounts.tasks import send_password_reset
from consilium.core import throttle
from consilium.core.services import read_only, service

TOKEN_PREFIX = "cns_"


# --- sign-in throttling ------------------------------------------------------------------
#
# Three counters in the database (core/throttle.py), all in LOGIN_RATE_WINDOW: the account
# and client address pair (LOGIN_RATE_LIMIT: one person's mistakes, or one address guessing
# one account, lock out nobody else), the account from any address
# (LOGIN_RATE_LIMIT_PER_ACCOUNT: guessing spread over many addresses) and the client address
# for any accounts (LOGIN_RATE_LIMIT_PER_IP, much higher: a password spray from one address,
# while a campus behind one address keeps signing in).


class SignInRefusal(StrEnum):
    """Why a sign-in attempt is refused before its password is checked."""

    ACCOUNT = "account"  # too many failures for this account (from this address, or any)
    NETWORK = "network"  # too many failures from this client address, whatever the accounts


def _account(email: str) -> str:
    return email.strip().lower()


def _signin_keys(*, email: str, client: str) -> tuple[str, str, str]:
    """The keys of the (account, address) pair, of the account and of the address."""
    account, network = _account(email), throttle.network(client)
    return (
        throttle.key("signin:pair", account, network),
        throttle.key("signin:account", account),
        throttle.key("signin:ip", network),
    )


def _signin_window() -> timedelta:
    return timedelta(seconds=settings.LOGIN_RATE_WINDOW)


@service
def signin_attempt(*, email: str, client: str) -> SignInRefusal | None:
    """Admit a sign-in attempt (None) or refuse it, before its password is checked.

    An address with too many failures is refused without counting. Otherwise the attempt is
    counted against the pair, then (when the pair admits it) against the account, before the
    password is checked, so that concurrent guesses cannot slip past a limit; a success
    forgives both (``signin_succeeded``). An address refused for the pair never adds to the
    account's count, so one address cannot lock an account out.
    """
    pair, account, address = _signin_keys(email=email, client=client)
    window = _signin_window()
    refusal = None
    if throttle.count(address, window=window) >= settings.LOGIN_RATE_LIMIT_PER_IP:
        refusal = SignInRefusal.NETWORK
    elif (
        throttle.hit(pair, window=window) > settings.LOGIN_RATE_LIMIT
        or throttle.hit(account, window=window) > settings.LOGIN_RATE_LIMIT_PER_ACCOUNT
    ):
        refusal = SignInRefusal.ACCOUNT
    if refusal is not None:
        security_event_record(
            kind=EventKind.SIGNIN_THROTTLED,
            actor_email=email,
            client=client,
            details={"refusal": refusal.value},
        )
    return refusal


@service
def signin_failed(*, email: str, client: str) -> None:
    """An admitted attempt's password was wrong: count it against the client address too (the
    pair and the account counted it when it was admitted)."""
    _pair, _account_key, address = _signin_keys(email=email, client=client)
    throttle.hit(address, window=_signin_window())
    security_event_record(kind=EventKind.SIGNIN_FAILED, actor_email=email, client=client)


@service
def signin_succeeded(*, email: str, client: str) -> None:
    """The password was right: forget the pair's and the account's failures. The address's
    stay, or one known password would reset a spray's count."""
    pair, account, _address = _signin_keys(email=email, client=client)
    throttle.clear(pair, account)


# --- password reset ----------------------------------------------------------------------


def _same_address(one: str, other: str) -> bool:
    """The same address to a mailbox, not merely to the database's case-insensitive match
    (which may fold letters that mail servers keep apart), as Django's own reset form asks."""
    fold = [unicodedata.normalize("NFKC", text).casefold() for text in (one, other)]
    return fold[0] == fold[1]


@service
def password_reset_request(*, email: str, client: str) -> None:
    """Queue the mail with a link to choose a new password for the active account with this
    address, unless the address (PASSWORD_RESET_RATE_LIMIT) or the client address
    (PASSWORD_RESET_RATE_LIMIT_PER_IP) asked too often in PASSWORD_RESET_RATE_WINDOW.

    Every request counts, whether an account uses the address or not, and the caller answers
    the same either way, so nobody learns which addresses have accounts. The mail is a
    background task that carries the person's id only (``tasks.send_password_reset``).
    """
    address = _account(email)
    window = timedelta(seconds=settings.PASSWORD_RESET_RATE_WINDOW)
    per_address = throttle.hit(throttle.key("reset:email", address), window=window)
    per_client = throttle.hit(throttle.key("reset:ip", throttle.network(client)), window=window)
    if (
        per_address > settings.PASSWORD_RESET_RATE_LIMIT
        or per_client > settings.PASSWORD_RESET_RATE_LIMIT_PER_IP
    ):
        return
    for user in User.objects.filter(email__iexact=address, is_active=True):
        if user.has_usable_password() and _same_address(address, user.email):
            transaction.on_commit(partial(send_password_reset.enqueue, user_id=user.pk))


# --- profile -----------------------------------------------------------------------------


@service
def user_set_language(*, user: User, language: str) -> User:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(language)
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return user


@service
def user_update_profile(*, user: User, full_name: str, language: str) -> User:
    user.full_name = full_name.strip()
    user.language = language
    user.full_clean(exclude=["password"])
    user.save(update_fields=["full_name", "language"])
    return user


# --- API tokens --------------------------------------------------------------------------


@read_only
def api_token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@service
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and never stored."""
    secret = secrets.token_urlsafe(32)
    raw = f"{TOKEN_PREFIX}{secret}"
    token = ApiToken(user=user, name=name.strip(), prefix=raw[:12], token_hash=api_token_hash(raw))
    token.full_clean()
    token.save()
    security_event_record(
        kind=EventKind.TOKEN_CREATED, actor=user, subject=str(token), details={"id": token.pk}
    )
    return token, raw


@service
def user_password_reset(*, user: User, password: str, client: str = "") -> User:
    """Set the password chosen after a reset link, and revoke every API token of the person:
    whoever had to reset may have lost the old password to someone who also made tokens.

    The account's failed sign-ins, and those from the resetting client's address, are
    forgotten: whoever proved they own the mailbox may sign in at once."""
    user.set_password(password)
    user.save(update_fields=["password"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    pair, account, _address = _signin_keys(email=user.email, client=client)
    throttle.clear(pair, account)
    security_event_record(
        kind=EventKind.PASSWORD_RESET, actor=user, subject=user.email, client=client
    )
    return user


@service
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        security_event_record(
            kind=EventKind.TOKEN_REVOKED,
            subject=f"{token} · {token.user.email}",
            details={"id": token.pk},
        )
    return token


@service
def api_token_authenticate(raw: str) -> User | None:
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=api_token_hash(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- sign-up -----------------------------------------------------------------------------


def _signup_key(client: str) -> str:
    return throttle.key("signup:ip", throttle.network(client))


@read_only
def signup_blocked(*, client: str) -> bool:
    """Too many failed sign-ups from this client address lately (SIGNUP_RATE_LIMIT in
    LOGIN_RATE_WINDOW); successful ones do not count."""
    count = throttle.count(_signup_key(client), window=_signin_window())
    return count >= settings.SIGNUP_RATE_LIMIT


@service
def signup_failed(*, client: str) -> None:
    """A sign-up was refused (bad input, an address already taken): count it."""
    throttle.hit(_signup_key(client), window=_signin_window())


@service
def user_sign_up(*, email: str, full_name: str, password: str, language: str) -> User:
    """A new person with no roles: they can enrol in courses and be invited to institutions.
    The form has checked the address is free and the password strong enough."""
    user = User(email=email.strip().lower(), full_name=full_name.strip(), language=language)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


# --- security audit log ------------------------------------------------------------------


def _ip(client: str) -> str | None:
    try:
        return str(ipaddress.ip_address(client))
    except ValueError:
        return None


@service
def security_event_record(
    *,
    kind: EventKind | str,
    actor: Any = None,
    actor_email: str = "",
    subject: str = "",
    institution_id: int | None = None,
    client: str | None = None,
    details: dict[str, Any] | None = None,
) -> SecurityEvent:
    """Write one line of the security audit log. Other apps call it from their services
    (role changes, revocations, key use). Whoever acts and the client address are taken from
    the request being served (``audit.acting``) unless the caller names them; the actor's
    e-mail address is kept as text too, so the line outlives the account."""
    now = acting()
    if actor is None and not actor_email:
        actor = now.user
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    if actor is not None and not actor_email:
        actor_email = actor.email
    event = SecurityEvent.objects.create(
        kind=str(kind),
        actor=actor,
        actor_email=actor_email.strip().lower()[:254],
        subject=subject[:300],
        institution_id=institution_id,
        ip=_ip(now.client if client is None else client),
        details=details or {},
    )
    return event


# --- second factor -----------------------------------------------------------------------
#
# The shared secret of a person's authenticator app is kept encrypted (Fernet, with a key
# derived from SECRET_KEY; SECRET_KEY_FALLBACKS still decrypt, so a rotation keeps every
# factor working). Recovery codes are kept as keyed hashes, shown once. Wrong codes are
# throttled like wrong passwords: per account, per (account, address) pair and, with the
# failed passwords, per address.

RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class CodeCheck(StrEnum):
    """How a code given at sign-in went."""

    PASSED = "passed"  # the authenticator app's code
    RECOVERY = "recovery"  # an unused recovery code (now used)
    WRONG = "wrong"
    ACCOUNT = "account"  # too many wrong codes for this account: not checked
    NETWORK = "network"  # too many failures from this client address: not checked


def _keys_of(info: bytes) -> list[bytes]:
    secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [hashlib.sha256(info + b"\x1f" + secret.encode("utf-8")).digest() for secret in secrets_]


def _fernet() -> MultiFernet:
    return MultiFernet(
        [Fernet(base64.urlsafe_b64encode(key)) for key in _keys_of(b"consilium.second-factor")]
    )


def _secret(factor: SecondFactor) -> str:
    try:
        return _fernet().decrypt(bytes(factor.secret_encrypted)).decode("ascii")
    except InvalidToken:
        return ""  # a SECRET_KEY no longer in the fallbacks: the factor must be set up anew


def _recovery_hashes(code: str) -> list[str]:
    """The keyed hashes a recovery code may be stored under (the current SECRET_KEY's first)."""
    normal = "".join(code.split()).replace("-", "").lower()
    return [
        hmac.new(key, normal.encode("utf-8"), hashlib.sha256).hexdigest()
        for key in _keys_of(b"consilium.recovery-code")
    ]


def _new_recovery_code() -> str:
    letters = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{letters[:5]}-{letters[5:]}"


@read_only
def second_factor_of(user: User) -> SecondFactor | None:
    """The person's factor, turned on or being set up (None without one)."""
    return SecondFactor.objects.filter(user=user).first()


@read_only
def second_factor_is_on(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return SecondFactor.objects.filter(user_id=user.pk, confirmed_at__isnull=False).exists()


@read_only
def second_factor_setup_uri(factor: SecondFactor) -> str:
    """The ``otpauth://`` address of a factor being set up (for its QR code)."""
    return totp.provisioning_uri(_secret(factor), account=factor.user.email, issuer="Consilium")


@read_only
def second_factor_secret(factor: SecondFactor) -> str:
    """The shared secret, for people who type it into the app instead of scanning."""
    return _secret(factor)


@service
def second_factor_begin(*, user: User) -> SecondFactor:
    """Start setting up an authenticator app: a new secret, not turned on until a first code
    confirms it. A factor already on is kept (turn it off first)."""
    factor = SecondFactor.objects.select_for_update().filter(user=user).first()
    if factor is not None and factor.is_on:
        raise ValidationError(_("A second factor is already on."))
    encrypted = _fernet().encrypt(totp.secret_new().encode("ascii"))
    if factor is None:
        factor = SecondFactor.objects.create(user=user, secret_encrypted=encrypted)
    else:
        factor.secret_encrypted = encrypted
        factor.last_step = 0
        factor.save(update_fields=["secret_encrypted", "last_step"])
    return factor


def _code_keys(user: User, client: str) -> tuple[str, str, str]:
    account, network = str(user.pk), throttle.network(client)
    return (
        throttle.key("code:pair", account, network),
        throttle.key("code:account", account),
        throttle.key("signin:ip", network),  # the address's count of failed sign-ins
    )


def _code_refusal(user: User, client: str) -> CodeCheck | None:
    """Admit a code (None) or refuse it, before it is checked: counted like a password."""
    pair, account, address = _code_keys(user, client)
    window = _signin_window()
    if throttle.count(address, window=window) >= settings.LOGIN_RATE_LIMIT_PER_IP:
        return CodeCheck.NETWORK
    if throttle.hit(pair, window=window) > settings.LOGIN_RATE_LIMIT:
        return CodeCheck.ACCOUNT
    if throttle.hit(account, window=window) > settings.LOGIN_RATE_LIMIT_PER_ACCOUNT:
        return CodeCheck.ACCOUNT
    return None


def _app_code_step(factor: SecondFactor, code: str) -> int | None:
    """The step of a right, not yet used code of the factor's app (None otherwise)."""
    secret = _secret(factor)
    step = totp.matching_step(secret, code) if secret else None
    if step is None or step <= factor.last_step:
        return None
    return step


def _check_code(user: User, code: str, client: str, *, recovery: bool = True) -> CodeCheck:
    refusal = _code_refusal(user, client)
    if refusal is not None:
        security_event_record(
            kind=EventKind.SIGNIN_THROTTLED,
            actor=user,
            client=client,
            details={"refusal": refusal.value, "step": "code"},
        )
        return refusal
    factor = SecondFactor.objects.select_for_update().filter(user=user).first()
    outcome = CodeCheck.WRONG
    if factor is not None:
        step = _app_code_step(factor, code)
        if step is not None:
            factor.last_step = step
            factor.save(update_fields=["last_step"])
            outcome = CodeCheck.PASSED
        elif recovery and factor.is_on:
            used = RecoveryCode.objects.filter(
                user=user, code_hash__in=_recovery_hashes(code), used_at__isnull=True
            ).update(used_at=timezone.now())
            if used:
                outcome = CodeCheck.RECOVERY
                security_event_record(kind=EventKind.RECOVERY_CODE_USED, actor=user, client=client)
    pair, account, address = _code_keys(user, client)
    if outcome is CodeCheck.WRONG:
        throttle.hit(address, window=_signin_window())
        security_event_record(kind=EventKind.SECOND_FACTOR_FAILED, actor=user, client=client)
    else:
        throttle.clear(pair, account)
    return outcome


@service
def second_factor_verify(*, user: User, code: str, client: str) -> CodeCheck:
    """Check the code given at sign-in after the password: the app's current code (each used
    once) or an unused recovery code (used up). Wrong codes are counted and throttled like
    wrong passwords; a right one forgives the account's wrong codes."""
    return _check_code(user, code, client)


def _recovery_codes_new(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_recovery_hashes(code)[0]) for code in codes
    )
    return codes


@service
def second_factor_confirm(*, user: User, code: str, client: str = "") -> list[str]:
    """Turn the factor being set up on with a first code from the app; returns the ten
    recovery codes, shown once."""
    factor = SecondFactor.objects.select_for_update().filter(user=user).first()
    if factor is None or factor.is_on:
        raise ValidationError(_("Start setting up the authenticator app first."))
    outcome = _check_code(user, code, client, recovery=False)
    if outcome in (CodeCheck.ACCOUNT, CodeCheck.NETWORK):
        raise ValidationError(_("Too many wrong codes. Wait a few minutes and try again."))
    if outcome is not CodeCheck.PASSED:
        raise ValidationError({"code": [_("This code is not right. Try the next one.")]})
    SecondFactor.objects.filter(pk=factor.pk).update(confirmed_at=timezone.now())
    security_event_record(kind=EventKind.SECOND_FACTOR_ON, actor=user, subject=user.email)
    return _recovery_codes_new(user)


@service
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """Ten new recovery codes in place of the old ones (all of which stop working)."""
    if not second_factor_is_on(user):
        raise ValidationError(_("Turn the second factor on first."))
    codes = _recovery_codes_new(user)
    security_event_record(kind=EventKind.RECOVERY_CODES_NEW, actor=user, subject=user.email)
    return codes


@read_only
def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@service
def second_factor_disable(*, user: User, password: str, code: str, client: str = "") -> str:
    """Turn the second factor off: it takes the password and a code (the app's or a recovery
    code), so a session left open is not enough. Answers "" when it is off, else why not;
    refusals are answered, not raised, so that the wrong attempts stay counted."""
    if not second_factor_is_on(user):
        return _("The second factor is not on.")
    if second_factor_required() and is_administrator(user):
        return _("Administrators must use a second factor: it cannot be turned off.")
    outcome = _check_code(user, code, client)
    if outcome in (CodeCheck.ACCOUNT, CodeCheck.NETWORK):
        return _("Too many wrong codes. Wait a few minutes and try again.")
    if outcome is CodeCheck.WRONG or not user.check_password(password):
        if outcome is not CodeCheck.WRONG:  # a right code with a wrong password
            throttle.hit(_code_keys(user, client)[2], window=_signin_window())
            security_event_record(
                kind=EventKind.SIGNIN_FAILED, actor=user, details={"step": "second factor off"}
            )
        return _("The password or the code is not right.")
    SecondFactor.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    security_event_record(kind=EventKind.SECOND_FACTOR_OFF, actor=user, subject=user.email)
    return ""


@read_only
def is_administrator(user: Any) -> bool:
    """Network and institution administrators (and staff): whom the requirement covers."""
    from consilium.accounts.policy import administrator
    from consilium.core import access

    return administrator(user, access.grants(user), None)


@read_only
def second_factor_required() -> bool:
    """Whether the network administrator requires administrators to use a second factor."""
    return SecuritySettings.objects.filter(pk=1, require_second_factor=True).exists()


@read_only
def second_factor_missing(user: Any) -> bool:
    """Required of administrators and this person has none turned on (one query)."""
    factor_on = SecondFactor.objects.filter(user_id=user.pk, confirmed_at__isnull=False)
    return (
        SecuritySettings.objects.filter(pk=1, require_second_factor=True)
        .exclude(Exists(factor_on))
        .exists()
    )


@service
def security_settings_update(*, require_second_factor: bool, by: User) -> SecuritySettings:
    row, _created = SecuritySettings.objects.select_for_update().get_or_create(pk=1)
    if row.require_second_factor != require_second_factor:
        row.require_second_factor = require_second_factor
        row.save(update_fields=["require_second_factor", "updated_at"])
        security_event_record(
            kind=EventKind.SECOND_FACTOR_REQUIRED,
            actor=by,
            details={"required": require_second_factor},
        )
    return row


@read_only
def security_settings() -> SecuritySettings:
    return SecuritySettings.objects.filter(pk=1).first() or SecuritySettings(pk=1)
