"""The personal file's own pages: "Thêm hồ sơ" (a new file in one of the user's cells) and
"Sửa hồ sơ" (the identity written on a file the user may write).

Both feed the services the API calls (members.services.person_create / person_update), which
check the scope, every rule and write the audit row in one transaction; their errors, with
their codes, are shown next to the field they concern. A new file is not yet a member: the
admission is a lifecycle action of the file, as in the API.
"""

import datetime as dt
from typing import Any

from annotated_types import MaxLen
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from vietnam_provinces import Province

from dangvu.access.models import Role
from dangvu.access.scopes import Scope
from dangvu.core import clock
from dangvu.core.errors import DomainError
from dangvu.members import services
from dangvu.members.models import Person, Sex
from dangvu.members.reference import ETHNICITIES, KINH, POLITICAL_THEORY, RELIGIONS
from dangvu.organizations import selectors as organization_selectors

from .members_display import birth_display
from .members_forms import InputForm
from .members_pages import person_or_404, role_over, scope_of, writes

CELLS_LISTED = 400  # more writable cells than this: the cell's code is typed instead

# the field each service error concerns; the others are shown above the form
ERROR_FIELDS = {
    "members.NAME_REQUIRED": "full_name",
    "members.NAME_TOO_LONG": "full_name",
    "members.INVALID_BIRTH_DATE": "birth_date",
    "members.INVALID_SEX": "sex",
    "members.UNKNOWN_ETHNICITY": "ethnicity",
    "members.UNKNOWN_RELIGION": "religion",
    "members.UNKNOWN_LEVEL": "political_theory",
    "members.INVALID_CITIZEN_ID": "citizen_id",
    "members.CITIZEN_ID_MISMATCH": "citizen_id",
    "members.CITIZEN_ID_TAKEN": "citizen_id",
    "members.INVALID_CARD_NUMBER": "card_number",
    "members.CARD_NUMBER_TAKEN": "card_number",
    "members.CARD_NUMBER_BY_EVENT": "card_number",
    "members.NOT_A_CELL": "organization",
    "core.NOT_FOUND": "organization",
    "access.ROLE_REQUIRED": "organization",
}


SERVICE_FIELDS = services.PersonUpdate.model_fields


def max_length(name: str) -> int:
    """The service's own limit (PersonUpdate), so the form never lets through what it refuses."""
    return next(m.max_length for m in SERVICE_FIELDS[name].metadata if isinstance(m, MaxLen))


def text(label, name: str, *, required=None, help_text="", **attrs) -> forms.CharField:
    """A text field of the file; `required`: the message when it is left empty."""
    error_messages = {"max_length": _("Không quá %(limit_value)d ký tự (đã ghi %(show_value)d).")}
    if required:
        error_messages["required"] = required
    return forms.CharField(
        label=label,
        required=bool(required),
        max_length=max_length(name),
        help_text=help_text,
        error_messages=error_messages,
        widget=forms.TextInput(attrs=attrs),
    )


def choice(label, choices, *, required=None, **extra) -> forms.ChoiceField:
    """A list of the file; `required`: the message when nothing is chosen."""
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        required=bool(required),
        error_messages={
            "required": required or "",
            "invalid_choice": _("Lựa chọn không có trong danh mục."),
        },
        **extra,
    )


