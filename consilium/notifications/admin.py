from django.contrib import admin

from consilium.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["user", "message", "created_at", "read_at"]
    list_filter = [("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "user__full_name", "message"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    date_hierarchy = "created_at"
    fields = ["user", "message", "url", "created_at", "read_at"]
    readonly_fields = ["user", "message", "url", "created_at"]

    def has_add_permission(self, request: object) -> bool:
        return False
