"""``python -m consilium backup <folder-or-file.tar.gz>``: every row of every model, the uploaded
files and a manifest (see ``consilium/core/backup.py``). No secret is written: keep
SECRET_KEY / CERTIFICATES_KEY safe apart from the backups."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from consilium.core import backup


class Command(BaseCommand):
    help = "Back up the database, uploaded files and a manifest to a new folder or .tar.gz."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("target", help="a new or empty folder, or a file ending .tar.gz")
        parser.add_argument("--database", default="default", help="the database alias")

    def handle(self, *args: Any, target: str, database: str, **options: Any) -> None:
        try:
            manifest = backup.backup(Path(target), using=database)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["models"].values())
        self.stdout.write(
            f"backed up {rows} rows of {len(manifest['models'])} models and "
            f"{len(manifest['files'])} files to {target}"
        )
        for name, entry in manifest["keys"].items():
            if "?" in entry["needed"]:
                self.stderr.write(
                    f"warning: {name}: some data cannot be decrypted with this server's secrets "
                    "even now; the backup keeps it as it is."
                )
            needed = ", ".join(s for s in entry["needed"] if s != "?")
            if needed:
                self.stdout.write(
                    f"{name}: restoring needs the secret(s) with fingerprint {needed}"
                )
            else:
                self.stdout.write(f"{name}: none stored")
