"""Erasmus Without Paper: the mobility part of an agreement as an EWP IIA (IIAs API v7).

``iia_export`` turns an ``erasmus_iia`` agreement between two institutions into a schema-valid
``iias-get-response``; ``iia_import`` turns an uploaded one into draft agreements, all of them
or none. Beneath them: ``schema`` (what the standard defines, safe parsing and validation
against the vendored ``standards/ewp-iia/iia-get.xsd``), ``data`` (one IIA as dataclasses),
``identifiers`` (``hei-id``, ``iia-id``, academic years) and ``iia_hash``.

Consilium does not store EWP data yet, so two things are derived: the SCHAC ``hei-id`` of an
institution (``identifiers.hei_id``) and the mobility specifications of an agreement
(``iia_export.default_specs``). Callers use this package: ``ewp.export_agreement(...)``.
Patch a name in the module that reads it (``ewp.iia_export.DEFAULT_ISCED``), not here.
"""

from consilium.partnerships.ewp.identifiers import (
    academic_years,
    hei_id,
    iia_id,
    website_host,
    year_dates,
)
from consilium.partnerships.ewp.iia_export import export_agreement, iia_from_agreement, to_xml
from consilium.partnerships.ewp.iia_hash import iia_hash, text_to_hash
from consilium.partnerships.ewp.iia_import import (
    MAX_UPLOAD_BYTES,
    ImportResult,
    import_iias,
    match_institution,
    read_iia,
)
from consilium.partnerships.ewp.schema import (
    NS,
    NS_CONTACT,
    SCHEMA_PATH,
    SPEC_KINDS,
    STAFF_TEACHER,
    STAFF_TRAINING,
    STUDENT_STUDIES,
    STUDENT_TRAINEESHIP,
    EwpError,
    NotAnIia,
    local_name,
    parse,
    schema_problems,
)

__all__ = [
    "MAX_UPLOAD_BYTES",
    "NS",
    "NS_CONTACT",
    "SCHEMA_PATH",
    "SPEC_KINDS",
    "STAFF_TEACHER",
    "STAFF_TRAINING",
    "STUDENT_STUDIES",
    "STUDENT_TRAINEESHIP",
    "EwpError",
    "ImportResult",
    "NotAnIia",
    "academic_years",
    "export_agreement",
    "hei_id",
    "iia_from_agreement",
    "iia_hash",
    "iia_id",
    "import_iias",
    "local_name",
    "match_institution",
    "parse",
    "read_iia",
    "schema_problems",
    "text_to_hash",
    "to_xml",
    "website_host",
    "year_dates",
]
