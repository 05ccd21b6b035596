"""Identifiers and academic years: the SCHAC ``hei-id`` of an institution, the ``iia-id`` of an
agreement, and the academic years an agreement is in effect.

Consilium does not store EWP data yet, so the ``hei-id`` of an institution is derived from
its website (see ``hei_id``).
"""

from __future__ import annotations

import uuid
from datetime import date
from urllib.parse import urlsplit

from django.utils import timezone
from django.utils.text import slugify

from consilium.institutions.models import Institution
from consilium.partnerships.ewp.schema import ACADEMIC_YEAR
from consilium.partnerships.models import Agreement

# Fixed namespace of the iia-ids this installation gives its agreements: uuid5(namespace,
# "agreement:<pk>") never changes for an agreement (EWP requires immutable surrogate ids).
IIA_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://consilium/ewp/iia")


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
