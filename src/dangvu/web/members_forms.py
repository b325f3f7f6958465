"""Forms of the member pages: the list's filters and one form per lifecycle action.

The forms only parse what the user typed (dates as dd/mm/yyyy, choices, the decision); every
rule is checked by the services the forms feed (members.lifecycle, members.candidates).
"""

import html
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.functional import lazy
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dangvu.core.decisions import DecisionInput
from dangvu.members.models import BackgroundCheckResult, MemberStatus, Sex, SponsorKind
from dangvu.members.reference import ETHNICITIES, POLITICAL_THEORY
from dangvu.members.rules import DisciplineForm as Discipline
from dangvu.members.rules import ExemptionGround, ExitReason
from dangvu.statistics.catalogue import AGE_BANDS, AGE_LABELS

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
# the messages name the field; labels are lazy, so the message is built in the request's language
lower = lazy(lambda text: str(text).lower(), str)


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(
            format="%d/%m/%Y",
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
        ),
        error_messages={
            "required": format_lazy(_("Cần ghi {label}."), label=lower(label)),
            "invalid": format_lazy(
                _("{label}: ngày không hợp lệ, ghi theo dạng dd/mm/yyyy."), label=label
            ),
        },
    )


def text_field(label: str, *, max_length: int, required: bool = False, **kwargs):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={
            "required": format_lazy(_("Cần ghi {label}."), label=lower(label)),
            "max_length": format_lazy(
                _("{label} không quá {max_length} ký tự."), label=label, max_length=max_length
            ),
        },
        **kwargs,
    )


def choice_field(label: str, choices, *, required: bool = True, **kwargs) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        error_messages={
            "required": format_lazy(_("Cần chọn {label}."), label=lower(label)),
            "invalid_choice": format_lazy(
                _("{label}: lựa chọn không có trong danh mục."), label=label
            ),
        },
        **kwargs,
    )


# --- the members list ---------------------------------------------------------------------------
class ListSelect(forms.Select):
    """A select of flat choices written in Python, not through a template per option: a
    scope's organisations (up to 400 options) rendered by templates made up a fifth of the
    list page's time. The same HTML as forms.Select (tests/web/test_members_list.py)."""

    def render(self, name, value, attrs=None, renderer=None):
        selected = set(self.format_value(value))
        options = "\n".join(
            f'<option value="{_escape(key)}"{" selected" if str(key) in selected else ""}>'
            f"{_escape(label)}</option>"
            for key, label in self.choices
        )
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{_escape(name)}"{attrs}>\n{options}\n</select>')  # noqa: S308


def _escape(text) -> str:
    return text.__html__() if hasattr(text, "__html__") else html.escape(str(text))


CURRENT = "current"  # probationary and full members: the default of the list
STATUS_CHOICES = [
    (CURRENT, _("Đang là đảng viên")),
    ("all", _("Tất cả")),
    *[(value, label) for value, label in MemberStatus.choices if value],
    ("none", MemberStatus.NONE.label),
]
AGE_CHOICES = [
    ("", _("Mọi độ tuổi")),
    *[(band, AGE_LABELS[band].capitalize()) for band, *_ in AGE_BANDS],
]
AGE_RANGES = {band: (low, high) for band, low, high in AGE_BANDS}


