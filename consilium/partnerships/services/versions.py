"""What a frozen draft holds: the agreement's content as JSON, its hash, and what changed."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from consilium.core.services import read_only
from consilium.partnerships.models import Agreement
from consilium.partnerships.services.common import LANGS


@read_only
def agreement_content(agreement: Agreement) -> dict[str, Any]:
    """The negotiable content of an agreement as plain JSON, in a stable order."""
    return {
        "kind": agreement.kind,
        "title": {lang: getattr(agreement, f"title_{lang}", "") or "" for lang in LANGS},
        "number": agreement.number,
        "programme": agreement.programme_id,
        "phase": agreement.phase_id,
        "summary": agreement.summary,
        "valid_from": agreement.valid_from.isoformat() if agreement.valid_from else None,
        "valid_until": agreement.valid_until.isoformat() if agreement.valid_until else None,
        "is_public": agreement.is_public,
        "forms": sorted(agreement.forms.values_list("form", flat=True)),
        "parties": [
            {
                "institution": p.institution_id,
                "role": p.role,
                "signatory": p.signatory,
                "signatory_title": p.signatory_title,
                "contact_name": p.contact_name,
                "contact_email": p.contact_email,
            }
            for p in agreement.parties.order_by("order", "id")
        ],
        "funding": [
            {
                "source": f.source,
                "amount": str(f.amount),
                "currency": f.currency,
                "period_start": f.period_start.isoformat() if f.period_start else None,
                "period_end": f.period_end.isoformat() if f.period_end else None,
            }
            for f in agreement.funding_lines.order_by("id")
        ],
    }


CONTENT_ORDER = (
    "kind",
    "title",
    "number",
    "programme",
    "phase",
    "summary",
    "valid_from",
    "valid_until",
    "is_public",
    "forms",
    "parties",
    "funding",
)


@read_only
def content_hash(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@read_only
def version_diff(older: dict[str, Any], newer: dict[str, Any]) -> list[dict[str, Any]]:
    """Field-by-field changes between two version contents: [{field, old, new}]."""
    changes: list[dict[str, Any]] = []
    # The order agreement_content writes, whatever order the database kept (PostgreSQL's jsonb
    # reorders keys); unknown keys of older versions come last.
    order = {key: n for n, key in enumerate(CONTENT_ORDER)}
    keys = sorted(
        dict.fromkeys([*older.keys(), *newer.keys()]), key=lambda k: (order.get(k, len(order)), k)
    )
    for key in keys:
        old, new = older.get(key), newer.get(key)
        if isinstance(old, dict) and isinstance(new, dict):
            for sub in dict.fromkeys([*old.keys(), *new.keys()]):
                if old.get(sub) != new.get(sub):
                    changes.append(
                        {"field": f"{key}.{sub}", "old": old.get(sub), "new": new.get(sub)}
                    )
        elif isinstance(old, list) and isinstance(new, list) and key in ("parties", "funding"):
            for index in range(max(len(old), len(new))):
                a = old[index] if index < len(old) else {}
                b = new[index] if index < len(new) else {}
                for sub in dict.fromkeys([*a.keys(), *b.keys()]):
                    if a.get(sub) != b.get(sub):
                        changes.append(
                            {
                                "field": f"{key}[{index + 1}].{sub}",
                                "old": a.get(sub),
                                "new": b.get(sub),
                            }
                        )
        elif old != new:
            changes.append({"field": key, "old": old, "new": new})
    return changes
