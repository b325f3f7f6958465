"""Back-office screen of the personal files: scoped like everything else, written through the
services (the derived columns are read-only)."""

from django import forms
from django.contrib import admin

from dangvu.access.scopes import scope_for
from dangvu.core import clock
from dangvu.core.errors import DomainError
from dangvu.core.names import fold
from dangvu.organizations.models import Organization, OrganizationVersion

from .candidates import with_missing
from .models import Candidate, MemberEvent, Person, Sponsor
from .services import CELL_TYPES, FIELDS, PersonInput, PersonUpdate, person_create, person_update


def _visible_ids(request, cells_only: bool = False):
    """Ids of the organisations (the cells) the user's scope reaches today."""
    scope = scope_for(request.user)
    at = clock.today()
    versions = OrganizationVersion.objects.filter(
        scope.path_filter(at), valid_from__lte=at, valid_to__gt=at
    )
    if cells_only:
        versions = versions.filter(type__in=CELL_TYPES)
    return versions.values("organization_id")


class PersonForm(forms.ModelForm):
    """The model's own validation is replaced by the service, which validates and saves in one
    go (inside the admin's transaction), or reports its domain error on the form."""

    request = None  # set by PersonAdmin.get_form

    class Meta:
        model = Person
        fields = ("organization", *FIELDS)

    def _post_clean(self):
        if self.errors:
            return
        values = {key: self.cleaned_data.get(key) for key in FIELDS}
        scope = scope_for(self.request.user)
        try:
            if self.instance.pk is None:
                person = person_create(
                    scope=scope,
                    organization=self.cleaned_data["organization"],
                    data=PersonInput(**{k: v for k, v in values.items() if v is not None}),
                )
            else:
                changed = {k: values[k] for k in self.changed_data if k in FIELDS}
                person = person_update(
                    scope=scope, person=self.instance, data=PersonUpdate(**changed)
                )
        except DomainError as error:
            self.add_error(None, f"{error.message} ({error.code})")
        else:
            self.instance = person

    def save(self, commit=True):
        return self.instance  # saved by the service in _post_clean

    def save_m2m(self):
        pass


class MemberEventInline(admin.TabularInline):
    """The person's lifecycle, read-only: events are recorded by the lifecycle services."""

    model = MemberEvent
    fields = ("effective_date", "kind", "organization", "decision", "details", "override_reason")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("effective_date", "id")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    form = PersonForm
    inlines = [MemberEventInline]
    list_display = ("full_name", "birth_year", "sex", "organization", "status", "card_number")
    list_filter = ("status", "sex")
    search_fields = ("search_text",)
    readonly_fields = (
        "family_name",
        "middle_name",
        "given_name",
        "status",
        "admission_decision_date",
        "ceremony_date",
        "full_member_date",
        "party_age_from",
        "exempt",
        "left_on",
        "transfer_to",
        "transfer_left_on",
        "temporary_at",
        "temporary_until",
        "created_at",
        "updated_at",
    )

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("organization")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organization_id__in=_visible_ids(request))

    def get_search_results(self, request, queryset, search_term):
        for word in fold(search_term).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset, False

    def get_readonly_fields(self, request, obj=None):
        # A change of organisation is a transfer (an event), not an edit of the file.
        return (*self.readonly_fields, "organization") if obj else self.readonly_fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.request = request
        if "organization" in form.base_fields:
            form.base_fields["organization"].queryset = Organization.objects.filter(
                pk__in=_visible_ids(request, cells_only=True)
            )
        return form

    def save_model(self, request, obj, form, change):
        pass  # saved by the service when the form was validated

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_delete_permission(self, request, obj=None):
        return False


class SponsorInline(admin.TabularInline):
    """The candidate's sponsors, read-only: added and removed through the candidate services."""

    model = Sponsor
    fk_name = "candidate"
    fields = (
        "kind",
        "person",
        "worked_with_since",
        "sponsored_on",
        "resolution_symbol",
        "issuing_body",
    )
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("sponsored_on", "id")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    """The candidates pipeline, to look at: each step is written by the candidate services
    (members.candidates), through the API, with its checks and its audit row."""

    inlines = [SponsorInline]
    list_display = (
        "person",
        "organization",
        "status",
        "registered_on",
        "certificate_date",
        "vote_date",
    )
    list_filter = ("status",)
    list_select_related = ("person", "organization")
    search_fields = ("person__search_text",)
    fields = (
        "person",
        "organization",
        "status",
        "missing",
        "registered_on",
        "certificate_number",
        "certificate_date",
        "certificate_issuer",
        "certificate_expires_on",
        "application_date",
        "background_check_date",
        "background_check_result",
        "background_check_note",
        "vote_date",
        "votes_in_favour",
        "full_members_count",
        "admission",
        "withdrawn_on",
        "withdrawal_reason",
        "created_at",
        "updated_at",
    )
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("person", "organization")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organization_id__in=_visible_ids(request))

    def get_search_results(self, request, queryset, search_term):
        for word in fold(search_term).split():
            queryset = queryset.filter(person__search_text__contains=word)
        return queryset, False

    def _judged(self, obj):
        if not hasattr(obj, "missing"):
            with_missing([obj], today=clock.today())
        return obj

    @admin.display(description="còn thiếu")
    def missing(self, obj):
        lacks = self._judged(obj).missing
        return "; ".join(lack.label for lack in lacks) if lacks else "—"

    @admin.display(description="giấy chứng nhận có giá trị đến")
    def certificate_expires_on(self, obj):
        day = self._judged(obj).certificate_expires_on
        return f"{day:%d/%m/%Y}" if day else "—"

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
