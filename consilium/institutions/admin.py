from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from consilium.accounts.http import signed_in_user
from consilium.institutions.models import Institution, Invitation, Membership

# simple_history ships no type information, so mypy sees SimpleHistoryAdmin as Any: the two
# subclasses below carry "ignore[misc]" (subclassing Any) for that reason alone.


@admin.register(Institution)
class InstitutionAdmin(SimpleHistoryAdmin, TranslationAdmin[Institution]):  # type: ignore[misc]
    list_display = ["name", "kind", "country", "city", "parent"]
    list_filter = ["kind", "country"]
    search_fields = ["search_text"]
    raw_id_fields = ["parent"]

    def save_model(
        self,
        request: HttpRequest,
        obj: Institution,
        form: forms.ModelForm[Institution],
        change: bool,
    ) -> None:
        from consilium.institutions import services

        by = signed_in_user(request)
        data = {field: getattr(obj, field) for field in services.institution_fields()}
        if change:
            services.institution_update(institution=obj, data=data, by=by)
        else:
            obj.pk = services.institution_create(data=data, by=by).pk


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    list_display = ["user", "institution", "role", "created_at"]
    list_filter = ["role"]
    raw_id_fields = ["user", "institution"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["email", "institution", "role", "created_at", "accepted_at", "cancelled_at"]
    readonly_fields = ["token_hash"]
