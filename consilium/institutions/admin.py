from django.contrib import admin
from modeltranslation.admin import TranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from consilium.institutions.models import Institution, Invitation, Membership


@admin.register(Institution)
class InstitutionAdmin(SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["name", "kind", "country", "city", "parent"]
    list_filter = ["kind", "country"]
    search_fields = ["search_text"]
    raw_id_fields = ["parent"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        from consilium.institutions import services

        data = {field: getattr(obj, field) for field in services.institution_fields()}
        if change:
            services.institution_update(institution=obj, data=data, by=request.user)
        else:
            obj.pk = services.institution_create(data=data, by=request.user).pk


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "institution", "role", "created_at"]
    list_filter = ["role"]
    raw_id_fields = ["user", "institution"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "institution", "role", "created_at", "accepted_at", "cancelled_at"]
    readonly_fields = ["token_hash"]
