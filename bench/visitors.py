"""Signed-in visitors for the load generator: session cookies and an API token, no browser.

Run by ``bench/run.py`` after the seeding, with the benchmark's environment (its own throwaway
database and SECRET_KEY). Creates

* a ministry observer (``ministry_observer`` at a ministry of the directory: reads every
  agreement, public or not),
* a partnership coordinator of one institution (``partnership_coordinator`` at the Kazakh
  university with the most agreements: reads the public agreements and its own),

each without a usable password, and signs each in the way ``django.contrib.auth.login`` does: a
session in the configured session store holding the user's id, the authentication backend and
the session hash (``user.get_session_auth_hash()``, keyed by this instance's SECRET_KEY).
The observer also gets an API token (``accounts.services.api_token_create``).

Writes a JSON file (mode 0600) with the ``Cookie`` and ``Authorization`` header values and the
ids the targets need (the busiest programme)::

    python bench/visitors.py --out /tmp/consilium-bench-XXXX/visitors.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from importlib import import_module
from pathlib import Path
from typing import Any

DOMAIN = "bench.invalid"  # reserved: never a real address (RFC 2606)


def sign_in(user: Any) -> str:
    """A session for ``user`` as ``auth.login`` would store it; returns the Cookie value."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = user._meta.pk.value_to_string(user)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def person(email: str, full_name: str, institution: Any, role: str) -> Any:
    from consilium.accounts.models import User
    from consilium.institutions.models import Membership

    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, password=None, full_name=full_name)
    Membership.objects.get_or_create(user=user, institution=institution, role=role)
    return user


def course_bank() -> dict[str, Any]:
    """Ids the course-bank targets open: the most visited published courses (the demo's
    Sechenov course first) and the codes of a few issued certificates."""
    from consilium.certificates.models import Certificate
    from consilium.courses.models import Course, YearStats

    sechenov = list(
        Course.objects.filter(status="published", owner__name_en__startswith="Sechenov")
        .order_by("id")
        .values_list("pk", flat=True)[:1]
    )
    busiest = list(
        YearStats.objects.filter(scope="course")
        .exclude(scope_id__in=sechenov)
        .order_by("-enrolments", "scope_id")
        .values_list("scope_id", flat=True)[:4]
    )
    courses = [*sechenov, *busiest]
    codes = list(Certificate.objects.order_by("issued_at").values_list("code", flat=True)[:5])
    return {
        **{f"course{n}": pk for n, pk in enumerate((courses * 5)[:5])},
        **{f"code{n}": code for n, code in enumerate((codes * 5)[:5])},
    }


def make() -> dict[str, Any]:
    from django.db.models import Count

    from consilium.accounts.services import api_token_create
    from consilium.core.roles import Role
    from consilium.institutions.models import Institution
    from consilium.partnerships.models import Agreement, Programme
    from consilium.partnerships.policy import visible_agreements

    ministry = Institution.objects.filter(kind="ministry", country="KZ").order_by("id").first()
    university = (
        Institution.objects.filter(kind="university", country="KZ")
        .annotate(n=Count("agreement_parties"))
        .order_by("-n", "id")
        .first()
    )
    if ministry is None or university is None:
        raise SystemExit("visitors: the directory has no Kazakh ministry or university")
    observer = person(
        f"observer@{DOMAIN}", "Bench Observer", ministry, Role.MINISTRY_OBSERVER.value
    )
    coordinator = person(
        f"coordinator@{DOMAIN}", "Bench Coordinator", university, Role.PARTNERSHIP_COORDINATOR.value
    )
    _token, raw = api_token_create(user=observer, name="bench")
    programme = (
        Programme.objects.annotate(n=Count("agreements")).order_by("-n", "id").values("pk").first()
    )
    return {
        **course_bank(),
        "observer": {
            "cookie": sign_in(observer),
            "authorization": f"Bearer {raw}",
            "sees": visible_agreements(observer).count(),
        },
        "coordinator": {
            "cookie": sign_in(coordinator),
            "institution": university.pk,
            "institution_name": str(university),
            "own": Agreement.objects.filter(parties__institution=university).count(),
            "sees": visible_agreements(coordinator).count(),
        },
        "programme": programme["pk"] if programme else 0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="where to write the JSON")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consilium.settings")
    import django

    django.setup()
    data = make()
    fd = os.open(args.out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(data, out)
    coordinator = data["coordinator"]
    print(
        f"visitors: a ministry observer (sees {data['observer']['sees']} agreements, API token) "
        f"and a coordinator of {coordinator['institution_name']} (party to "
        f"{coordinator['own']}, sees {coordinator['sees']}); programme {data['programme']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
