"""Erasmus Without Paper: the mobility part of an agreement as an EWP IIA (IIAs API v7).

Export: an ``erasmus_iia`` agreement between exactly two institutions becomes an
``iias-get-response`` holding one ``iia``: the local partner first, its ``iia-id`` (a UUID
derived from the agreement id) and ``iia-code`` (the agreement number), ``in-effect``, the
cooperation conditions and the ``iia-hash``. Every export is validated against the vendored
``standards/ewp-iia/iia-get.xsd`` before it leaves.

Import: an uploaded get response is parsed without a DOCTYPE (so without entities of any
kind), validated against the same schema, its partners are matched to institutions of the
directory by ``hei-id``, and each ``iia`` becomes a draft ``erasmus_iia`` agreement through
``services.agreement_create``, all of them or none.

Consilium does not store EWP data yet, so two things are derived here (see ``hei_id`` and
``default_specs``): the SCHAC ``hei-id`` of an institution, and the mobility specifications of
an agreement, built from its forms of cooperation, its dates and the defaults below.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET
from xml.parsers import expat

import xmlschema
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from consilium.institutions.models import Institution
from consilium.partnerships import lifecycle, services
from consilium.partnerships.models import Agreement, AgreementKind, CooperationForm, PartyRole

NS = "https://github.com/erasmus-without-paper/ewp-specs-api-iias/blob/stable-v7/endpoints/get-response.xsd"
NS_CONTACT = "https://github.com/erasmus-without-paper/ewp-specs-types-contact/tree/stable-v1"
ROOT = f"{{{NS}}}iias-get-response"

SCHEMA_PATH = Path(__file__).resolve().parent / "standards" / "ewp-iia" / "iia-get.xsd"
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_REPORTED_PROBLEMS = 20

# Fixed namespace of the iia-ids this installation gives its agreements: uuid5(namespace,
# "agreement:<pk>") never changes for an agreement (EWP requires immutable surrogate ids).
IIA_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://consilium/ewp/iia")

STUDENT_STUDIES = "student-studies-mobility-spec"
STUDENT_TRAINEESHIP = "student-traineeship-mobility-spec"
STAFF_TEACHER = "staff-teacher-mobility-spec"
STAFF_TRAINING = "staff-training-mobility-spec"
# The order the schema requires inside cooperation-conditions (and so the order of the hash).
SPEC_KINDS = (STUDENT_STUDIES, STUDENT_TRAINEESHIP, STAFF_TEACHER, STAFF_TRAINING)
STUDENT_KINDS = frozenset({STUDENT_STUDIES, STUDENT_TRAINEESHIP})
SPEC_LABELS = {
    STUDENT_STUDIES: gettext_lazy("Student mobility for studies"),
    STUDENT_TRAINEESHIP: gettext_lazy("Student mobility for traineeships"),
    STAFF_TEACHER: gettext_lazy("Staff mobility for teaching"),
    STAFF_TRAINING: gettext_lazy("Staff mobility for training"),
}
# Which forms of cooperation of an agreement stand for which EWP mobility specifications.
SPECS_OF_FORM: dict[str, tuple[str, ...]] = {
    CooperationForm.MOBILITY: (STUDENT_STUDIES, STAFF_TEACHER),
    CooperationForm.PRACTICE: (STUDENT_TRAINEESHIP,),
    CooperationForm.CPD: (STAFF_TRAINING,),
}

# --- defaults for what an agreement does not record yet -----------------------------------
# Until the agreement stores its own mobility specifications (see the report of the change
# that added this module), an export states the usual Erasmus+ figures, in both directions:
DEFAULT_STUDENTS_PER_YEAR = 2
DEFAULT_MONTHS_PER_STUDENT = 5  # one semester: total-months-per-year = 2 x 5 = 10
DEFAULT_STAFF_PER_YEAR = 2
DEFAULT_DAYS_PER_STAFF = 5  # one teaching week: total-days-per-year = 2 x 5 = 10
DEFAULT_EQF_LEVELS = (6, 7)  # bachelor's and master's students
DEFAULT_LANGUAGE = ("en", "B2")  # teaching in English, independent user
DEFAULT_ISCED = "0912"  # ISCED-F 2013 "Medicine": the network's universities are medical ones

CEFR = re.compile(r"[ABC][12]")
ISCED = re.compile(r"[0-9]{4}")
EMAIL = re.compile(r"[^@]+@[^.]+\..+")  # ewp:Email
ACADEMIC_YEAR = re.compile(r"([0-9]{4})/([0-9]{4})")

ET.register_namespace("c", NS_CONTACT)


class EwpError(Exception):
    """The export or import was refused; ``problems`` says why, in the user's language."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class NotAnIia(EwpError):
    """The agreement is not an Erasmus+ inter-institutional agreement at all."""


