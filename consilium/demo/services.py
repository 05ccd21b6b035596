"""Builds the demo network through the same services that users go through; idempotent.

The directory and the people (``demo/directory.py``) are this app's own builders, registered
first (``DemoConfig.ready``); every other app registers its part (``core/demo.py``), and
``build`` runs them all in their order.
"""

from typing import Any

from consilium.accounts.models import User
from consilium.core.demo import DemoContext, run_demo_builders
from consilium.core.services import service
from consilium.core.text import search_key
from consilium.demo.directory import ALIASES, DEMO_PASSWORD, INSTITUTIONS, USERS
from consilium.institutions import services as institution_services
from consilium.institutions.models import Institution

DemoResult = DemoContext  # what ``build`` answers: the institutions, people and accounts


@service
def build_directory(result: DemoResult) -> None:
    for entry in INSTITUTIONS:
        data: dict[str, Any] = {"kind": entry["kind"], "country": entry["country"]}
        data.update(entry["names"])
        data["aliases"] = ALIASES.get(entry["key"], "")
        data["parent"] = result.institutions[entry["parent"]] if entry["parent"] else None
        existing = Institution.objects.filter(
            country=entry["country"], name_key=search_key(entry["names"]["name_en"])
        ).first()
        if existing is None:
            institution = institution_services.institution_create(data=data)
            result.created += 1
        else:
            institution = institution_services.institution_update(institution=existing, data=data)
            result.updated += 1
        result.institutions[entry["key"]] = institution


@service
def build_people(result: DemoResult) -> None:
    for email, full_name, key, role, language in USERS:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email, password=DEMO_PASSWORD, full_name=full_name, language=language
            )
        if role == "network_admin" and not user.is_staff:
            user.is_staff = True
            user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        institution_services.membership_grant(
            user=user, institution=result.institutions[key], role=role
        )
        result.users[email] = user
        result.accounts.append((email, role, str(result.institutions[key])))


@service
def build(stdout_write=None) -> DemoResult:  # type: ignore[no-untyped-def]
    """Every registered demo builder in its order: the directory, the people, then each
    app's part (``core/demo.py``), in one transaction."""
    return run_demo_builders(DemoResult())
