"""Backup and restore of a whole installation: every model's rows, the uploaded files and a
manifest (``python -m consilium backup`` / ``restore``).

Generic: it walks Django's model registry and imports no app. A backup is a folder (or the
same folder as a ``.tar.gz``)::

    manifest.json           format, when, the schema (applied migrations), row counts per
                            model, every file with its size and SHA-256, what keys need
    database/<label>.jsonl  one JSON object per row: each concrete field by its column
                            attribute; timestamps in full ISO 8601 (microseconds), binary as
                            base64, JSON as JSON
    media/…                 MEDIA_ROOT as it was

The rows are read in one transaction (REPEATABLE READ on PostgreSQL, a read snapshot on
SQLite), so they are consistent with each other. Sessions are left out: a session key is a
bearer secret, and people sign in again after a restore. Secrets are not written: apps that
keep data encrypted (certificates' signing keys) register a ``KeyRequirement`` that puts in
the manifest the *fingerprints* of the secrets the data needs, so a restore on a server
without them stops with a clear message before it changes anything.

Restore writes into an empty database (refusing one that holds accounts unless ``force``) at
the same schema, in one transaction: everything is deleted, then the backup's rows are
inserted as they were (no ``save()``, no signals, ``auto_now`` untouched), sequences are reset,
the foreign keys checked and the key requirements checked against the restored rows; any
failure rolls all of it back. Files are copied to a staging folder beside MEDIA_ROOT first
and moved into place only after the database commits.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, router, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "consilium-backup"
VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database"
MEDIA = "media"
#: Not kept: a session key is a bearer secret (everyone signs in again after a restore).
EXCLUDED = frozenset({"sessions.session"})
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar")
_CHUNK = 2000


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class KeyRequirement:
    """What an app's encrypted data needs from the server's secrets (see ``register``).

    ``needed``: fingerprints (never the secrets) of the secrets the stored data is encrypted
    with, or ``"?"`` for data no configured secret opens; ``available``: the fingerprints of
    the secrets this server is configured with; ``unreadable``: descriptions of stored items
    no configured secret opens (checked again after a restore has loaded the rows); ``hint``:
    which settings to set.
    """

    name: str
    needed: Callable[[], list[str]]
    available: Callable[[], list[str]]
    unreadable: Callable[[], list[str]]
    hint: str


_requirements: dict[str, KeyRequirement] = {}


def register_key_requirement(requirement: KeyRequirement) -> None:
    _requirements[requirement.name] = requirement


def key_requirements() -> list[KeyRequirement]:
    return list(_requirements.values())


# --- rows ----------------------------------------------------------------------------------


def backed_up_models(using: str = DEFAULT_DB_ALIAS) -> list[type[models.Model]]:
    """Every model with a table of its own in this database (many-to-many tables included)."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and router.allow_migrate_model(using, model)
    ]


def _encode(field: models.Field[Any, Any], obj: models.Model) -> Any:
    value = field.value_from_object(obj)
    if value is None:
        return None
    kind = field.get_internal_type()
    if kind == "BinaryField":
        return base64.b64encode(bytes(value)).decode("ascii")
    if kind == "JSONField":
        return value
    if isinstance(value, bool | int | str) or type(value) is float:
        return value
    return field.value_to_string(obj)  # datetimes in full isoformat, Decimal, UUID, files


def _decode(field: models.Field[Any, Any], value: Any) -> Any:
    if value is None:
        return None
    kind = field.get_internal_type()
    if kind == "BinaryField":
        return base64.b64decode(value)
    if kind == "JSONField":
        return value
    return field.to_python(value)


def rows(model: type[models.Model], using: str = DEFAULT_DB_ALIAS) -> Iterator[dict[str, Any]]:
    """The model's rows as the backup keeps them, in primary key order."""
    fields = model._meta.concrete_fields
    queryset = model._base_manager.using(using).order_by("pk")
    for obj in queryset.iterator(chunk_size=_CHUNK):
        yield {field.attname: _encode(field, obj) for field in fields}


def _require_migrated(using: str) -> None:
    """Refuse a database the code's migrations are not all applied to (tables would differ)."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:10])
        raise BackupError(
            f"The database is not migrated ({names}…): run `python -m consilium migrate` first."
        )


def _applied_migrations(using: str) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


# --- backup --------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _is_archive(target: Path) -> bool:
    return target.name.endswith(ARCHIVE_SUFFIXES)


def _snapshot(using: str) -> Any:
    """A transaction whose reads all see one moment (REPEATABLE READ on PostgreSQL)."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    atomic = transaction.atomic(using=using)
    atomic.__enter__()
    if outermost and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
    return atomic


