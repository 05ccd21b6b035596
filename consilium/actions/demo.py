"""Demo actions: the seminar's resolutions (seed 000) and a corrective action with its
effectiveness check at DonNMU (ISO 9001, 10.2). Partnership recommendations are written by
the partnerships' builder, through this app's services. A second run adds nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from consilium.actions import services
from consilium.actions.choices import ActionKind, ActionStatus
from consilium.actions.models import Action
from consilium.core.demo import DemoContext

ACTIONS: list[dict[str, Any]] = [
    {
        "institution": "ua-ministry",
        "responsible": "quality@donnmu.demo.consilium.ua",
        "kind": ActionKind.RESOLUTION,
        "titles": {
            "en": "Define a typical model of an institution's quality management system",
            "uk": "Визначити типову модель системи управління якістю закладу",
        },
        "opened_on": date(2016, 4, 15),
        "due_on": date(2030, 12, 31),
    },
    {
        "institution": "ua-ministry",
        "responsible": "quality@donnmu.demo.consilium.ua",
        "kind": ActionKind.RESOLUTION,
        "titles": {
            "en": "Create a consulting centre for quality management",
            "uk": "Створити консультаційний центр з управління якістю",
        },
        "opened_on": date(2016, 4, 15),
        "due_on": date(2017, 6, 30),
    },
    {
        "institution": "donnmu",
        "responsible": "quality@donnmu.demo.consilium.ua",
        "kind": ActionKind.CORRECTIVE,
        "titles": {
            "en": "Syllabi published late: publish every syllabus before the term starts",
            "uk": "Силабуси оприлюднено із запізненням: оприлюднювати всі до початку семестру",
        },
        "opened_on": date(2025, 9, 20),
        "due_on": date(2026, 1, 31),
        "check_criterion": "Every syllabus of the spring term is online by 1 February.",
        "check_due_on": date(2026, 2, 15),
        "done": "All 212 syllabi were online on 28 January.",
    },
]


def build(context: DemoContext) -> list[Action]:
    built = []
    for spec in ACTIONS:
        institution = context.institutions.get(spec["institution"])
        if institution is None:
            continue
        existing = Action.objects.filter(
            institution=institution, title_en=spec["titles"]["en"]
        ).first()
        if existing is not None:
            built.append(existing)
            continue
        person = context.users.get(spec["responsible"])
        action = services.action_create(
            institution=institution,
            kind=spec["kind"],
            titles=spec["titles"],
            by=person,
            responsible=person,
            opened_on=spec["opened_on"],
            due_on=spec["due_on"],
            check_criterion=spec.get("check_criterion", ""),
            check_due_on=spec.get("check_due_on"),
        )
        if spec.get("done"):
            action = services.action_transition(
                action=action, to=ActionStatus.DONE, by=person, data={"evidence": spec["done"]}
            )
        built.append(action)
    return built