# --- the data of one IIA -----------------------------------------------------------------


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


# --- identifiers and academic years -------------------------------------------------------


def website_host(url: str) -> str:
    """``https://www.duke.edu/about`` -> ``duke.edu``; empty when there is no usable host."""
    if not url or not url.strip():
        return ""
    url = url.strip()
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    except ValueError:
        return ""
    host = host.lower().rstrip(".")
    return host.removeprefix("www.")


def hei_id(institution: Institution) -> str:
    """The SCHAC id EWP knows an institution by, until the directory records it.

    It is the domain of the institution's website (``https://www.duke.edu`` -> ``duke.edu``,
    which is how SCHAC ids are formed); without a website, a slug of the English name and the
    country code (``almaty-medical-college.kz``), which the import matches back.
    """
    host = website_host(institution.website)
    if host:
        return host
    base = slugify(institution.english_name or institution.name) or f"institution-{institution.pk}"
    return f"{base}.{institution.country.lower()}"


def iia_id(agreement: Agreement) -> str:
    return str(uuid.uuid5(IIA_ID_NAMESPACE, f"agreement:{agreement.pk}"))


def academic_year_of(day: date) -> int:
    """The starting year of the (northern) academic year a day falls in: it starts in September."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_id(start: int) -> str:
    return f"{start}/{start + 1}"


def academic_years(agreement: Agreement) -> tuple[str, str]:
    """First and last academic year of an agreement, from the dates it is in effect.

    Without a start date the signing date, else the day it was created, is used; without an
    end date the agreement covers its first academic year only.
    """
    start = agreement.valid_from or agreement.signed_on
    if start is None:
        start = timezone.localdate(agreement.created_at) if agreement.created_at else date.today()
    end = agreement.valid_until or start
    first = academic_year_of(start)
    last = max(first, academic_year_of(end))
    return academic_year_id(first), academic_year_id(last)


def year_dates(first_year: str, last_year: str) -> tuple[date | None, date | None]:
    """The dates an imported agreement is in effect: its first to its last academic year."""
    first, last = ACADEMIC_YEAR.fullmatch(first_year), ACADEMIC_YEAR.fullmatch(last_year)
    if first is None or last is None:
        return None, None
    a, b = int(first[1]), int(first[2])
    c, d = int(last[1]), int(last[2])
    # "2010/2011" runs September to August; "2010/2010" (southern hemisphere) is a calendar year.
    starts = date(a, 9, 1) if b == a + 1 else date(a, 1, 1)
    ends = date(d, 8, 31) if d == c + 1 else date(d, 12, 31)
    return starts, ends


# --- from an agreement --------------------------------------------------------------------


def default_specs(
    local: str, remote: str, forms: Collection[str], years: tuple[str, str]
) -> list[MobilitySpec]:
    """The cooperation conditions an agreement stands for, with the defaults above.

    Each mobility-type form of cooperation gives its specifications in both directions
    (EWP specifications are unidirectional), in the order the schema requires.
    """
    kinds = {kind for form in forms for kind in SPECS_OF_FORM.get(form, ())}
    language = LanguageSkill(*DEFAULT_LANGUAGE)
    specs: list[MobilitySpec] = []
    for kind in SPEC_KINDS:
        if kind not in kinds:
            continue
        for sending, receiving in ((local, remote), (remote, local)):
            students = kind in STUDENT_KINDS
            per_year = DEFAULT_STUDENTS_PER_YEAR if students else DEFAULT_STAFF_PER_YEAR
            each = DEFAULT_MONTHS_PER_STUDENT if students else DEFAULT_DAYS_PER_STAFF
            specs.append(
                MobilitySpec(
                    kind=kind,
                    sending_hei_id=sending,
                    receiving_hei_id=receiving,
                    first_year=years[0],
                    last_year=years[1],
                    mobilities_per_year=per_year,
                    languages=[language],
                    isced_codes=[DEFAULT_ISCED],
                    total_per_year=Decimal(per_year * each),
                    blended=False,
                    eqf_levels=list(DEFAULT_EQF_LEVELS) if kind == STUDENT_STUDIES else [],
                )
            )
    return specs


def _contact_of(name: str, email: str = "", role: str = "") -> Contact | None:
    name, email = name.strip(), email.strip()
    if not EMAIL.fullmatch(email):
        email = ""
    if not name and not email:
        return None
    return Contact(name=name or email, email=email, role=role.strip())


def iia_from_agreement(agreement: Agreement, *, local_institution_ids: Collection[int]) -> Iia:
    """The IIA an agreement stands for; the party of the user's institution is the local one."""
    if agreement.kind != AgreementKind.ERASMUS:
        raise NotAnIia(
            [
                _(
                    "Only an Erasmus+ inter-institutional agreement can be exported to EWP; "
                    "this agreement is of the kind “%(kind)s”."
                )
                % {"kind": agreement.get_kind_display()}
            ]
        )
    parties = list(agreement.parties.select_related("institution").order_by("order", "id"))
    if len(parties) != 2:
        raise EwpError(
            [
                ngettext(
                    "An EWP inter-institutional agreement has exactly two partners; "
                    "this agreement has %(count)s party.",
                    "An EWP inter-institutional agreement has exactly two partners; "
                    "this agreement has %(count)s parties.",
                    len(parties),
                )
                % {"count": len(parties)}
            ]
        )
    forms = set(agreement.forms.values_list("form", flat=True))
    if not forms & set(SPECS_OF_FORM):
        raise EwpError(
            [
                _(
                    "The agreement provides for no academic mobility, practice placements or "
                    "professional development, so it has no cooperation conditions for EWP."
                )
            ]
        )
    own = [p for p in parties if p.institution_id in set(local_institution_ids)]
    local = own[0] if own else parties[0]
    remote = parties[1] if local is parties[0] else parties[0]
    local_hei, remote_hei = hei_id(local.institution), hei_id(remote.institution)
    if local_hei == remote_hei:
        raise EwpError(
            [
                _("Both partners would have the EWP id %(hei)s; give them different websites.")
                % {"hei": local_hei}
            ]
        )
    signed = agreement.signed_on

    def partner(party: Any, hei: str, first: bool) -> Partner:
        contact = _contact_of(party.contact_name, party.contact_email)
        signatory = party.signatory.strip()
        return Partner(
            hei_id=hei,
            iia_id=iia_id(agreement) if first else "",
            iia_code=(agreement.number or str(agreement.pk)) if first else "",
            signing_contact=Contact(name=signatory, role=party.signatory_title.strip())
            if signatory
            else None,
            signing_date=signed,
            contacts=[contact] if contact else [],
        )

    return Iia(
        partners=[partner(local, local_hei, True), partner(remote, remote_hei, False)],
        in_effect=agreement.status not in lifecycle.DRAFT,
        specs=default_specs(local_hei, remote_hei, forms, academic_years(agreement)),
    )


