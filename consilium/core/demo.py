"""The demo network's builders: each app registers its own, ``python -m consilium demo`` runs them.

An app with demo data writes it in its ``demo.py`` (through its services, idempotently: a
second run adds nothing) and registers the builder from its ``AppConfig.ready()``::

    register_demo_builder(DemoBuilder("courses", demo.build, order=40, needs=("people",)))

``consilium/demo`` (``demo.services.build``) runs every registered builder in ``order`` (then
name) with one ``DemoContext``: the demo app's own builders come first and fill
``context.institutions`` (by key) and ``context.users`` (by e-mail); what a builder returns is
kept in ``context.built[name]`` for the builders after it (the course bank returns the courses
it wrote, and certificates issue theirs). ``needs`` names the builders whose work a builder
reads; one that is not registered, or that does not run before, fails before anything is
written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured


@dataclass
class DemoContext:
    """What the builders hand on: the directory and the people, and each builder's result."""

    institutions: dict[str, Any] = field(default_factory=dict)  # by the directory's key
    users: dict[str, Any] = field(default_factory=dict)  # by e-mail
    created: int = 0  # institutions created by this run
    updated: int = 0  # institutions brought up to date
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # e-mail, role, where
    built: dict[str, Any] = field(default_factory=dict)  # what each builder returned, by name


@dataclass(frozen=True)
class DemoBuilder:
    name: str
    build: Callable[[DemoContext], Any]
    order: int = 100
    needs: tuple[str, ...] = ()  # builders that must run before this one


_BUILDERS: dict[str, DemoBuilder] = {}


def register_demo_builder(builder: DemoBuilder) -> None:
    if builder.name in _BUILDERS:
        raise ImproperlyConfigured(f"The demo builder {builder.name!r} is registered twice.")
    _BUILDERS[builder.name] = builder


def unregister_demo_builder(name: str) -> None:
    _BUILDERS.pop(name, None)


def demo_builders() -> list[DemoBuilder]:
    """The registered builders in the order they run; refuses a need that does not run before."""
    ordered = sorted(_BUILDERS.values(), key=lambda b: (b.order, b.name))
    done: set[str] = set()
    for builder in ordered:
        unknown = [need for need in builder.needs if need not in _BUILDERS]
        if unknown:
            raise ImproperlyConfigured(
                f"The demo builder {builder.name!r} needs {unknown}, which no app registers."
            )
        late = [need for need in builder.needs if need not in done]
        if late:
            raise ImproperlyConfigured(
                f"The demo builder {builder.name!r} needs {late}, which must run before it "
                "(a lower order)."
            )
        done.add(builder.name)
    return ordered


def run_demo_builders(context: DemoContext) -> DemoContext:
    for builder in demo_builders():
        context.built[builder.name] = builder.build(context)
    return context
