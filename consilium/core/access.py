"""The one access policy of Consilium: its vocabulary, its generic rules and its registry.

It answers two questions and nothing else answers them:

* ``can(user, perm, obj)``: may this user do this (to this object)?
* ``visible(user, Model)`` (or the app's own scope, e.g. its policy's ``visible_agreements``):
  which rows of a model may this user see?

Core knows no app. Each app's ``policy.py`` declares its permissions as a ``StrEnum``, writes
its rules and its visible-row scopes, and registers them here from its ``AppConfig.ready()``
(``register_rules``, ``register_scope``); the directory registers the loader of the roles a
person holds (``register_grants_loader``). Registering a rule under a name that is not a
member of a permission enum, registering a name twice or leaving a member without a rule
fails at start-up.

Every view names the permission it requires with ``@requires`` (or declares itself public),
every API endpoint calls ``require``, and every selector starts from a visible-row scope.
``tests/test_access_matrix.py`` walks all roles against all views and endpoints. Deny by
default: a permission nobody registered a rule for is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from consilium.core.roles import NETWORK_ROLES, Role

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

M = TypeVar("M", bound="Model")
R = TypeVar("R")


class Person(Protocol):
    """What the policy reads of a user: a signed-in person or an anonymous visitor."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_active(self) -> bool: ...

    @property
    def is_staff(self) -> bool: ...

    @property
    def is_superuser(self) -> bool: ...


AnyUser = Person


class Perm(StrEnum):
    """The generic permissions core rules on itself (each app has its own ``Perm``)."""

    PUBLIC = "public"
    SIGNED_IN = "signed_in"
    ADMIN_SITE = "admin.site"


@dataclass(frozen=True)
class Grants:
    """What one user holds: network-wide roles and roles per institution id."""

    network: frozenset[str] = frozenset()
    by_institution: dict[int, frozenset[str]] = field(default_factory=dict)

    def at(self, institution_id: int | None) -> frozenset[str]:
        if institution_id is None:
            return frozenset()
        return self.by_institution.get(institution_id, frozenset())

    def anywhere(self) -> frozenset[str]:
        roles: set[str] = set(self.network)
        for held in self.by_institution.values():
            roles |= held
        return frozenset(roles)

    def holding(self, roles: Iterable[str]) -> list[int]:
        """Ids of the institutions where the user holds one of ``roles``."""
        wanted = frozenset(roles)
        return [pk for pk, held in self.by_institution.items() if held & wanted]

    @property
    def is_network_admin(self) -> bool:
        return Role.NETWORK_ADMIN in self.network

    @property
    def reads_network(self) -> bool:
        return bool(self.network & NETWORK_ROLES)


# (institution id, role) for every role the user holds; registered by the directory.
GrantsLoader = Callable[[Any], Iterable[tuple[int, str]]]
_grants_loader: GrantsLoader | None = None


def register_grants_loader(loader: GrantsLoader) -> None:
    """The directory tells the policy where a person's roles are kept (once, at start-up)."""
    global _grants_loader
    if _grants_loader is not None and _grants_loader is not loader:
        raise ImproperlyConfigured("A grants loader is already registered.")
    _grants_loader = loader


def grants(user: AnyUser) -> Grants:
    """The user's roles, read once per request and kept on the user object."""
    if not user.is_authenticated or not user.is_active:
        return Grants()
    cached = getattr(user, "_consilium_grants", None)
    if isinstance(cached, Grants):
        return cached
    by_institution: dict[int, set[str]] = {}
    network: set[str] = set()
    held = _grants_loader(user) if _grants_loader is not None else ()
    for institution_id, role in held:
        by_institution.setdefault(institution_id, set()).add(role)
        if role in NETWORK_ROLES:
            network.add(role)
    if user.is_superuser:
        network.add(Role.NETWORK_ADMIN)
    result = Grants(
        network=frozenset(network),
        by_institution={key: frozenset(value) for key, value in by_institution.items()},
    )
    user._consilium_grants = result  # type: ignore[attr-defined]
    return result


def forget_grants(user: AnyUser) -> None:
    """Drop the cached roles after a change of memberships."""
    if hasattr(user, "_consilium_grants"):
        del user._consilium_grants


def institution_id(obj: Any) -> int | None:
    """The primary key of an institution given to a rule as its object (None for none)."""
    return getattr(obj, "pk", None) if obj is not None else None


# --- generic rules -----------------------------------------------------------------------
# Each rule takes (user, grants, obj) and returns True to allow.

Rule = Callable[[AnyUser, Grants, Any], bool]


def public(user: AnyUser, g: Grants, obj: Any) -> bool:
    return True


def signed_in(user: AnyUser, g: Grants, obj: Any) -> bool:
    return bool(user.is_authenticated and user.is_active)


def network_admin(user: AnyUser, g: Grants, obj: Any) -> bool:
    return g.is_network_admin


def network_reader(user: AnyUser, g: Grants, obj: Any) -> bool:
    return g.reads_network


def member_anywhere(user: AnyUser, g: Grants, obj: Any) -> bool:
    """Holds a role at some institution, or reads the whole network."""
    return bool(g.by_institution) or g.reads_network


