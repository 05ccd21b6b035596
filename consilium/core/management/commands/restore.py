"""``python -m consilium restore <folder-or-file.tar.gz>``: put a backup back into an empty,
migrated database (same migrations as the backup) and MEDIA_ROOT, all or nothing (see
``consilium/core/backup.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from consilium.core import backup


class Command(BaseCommand):
    help = "Restore a backup made by `backup` into an empty database, all or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="the backup's folder or .tar.gz file")
        parser.add_argument("--database", default="default", help="the database alias")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace everything in a database that is not empty",
        )
        parser.add_argument(
            "--ignore-keys",
            action="store_true",
            help="restore even when this server's secrets cannot decrypt the backup's keys",
        )

    def handle(
        self, *args: Any, source: str, database: str, force: bool, ignore_keys: bool, **options: Any
    ) -> None:
        if not Path(source).exists():
            raise CommandError(f"{source} does not exist.")
        try:
            result = backup.restore(
                Path(source),
                force=force,
                ignore_keys=ignore_keys,
                using=database,
                warn=lambda message: self.stderr.write(f"warning: {message}"),
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(result["models"].values())
        self.stdout.write(
            f"restored {rows} rows of {len(result['models'])} models and {result['files']} files"
        )
