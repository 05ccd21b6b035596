"""Writes about accounts: sign-in and sign-up throttling, password resets (throttled and
queued), languages, API tokens."""

import hashlib
import secrets
import unicodedata
from datetime import timedelta
from enum import StrEnum
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from consilium.accounts.models import ApiToken, User
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
    if throttle.count(address, window=window) >= settings.LOGIN_RATE_LIMIT_PER_IP:
        return SignInRefusal.NETWORK
    if throttle.hit(pair, window=window) > settings.LOGIN_RATE_LIMIT:
        return SignInRefusal.ACCOUNT
    if throttle.hit(account, window=window) > settings.LOGIN_RATE_LIMIT_PER_ACCOUNT:
        return SignInRefusal.ACCOUNT
    return None


@service
def signin_failed(*, email: str, client: str) -> None:
    """An admitted attempt's password was wrong: count it against the client address too (the
    pair and the account counted it when it was admitted)."""
    _pair, _account_key, address = _signin_keys(email=email, client=client)
    throttle.hit(address, window=_signin_window())


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
    return user


@service
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
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