def backup(target: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Write a backup to ``target`` (a new or empty folder, or a ``.tar.gz`` file)."""
    target = Path(target)
    if not target.parent.is_dir():
        raise BackupError(f"{target.parent} is not a folder: create it first.")
    if _is_archive(target):
        if target.exists():
            raise BackupError(f"{target} exists already: give a new file name.")
        with tempfile.TemporaryDirectory(dir=target.parent) as work:
            folder = Path(work) / "backup"
            manifest = backup(folder, using=using)
            with tarfile.open(target, "w:gz" if not target.name.endswith(".tar") else "w") as tar:
                tar.add(folder, arcname=".")
            os.chmod(target, 0o600)
        return manifest
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} is not an empty folder: give a new or empty one.")
    _require_migrated(using)
    old_umask = os.umask(0o077)  # the backup holds password hashes: readable by its owner only
    try:
        return _write(target, using)
    finally:
        os.umask(old_umask)


def _write(target: Path, using: str) -> dict[str, Any]:
    (target / DATABASE).mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    keys: dict[str, Any] = {}
    atomic = _snapshot(using)
    try:
        migrations = _applied_migrations(using)
        for model in backed_up_models(using):
            label = model._meta.label_lower
            if label in EXCLUDED:
                continue
            count = 0
            with (target / DATABASE / f"{label}.jsonl").open("w", encoding="utf-8") as out:
                for row in rows(model, using):
                    out.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
                    out.write("\n")
                    count += 1
            counts[label] = count
        for requirement in key_requirements():
            keys[requirement.name] = {"needed": requirement.needed(), "hint": requirement.hint}
    finally:
        atomic.__exit__(None, None, None)
    media_root = Path(settings.MEDIA_ROOT)
    files = []
    for path in _media_files(media_root):
        relative = path.relative_to(media_root).as_posix()
        copy = target / MEDIA / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, copy)
        files.append({"path": relative, "size": copy.stat().st_size, "sha256": _sha256(copy)})
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": timezone.now().isoformat(),
        "django": django.get_version(),
        "database": connections[using].vendor,
        "migrations": migrations,
        "models": counts,
        "excluded": sorted(EXCLUDED),
        "files": files,
        "keys": keys,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


# --- restore -------------------------------------------------------------------------------


_MANIFEST_PARTS = {"migrations": list, "models": dict, "files": list, "keys": dict}


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder} is not a Consilium backup: no readable {MANIFEST}.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{folder} is not a Consilium backup.")
    if manifest.get("version") != VERSION:
        raise BackupError(f"Backup format version {manifest.get('version')} is not supported.")
    if not all(isinstance(manifest.get(k), t) for k, t in _MANIFEST_PARTS.items()):
        raise BackupError(f"The backup is damaged: {MANIFEST} lacks some of its parts.")
    return manifest


def _check_schema(manifest: dict[str, Any], using: str) -> None:
    theirs, ours = set(manifest["migrations"]), set(_applied_migrations(using))
    if theirs == ours:
        return
    missing, extra = sorted(theirs - ours), sorted(ours - theirs)
    raise BackupError(
        "The backup was made at another schema than this database's, so it cannot be "
        "restored here. Restore it with the release it was made with (`migrate` to the same "
        "migrations), then upgrade. "
        + (f"Not applied here: {', '.join(missing[:10])}. " if missing else "")
        + (f"Applied here only: {', '.join(extra[:10])}." if extra else "")
    )


def _check_keys(manifest: dict[str, Any]) -> list[str]:
    """Problems with the server's secrets for this backup (empty when all is well)."""
    problems = []
    for requirement in key_requirements():
        entry = manifest.get("keys", {}).get(requirement.name)
        if not entry:
            continue
        needed = set(entry.get("needed", []))
        if "?" in needed:
            problems.append(
                f"{requirement.name}: some of the backup's data could not be decrypted even on "
                "the server that made it."
            )
        missing = needed - {"?"} - set(requirement.available())
        if missing:
            problems.append(
                f"{requirement.name}: the backup's data is encrypted with secret(s) "
                f"{', '.join(sorted(missing))} (fingerprints), which this server is not "
                f"configured with. {requirement.hint}"
            )
    return problems


def _in_use(using: str) -> str | None:
    """Why the database or MEDIA_ROOT does not count as empty, or None."""
    users = get_user_model()._default_manager.using(using).count()
    if users:
        return f"the database holds {users} account(s)"
    if _media_files(Path(settings.MEDIA_ROOT)):
        return f"{settings.MEDIA_ROOT} holds files"
    return None


def _verify_files(folder: Path, manifest: dict[str, Any]) -> None:
    for entry in manifest["files"]:
        path = (folder / MEDIA / entry["path"]).resolve()
        if not path.is_relative_to((folder / MEDIA).resolve()) or not path.is_file():
            raise BackupError(f"The backup is incomplete: {entry['path']} is missing.")
        if path.stat().st_size != entry["size"] or _sha256(path) != entry["sha256"]:
            raise BackupError(f"The backup is damaged: {entry['path']} does not match its hash.")


def _load(folder: Path, manifest: dict[str, Any], using: str) -> dict[str, int]:
    connection = connections[using]
    every = backed_up_models(using)
    by_label = {model._meta.label_lower: model for model in every}
    unknown = sorted(set(manifest["models"]) - by_label.keys())
    if unknown:
        raise BackupError(f"The backup holds models this code does not have: {unknown}.")
    tables = [model._meta.db_table for model in every]
    with connection.cursor() as cursor:
        # DELETE rather than TRUNCATE: the database is expected to be (nearly) empty, and on
        # PostgreSQL truncating 70 tables takes seconds. Foreign keys are checked at the end.
        for table in tables:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608  (model tables)
    loaded: dict[str, int] = {}
    for label, expected in manifest["models"].items():
        model = by_label[label]
        fields = model._meta.concrete_fields
        by_name = {field.attname: field for field in fields}
        count = 0
        batch: list[models.Model] = []
        size = max(1, min(1000, connection.ops.bulk_batch_size(list(fields), [None] * 1000)))
        manager = model._base_manager.using(using)
        path = folder / DATABASE / f"{label}.jsonl"
        with path.open(encoding="utf-8") as stream:
            for line in stream:
                row = json.loads(line)
                values = {name: _decode(by_name[name], value) for name, value in row.items()}
                batch.append(model(**values))
                if len(batch) >= size:
                    manager._insert(batch, fields=fields, using=using, raw=True)  # type: ignore[attr-defined]
                    count += len(batch)
                    batch = []
        if batch:
            manager._insert(batch, fields=fields, using=using, raw=True)  # type: ignore[attr-defined]
            count += len(batch)
        if count != expected:
            raise BackupError(f"The backup is damaged: {label} has {count} rows, not {expected}.")
        loaded[label] = count
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), every):
            cursor.execute(statement)
    connection.check_constraints(table_names=tables)
    return loaded