class BirthDateField(forms.CharField):
    """The birth date as precise as the paper file: dd/mm/yyyy, mm/yyyy or yyyy; cleaned to
    (year, month, day), month and day None when not written. Whether it is a real day before
    today is the service's rule (members.INVALID_BIRTH_DATE)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(
            max_length=10,
            widget=forms.TextInput(
                attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
            ),
            **kwargs,
        )

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        parts = value.replace("-", "/").replace(".", "/").split("/")
        if len(parts[-1]) != 4 or not all(p.isascii() and p.isdigit() and p for p in parts):
            parts = []
        if not 1 <= len(parts) <= 3:
            raise forms.ValidationError(
                _("Ghi ngày sinh theo dạng dd/mm/yyyy, hoặc mm/yyyy, hoặc yyyy."), code="invalid"
            )
        numbers = [int(p) for p in reversed(parts)] + [None, None]
        return tuple(numbers[:3])  # (year, month, day)


def province_choices() -> list[tuple[str, str]]:
    return [("", "—"), *[(str(int(p.code)), p.name) for p in Province.iter_all()]]


def province(label) -> forms.ChoiceField:
    return choice(label, province_choices(), coerce=int, empty_value=None)


class PersonFileForm(InputForm):
    """The personal file (lý lịch) in the order of the paper form. A `new` file also takes its
    cell: chosen from `cells` (code, name), or typed as a code when `cells` is None."""

    full_name = text(
        _("Họ và tên"), "full_name", required=_("Cần ghi họ và tên."), autocomplete="off"
    )
    other_names = text(_("Tên gọi khác"), "other_names")
    birth_date = BirthDateField(
        label=_("Ngày sinh"),
        help_text=_("Như hồ sơ giấy: dd/mm/yyyy, hoặc chỉ tháng và năm, hoặc chỉ năm."),
        error_messages={"required": _("Cần ghi ngày sinh, ít nhất là năm sinh.")},
    )
    sex = choice(_("Giới tính"), [("", "—"), *Sex.choices], required=_("Cần chọn giới tính."))
    ethnicity = choice(_("Dân tộc"), ETHNICITIES, required=_("Cần chọn dân tộc."), initial=KINH)
    religion = choice(_("Tôn giáo"), RELIGIONS)
    citizen_id = text(
        _("Số CCCD"),
        "citizen_id",
        help_text=_("12 chữ số của số định danh cá nhân; để trống nếu chưa có."),
        inputmode="numeric",
    )
    phone = text(_("Điện thoại"), "phone", inputmode="tel")
    hometown = text(_("Quê quán"), "hometown")
    birthplace = text(_("Nơi sinh"), "birthplace")
    permanent_residence = text(_("Nơi thường trú"), "permanent_residence")
    permanent_province_code = province(_("Tỉnh, thành phố thường trú"))
    current_residence = text(_("Nơi ở hiện nay"), "current_residence")
    current_province_code = province(_("Tỉnh, thành phố nơi ở hiện nay"))
    general_education = text(
        _("Giáo dục phổ thông"), "general_education", help_text=_("Ví dụ 12/12")
    )
    qualification = text(_("Chuyên môn, nghiệp vụ"), "qualification")
    political_theory = choice(_("Lý luận chính trị"), POLITICAL_THEORY)
    state_management = text(_("Quản lý nhà nước"), "state_management")
    foreign_language = text(_("Ngoại ngữ"), "foreign_language")
    occupation = text(_("Nghề nghiệp"), "occupation")
    work_unit = text(_("Đơn vị công tác"), "work_unit")
    job_position = text(_("Chức vụ"), "job_position")
    card_number = text(
        _("Số thẻ đảng viên"),
        "card_number",
        help_text=_("Số thẻ phát theo quyết định được ghi bằng thao tác «Phát thẻ đảng viên»."),
        inputmode="numeric",
    )

    SECTIONS = (
        (_("Nơi quản lý hồ sơ"), ("organization",)),
        (_("Sơ yếu lý lịch"), ("full_name", "other_names", "birth_date", "sex", "ethnicity",
                               "religion", "citizen_id", "phone")),
        (_("Quê quán, nơi ở"), ("hometown", "birthplace", "permanent_residence",
                                "permanent_province_code", "current_residence",
                                "current_province_code")),
        (_("Trình độ"), ("general_education", "qualification", "political_theory",
                         "state_management", "foreign_language")),
        (_("Công tác"), ("occupation", "work_unit", "job_position", "card_number")),
    )  # fmt: skip

    def __init__(
        self, *args, new: bool = False, cells: list[tuple[str, str]] | None = None, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        label = _("Chi bộ")
        if new and cells is None:  # too many to list
            self.fields["organization"] = forms.CharField(
                label=label,
                max_length=32,
                help_text=_("Mã chi bộ quản lý hồ sơ, ví dụ BD.TP"),
                error_messages={"required": _("Cần ghi mã chi bộ.")},
                widget=forms.TextInput(attrs={"autocapitalize": "characters"}),
            )
        elif new:
            self.fields["organization"] = choice(
                label,
                [("", _("— Chọn chi bộ —")), *[(code, f"{name} ({code})") for code, name in cells]],
                required=_("Cần chọn chi bộ quản lý hồ sơ."),
            )
        self.order_fields([name for _title, names in self.SECTIONS for name in names])

    @classmethod
    def initial_of(cls, person: Person) -> dict[str, Any]:
        """The form's values from the saved file (editing)."""
        initial = {name: getattr(person, name) for name in services.FIELDS}
        initial["birth_date"] = birth_display(person)
        return initial

    def values(self) -> dict[str, Any]:
        """Every field of the service's input, from what was typed."""
        data = self.cleaned_data
        year, month, day = data["birth_date"]
        values = {"birth_year": year, "birth_month": month, "birth_day": day}
        for name in services.FIELDS:
            if name not in values:
                values[name] = data.get(name)
        return values

    def service_error(self, error: DomainError) -> None:
        """The service's refusal, next to the field it concerns, with its code."""
        name = ERROR_FIELDS.get(error.code)
        if name not in self.fields:
            name = None
        self.add_error(name, forms.ValidationError(error.message, code=error.code))

    def sections(self):
        """(title, [(bound field, [(error, code)])]) of the fields this form has."""
        found = []
        for title, names in self.SECTIONS:
            rows = []
            for name in names:
                if name not in self.fields:
                    continue
                errors = [
                    (
                        " ".join(e.messages),
                        e.code if e.code and "." in e.code else "core.INVALID_INPUT",
                    )
                    for e in self.errors.as_data().get(name, ())
                ]
                rows.append((self[name], errors))
            if rows:
                found.append((title, rows))
        return found