# --- writing XML --------------------------------------------------------------------------


def _text(value: str) -> str:
    # XML parsers turn CR LF and CR into LF: write what will be read, so the hash holds.
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _add(parent: ET.Element, name: str, text: Any = None, ns: str = NS, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ns}}}{name}", attrs)
    if text is not None:
        element.text = _text(str(text))
    return element


def _decimal(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


def _add_contact(parent: ET.Element, name: str, contact: Contact, ns: str = NS) -> None:
    element = _add(parent, name, ns=ns)
    _add(element, "contact-name", contact.name, ns=NS_CONTACT)
    if contact.email:
        _add(element, "email", contact.email, ns=NS_CONTACT)
    if contact.role:
        _add(element, "role-description", contact.role, ns=NS_CONTACT)


def _add_spec(parent: ET.Element, spec: MobilitySpec) -> None:
    element = _add(parent, spec.kind)
    _add(element, "sending-hei-id", spec.sending_hei_id)
    if spec.sending_ounit_id:
        _add(element, "sending-ounit-id", spec.sending_ounit_id)
    _add(element, "receiving-hei-id", spec.receiving_hei_id)
    if spec.receiving_ounit_id:
        _add(element, "receiving-ounit-id", spec.receiving_ounit_id)
    _add(element, "receiving-first-academic-year-id", spec.first_year)
    _add(element, "receiving-last-academic-year-id", spec.last_year)
    _add(element, "mobilities-per-year", spec.mobilities_per_year)
    for skill in spec.languages:
        language = _add(element, "recommended-language-skill")
        _add(language, "language", skill.language)
        if skill.cefr:
            _add(language, "cefr-level", skill.cefr)
    for code in spec.isced_codes:
        _add(_add(element, "subject-area"), "isced-f-code", code)
    if spec.other_info:
        _add(element, "other-info-terms", spec.other_info)
    if spec.for_students:
        if spec.total_per_year is not None:
            _add(element, "total-months-per-year", _decimal(spec.total_per_year))
        _add(element, "blended", "true" if spec.blended else "false")
        for level in spec.eqf_levels:
            _add(element, "eqf-level", level)
    elif spec.total_per_year is not None:
        _add(element, "total-days-per-year", _decimal(spec.total_per_year))


def iia_element(iia: Iia) -> ET.Element:
    """The ``iia`` element of an IIA, with its ``iia-hash`` computed from what it holds."""
    element = ET.Element(f"{{{NS}}}iia")
    for partner in iia.partners:
        node = _add(element, "partner")
        _add(node, "hei-id", partner.hei_id)
        if partner.iia_id:
            _add(node, "iia-id", partner.iia_id)
        if partner.iia_code:
            _add(node, "iia-code", partner.iia_code)
        if partner.signing_contact:
            _add_contact(node, "signing-contact", partner.signing_contact)
        if partner.signing_date:
            _add(node, "signing-date", partner.signing_date.isoformat())
        for contact in partner.contacts:
            _add_contact(node, "contact", contact, ns=NS_CONTACT)
    _add(element, "in-effect", "true" if iia.in_effect else "false")
    conditions = _add(element, "cooperation-conditions")
    for kind in SPEC_KINDS:  # the schema's order, whatever the order of iia.specs
        for spec in iia.specs:
            if spec.kind == kind:
                _add_spec(conditions, spec)
    _add(element, "iia-hash", iia_hash(element))
    return element


def to_xml(iias: list[Iia]) -> bytes:
    root = ET.Element(ROOT)
    for iia in iias:
        root.append(iia_element(iia))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True, default_namespace=NS)


