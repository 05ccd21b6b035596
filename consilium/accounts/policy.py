"""Who may use the account pages (registered by ``AccountsConfig.ready()``)."""

from __future__ import annotations

from enum import StrEnum

from consilium.core import access


class Perm(StrEnum):
    ACCOUNT_TOKENS = "account.tokens"


RULES: dict[StrEnum, access.Rule] = {
    Perm.ACCOUNT_TOKENS: access.signed_in,
}


def register() -> None:
    access.register_rules(RULES)
