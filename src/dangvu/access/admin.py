from django.contrib import admin

from .models import APIToken, AuditEntry, Grant
from .scopes import scope_for
from .services import grant_assign, grant_revoke


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "organization__code", "organization__name")
    autocomplete_fields = ("organization",)

    def has_module_permission(self, request):
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        return ("user", "organization") if obj else ()

    def save_model(self, request, obj, form, change):
        # Through the service, so the grant is checked against the scope and audited.
        grant = grant_assign(
            scope=scope_for(request.user),
            user=obj.user,
            organization=obj.organization,
            role=obj.role,
        )
        obj.pk = grant.pk

    def delete_model(self, request, obj):
        grant_revoke(scope=scope_for(request.user), grant=obj)

    def delete_queryset(self, request, queryset):
        for grant in queryset:
            grant_revoke(scope=scope_for(request.user), grant=grant)


@admin.register(APIToken)
class APITokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False

    def has_module_permission(self, request):
        return request.user.is_superuser


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "object_id", "actor__username")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):
        return request.user.is_superuser
