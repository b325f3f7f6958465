"""Forms of the organisation and report pages: they parse what people type (dd/mm/yyyy dates,
organisation codes) and hand plain values to the services, which decide."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangvu.core import clock
from dangvu.core.decisions import DecisionInput
from dangvu.organizations.models import OrganizationType, Sector

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATE_WIDGET = forms.DateInput(
    format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}
)
CODE_WIDGET = forms.TextInput(attrs={"list": "org-codes", "autocapitalize": "characters"})


def date_field(label: str, **extra) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=DATE_FORMATS,
        widget=DATE_WIDGET,
        error_messages={"invalid": _("Ngày không hợp lệ; nhập theo dạng dd/mm/yyyy.")},
        **extra,
    )


def code_field(label: str, **extra) -> forms.CharField:
    return forms.CharField(label=label, max_length=32, widget=CODE_WIDGET, **extra)


class DecisionForm(forms.Form):
    """The decision every restructuring rests on, and the day it takes effect."""

    effective_date = date_field(_("Ngày có hiệu lực"))
    decision_symbol = forms.CharField(
        label=_("Số, ký hiệu quyết định"), max_length=64, help_text=_("Ví dụ 45-QĐ/ĐUK")
    )
    decision_date = date_field(_("Ngày ký quyết định"))
    decision_body = forms.CharField(
        label=_("Cơ quan ban hành"),
        max_length=255,
        help_text=_("Ví dụ Ban Thường vụ Đảng ủy Khối"),
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    decision_fields = (
        "effective_date",
        "decision_symbol",
        "decision_date",
        "decision_body",
        "note",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("effective_date", clock.today())
        super().__init__(*args, **kwargs)

    def decision(self) -> DecisionInput:
        data = self.cleaned_data
        return DecisionInput(
            symbol=data["decision_symbol"],
            date=data["decision_date"],
            issuing_body=data["decision_body"],
        )

    def own_fields(self):
        return [f for f in self if f.name not in self.decision_fields]

    def shared_fields(self):
        return [f for f in self if f.name in self.decision_fields]


class NewOrganizationFields(forms.Form):
    code = forms.CharField(label=_("Mã tổ chức"), max_length=32, help_text=_("Ví dụ BD.DUK.BVTT"))
    name = forms.CharField(label=_("Tên tổ chức"), max_length=255)
    type = forms.ChoiceField(label=_("Loại tổ chức"), choices=OrganizationType.choices)
    sector = forms.ChoiceField(
        label=_("Loại hình"), choices=[("", "—"), *Sector.choices], required=False
    )


class EstablishForm(DecisionForm, NewOrganizationFields):
    parent_code = code_field(_("Mã tổ chức cấp trên"), required=False)
    field_order = ["code", "name", "type", "sector", "parent_code"]


class RenameForm(DecisionForm):
    name = forms.CharField(label=_("Tên mới"), max_length=255)
    field_order = ["name"]


class MoveForm(DecisionForm):
    parent_code = code_field(_("Mã tổ chức cấp trên mới"))
    field_order = ["parent_code"]


class ConvertForm(DecisionForm):
    type = forms.ChoiceField(label=_("Loại tổ chức mới"), choices=OrganizationType.choices)
    parent_code = code_field(
        _("Mã tổ chức cấp trên mới (nếu đổi cấp)"),
        required=False,
        help_text=_(
            "Chỉ khi chuyển đổi kèm chuyển trực thuộc, ví dụ chi bộ cơ sở thành chi bộ trực thuộc."
        ),
    )
    field_order = ["type", "parent_code"]


class DissolveForm(DecisionForm):
    confirm = forms.BooleanField(
        label=_("Tôi xác nhận giải thể tổ chức này (tổ chức kết thúc từ trước ngày có hiệu lực)")
    )
    field_order = ["confirm"]


class MergeForm(DecisionForm):
    MODES = [("into", _("Sáp nhập vào tổ chức này")), ("new", _("Hợp nhất thành tổ chức mới"))]
    mode = forms.ChoiceField(label=_("Hình thức"), choices=MODES, widget=forms.RadioSelect)
    sources = forms.CharField(
        label=_("Mã các tổ chức được sáp nhập, hợp nhất"),
        max_length=1000,
        help_text=_("Cách nhau bằng dấu phẩy. Khi hợp nhất, tổ chức này cũng là một trong số đó."),
    )
    new_code = forms.CharField(label=_("Mã tổ chức mới"), max_length=32, required=False)
    new_name = forms.CharField(label=_("Tên tổ chức mới"), max_length=255, required=False)
    new_type = forms.ChoiceField(
        label=_("Loại tổ chức mới"), choices=[("", "—"), *OrganizationType.choices], required=False
    )
    new_parent_code = code_field(_("Mã tổ chức cấp trên của tổ chức mới"), required=False)
    field_order = ["mode", "sources", "new_code", "new_name", "new_type", "new_parent_code"]

    def clean(self):
        data = super().clean()
        if data.get("mode") == "new":
            for name in ("new_code", "new_name", "new_type"):
                if not data.get(name):
                    self.add_error(name, gettext("Cần khai báo khi hợp nhất thành tổ chức mới."))
        return data

    def source_codes(self) -> list[str]:
        return codes(self.cleaned_data["sources"])


class SplitForm(DecisionForm):
    PARTS = 3
    dissolve_source = forms.BooleanField(
        label=_("Giải thể tổ chức này sau khi chia tách"), required=False, initial=True
    )
    field_order = ["dissolve_source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, self.PARTS + 1):
            required = n == 1
            self.fields[f"part{n}_code"] = forms.CharField(
                label=gettext("Tổ chức mới %(n)s: mã") % {"n": n}, max_length=32, required=required
            )
            self.fields[f"part{n}_name"] = forms.CharField(
                label=gettext("Tổ chức mới %(n)s: tên") % {"n": n},
                max_length=255,
                required=required,
            )
            self.fields[f"part{n}_type"] = forms.ChoiceField(
                label=gettext("Tổ chức mới %(n)s: loại") % {"n": n},
                choices=[("", "—"), *OrganizationType.choices],
                required=required,
            )
            self.fields[f"part{n}_children"] = forms.CharField(
                label=gettext("Tổ chức mới %(n)s: mã các tổ chức trực thuộc chuyển sang")
                % {"n": n},
                max_length=1000,
                required=False,
                help_text=gettext("Cách nhau bằng dấu phẩy; để trống nếu không có."),
            )

    def parts(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "code": data[f"part{n}_code"],
                "name": data[f"part{n}_name"],
                "type": data[f"part{n}_type"],
                "children": codes(data[f"part{n}_children"]),
            }
            for n in range(1, self.PARTS + 1)
            if data.get(f"part{n}_code")
        ]


def codes(text: str) -> list[str]:
    return [c.strip().upper() for c in text.replace(";", ",").split(",") if c.strip()]


class ReportForm(forms.Form):
    """Which organisation and which period; the period as the catalogue codes it."""

    KINDS = [
        ("quarter", _("Quý")),
        ("half", _("6 tháng đầu năm")),
        ("nine_months", _("9 tháng đầu năm")),
        ("year", _("Cả năm")),
    ]
    org = code_field(_("Mã tổ chức"))
    year = forms.IntegerField(label=_("Năm"), min_value=1930, max_value=2199)
    kind = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=KINDS)
    quarter = forms.TypedChoiceField(
        label=_("Quý"),
        choices=[(1, "I"), (2, "II"), (3, "III"), (4, "IV")],
        coerce=int,
        required=False,
    )

    def period_code(self) -> str:
        data = self.cleaned_data
        year, kind = data["year"], data["kind"]
        if kind == "quarter":
            return f"{year}-Q{data.get('quarter') or 1}"
        return {"half": f"{year}-H1", "nine_months": f"{year}-9M", "year": str(year)}[kind]