def restore(
    source: Path,
    *,
    force: bool = False,
    ignore_keys: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    warn: Callable[[str], None] = lambda message: None,
) -> dict[str, Any]:
    """Restore a backup (folder or archive) into this database and MEDIA_ROOT; all or nothing."""
    source = Path(source)
    if source.is_file():
        with tempfile.TemporaryDirectory() as work:
            with tarfile.open(source) as tar:
                tar.extractall(work, filter="data")
            return restore(Path(work), force=force, ignore_keys=ignore_keys, using=using, warn=warn)
    manifest = read_manifest(source)
    _require_migrated(using)
    _check_schema(manifest, using)
    problems = _check_keys(manifest)
    if problems and not ignore_keys:
        raise BackupError(
            " ".join(problems) + " Nothing was restored (--ignore-keys restores anyway; "
            "nothing could then be signed with those keys)."
        )
    for problem in problems:
        warn(problem)
    busy = _in_use(using)
    if busy and not force:
        raise BackupError(
            f"Restore writes into an empty installation, and {busy}. Nothing was changed. "
            "Run it with --force to replace everything in this database (every row of every "
            "table) with the backup."
        )
    _verify_files(source, manifest)
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=media_root.parent))
    try:
        if manifest["files"]:
            shutil.copytree(source / MEDIA, staging / MEDIA)
        with transaction.atomic(using=using):
            loaded = _load(source, manifest, using)
            unreadable = [
                f"{requirement.name}: {item}"
                for requirement in key_requirements()
                for item in requirement.unreadable()
            ]
            if unreadable and not ignore_keys:
                raise BackupError(
                    "After loading, some encrypted data cannot be opened with this server's "
                    "secrets, so nothing was restored: " + "; ".join(unreadable[:10])
                )
            for item in unreadable:
                warn(f"cannot be decrypted: {item}")
        for entry in manifest["files"]:
            destination = media_root / entry["path"]
            destination.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / MEDIA / entry["path"], destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    for alias in settings.CACHES:
        caches[alias].clear()  # cached pages and figures describe the data that was replaced
    return {"models": loaded, "files": len(manifest["files"])}
