from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from consilium.core.roles import Role
from consilium.demo.directory import DEMO_PASSWORD
from consilium.demo.services import build


class Command(BaseCommand):
    help = "Build (or bring up to date) the demo network from the seed texts. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate("en")
        result = build()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo network: {result.created} institutions created, {result.updated} updated."
            )
        )
        self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD})")
        labels = dict(Role.choices)
        for email, role, institution in result.accounts:
            self.stdout.write(f"  {labels[role]!s:26} {email:44} {institution}")
