"""Back-office screens. Reads are scoped like everything else; restructuring is recorded by
the services (API and web forms), so history rows are read-only here."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from dangvu.access.scopes import scope_for
from dangvu.core import clock
from dangvu.core.errors import DomainError

from .forms import EstablishForm
from .models import (
    CommitteeConsolidation,
    CommitteeSeat,
    CommitteeTerm,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
)
from .services import organization_establish


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _visible_ids(request):
    """Ids of the organisations the user's scope reaches today."""
    scope = scope_for(request.user)
    at = clock.today()
    return OrganizationVersion.objects.filter(
        scope.path_filter(at), valid_from__lte=at, valid_to__gt=at
    ).values("organization_id")


class VersionInline(admin.TabularInline):
    model = OrganizationVersion
    fk_name = "organization"
    fields = ("valid_from", "valid_to", "name", "type", "parent", "sector")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(admin.TabularInline):
    model = OrganizationEvent
    fk_name = "organization"
    fields = ("effective_date", "kind", "decision", "changes", "previous", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "type", "parent", "established_on", "dissolved_on")
    list_filter = ("type", "sector")
    search_fields = ("code", "name")
    inlines = [VersionInline, EventInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("parent")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=_visible_ids(request))

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def add_view(self, request, form_url="", extra_context=None):
        """Establishment (thành lập) through the service, with its decision."""
        parents = self.get_queryset(request).filter(dissolved_on__isnull=True)
        form = EstablishForm(request.POST or None, parents=parents)
        if request.method == "POST" and form.is_valid():
            try:
                organization = organization_establish(
                    scope=scope_for(request.user),
                    spec=form.spec(),
                    effective_date=form.cleaned_data["effective_date"],
                    decision=form.decision(),
                    note=form.cleaned_data["note"],
                )
            except DomainError as error:
                form.add_error(None, f"{error.message} ({error.code})")
            else:
                messages.success(request, f"Đã thành lập «{organization.name}».")
                return redirect("admin:organizations_organization_change", organization.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Thành lập tổ chức đảng",
            "form": form,
            "opts": self.model._meta,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/organizations/establish.html", context)


@admin.register(OrganizationEvent)
class OrganizationEventAdmin(ReadOnlyAdmin):
    list_display = (
        "effective_date",
        "kind",
        "organization",
        "decision",
        "recorded_by",
        "recorded_at",
    )
    list_filter = ("kind",)
    date_hierarchy = "effective_date"
    search_fields = ("organization__code", "organization__name")

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("organization", "decision")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organization_id__in=_visible_ids(request))

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff


class SeatInline(admin.TabularInline):
    model = CommitteeSeat
    fields = ("full_name", "position", "start_date", "end_date", "decision", "end_decision")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CommitteeTerm)
class CommitteeTermAdmin(ReadOnlyAdmin):
    list_display = ("organization", "name", "start_date", "end_date")
    search_fields = ("organization__name", "organization__code")
    inlines = [SeatInline]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("organization")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organization_id__in=_visible_ids(request))

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff


@admin.register(CommitteeConsolidation)
class CommitteeConsolidationAdmin(ReadOnlyAdmin):
    list_display = ("effective_date", "organization", "term", "decision")
    date_hierarchy = "effective_date"

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("organization", "term", "decision")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organization_id__in=_visible_ids(request))

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff
