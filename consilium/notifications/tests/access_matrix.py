"""The access matrix's rows for the notifications: each person's own. See
``tests/access_matrix.py``."""

from __future__ import annotations

from tests.access_matrix import Route, signed_in

ROWS = [
    Route("notifications:list", signed_in),
    Route("notifications:mark_all_read", signed_in, "post"),
]
