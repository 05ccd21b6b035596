"""Export: an ``erasmus_iia`` agreement between exactly two institutions becomes an
``iias-get-response`` holding one ``iia``: the local partner first, its ``iia-id`` (a UUID
derived from the agreement id) and ``iia-code`` (the agreement number), ``in-effect``, the
cooperation conditions and the ``iia-hash``. Every export is validated against the vendored
schema before it leaves.

An agreement does not record its mobility specifications yet: they are built from its forms of
cooperation, its dates and the defaults below (see ``default_specs``).
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from typing import Any
from xml.etree import ElementTree as ET

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consilium.partnerships import lifecycle
from consilium.partnerships.choices import AgreementKind, CooperationForm
from consilium.partnerships.ewp.data import (
    Contact,
    Iia,
    LanguageSkill,
    MobilitySpec,
    Partner,
    contact_of,
)
from consilium.partnerships.ewp.identifiers import academic_years, hei_id, iia_id
from consilium.partnerships.ewp.iia_hash import iia_hash
from consilium.partnerships.ewp.schema import (
    NS,
    NS_CONTACT,
    ROOT,
    SPEC_KINDS,
    STAFF_TEACHER,
    STAFF_TRAINING,
    STUDENT_KINDS,
    STUDENT_STUDIES,
    STUDENT_TRAINEESHIP,
    EwpError,
    NotAnIia,
    decimal_text,
    parse,
    schema_problems,
)
from consilium.partnerships.models import Agreement

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
        contact = contact_of(party.contact_name, party.contact_email)
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
            _add(element, "total-months-per-year", decimal_text(spec.total_per_year))
        _add(element, "blended", "true" if spec.blended else "false")
        for level in spec.eqf_levels:
            _add(element, "eqf-level", level)
    elif spec.total_per_year is not None:
        _add(element, "total-days-per-year", decimal_text(spec.total_per_year))


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
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True, default_namespace=NS)
    return data


def export_agreement(agreement: Agreement, *, local_institution_ids: Collection[int]) -> bytes:
    """The agreement as an IIA get response, validated against the schema; or EwpError."""
    data = to_xml([iia_from_agreement(agreement, local_institution_ids=local_institution_ids)])
    problems = schema_problems(parse(data))
    if problems:
        raise EwpError(
            [_("The export does not satisfy the EWP schema, so it was not produced."), *problems]
        )
    return data
