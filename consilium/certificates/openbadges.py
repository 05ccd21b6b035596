"""The unsigned Open Badges 3.0 credential (a W3C VC 2.0) for a completed course.

Only terms the VC 2.0 and OB 3.0.3 contexts define are used, so canonicalization keeps every
field and the signature covers all a reader sees. OB 3.0 has no term for study hours or
co-issuers: hours are a ``Result`` against the achievement's ``ResultDescription`` (result type
``ext:StudyHours``), and co-issuers are further ``creator`` profiles of the achievement (the
course they made together) besides co-signing the credential in a proof set. The holder is
named by an ``IdentityObject`` of type ``name`` (not hashed), as OB 3.0 provides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .integrity import format_datetime
from .jsonld import OB_V3, VC_V2
from .status_list import status_list_entry

HOURS_RESULT_TYPE = "ext:StudyHours"


@dataclass(frozen=True)
class Party:
    """An issuing institution: its identifier URL and its name."""

    id: str
    name: str


@dataclass(frozen=True)
class CourseCertificate:
    """What a course certificate says; URLs are absolute."""

    credential_id: str
    issuer: Party
    holder_name: str
    achievement_id: str
    course_title: str
    description: str
    criteria: str
    language: str
    valid_from: datetime
    status_list_url: str
    status_list_index: int
    hours: int | None = None
    hours_label: str = "Study hours"
    credits: float | None = None
    co_issuers: tuple[Party, ...] = ()
    valid_until: datetime | None = None


def _profile(party: Party) -> dict[str, Any]:
    return {"id": party.id, "type": ["Profile"], "name": party.name}


def open_badge_credential(data: CourseCertificate) -> dict[str, Any]:
    """The unsigned ``OpenBadgeCredential`` for ``data``."""
    creators = [_profile(party) for party in (data.issuer, *data.co_issuers)]
    achievement: dict[str, Any] = {
        "id": data.achievement_id,
        "type": ["Achievement"],
        "achievementType": "Course",
        "name": data.course_title,
        "description": data.description,
        "criteria": {"narrative": data.criteria},
        "inLanguage": data.language,
        "creator": creators[0] if len(creators) == 1 else creators,
    }
    subject: dict[str, Any] = {
        "type": ["AchievementSubject"],
        "identifier": [
            {
                "type": "IdentityObject",
                "identityHash": data.holder_name,
                "identityType": "name",
                "hashed": False,
            }
        ],
        "achievement": achievement,
    }
    if data.credits is not None:
        achievement["creditsAvailable"] = float(data.credits)
        subject["creditsEarned"] = float(data.credits)
    if data.hours is not None:
        hours_id = f"{data.achievement_id}#hours"
        achievement["resultDescription"] = [
            {
                "id": hours_id,
                "type": ["ResultDescription"],
                "name": data.hours_label,
                "resultType": HOURS_RESULT_TYPE,
            }
        ]
        subject["result"] = [
            {"type": ["Result"], "resultDescription": hours_id, "value": str(data.hours)}
        ]
    credential: dict[str, Any] = {
        "@context": [VC_V2, OB_V3],
        "id": data.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": data.course_title,
        "issuer": _profile(data.issuer),
        "validFrom": format_datetime(data.valid_from),
    }
    if data.valid_until is not None:
        credential["validUntil"] = format_datetime(data.valid_until)
    credential["credentialSubject"] = subject
    credential["credentialStatus"] = status_list_entry(
        list_url=data.status_list_url, index=data.status_list_index
    )
    return credential