class MemberFilterForm(forms.Form):
    """The filters of /dang-vien/ (a GET form); `org` is a code, chosen from a list when the
    scope is small enough to list, typed otherwise."""

    q = text_field(
        _("Tìm theo tên, số thẻ, số CCCD"),
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("vd. nguyen van an")}),
    )
    org = text_field(_("Tổ chức đảng"), max_length=32)
    status = choice_field(_("Tình trạng"), STATUS_CHOICES, required=False, widget=ListSelect)
    sex = choice_field(
        _("Giới tính"), [("", _("Nam và nữ")), *Sex.choices], required=False, widget=ListSelect
    )
    age = choice_field(_("Độ tuổi"), AGE_CHOICES, required=False, widget=ListSelect)
    theory = choice_field(
        _("Lý luận chính trị"),
        [("", _("Mọi trình độ")), *[(v or "none", label) for v, label in POLITICAL_THEORY]],
        required=False,
        widget=ListSelect,
    )
    ethnicity = choice_field(
        _("Dân tộc"), [("", _("Mọi dân tộc")), *ETHNICITIES], required=False, widget=ListSelect
    )

    def __init__(self, *args, organizations=None, **kwargs) -> None:
        """`organizations`: the (code, name, level under the top of the scope) of the
        organisations to choose from; None to type a code."""
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["org"] = choice_field(
                _("Tổ chức đảng"),
                [
                    ("", _("Toàn bộ phạm vi")),
                    *[
                        (code, "\u00a0\u00a0\u00a0" * level + name)
                        for code, name, level in organizations
                    ],
                ],
                required=False,
                widget=ListSelect,
            )

    def selector_arguments(self) -> dict[str, Any]:
        """The keyword arguments of members.selectors.person_list (but the organisation)."""
        data = self.cleaned_data
        status = data.get("status") or CURRENT
        arguments: dict[str, Any] = {"q": data.get("q") or None}
        if status == CURRENT:
            arguments["statuses"] = [MemberStatus.PROBATIONARY, MemberStatus.FULL]
        elif status == "none":
            arguments["status"] = MemberStatus.NONE
        elif status != "all":
            arguments["status"] = status
        for key, name in (("sex", "sex"), ("ethnicity", "ethnicity")):
            if data.get(key):
                arguments[name] = data[key]
        if data.get("theory"):
            arguments["political_theory"] = "" if data["theory"] == "none" else data["theory"]
        if data.get("age"):
            arguments["age"] = AGE_RANGES[data["age"]]
        return arguments


# --- lifecycle actions --------------------------------------------------------------------------
class InputForm(forms.Form):
    """A form whose errors are listed with their codes (the check area of an action page)."""

    decision_required = False
    overridable = False
    override_given = False

    def problems(self) -> list[tuple[str, str]]:
        """Every error of the input, each with its code (field errors: core.INVALID_INPUT)."""
        found = []
        for name, errors in self.errors.as_data().items():
            label = self.fields[name].label if name in self.fields else ""
            for error in errors:
                text = " ".join(error.messages)
                if label and label.lower() not in text.lower():
                    text = f"{label}: {text[:1].lower()}{text[1:]}"
                code = error.code if error.code and "." in error.code else "core.INVALID_INPUT"
                found.append((text, code))
        return found