def export_agreement(agreement: Agreement, *, local_institution_ids: Collection[int]) -> bytes:
    """The agreement as an IIA get response, validated against the schema; or EwpError."""
    data = to_xml([iia_from_agreement(agreement, local_institution_ids=local_institution_ids)])
    problems = schema_problems(parse(data))
    if problems:
        raise EwpError(
            [_("The export does not satisfy the EWP schema, so it was not produced."), *problems]
        )
    return data


# --- the iia-hash ------------------------------------------------------------------------
# The schema: "The SHA-256 digest of the `text-to-hash` element content that is obtained by
# using the appropriate XSLT transformation mentioned in the API specification", i.e.
# resources/xsltKit/transform_version_7.xsl of ewp-specs-api-iias (stable-v7). That XSLT 2.0
# transformation is reproduced here step by step (no XSLT 2.0 processor exists for Python):
#
# * ``_@terminated-as-a-whole@_`` if cooperation-conditions is terminated as a whole;
# * ``_iia-id_<n>=<iia-id>_`` for each partner n = 1, 2 (empty when the partner has none);
# * for each mobility specification, for each element below it in document order, except
#   inside sending/receiving contacts, except the first/last academic years and except
#   anything (below) an element marked not-yet-defined: each attribute but not-yet-defined
#   and v6-value as ``_@<gg>.<g>.<p>.<attr>=<value>@_``, then, for an element without element
#   children, ``_<g>.<p>.<name>=<value>_`` (names are local names: grandparent, parent,
#   element; isced-f-code takes its v6-value when it has one);
# * then ``_receiving-first-academic-year-id=<y>_`` and ``_receiving-last-academic-year-id=<y>_``.
#
# One deviation: the XSLT looks for terminated-as-a-whole in the whole document, so in a
# response with several IIAs one terminated IIA would change the hash of the others; here each
# IIA is hashed on its own, as a response with one IIA (what EWP partners exchange) is.


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _string(element: ET.Element | None) -> str:
    return "".join(element.itertext()) if element is not None else ""


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if _local(child.tag) == name]


