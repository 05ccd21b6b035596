"""Writes about accounts: sign-in throttling, languages, API tokens."""

import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from consilium.accounts.models import ApiToken, User
from consilium.core.services import read_only, service

TOKEN_PREFIX = "cns_"


# --- sign-in throttling ------------------------------------------------------------------


def _attempt_keys(*, email: str, client: str) -> list[str]:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return [f"signin:email:{digest}", f"signin:client:{client}"]


@read_only
def signin_blocked(*, email: str, client: str) -> bool:
    limit = settings.LOGIN_RATE_LIMIT
    return any((cache.get(key) or 0) >= limit for key in _attempt_keys(email=email, client=client))


@service
def signin_failed(*, email: str, client: str) -> None:
    for key in _attempt_keys(email=email, client=client):
        cache.add(key, 0, timeout=settings.LOGIN_RATE_WINDOW)
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=settings.LOGIN_RATE_WINDOW)


@service
def signin_succeeded(*, email: str, client: str) -> None:
    cache.delete(_attempt_keys(email=email, client=client)[0])


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
def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@service
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the raw value is returned once and never stored."""
    secret = secrets.token_urlsafe(32)
    raw = f"{TOKEN_PREFIX}{secret}"
    token = ApiToken(user=user, name=name.strip(), prefix=raw[:12], token_hash=hash_token(raw))
    token.full_clean()
    token.save()
    return token, raw


@service
def user_password_reset(*, user: User, password: str) -> User:
    """Set the password chosen after a reset link, and revoke every API token of the person:
    whoever had to reset may have lost the old password to someone who also made tokens."""
    user.set_password(password)
    user.save(update_fields=["password"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
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
        .filter(token_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
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
    return f"signup:client:{client}"


@read_only
def signup_blocked(*, client: str) -> bool:
    """Too many sign-ups tried from this client lately (the sign-in limit and window)."""
    return (cache.get(_signup_key(client)) or 0) >= settings.LOGIN_RATE_LIMIT


@service
def signup_tried(*, client: str) -> None:
    key = _signup_key(client)
    cache.add(key, 0, timeout=settings.LOGIN_RATE_WINDOW)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=settings.LOGIN_RATE_WINDOW)


@service
def user_sign_up(*, email: str, full_name: str, password: str, language: str) -> User:
    """A new person with no roles: they can enrol in courses and be invited to institutions.
    The form has checked the address is free and the password strong enough."""
    user = User(email=email.strip().lower(), full_name=full_name.strip(), language=language)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user
