"""Backup and restore across the apps: every row of every model, every uploaded file and every
timestamp (to the microsecond) equal after a round trip, and certificates still verify and
can still be revoked. Refusals leave everything as it was. Runs on the suite's database
(SQLite, or PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models.fields.files import FieldFile
from django.test import Client

from consilium.accounts.models import User
from consilium.certificates import services as certificates
from consilium.certificates.models import Certificate, CertificateStatus
from consilium.certificates.tests.factories import completed
from consilium.certificates.verification import verify_code, verify_credential
from consilium.core import backup
from consilium.core.roles import Role
from consilium.courses.testing import course as make_course
from consilium.institutions.testing import InstitutionFactory, member
from consilium.partnerships import services as partnerships
from consilium.partnerships.tests.factories import make_agreement

# The round trip commits for real (the restore's own transaction, deferred foreign keys checked
# at its commit); the refusals run inside the test's transaction, which is faster.
pytestmark = pytest.mark.django_db
MOMENT = datetime(2021, 3, 4, 5, 6, 7, 123457, tzinfo=UTC)


def _value(value: Any) -> Any:
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, FieldFile):
        return value.name
    return value


def database() -> dict[str, list[dict[str, Any]]]:
    """Every row of every model kept by backups, field by field, in primary key order."""
    return {
        model._meta.label_lower: [
            {f.attname: _value(f.value_from_object(obj)) for f in model._meta.concrete_fields}
            for obj in model._base_manager.order_by("pk")
        ]
        for model in backup.backed_up_models()
        if model._meta.label_lower not in backup.EXCLUDED
    }


def media() -> dict[str, bytes]:
    root = Path(settings.MEDIA_ROOT)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _network() -> Certificate:
    """Rows in every app: institutions and people, an agreement with a document file, a course
    with an enrolment and its certificate (and its PDF)."""
    coordinator = member(Role.PARTNERSHIP_COORDINATOR, InstitutionFactory())
    agreement = make_agreement(by=coordinator)
    partnerships.document_upload(
        agreement=agreement,
        kind="annex",
        title="Annex",
        upload=SimpleUploadedFile("annex.pdf", b"%PDF-1.4 annex"),
        by=coordinator,
    )
    course = make_course(credits=2.5)
    certificate = certificates.certificate_issue(enrolment=completed(course))
    certificates.certificate_pdf(certificate=certificate)
    User.objects.filter(pk=coordinator.pk).update(date_joined=MOMENT, last_login=MOMENT)
    Client().force_login(coordinator)  # a session, which backups leave out
    return certificate


def _empty(*, flush: bool = True) -> None:
    """An empty installation: ``flush`` (what an operator would run; seconds on PostgreSQL),
    or every table emptied with DELETE (what a database fresh from ``migrate`` holds, near
    enough, in a fraction of the time)."""
    if flush:
        call_command("flush", interactive=False, verbosity=0)
    else:
        with connection.cursor() as cursor:
            for model in backup.backed_up_models():
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.mark.django_db(transaction=True)
def test_round_trip_keeps_every_row_file_and_microsecond(tmp_path: Path) -> None:
    certificate = _network()
    rows, files = database(), media()
    assert {"credentials.certificate", "partnerships.document", "courses.enrolment"} <= {
        label for label, found in rows.items() if found
    }
    assert len(files) == 2  # the agreement's document and the certificate's PDF
    assert any(row.get("date_joined") == MOMENT for row in rows["accounts.user"])

    call_command("backup", str(tmp_path / "backup"), verbosity=0)
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert "sessions.session" not in manifest["models"]
    assert settings.SECRET_KEY not in (tmp_path / "backup" / "manifest.json").read_text()
    _empty()
    assert database() != rows and media() == {}

    call_command("restore", str(tmp_path / "backup"), verbosity=0)

    after = database()
    for label, before in rows.items():
        assert after[label] == before, label
    assert media() == files
    assert verify_code(certificate.code).valid
    assert verify_credential(Certificate.objects.get().credential).valid
    # The signing key opens with this server's secret: revoking (which re-signs) works.
    certificates.certificate_revoke(certificate=certificate, by=None, reason="Test")
    assert Certificate.objects.get().status == CertificateStatus.REVOKED
    # New rows get new primary keys (sequences follow the restored rows).
    assert InstitutionFactory().pk > max(row["id"] for row in rows["institutions.institution"])


def test_archive_round_trip_and_refusals(tmp_path: Path, settings: Any) -> None:
    _network()
    rows, files = database(), media()
    archive = tmp_path / "consilium.tar.gz"
    call_command("backup", str(archive), verbosity=0)
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(archive), verbosity=0)

    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive), verbosity=0)  # the database is not empty
    call_command("restore", str(archive), "--force", verbosity=0)
    assert database() == rows and media() == files

    _empty(flush=False)
    original = settings.SECRET_KEY
    settings.SECRET_KEY = "another-secret-" + "x" * 50  # the keys' secret is not configured
    with pytest.raises(CommandError, match="fingerprint"):
        call_command("restore", str(archive), verbosity=0)
    assert not User.objects.exists() and media() == {}  # nothing was changed
    settings.SECRET_KEY_FALLBACKS = [original]  # the old secret kept as a fallback: fine
    call_command("restore", str(archive), verbosity=0)
    assert database() == rows and media() == files


def test_a_damaged_backup_changes_nothing(tmp_path: Path) -> None:
    _network()
    call_command("backup", str(tmp_path / "b"), verbosity=0)
    _empty(flush=False)
    with pytest.raises(CommandError, match="not a Consilium backup"):
        call_command("restore", str(tmp_path), verbosity=0)
    manifest_path = tmp_path / "b" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps({**manifest, "migrations": manifest["migrations"][1:]}))
    with pytest.raises(CommandError, match="another schema"):
        call_command("restore", str(tmp_path / "b"), verbosity=0)
    manifest_path.write_text(json.dumps(manifest))
    rows = tmp_path / "b" / "database" / "credentials.certificate.jsonl"
    rows.write_text("")  # the certificate's row is lost
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(tmp_path / "b"), verbosity=0)
    assert not User.objects.exists() and media() == {}  # all or nothing