class ActionForm(InputForm):
    """The fields every action may take: the decision backing it and, for the rules an
    approver may bend, the reason for going past the warning."""

    decision_symbol = text_field(_("Số và ký hiệu quyết định"), max_length=64)
    decision_date = date_field(_("Ngày quyết định"), required=False)
    decision_body = text_field(_("Cơ quan ban hành"), max_length=255)
    override_reason = text_field(
        _("Lý do vẫn ghi nhận (người có quyền phê duyệt)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, person=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.person = person
        if not self.overridable:
            del self.fields["override_reason"]
        self.order_fields(self.field_names())  # the action's own fields, then the decision

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        parts = [data.get("decision_symbol"), data.get("decision_date"), data.get("decision_body")]
        incomplete = (any(parts) or self.decision_required) and not all(parts)
        if incomplete and not self.has_error("decision_date"):
            raise forms.ValidationError(
                _("Cần ghi đủ số và ký hiệu, ngày và cơ quan ban hành quyết định."),
                code="core.DECISION_REQUIRED",
            )
        return data

    def decision(self) -> DecisionInput | None:
        data = self.cleaned_data
        if not data.get("decision_symbol"):
            return None
        return DecisionInput(
            symbol=data["decision_symbol"],
            date=data["decision_date"],
            issuing_body=data["decision_body"],
        )

    def field_names(self) -> list[str]:
        """The action's own fields, shown before the decision."""
        return [
            name
            for name in self.fields
            if name not in ("decision_symbol", "decision_date", "decision_body", "override_reason")
        ]

    @property
    def override_given(self) -> bool:
        return bool(self.overridable and (self.data.get("override_reason") or "").strip())


class DatedForm(ActionForm):
    effective_date = date_field(_("Ngày có hiệu lực"))

    def details(self) -> dict[str, Any]:
        return {}


class DecidedForm(DatedForm):
    decision_required = True


class AdmissionForm(ActionForm):
    decision_required = True
    overridable = True

    ceremony_date = date_field(_("Ngày lễ kết nạp"))
    vote_date = date_field(_("Ngày chi bộ xét kết nạp"), required=False)

    def __init__(self, *args, candidate=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        if candidate is not None:  # the vote is the one recorded in the pipeline
            del self.fields["vote_date"]


class RecognitionForm(ActionForm):
    decision_required = True


class LeavingForm(DecidedForm):
    exit_reason = choice_field(
        _("Lý do"), [("", _("Không ghi")), *ExitReason.choices], required=False
    )

    def details(self) -> dict[str, Any]:
        reason = self.cleaned_data.get("exit_reason")
        return {"exit_reason": reason} if reason else {}


class TransferOutForm(DatedForm):
    effective_date = date_field(_("Ngày chuyển đi"))
    to = text_field(
        _("Mã chi bộ nhận"),
        max_length=32,
        required=True,
        widget=forms.TextInput(attrs={"list": "cells", "placeholder": _("vd. BD.TP")}),
    )
    note = text_field(_("Ghi chú"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class TransferInForm(DatedForm):
    overridable = True
    effective_date = date_field(_("Ngày tiếp nhận"))


class TemporaryTransferForm(TransferOutForm):
    effective_date = date_field(_("Ngày bắt đầu sinh hoạt tạm thời"))
    until = date_field(_("Sinh hoạt tạm thời đến ngày"))
    for_study = forms.BooleanField(label=_("Đi học tập trung (đến 2 năm)"), required=False)
    to = text_field(
        _("Mã chi bộ nơi sinh hoạt tạm thời"),
        max_length=32,
        required=True,
        widget=forms.TextInput(attrs={"list": "cells", "placeholder": _("vd. BD.TP")}),
    )


class ExemptionForm(DatedForm):
    requested_on = date_field(_("Ngày đảng viên làm đơn đề nghị"), required=False)
    grounds = forms.MultipleChoiceField(
        label=_("Lý do miễn"),
        choices=ExemptionGround.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Lý do miễn không có trong danh mục.")},
    )

    def details(self) -> dict[str, Any]:
        requested = self.cleaned_data.get("requested_on")
        return {
            "requested_on": requested.isoformat() if requested else None,
            "grounds": list(self.cleaned_data.get("grounds") or ()),
        }


class DisciplineActionForm(DecidedForm):
    form = choice_field(
        _("Hình thức kỷ luật"),
        [(v, label) for v, label in Discipline.choices if v != Discipline.DISSOLUTION],
    )
    cleared_on = date_field(_("Ngày chấm dứt hiệu lực"), required=False)

    def details(self) -> dict[str, Any]:
        cleared = self.cleaned_data.get("cleared_on")
        details: dict[str, Any] = {"form": self.cleaned_data["form"]}
        if cleared:
            details["cleared_on"] = cleared.isoformat()
        return details


MILESTONES = [
    (str(m), format_lazy(_("{years} năm tuổi đảng"), years=m))
    for m in (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
]


class BadgeForm(DatedForm):
    milestone = choice_field(_("Mốc Huy hiệu Đảng"), MILESTONES)
    seriously_ill = forms.BooleanField(label=_("Đảng viên ốm nặng (xét sớm)"), required=False)

    def details(self) -> dict[str, Any]:
        details: dict[str, Any] = {"milestone": int(self.cleaned_data["milestone"])}
        if self.cleaned_data.get("seriously_ill"):
            details["seriously_ill"] = True
        return details


class BadgeAwardForm(BadgeForm):
    decision_required = True


class ReadmissionForm(DecidedForm):
    overridable = True
    effective_date = date_field(_("Ngày lễ kết nạp lại"))
    vote_date = date_field(_("Ngày chi bộ xét kết nạp lại"), required=False)
    exit_reason = choice_field(
        _("Lý do đã ra khỏi Đảng"), [("", _("Như đã ghi")), *ExitReason.choices], required=False
    )

    def details(self) -> dict[str, Any]:
        details: dict[str, Any] = {}
        if self.cleaned_data.get("vote_date"):
            details["vote_date"] = self.cleaned_data["vote_date"].isoformat()
        if self.cleaned_data.get("exit_reason"):
            details["exit_reason"] = self.cleaned_data["exit_reason"]
        return details


class CardForm(DatedForm):
    effective_date = date_field(_("Ngày phát thẻ"))
    card_number = text_field(_("Số thẻ đảng viên"), max_length=16, required=True)

    def details(self) -> dict[str, Any]:
        return {"card_number": self.cleaned_data["card_number"].strip()}


def integer_field(label: str, *, min_value: int = 0, max_value: int = 10000) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=min_value,
        max_value=max_value,
        error_messages={
            "required": format_lazy(_("Cần ghi {label}."), label=lower(label)),
            "invalid": format_lazy(_("{label} phải là một số nguyên."), label=label),
            "min_value": format_lazy(
                _("{label} không nhỏ hơn {value}."), label=label, value=min_value
            ),
            "max_value": format_lazy(
                _("{label} không lớn hơn {value}."), label=label, value=max_value
            ),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


# --- the candidates pipeline --------------------------------------------------------------------
class RegisterForm(InputForm):
    registered_on = date_field(_("Ngày đưa vào danh sách quần chúng ưu tú"))


class CertificateForm(InputForm):
    number = text_field(_("Số giấy chứng nhận"), max_length=64, required=True)
    issued_on = date_field(_("Ngày cấp"))
    issuing_body = text_field(_("Nơi cấp"), max_length=255)


class SponsorForm(InputForm):
    """A full member of the cell, or the resolution of the Youth Union or the trade union."""

    kind = choice_field(_("Hình thức giới thiệu"), SponsorKind.choices)
    sponsored_on = date_field(_("Ngày giới thiệu"))
    sponsor = choice_field(_("Đảng viên giới thiệu"), [], required=False)
    worked_with_since = date_field(_("Cùng công tác, sinh hoạt từ ngày"), required=False)
    resolution_symbol = text_field(_("Số nghị quyết giới thiệu"), max_length=64)
    issuing_body = text_field(_("Cơ quan ban hành nghị quyết"), max_length=255)

    def __init__(self, *args, members=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sponsor"].choices = [
            ("", _("— Chọn đảng viên chính thức —")),
            *[(str(m.pk), m.full_name) for m in members],
        ]


class BackgroundCheckForm(InputForm):
    checked_on = date_field(_("Ngày thẩm tra lý lịch"))
    result = choice_field(_("Kết quả"), BackgroundCheckResult.choices)
    note = text_field(_("Ghi chú"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ApplicationForm(InputForm):
    applied_on = date_field(_("Ngày làm đơn xin vào Đảng"))


class VoteForm(InputForm):
    vote_date = date_field(_("Ngày chi bộ xét kết nạp"))
    votes_in_favour = integer_field(_("Số đảng viên chính thức tán thành"))
    full_members = integer_field(_("Số đảng viên chính thức của chi bộ"), min_value=1)


class CandidateWithdrawalForm(InputForm):
    withdrawn_on = date_field(_("Ngày dừng xem xét"))
    reason = text_field(
        _("Lý do dừng xem xét"),
        max_length=1000,
        required=True,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