def staff(user: AnyUser, g: Grants, obj: Any) -> bool:
    return bool(user.is_authenticated and user.is_staff and g.is_network_admin)


# --- the registry --------------------------------------------------------------------------

_RULES: dict[str, Rule] = {}
_ENUMS: dict[str, type[StrEnum]] = {}


def register_rules(rules: Mapping[StrEnum, Rule]) -> None:
    """Register an app's rules, one per member of its permission enum (from ``ready()``).

    Raises ``ImproperlyConfigured`` for a key that is not a member of a ``StrEnum``, for a
    permission name registered before, and for a member of a registered enum left without a
    rule.
    """
    for perm in rules:
        if not isinstance(perm, StrEnum):
            raise ImproperlyConfigured(
                f"Permission {perm!r} is not a member of a permission enum (a StrEnum)."
            )
        if perm.value in _RULES:
            raise ImproperlyConfigured(f"Permission {perm.value!r} is registered twice.")
    for perm, rule in rules.items():
        _RULES[perm.value] = rule
        _ENUMS[perm.value] = type(perm)
    for enum in {type(perm) for perm in rules}:
        missing = [member.value for member in enum if member.value not in _RULES]
        if missing:
            raise ImproperlyConfigured(f"{enum.__qualname__} has no rule for {missing}.")


def registered_permissions() -> frozenset[str]:
    """Every permission name a rule is registered for."""
    return frozenset(_RULES)


def permission_enums() -> frozenset[type[StrEnum]]:
    """The permission enums of every app (and core's own)."""
    return frozenset(_ENUMS.values())


_SCOPES: dict[type[Any], Callable[[AnyUser], Any]] = {}


def register_scope(model: type[M], scope: Callable[[AnyUser], QuerySet[M]]) -> None:
    """Register the rows of ``model`` a user may see (from the owning app's ``ready()``)."""
    if model in _SCOPES:
        raise ImproperlyConfigured(f"A visible-row scope of {model.__name__} is registered twice.")
    _SCOPES[model] = scope


def visible(user: AnyUser, model: type[M]) -> QuerySet[M]:
    """The rows of ``model`` this user may see, from the scope its app registered."""
    scope = _SCOPES.get(model)
    if scope is None:
        raise ImproperlyConfigured(f"No visible-row scope is registered for {model.__name__}.")
    result: QuerySet[M] = scope(user)
    return result


def scoped_models() -> frozenset[type[Any]]:
    return frozenset(_SCOPES)


register_rules(
    {
        Perm.PUBLIC: public,
        Perm.SIGNED_IN: signed_in,
        Perm.ADMIN_SITE: staff,
    }
)


# --- asking --------------------------------------------------------------------------------


def can(user: AnyUser, perm: StrEnum, obj: Any = None) -> bool:
    """May ``user`` do ``perm`` (to ``obj``)? A name without a registered rule is refused.

    ``perm`` is a member of a permission enum; a plain string (a template's) works the same.
    """
    rule = _RULES.get(perm)
    if rule is None:
        return False
    return rule(user, grants(user), obj)


def require(user: AnyUser, perm: StrEnum, obj: Any = None) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied


# --- views -------------------------------------------------------------------------------


class Loaded:
    """A loader's answer when the view needs more than the object the permission checks.

    ``Loaded(course, lesson=row)``: the permission is checked against ``course``; the view gets
    ``course`` under the loader's name and ``lesson=row`` as keyword arguments.
    """

    __slots__ = ("more", "target")

    def __init__(self, target: Any, /, **more: Any) -> None:
        self.target = target
        self.more = more


def requires(
    perm: StrEnum, /, **loader: Callable[..., Any]
) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Declare what a view requires; anonymous users are sent to sign in, others get 403.

    ``@requires(Perm.X)`` checks the permission alone. ``@requires(Perm.X, agreement=load)``
    first calls ``load(request, **url_kwargs)`` (which may raise Http404), checks the
    permission against what it returns and passes that to the view as the keyword argument
    ``agreement`` (besides the URL's own arguments), so the view declares it with its type:
    ``def view(request: AuthedRequest, pk: int, *, agreement: Agreement)``. ``wrapper.access_rule``
    is the permission (the access matrix reads it).
    """
    if len(loader) > 1:
        raise TypeError("@requires takes one loader at most")
    name, load = next(iter(loader.items())) if loader else ("", None)

    def decorate(view: Callable[..., R]) -> Callable[..., R]:
        @wraps(view)
        def wrapper(request: Any, *args: Any, **kwargs: Any) -> Any:
            loaded = load(request, **kwargs) if load is not None else None
            target, more = (
                (loaded.target, loaded.more) if isinstance(loaded, Loaded) else (loaded, {})
            )
            if not can(request.user, perm, target):
                if not request.user.is_authenticated and perm != Perm.PUBLIC:
                    return redirect_to_login(request.get_full_path())
                raise PermissionDenied
            if load is not None:
                kwargs = {**kwargs, name: target, **more}
            return view(request, *args, **kwargs)

        wrapper.access_rule = perm  # type: ignore[attr-defined]
        return wrapper

    return decorate
