"""The access matrix's shared kit: personas, the world they act in, who is allowed, the rows.

Each app names its own routes and API operations, with who may use them, in
``consilium/<app>/tests/access_matrix.py``; ``tests/test_access_matrix.py`` collects them from
every installed app (``collect()``), walks every persona against every row and fails on a
route or API operation that no app gave a row. An app's module exports:

* ``ROWS``: a ``Route`` per named route (one more per object that answers differently, with a
  ``label``);
* ``API_ROWS``: an ``ApiRoute`` per API operation (path as the OpenAPI document spells it);
* ``WORLD_PARTS`` (optional): the ``WorldPart``s it adds to the world.

Personas: anonymous, a signed-in person with no role, and one person per role. Network roles
are held at ``ministry``; every other role is held at the institution ``own``. ``other`` is an
institution where nobody but the network roles has any business. Each institution also has a
member to act on (``target_membership``) and an open invitation (``target_invitation``).

The rest of the world comes in parts, built by the apps: a row names the part it needs
(``Route.part``, e.g. ``"courses"``) and each case builds the base world and that part only.
A row that names none gets the parts declared ``default`` (the partnerships' agreements, which
are cheap and give the directory's pages something to show). Several apps may add to one part
(certificates add theirs to the course bank's part); they are built in the order of
``INSTALLED_APPS``. What a part builds is read as attributes of the world (``w.draft``,
``w.c.published``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from django.apps import apps

from consilium.accounts.testing import UserFactory
from consilium.core.roles import NETWORK_ROLES, Role
from consilium.institutions import services
from consilium.institutions.models import Institution, InstitutionKind, Invitation, Membership
from consilium.institutions.testing import InstitutionFactory

PERSONAS = ["anonymous", "no_role", *[role.value for role in Role]]


@dataclass
class World:
    own: Institution
    other: Institution
    ministry: Institution
    users: dict[str, Any]
    target_membership: dict[str, Membership]
    target_invitation: dict[str, Invitation]
    parts: dict[str, Any] = field(default_factory=dict)  # what the parts built, by name

    def __getattr__(self, name: str) -> Any:
        """What a part built: ``w.draft``, ``w.c`` (only called for other attributes)."""
        parts = self.__dict__.get("parts", {})
        if name in parts:
            return parts[name]
        raise AttributeError(f"the world has no {name!r}: does the row name its part?")


@dataclass(frozen=True)
class WorldPart:
    """``build(world)`` writes an app's part of the world and returns it by attribute name."""

    name: str  # the part rows name (``Route.part``)
    build: Callable[[World], Mapping[str, Any]]
    default: bool = False  # also built for rows that name no part


def build_world(part: str, parts: Sequence[WorldPart]) -> World:
    """The personas and their institutions, with the rows of one ``part`` ("" for the default
    parts), so that each case builds only what it uses."""
    ministry = InstitutionFactory(kind=InstitutionKind.MINISTRY, name_en="Ministry")
    own = InstitutionFactory(name_en="Own University")
    other = InstitutionFactory(name_en="Other University")
    users: dict[str, Any] = {"anonymous": None, "no_role": UserFactory()}
    for role in Role:
        user = UserFactory()
        where = ministry if role in NETWORK_ROLES else own
        Membership.objects.create(user=user, institution=where, role=role)
        users[role.value] = user
    # Someone to act on at each institution, and an open invitation at each.
    target_membership, target_invitation = {}, {}
    inviter = users[Role.NETWORK_ADMIN.value]
    for key, institution in (("own", own), ("other", other)):
        Membership.objects.create(
            user=UserFactory(), institution=institution, role=Role.INSTITUTION_ADMIN
        )
        target_membership[key] = Membership.objects.create(
            user=UserFactory(), institution=institution, role=Role.TEACHER
        )
        target_invitation[key] = services.invitation_create(
            institution=institution,
            email=f"invitee-{key}@example.org",
            role=Role.LEARNER,
            invited_by=inviter,
        ).invitation
    world = World(own, other, ministry, users, target_membership, target_invitation)
    for world_part in parts:
        if world_part.name == part or (not part and world_part.default):
            built = world_part.build(world)
            clash = set(built) & set(world.parts)
            assert not clash, f"two world parts build {sorted(clash)}"
            world.parts.update(built)
    return world


# --- who is allowed (roles at ``own``, network roles at ``ministry``) ---------------------

Allowed = Callable[[str], bool]


def everyone(persona: str) -> bool:
    return True


def nobody(persona: str) -> bool:
    return False


def signed_in(persona: str) -> bool:
    return persona != "anonymous"


def network_admin(persona: str) -> bool:
    return persona == Role.NETWORK_ADMIN


def network_readers(persona: str) -> bool:
    return persona in NETWORK_ROLES


def managers_of_own(persona: str) -> bool:
    return persona in (Role.NETWORK_ADMIN, Role.INSTITUTION_ADMIN)


def members_of_own(persona: str) -> bool:
    return persona in Role.values  # every role is held at own or network-wide


def coordinators_anywhere(persona: str) -> bool:
    """The roles that speak for an institution: its administrators and partnership
    coordinators, and the network admin."""
    return persona in (Role.NETWORK_ADMIN, Role.INSTITUTION_ADMIN, Role.PARTNERSHIP_COORDINATOR)


# --- the rows ------------------------------------------------------------------------------


@dataclass
class Route:
    name: str
    allowed: Allowed
    method: str = "get"
    kwargs: Callable[[World], dict[str, Any]] = lambda w: {}
    data: Callable[[World], dict[str, Any]] = lambda w: {}
    label: str = ""
    # Statuses that count as "allowed" (a redirect after a successful POST, a 410 for a
    # dead invitation link...). Denied is always 403, or a redirect to sign in.
    ok: tuple[int, ...] = (200, 302)
    extra: dict[str, Any] = field(default_factory=dict)
    part: str = ""  # which part of the world it needs ("": the default parts)

    @property
    def id(self) -> str:
        return f"{self.name}{'@' + self.label if self.label else ''}:{self.method}"


@dataclass
class ApiRoute:
    method: str
    path: str
    allowed: Allowed
    url: Callable[[World], str]
    body: Callable[[World], dict[str, Any]] | None = None
    label: str = ""
    form: Callable[[World], dict[str, Any]] | None = None  # a multipart POST instead of JSON
    ok: tuple[int, ...] = (200, 201)  # statuses that count as "allowed"
    part: str = ""

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}{'@' + self.label if self.label else ''}"


own_pk = lambda w: {"pk": w.own.pk}  # noqa: E731
other_pk = lambda w: {"pk": w.other.pk}  # noqa: E731


# --- collecting the apps' rows -------------------------------------------------------------


@dataclass
class Matrix:
    rows: list[Route]
    api_rows: list[ApiRoute]
    parts: list[WorldPart]
    modules: list[str]  # the apps' modules it was collected from


def collect() -> Matrix:
    """The rows and world parts of every installed app that has ``tests/access_matrix.py``,
    in the order of ``INSTALLED_APPS`` (found by its file, so that no other app's tests
    package is imported)."""
    matrix = Matrix([], [], [], [])
    for config in apps.get_app_configs():
        if not (Path(config.path) / "tests" / "access_matrix.py").is_file():
            continue
        module = import_module(f"{config.name}.tests.access_matrix")
        matrix.rows += getattr(module, "ROWS", [])
        matrix.api_rows += getattr(module, "API_ROWS", [])
        matrix.parts += getattr(module, "WORLD_PARTS", [])
        matrix.modules.append(module.__name__)
    return matrix
