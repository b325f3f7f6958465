from django.contrib import admin

from .models import Decision


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("symbol", "date", "issuing_body", "summary")
    search_fields = ("symbol", "issuing_body", "summary")
    date_hierarchy = "date"

    def has_delete_permission(self, request, obj=None):
        return False