def _first(element: ET.Element | None, name: str) -> ET.Element | None:
    if element is None:
        return None
    found = _children(element, name)
    return found[0] if found else None


def text_to_hash(iia: ET.Element) -> str:
    parents = {child: parent for parent in iia.iter() for child in parent}

    def ancestors(element: ET.Element) -> Iterator[ET.Element]:
        while element in parents:
            element = parents[element]
            yield element

    def name(element: ET.Element | None) -> str:
        return _local(element.tag) if element is not None else ""

    out: list[str] = []
    conditions = _first(iia, "cooperation-conditions")
    if conditions is not None and conditions.get("terminated-as-a-whole") in ("true", "1"):
        out.append("_@terminated-as-a-whole@_")
    for position, partner in enumerate(_children(iia, "partner"), start=1):
        out.append(f"_iia-id_{position}={_string(_first(partner, 'iia-id'))}_")
    for spec in conditions if conditions is not None else []:
        for element in spec.iter():
            if element is spec:
                continue
            above = list(ancestors(element))
            if any(name(a) in ("sending-contact", "receiving-contact") for a in above):
                continue
            if name(element) in (
                "receiving-first-academic-year-id",
                "receiving-last-academic-year-id",
            ):
                continue
            if any(e.get("not-yet-defined") in ("true", "1") for e in [element, *above]):
                continue
            parent = parents.get(element)
            grandparent = parents.get(parent) if parent is not None else None
            for key, value in element.attrib.items():
                if key in ("not-yet-defined", "v6-value"):
                    continue
                # For an attribute: local-name(../../..), (../..), (..) and (.) of the XSLT.
                path = f"{name(grandparent)}.{name(parent)}.{name(element)}.{_local(key)}"
                out.append(f"_@{path}={value}@_")
            if len(element) == 0:
                value = _string(element)
                if name(element) == "isced-f-code" and element.get("v6-value"):
                    value = element.get("v6-value", "")
                out.append(f"_{name(grandparent)}.{name(parent)}.{name(element)}={value}_")
        for year in ("receiving-first-academic-year-id", "receiving-last-academic-year-id"):
            out.append(f"_{year}={_string(_first(spec, year))}_")
    return "".join(out)


def iia_hash(iia: ET.Element) -> str:
    return hashlib.sha256(text_to_hash(iia).encode("utf-8")).hexdigest()


# --- reading XML safely ------------------------------------------------------------------


class _Forbidden(Exception):
    pass


def _forbid(*_args: Any) -> NoReturn:
    raise _Forbidden


def parse(data: bytes) -> ET.Element:
    """Parse untrusted XML: no DOCTYPE (hence no entities, internal or external) is accepted."""
    if not data.strip():
        raise EwpError([_("The file is empty.")])
    scanner = expat.ParserCreate()
    scanner.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    scanner.StartDoctypeDeclHandler = _forbid
    scanner.EntityDeclHandler = _forbid
    scanner.UnparsedEntityDeclHandler = _forbid
    scanner.ExternalEntityRefHandler = _forbid
    try:
        scanner.Parse(data, True)
    except _Forbidden:
        raise EwpError(
            [_("The file declares a document type or entities, which are not accepted.")]
        ) from None
    except expat.ExpatError as error:
        raise EwpError(
            [
                _("The file is not well-formed XML (line %(line)s, column %(column)s: %(reason)s).")
                % {
                    "line": error.lineno,
                    "column": error.offset + 1,
                    "reason": expat.ErrorString(error.code),
                }
            ]
        ) from None
    try:
        # Safe now: without a DOCTYPE nothing can declare an entity, internal or external.
        return ET.fromstring(data)  # noqa: S314
    except ET.ParseError as error:  # pragma: no cover - the scan above reads the same bytes
        raise EwpError([_("The file is not well-formed XML.")]) from error


@lru_cache(maxsize=4)
def load_schema(path: Path = SCHEMA_PATH) -> xmlschema.XMLSchema10:
    """The IIA get response schema; nothing is ever read from outside its folder."""
    return xmlschema.XMLSchema10(str(path), allow="sandbox", defuse="always")


