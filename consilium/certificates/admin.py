"""Read-only admin of certificates: every change goes through the services (and the pages)."""

from __future__ import annotations

from typing import TypeVar

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from consilium.certificates.models import Certificate, SigningKey, StatusList

_M = TypeVar("_M", bound=models.Model)


class ReadOnly(admin.ModelAdmin[_M]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: _M | None = None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(ReadOnly[Certificate]):
    list_display = ["code", "holder_name", "course_title", "issuer", "issued_at", "status"]
    list_filter = ["status", "language"]
    search_fields = ["code", "holder_name"]
    list_select_related = ["issuer"]
    exclude = ["credential"]


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnly[SigningKey]):
    list_display = ["institution", "public_key", "created_at"]
    exclude = ["private_key_encrypted"]
    list_select_related = ["institution"]


@admin.register(StatusList)
class StatusListAdmin(ReadOnly[StatusList]):
    list_display = ["institution", "number", "next_index", "updated_at"]
    exclude = ["encoded", "credential"]
    list_select_related = ["institution"]
