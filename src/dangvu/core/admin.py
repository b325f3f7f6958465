from django.contrib import admin

from .models import Decision


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("symbol", "date", "issuing_body", "summary")
    search_fields = ("symbol", "issuing_body", "summary")
    date_hierarchy = "date"

    # Decisions are recorded by the services with the events they back; editing one here
    # would change history without an audit row.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
