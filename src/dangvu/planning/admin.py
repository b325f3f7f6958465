"""Back-office screen of targets: scoped like everything else, read-only (targets are set
through the service, which checks the role and writes the audit row: API and web forms)."""

from django.contrib import admin

from dangvu.access.scopes import scope_for

from .models import Target
from .selectors import target_list


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("organization", "year", "indicator", "value", "decision", "recorded_at")
    list_filter = ("year", "indicator")
    search_fields = ("organization__code", "organization__name")
    readonly_fields = (
        "organization",
        "year",
        "indicator",
        "value",
        "decision",
        "note",
        "recorded_by",
        "recorded_at",
    )

    def get_queryset(self, request):
        return target_list(scope=scope_for(request.user))

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
