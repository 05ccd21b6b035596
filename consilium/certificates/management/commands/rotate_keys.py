"""``python -m consilium rotate_keys``: re-encrypt every institution's signing key with the
current secret (``CERTIFICATES_KEY``, else ``SECRET_KEY``), after a rotation that kept the
previous value in ``CERTIFICATES_KEY_FALLBACKS`` or ``SECRET_KEY_FALLBACKS``.

Idempotent; one transaction. ``--check`` changes nothing and fails (exit 1) when a key is not
encrypted with the current secret or cannot be opened at all.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from consilium.certificates import keys
from consilium.certificates.models import SigningKey


class Command(BaseCommand):
    help = "Re-encrypt every signing key with the current CERTIFICATES_KEY or SECRET_KEY."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; fail when a key is not encrypted with the current secret.",
        )

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        current = keys.current_fingerprint()
        self.stdout.write(f"current secret: {current}")
        if check:
            stale, lost = [], []
            for key in SigningKey.objects.order_by("pk"):
                found = keys.encrypted_with(key)
                if found is None:
                    lost.append(key.institution_id)
                elif found != current:
                    stale.append(key.institution_id)
            if lost:
                raise CommandError(_lost_message(lost))
            if stale:
                raise CommandError(
                    f"{len(stale)} key(s) are encrypted with a fallback secret (institutions "
                    f"{_ids(stale)}): run `python -m consilium rotate_keys`."
                )
            self.stdout.write("every signing key is encrypted with the current secret")
            return
        rotated, unchanged, failed = keys.rotate_all()
        self.stdout.write(f"re-encrypted {rotated} key(s); {unchanged} already current")
        if failed:
            raise CommandError(_lost_message(failed))


def _ids(ids: list[int]) -> str:
    return ", ".join(str(pk) for pk in ids)


def _lost_message(ids: list[int]) -> str:
    return (
        f"{len(ids)} key(s) cannot be decrypted with any configured secret (institutions "
        f"{_ids(ids)}); they were left unchanged. Put the secret they were encrypted with in "
        "CERTIFICATES_KEY_FALLBACKS or SECRET_KEY_FALLBACKS and run this again."
    )