def schema_problems(root: ET.Element, schema: xmlschema.XMLSchema10 | None = None) -> list[str]:
    """Everything the schema finds wrong, as messages (ISCED and CEFR codes in plain words)."""
    problems: list[str] = []
    plain: set[str] = set()
    for element in root.iter():
        value = (element.text or "") if len(element) == 0 else None
        if value is None:
            continue
        if _local(element.tag) == "isced-f-code" and not ISCED.fullmatch(value):
            problems.append(
                _("“%(code)s” is not a four-digit ISCED-F subject area code.") % {"code": value}
            )
            plain.add("isced-f-code")
        elif _local(element.tag) == "cefr-level" and not CEFR.fullmatch(value):
            problems.append(
                _("“%(level)s” is not a CEFR language level (A1 to C2).") % {"level": value}
            )
            plain.add("cefr-level")
    # An already parsed tree: nothing is fetched, and location hints in the file are ignored.
    resource = xmlschema.XMLResource(root, allow="none")
    for error in (schema or load_schema()).iter_errors(resource, use_location_hints=False):
        path = _readable(error.path or "")
        if path.rsplit("/", 1)[-1] in plain:
            continue
        problems.append(
            _("Not valid for the EWP schema at %(path)s: %(reason)s")
            % {"path": path or "/", "reason": _readable(error.reason or error.message)}
        )
    if len(problems) > MAX_REPORTED_PROBLEMS:
        more = len(problems) - MAX_REPORTED_PROBLEMS
        problems = [
            *problems[:MAX_REPORTED_PROBLEMS],
            _("…and %(count)s more problems.") % {"count": more},
        ]
    return problems


def _readable(text: str) -> str:
    """Element names as a person writes them: ``c:email``, not ``{https://...}email``."""
    text = text.replace(f"{{{NS_CONTACT}}}", "c:")
    return re.sub(r"\{[^{}]*\}", "", text)


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _read_contact(element: ET.Element | None) -> Contact | None:
    if element is None:
        return None
    name = _string(_first(element, "contact-name")).strip()
    email = _string(_first(element, "email")).strip()
    role = _string(_first(element, "role-description")).strip()
    return _contact_of(name, email, role)


def read_iia(element: ET.Element) -> Iia:
    """The data of a schema-valid ``iia`` element."""
    partners = []
    for node in _children(element, "partner"):
        signing_date = _first(node, "signing-date")
        partners.append(
            Partner(
                hei_id=_string(_first(node, "hei-id")).strip().lower(),
                iia_id=_string(_first(node, "iia-id")).strip(),
                iia_code=_string(_first(node, "iia-code")).strip(),
                signing_contact=_read_contact(_first(node, "signing-contact")),
                signing_date=_date(_string(signing_date)) if signing_date is not None else None,
                contacts=[c for c in map(_read_contact, _children(node, "contact")) if c],
            )
        )
    specs = []
    conditions = _first(element, "cooperation-conditions")
    for node in list(conditions) if conditions is not None else []:
        total = _first(node, "total-months-per-year")
        if total is None:
            total = _first(node, "total-days-per-year")
        try:
            total_value = Decimal(_string(total).strip()) if total is not None else None
        except InvalidOperation:
            total_value = None
        specs.append(
            MobilitySpec(
                kind=_local(node.tag),
                sending_hei_id=_string(_first(node, "sending-hei-id")).strip().lower(),
                receiving_hei_id=_string(_first(node, "receiving-hei-id")).strip().lower(),
                sending_ounit_id=_string(_first(node, "sending-ounit-id")).strip(),
                receiving_ounit_id=_string(_first(node, "receiving-ounit-id")).strip(),
                first_year=_string(_first(node, "receiving-first-academic-year-id")).strip(),
                last_year=_string(_first(node, "receiving-last-academic-year-id")).strip(),
                mobilities_per_year=int(_string(_first(node, "mobilities-per-year")).strip()),
                languages=[
                    LanguageSkill(
                        _string(_first(skill, "language")).strip(),
                        _string(_first(skill, "cefr-level")).strip(),
                    )
                    for skill in _children(node, "recommended-language-skill")
                ],
                isced_codes=[
                    _string(_first(area, "isced-f-code")).strip()
                    for area in _children(node, "subject-area")
                ],
                total_per_year=total_value,
                blended=_string(_first(node, "blended")).strip() in ("true", "1"),
                eqf_levels=[int(_string(level)) for level in _children(node, "eqf-level")],
                other_info=_string(_first(node, "other-info-terms")).strip(),
            )
        )
    return Iia(
        partners=partners,
        in_effect=_string(_first(element, "in-effect")).strip() in ("true", "1"),
        specs=specs,
        iia_hash=_string(_first(element, "iia-hash")).strip(),
    )


