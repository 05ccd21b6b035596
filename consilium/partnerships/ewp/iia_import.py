"""Import: an uploaded get response is parsed safely, validated against the same schema, its
partners are matched to institutions of the directory by ``hei-id``, and each ``iia`` becomes
a draft ``erasmus_iia`` agreement through ``services.agreement_create``, all of them or none.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree import ElementTree as ET

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from consilium.institutions.models import Institution
from consilium.partnerships import services
from consilium.partnerships.choices import AgreementKind, CooperationForm, PartyRole
from consilium.partnerships.ewp.data import (
    Contact,
    Iia,
    LanguageSkill,
    MobilitySpec,
    Partner,
    contact_of,
)
from consilium.partnerships.ewp.identifiers import hei_id, website_host, year_dates
from consilium.partnerships.ewp.iia_hash import iia_hash
from consilium.partnerships.ewp.schema import (
    ROOT,
    SPEC_LABELS,
    STAFF_TRAINING,
    STUDENT_TRAINEESHIP,
    EwpError,
    children_named,
    decimal_text,
    first_child,
    local_name,
    parse,
    schema_problems,
    text_of,
)
from consilium.partnerships.models import Agreement

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


# --- reading an iia ----------------------------------------------------------------------


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


def _read_contact(element: ET.Element | None) -> Contact | None:
    if element is None:
        return None
    name = text_of(first_child(element, "contact-name")).strip()
    email = text_of(first_child(element, "email")).strip()
    role = text_of(first_child(element, "role-description")).strip()
    return contact_of(name, email, role)


def read_iia(element: ET.Element) -> Iia:
    """The data of a schema-valid ``iia`` element."""
    partners = []
    for node in children_named(element, "partner"):
        signing_date = first_child(node, "signing-date")
        partners.append(
            Partner(
                hei_id=text_of(first_child(node, "hei-id")).strip().lower(),
                iia_id=text_of(first_child(node, "iia-id")).strip(),
                iia_code=text_of(first_child(node, "iia-code")).strip(),
                signing_contact=_read_contact(first_child(node, "signing-contact")),
                signing_date=_date(text_of(signing_date)) if signing_date is not None else None,
                contacts=[c for c in map(_read_contact, children_named(node, "contact")) if c],
            )
        )
    specs = []
    conditions = first_child(element, "cooperation-conditions")
    for node in list(conditions) if conditions is not None else []:
        total = first_child(node, "total-months-per-year")
        if total is None:
            total = first_child(node, "total-days-per-year")
        try:
            total_value = Decimal(text_of(total).strip()) if total is not None else None
        except InvalidOperation:
            total_value = None
        specs.append(
            MobilitySpec(
                kind=local_name(node.tag),
                sending_hei_id=text_of(first_child(node, "sending-hei-id")).strip().lower(),
                receiving_hei_id=text_of(first_child(node, "receiving-hei-id")).strip().lower(),
                sending_ounit_id=text_of(first_child(node, "sending-ounit-id")).strip(),
                receiving_ounit_id=text_of(first_child(node, "receiving-ounit-id")).strip(),
                first_year=text_of(first_child(node, "receiving-first-academic-year-id")).strip(),
                last_year=text_of(first_child(node, "receiving-last-academic-year-id")).strip(),
                mobilities_per_year=int(text_of(first_child(node, "mobilities-per-year")).strip()),
                languages=[
                    LanguageSkill(
                        text_of(first_child(skill, "language")).strip(),
                        text_of(first_child(skill, "cefr-level")).strip(),
                    )
                    for skill in children_named(node, "recommended-language-skill")
                ],
                isced_codes=[
                    text_of(first_child(area, "isced-f-code")).strip()
                    for area in children_named(node, "subject-area")
                ],
                total_per_year=total_value,
                blended=text_of(first_child(node, "blended")).strip() in ("true", "1"),
                eqf_levels=[int(text_of(level)) for level in children_named(node, "eqf-level")],
                other_info=text_of(first_child(node, "other-info-terms")).strip(),
            )
        )
    return Iia(
        partners=partners,
        in_effect=text_of(first_child(element, "in-effect")).strip() in ("true", "1"),
        specs=specs,
        iia_hash=text_of(first_child(element, "iia-hash")).strip(),
    )


# --- matching and creating ---------------------------------------------------------------


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
            details.append(template % {"total": decimal_text(spec.total_per_year)})
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
                % {"tag": local_name(root.tag)}
            ]
        )
    problems = schema_problems(root)
    if problems:
        raise EwpError(problems)
    elements = children_named(root, "iia")
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
                services.agreement_check_proposer(by, plan["parties"])
                created.append(services.agreement_create(by=by, **plan))
            except ValidationError as error:
                problems.extend(
                    _("Agreement %(n)s: %(problem)s") % {"n": n, "problem": message}
                    for message in error.messages
                )
        if problems:
            raise EwpError(problems)
    return ImportResult(agreements=created, warnings=warnings)
