"""The ``iia-hash`` of an ``iia`` element, as EWP's XSLT computes it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from xml.etree import ElementTree as ET

from consilium.partnerships.ewp.schema import children_named, first_child, local_name, text_of

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


def text_to_hash(iia: ET.Element) -> str:
    parents = {child: parent for parent in iia.iter() for child in parent}

    def ancestors(element: ET.Element) -> Iterator[ET.Element]:
        while element in parents:
            element = parents[element]
            yield element

    def name(element: ET.Element | None) -> str:
        return local_name(element.tag) if element is not None else ""

    out: list[str] = []
    conditions = first_child(iia, "cooperation-conditions")
    if conditions is not None and conditions.get("terminated-as-a-whole") in ("true", "1"):
        out.append("_@terminated-as-a-whole@_")
    for position, partner in enumerate(children_named(iia, "partner"), start=1):
        out.append(f"_iia-id_{position}={text_of(first_child(partner, 'iia-id'))}_")
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
                path = f"{name(grandparent)}.{name(parent)}.{name(element)}.{local_name(key)}"
                out.append(f"_@{path}={value}@_")
            if len(element) == 0:
                value = text_of(element)
                if name(element) == "isced-f-code" and element.get("v6-value"):
                    value = element.get("v6-value", "")
                out.append(f"_{name(grandparent)}.{name(parent)}.{name(element)}={value}_")
        for year in ("receiving-first-academic-year-id", "receiving-last-academic-year-id"):
            out.append(f"_{year}={text_of(first_child(spec, year))}_")
    return "".join(out)


def iia_hash(iia: ET.Element) -> str:
    return hashlib.sha256(text_to_hash(iia).encode("utf-8")).hexdigest()
