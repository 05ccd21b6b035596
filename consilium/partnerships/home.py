"""Partnerships' panel on the personal home (``core/home.py``): the drafts whose current
version waits for the approval of an institution the person speaks for."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from consilium.core.home import HomePanel, register_home_panel
from consilium.partnerships import policy, selectors

SHOWN = 5


def agreements_to_approve(request: HttpRequest) -> dict[str, Any] | None:
    rows = list(selectors.agreement_list_awaiting_approval(request.user)[: SHOWN + 1])
    if not rows:
        return None
    return {"agreements": rows[:SHOWN], "more": len(rows) > SHOWN}


def register() -> None:
    register_home_panel(
        HomePanel(
            "agreements_to_approve",
            "partnerships/home/to_approve.html",
            agreements_to_approve,
            policy.Perm.AGREEMENT_CREATE,
            order=10,
        )
    )
