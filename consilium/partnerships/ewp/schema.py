"""What EWP's IIAs API v7 defines, and reading its files safely.

The namespaces, the vendored schema (``standards/ewp-iia/iia-get.xsd``), the kinds of mobility
specification in the order the schema requires, the errors an export or import is refused
with, and the XML helpers the rest of the package reads and writes elements with. An uploaded
file is parsed without a DOCTYPE (so without entities of any kind) and validated against the
schema, with problems reported in plain words.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, NoReturn
from xml.etree import ElementTree as ET
from xml.parsers import expat

import xmlschema
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

NS = "https://github.com/erasmus-without-paper/ewp-specs-api-iias/blob/stable-v7/endpoints/get-response.xsd"
NS_CONTACT = "https://github.com/erasmus-without-paper/ewp-specs-types-contact/tree/stable-v1"
ROOT = f"{{{NS}}}iias-get-response"

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "standards" / "ewp-iia" / "iia-get.xsd"
MAX_REPORTED_PROBLEMS = 20

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


# --- elements ---------------------------------------------------------------------------


def local_name(tag: Any) -> str:
    """``{namespace}name`` -> ``name``."""
    return str(tag).rsplit("}", 1)[-1]


def text_of(element: ET.Element | None) -> str:
    """All the text inside ``element`` (empty when there is no element)."""
    return "".join(element.itertext()) if element is not None else ""


def children_named(element: ET.Element, name: str) -> list[ET.Element]:
    """The children of ``element`` with this local name, in document order."""
    return [child for child in element if local_name(child.tag) == name]


def first_child(element: ET.Element | None, name: str) -> ET.Element | None:
    """The first child of ``element`` with this local name, if any."""
    if element is None:
        return None
    found = children_named(element, name)
    return found[0] if found else None


def decimal_text(value: Decimal) -> str:
    """A decimal as ``xs:decimal`` writes it: ``10``, not ``1E+1`` or ``10.0``."""
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


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
        if local_name(element.tag) == "isced-f-code" and not ISCED.fullmatch(value):
            problems.append(
                _("“%(code)s” is not a four-digit ISCED-F subject area code.") % {"code": value}
            )
            plain.add("isced-f-code")
        elif local_name(element.tag) == "cefr-level" and not CEFR.fullmatch(value):
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
