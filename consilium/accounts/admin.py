from django.contrib import admin

from consilium.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(admin.ModelAdmin[User]):
    list_display = ["email", "full_name", "language", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fields = ["email", "full_name", "language", "is_active", "is_staff", "last_login"]
    readonly_fields = ["last_login"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    fields = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["name", "user", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request: object) -> bool:
        return False