# --- views --------------------------------------------------------------------------------------
def writing_scope(scope: Scope) -> Scope:
    """The part of the scope where the user may write (grants of an editor and above)."""
    return Scope(
        user=scope.user,
        grants=tuple(
            (org, role) for org, role in scope.grants if Role.rank(role) >= Role.rank(Role.EDITOR)
        ),
        unrestricted=scope.unrestricted,
    )


def may_create(scope: Scope) -> bool:
    """Whether "Thêm hồ sơ" is offered (no query: the grants are in the scope)."""
    return bool(writing_scope(scope).grants) or scope.unrestricted


def writable_cells(scope: Scope, today: dt.date) -> list[tuple[str, str]] | None:
    """(code, name) of the cells the user may write in today; None when too many to list."""
    versions = organization_selectors.versions_on(
        scope=writing_scope(scope), at=today, types=services.CELL_TYPES
    )
    cells = list(versions.values_list("code", "name")[: CELLS_LISTED + 1])
    return None if len(cells) > CELLS_LISTED else cells


def _page(request, context: dict, *, status: int = 200) -> HttpResponse:
    return render(request, "web/members/file_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest) -> HttpResponse:
    """Thêm hồ sơ: a new personal file in one of the user's cells."""
    scope = scope_of(request)
    title = gettext("Thêm hồ sơ")
    if not may_create(scope):
        forbidden = gettext("Thêm hồ sơ cần vai trò «Cập nhật» đối với ít nhất một chi bộ.")
        return _page(request, {"title": title, "forbidden": forbidden}, status=403)
    cells = writable_cells(scope, clock.today())
    code = request.GET.get("to_chuc", "")
    if cells and len(cells) == 1:  # a cell's own clerk: nothing to choose
        code = cells[0][0]
    initial = {"organization": code} if cells and code in dict(cells) else {}
    form = PersonFileForm(request.POST or None, new=True, cells=cells, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            organization = organization_selectors.organization_get(
                scope=scope, code=form.cleaned_data["organization"].strip()
            )
            person = services.person_create(
                scope=scope, organization=organization, data=services.PersonInput(**form.values())
            )
        except DomainError as error:
            form.service_error(error)
        else:
            messages.success(
                request,
                gettext("Đã lập hồ sơ của %(name)s tại %(cell)s.")
                % {"name": person.full_name, "cell": organization.name},
            )
            return redirect(reverse("web:member_detail", args=[person.pk]))
    context = {"title": title, "form": form, "no_cells": cells == []}
    return _page(request, context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Sửa hồ sơ: the identity of a file the user may write; its cell changes only by a
    transfer, so it is shown, not edited."""
    scope = scope_of(request)
    person = person_or_404(scope, pk)  # another cell's member is not found, as on every page
    title = gettext("Sửa hồ sơ")
    context: dict[str, Any] = {"title": title, "person": person}
    if not writes(role_over(scope, person.organization, clock.today())):
        context["forbidden"] = gettext(
            "Bạn chỉ được xem hồ sơ này: sửa hồ sơ cần vai trò «Cập nhật» đối với %(cell)s."
        ) % {"cell": person.organization.name}
        return _page(request, context, status=403)
    form = PersonFileForm(request.POST or None, initial=PersonFileForm.initial_of(person))
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_update(
                scope=scope, person=person, data=services.PersonUpdate(**form.values())
            )
        except DomainError as error:
            form.service_error(error)
        else:
            done = gettext("Đã cập nhật hồ sơ của %(name)s.")
            messages.success(request, done % {"name": person.full_name})
            return redirect(reverse("web:member_detail", args=[person.pk]))
    context["form"] = form
    return _page(request, context, status=400 if form.errors else 200)


urlpatterns = [
    path("dang-vien/them-ho-so/", member_create, name="member_create"),
    path("dang-vien/<int:pk>/sua-ho-so/", member_edit, name="member_edit"),
]