# --- import ------------------------------------------------------------------------------


def match_institution(hei: str) -> list[Institution]:
    """Institutions of the directory whose EWP id (see ``hei_id``) is ``hei``.

    The website's domain first (``uw.edu.pl`` matches https://www.uw.edu.pl/); failing that, a
    website on a subdomain of it (https://international.uw.edu.pl); failing that, the
    name-and-country id given to institutions without a website.
    """
    key = hei.strip().lower()
    if not key:
        return []
    candidates = list(Institution.objects.filter(website__icontains=key))
    exact = [i for i in candidates if website_host(i.website) == key]
    if exact:
        return exact
    below = [i for i in candidates if website_host(i.website).endswith(f".{key}")]
    if below:
        return below
    country = key.rsplit(".", 1)[-1].upper()
    if len(country) == 2:
        return [
            i for i in Institution.objects.filter(country=country, website="") if hei_id(i) == key
        ]
    return []


@dataclass
class ImportResult:
    agreements: list[Agreement]
    warnings: list[str]


def _names(institution: Institution) -> dict[str, str]:
    names = {}
    for code, _label in settings.LANGUAGES:
        names[code] = getattr(institution, f"name_{code}", "") or institution.english_name
    return names


def _summary(iia: Iia) -> str:
    lines = [
        _("Imported from an EWP inter-institutional agreement (IIA API v7)."),
        _("IIA ids: %(ids)s.")
        % {"ids": ", ".join(f"{p.hei_id} {p.iia_id or '—'}" for p in iia.partners)},
        _("In effect according to the file: %(answer)s.")
        % {"answer": _("yes") if iia.in_effect else _("no")},
    ]
    for spec in iia.specs:
        details = [
            f"{spec.sending_hei_id} → {spec.receiving_hei_id}",
            f"{spec.first_year}–{spec.last_year}",
            _("%(count)s per year") % {"count": spec.mobilities_per_year},
        ]
        if spec.isced_codes:
            details.append(_("ISCED-F %(codes)s") % {"codes": ", ".join(spec.isced_codes)})
        if spec.languages:
            details.append(
                _("languages %(list)s")
                % {"list": ", ".join(f"{s.language} {s.cefr}".strip() for s in spec.languages)}
            )
        if spec.total_per_year is not None:
            template = (
                _("%(total)s months per year")
                if spec.for_students
                else _("%(total)s days per year")
            )
            details.append(template % {"total": _decimal(spec.total_per_year)})
        if spec.eqf_levels:
            details.append(_("EQF %(levels)s") % {"levels": ", ".join(map(str, spec.eqf_levels))})
        lines.append(f"{SPEC_LABELS.get(spec.kind, spec.kind)}: " + "; ".join(details) + ".")
    return "\n".join(lines)


