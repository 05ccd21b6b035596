"""The data of one IIA, as the export writes it and the import reads it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from consilium.partnerships.ewp.schema import EMAIL, STUDENT_KINDS


@dataclass(frozen=True)
class LanguageSkill:
    language: str  # xs:language, e.g. "en"
    cefr: str = ""  # A1 ... C2, optional


@dataclass
class MobilitySpec:
    """One unidirectional cooperation condition (an EWP ``*-mobility-spec``)."""

    kind: str
    sending_hei_id: str
    receiving_hei_id: str
    first_year: str  # "2024/2025"
    last_year: str
    mobilities_per_year: int
    languages: list[LanguageSkill] = field(default_factory=list)
    isced_codes: list[str] = field(default_factory=list)
    total_per_year: Decimal | None = None  # months for students, days for staff
    blended: bool = False  # students only
    eqf_levels: list[int] = field(default_factory=list)  # students only
    sending_ounit_id: str = ""
    receiving_ounit_id: str = ""
    other_info: str = ""

    @property
    def for_students(self) -> bool:
        return self.kind in STUDENT_KINDS


@dataclass
class Contact:
    name: str
    email: str = ""
    role: str = ""


@dataclass
class Partner:
    hei_id: str
    iia_id: str = ""
    iia_code: str = ""
    signing_contact: Contact | None = None
    signing_date: date | None = None
    contacts: list[Contact] = field(default_factory=list)


@dataclass
class Iia:
    partners: list[Partner]  # exactly two, the local one first
    in_effect: bool
    specs: list[MobilitySpec]
    iia_hash: str = ""  # as read from a file; computed when written


def contact_of(name: str, email: str = "", role: str = "") -> Contact | None:
    name, email = name.strip(), email.strip()
    if not EMAIL.fullmatch(email):
        email = ""
    if not name and not email:
        return None
    return Contact(name=name or email, email=email, role=role.strip())
