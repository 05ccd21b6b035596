"""Who may use the account pages (registered by ``AccountsConfig.ready()``)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from consilium.core import access
from consilium.core.roles import Role


class Perm(StrEnum):
    ACCOUNT_TOKENS = "account.tokens"
    ACCOUNT_SECOND_FACTOR = "account.second_factor"
    SECURITY_AUDIT = "security.audit"
    SECURITY_SETTINGS = "security.settings"


def administrator(user: Any, g: access.Grants, obj: Any) -> bool:
    """Network and institution administrators and staff: whom a required second factor
    covers."""
    if not (user.is_authenticated and user.is_active):
        return False
    return bool(g.is_network_admin or Role.INSTITUTION_ADMIN in g.anywhere() or user.is_staff)


RULES: dict[StrEnum, access.Rule] = {
    Perm.ACCOUNT_TOKENS: access.signed_in,
    # Anyone may protect their own account; administrators may be required to.
    Perm.ACCOUNT_SECOND_FACTOR: access.signed_in,
    Perm.SECURITY_AUDIT: access.network_admin,
    Perm.SECURITY_SETTINGS: access.network_admin,
}


def register() -> None:
    access.register_rules(RULES)
