"""Forms of the back office; they only parse input, the services decide."""

from django import forms
from vietnam_provinces import Province

from dangvu.core.decisions import DecisionInput

from .models import Organization, OrganizationType, Sector
from .services import NewOrganization

DATE_INPUT = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y")
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _province_choices():
    return [("", "—")] + [(str(p.code.value), p.name) for p in Province.iter_all()]


class EstablishForm(forms.Form):
    code = forms.CharField(label="Mã tổ chức", max_length=32)
    name = forms.CharField(label="Tên tổ chức", max_length=255)
    type = forms.ChoiceField(label="Loại tổ chức", choices=OrganizationType.choices)
    parent = forms.ModelChoiceField(
        label="Trực thuộc", queryset=Organization.objects.none(), required=False
    )
    sector = forms.ChoiceField(
        label="Loại hình", choices=[("", "—"), *Sector.choices], required=False
    )
    province_code = forms.TypedChoiceField(
        label="Tỉnh, thành phố",
        choices=_province_choices,
        coerce=int,
        empty_value=None,
        required=False,
    )
    address = forms.CharField(label="Địa chỉ", max_length=255, required=False)
    effective_date = forms.DateField(
        label="Ngày thành lập", input_formats=DATE_FORMATS, widget=DATE_INPUT
    )
    decision_symbol = forms.CharField(label="Số quyết định", max_length=64)
    decision_date = forms.DateField(
        label="Ngày quyết định", input_formats=DATE_FORMATS, widget=DATE_INPUT
    )
    decision_body = forms.CharField(label="Cơ quan ban hành", max_length=255)
    note = forms.CharField(
        label="Ghi chú", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parents is not None:
            self.fields["parent"].queryset = parents

    def spec(self) -> NewOrganization:
        data = self.cleaned_data
        return NewOrganization(
            code=data["code"],
            name=data["name"],
            type=data["type"],
            parent=data["parent"],
            sector=data["sector"] or "",
            province_code=data["province_code"],
            address=data["address"],
        )

    def decision(self) -> DecisionInput:
        data = self.cleaned_data
        return DecisionInput(
            symbol=data["decision_symbol"],
            date=data["decision_date"],
            issuing_body=data["decision_body"],
        )