def _plan(number: int, iia: Iia, own_ids: set[int], problems: list[str]) -> dict[str, Any] | None:
    """What agreement_create gets for one IIA, or None with the problems added."""
    where = _("Agreement %(n)s: ") % {"n": number}
    start = len(problems)
    institutions: list[Institution] = []
    for position, partner in enumerate(iia.partners, start=1):
        found = match_institution(partner.hei_id)
        if not found:
            problems.append(
                where
                + _(
                    "partner %(n)s (%(hei)s) matches no institution of the directory; add it, "
                    "with a website on that domain, and import again."
                )
                % {"n": position, "hei": partner.hei_id}
            )
        elif len(found) > 1:
            problems.append(
                where
                + _("partner %(n)s (%(hei)s) matches several institutions: %(names)s.")
                % {
                    "n": position,
                    "hei": partner.hei_id,
                    "names": "; ".join(str(i) for i in found),
                }
            )
        else:
            institutions.append(found[0])
    if len(institutions) == 2 and institutions[0].pk == institutions[1].pk:
        problems.append(where + _("both partners are the same institution."))
    heis = {p.hei_id for p in iia.partners}
    for spec in iia.specs:
        if {spec.sending_hei_id, spec.receiving_hei_id} != heis:
            problems.append(
                where
                + _("a mobility from %(a)s to %(b)s is not between the two partners.")
                % {"a": spec.sending_hei_id, "b": spec.receiving_hei_id}
            )
        if spec.first_year > spec.last_year:
            problems.append(
                where
                + _("a mobility ends (%(last)s) before it starts (%(first)s).")
                % {"first": spec.first_year, "last": spec.last_year}
            )
    code = iia.partners[0].iia_code if iia.partners else ""
    if len(code) > 60:
        problems.append(
            where + _("the agreement code %(code)s is longer than 60 characters.") % {"code": code}
        )
    if not iia.specs:
        problems.append(where + _("it has no cooperation conditions."))
    if len(problems) > start:
        return None
    first, second = institutions
    domestic = first if first.pk in own_ids or second.pk not in own_ids else second
    foreign = second if domestic is first else first
    partners = {first.pk: iia.partners[0], second.pk: iia.partners[1]}

    def party(institution: Institution, role: str) -> services.PartyData:
        partner = partners[institution.pk]
        signing = partner.signing_contact
        contact = partner.contacts[0] if partner.contacts else None
        email = contact.email if contact else ""
        try:
            validate_email(email) if email else None
        except ValidationError:
            email = ""
        return services.PartyData(
            institution=institution,
            role=role,
            signatory=(signing.name if signing else "")[:200],
            signatory_title=(signing.role if signing else "")[:200],
            contact_name=(contact.name if contact else "")[:200],
            contact_email=email,
        )

    forms = [CooperationForm.MOBILITY.value]
    kinds = {spec.kind for spec in iia.specs}
    if STUDENT_TRAINEESHIP in kinds:
        forms.append(CooperationForm.PRACTICE.value)
    if STAFF_TRAINING in kinds:
        forms.append(CooperationForm.CPD.value)
    valid_from, valid_until = year_dates(
        min(spec.first_year for spec in iia.specs), max(spec.last_year for spec in iia.specs)
    )
    names_a, names_b = _names(domestic), _names(foreign)
    return {
        "kind": AgreementKind.ERASMUS.value,
        "titles": {code: f"{names_a[code]} – {names_b[code]}"[:300] for code in names_a},
        "parties": [
            party(domestic, PartyRole.DOMESTIC.value),
            party(foreign, PartyRole.FOREIGN.value),
        ],
        "forms": forms,
        "number": code,
        "summary": _summary(iia),
        "valid_from": valid_from,
        "valid_until": valid_until,
    }


def import_iias(data: bytes, *, by: Any, own_institution_ids: Collection[int] = ()) -> ImportResult:
    """Create a draft agreement for each IIA of a get response: all of them, or none.

    Raises EwpError listing every problem found; nothing is written then.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise EwpError(
            [_("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20}]
        )
    root = parse(data)
    if root.tag != ROOT:
        raise EwpError(
            [
                _(
                    "This is not an EWP inter-institutional agreement (IIAs API version 7 get "
                    "response): its root element is %(tag)s."
                )
                % {"tag": _local(root.tag)}
            ]
        )
    problems = schema_problems(root)
    if problems:
        raise EwpError(problems)
    elements = _children(root, "iia")
    if not elements:
        raise EwpError([_("The file holds no agreement.")])
    own = set(own_institution_ids)
    iias = [read_iia(element) for element in elements]
    plans = [_plan(n, iia, own, problems) for n, iia in enumerate(iias, start=1)]
    if problems:
        raise EwpError(problems)
    warnings = []
    for n, (iia, element) in enumerate(zip(iias, elements, strict=True), start=1):
        if iia.iia_hash != iia_hash(element):
            warnings.append(
                _(
                    "Agreement %(n)s: its iia-hash does not match its cooperation conditions; "
                    "ask the partner for a fresh copy before approving it."
                )
                % {"n": n}
            )
    created: list[Agreement] = []
    with transaction.atomic():  # an EwpError raised inside undoes every agreement created
        for n, plan in enumerate(plans, start=1):
            assert plan is not None
            try:
                services.check_proposer(by, plan["parties"])
                created.append(services.agreement_create(by=by, **plan))
            except ValidationError as error:
                problems.extend(
                    _("Agreement %(n)s: %(problem)s") % {"n": n, "problem": message}
                    for message in error.messages
                )
        if problems:
            raise EwpError(problems)
    return ImportResult(agreements=created, warnings=warnings)
