"""Sections that modules add to an institution's page (partnerships, courses, placements…).

A module registers a section in its AppConfig.ready(); the institution page renders every
registered section the viewer may see, in order. Each section's ``context`` runs its own
selectors, so a module never reaches into the directory's view.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class InstitutionSection:
    key: str
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]
    order: int = 100


_SECTIONS: dict[str, InstitutionSection] = {}


def register_institution_section(section: InstitutionSection) -> None:
    _SECTIONS[section.key] = section


def unregister_institution_section(key: str) -> None:
    _SECTIONS.pop(key, None)


def render_institution_sections(request: HttpRequest, institution: Any) -> list[SafeString]:
    """Rendered sections; a section whose context is None is not shown to this viewer."""
    rendered = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        context = section.context(request, institution)
        if context is not None:
            context.setdefault("institution", institution)
            rendered.append(
                SafeString(render_to_string(section.template, context, request=request))
            )
    return rendered
