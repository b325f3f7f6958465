"""The organisation tree: browse and search it as it stood on any day, an organisation's page
(committee, figures, history) and the restructuring forms. Every read and write goes through
the organisations' selectors and services with the user's scope, as the API does."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangvu.access.models import Role
from dangvu.access.scopes import reference_date
from dangvu.core import clock
from dangvu.core.errors import DomainError, NotFound
from dangvu.core.formatting import parse_date
from dangvu.core.names import fold
from dangvu.organizations import selectors, services
from dangvu.organizations.models import EventKind, Organization, OrganizationType
from dangvu.statistics import engine

from . import forms
from .scoping import request_scope
from .selectors import organization_by_id, organization_names

TREE_LIMIT = 1000
TYPE_LABELS = dict(OrganizationType.choices)


def _day(request: HttpRequest, default: dt.date) -> tuple[dt.date, str | None]:
    """?ngay=dd/mm/yyyy, or the default with a message when it does not parse."""
    text = request.GET.get("ngay", "").strip()
    if not text:
        return default, None
    try:
        return parse_date(text), None
    except (ValueError, ValidationError):
        return default, gettext("Ngày không hợp lệ; đang hiển thị ngày hôm nay.")


def _organization(request: HttpRequest, code: str, at: dt.date | None = None) -> Organization:
    try:
        return selectors.organization_get(scope=request_scope(request), code=code.upper(), at=at)
    except NotFound as error:
        raise Http404(error.message) from None


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    """The tree of the user's scope on the chosen day, or the organisations matching ?q."""
    today = clock.today()
    at, date_error = _day(request, today)
    query = request.GET.get("q", "").strip()
    versions = selectors.versions_on(scope=request_scope(request), at=at)
    if query:
        # names are few next to members: fold them here so "y te" finds "Y tế"
        words = fold(query).split()
        rows = [
            v
            for v in versions.only("name", "type", "depth", "path", "organization_id")
            if all(w in fold(f"{v.name} {v.code}") for w in words)
        ]
    else:
        rows = list(versions[: TREE_LIMIT + 1])
    top = min((v.depth for v in rows), default=0)
    return render(
        request,
        "web/organizations/tree.html",
        {
            "at": at,
            "is_today": at == today,
            "date_error": date_error,
            "query": query,
            "rows": [(v, v.depth - top) for v in rows[:TREE_LIMIT]],
            "truncated": len(rows) > TREE_LIMIT,
        },
    )


def _event_lines(events, names: dict[int, str]) -> list[dict]:
    """What each event changed, in words."""
    lines = []
    for event in events:
        changes, parts = event.changes or {}, []
        if "name" in changes:
            parts.append(gettext("tên mới «%(name)s»") % {"name": changes["name"]})
        if "type" in changes:
            type_label = TYPE_LABELS.get(changes["type"], changes["type"])
            parts.append(gettext("loại mới: %(type)s") % {"type": type_label})
        if changes.get("parent_id"):
            parent = names.get(changes["parent_id"], "")
            parts.append(gettext("trực thuộc %(parent)s") % {"parent": parent})
        if changes.get("sources"):
            sources = ", ".join(names.get(i, str(i)) for i in changes["sources"])
            parts.append(gettext("từ %(sources)s") % {"sources": sources})
        lines.append({"event": event, "summary": "; ".join(parts)})
    return lines


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    scope = request_scope(request)
    organization = _organization(request, code)
    at, date_error = _day(request, reference_date(organization))
    try:
        version = selectors.version_on(scope=scope, organization=organization, at=at)
        line = selectors.organization_path(scope=scope, organization=organization, at=at)
        term, seats = selectors.committee_on(scope=scope, organization=organization, at=at)
        versions, events = selectors.organization_history(scope=scope, organization=organization)
    except NotFound:
        raise Http404(gettext("Tổ chức không tồn tại vào ngày này.")) from None
    children = selectors.versions_on(scope=scope, at=at).filter(parent_id=organization.pk)
    mentioned = {v.parent_id for v in versions if v.parent_id}
    for event in events:
        mentioned |= {event.changes.get("parent_id")} | set(event.changes.get("sources", []))
    names = organization_names(mentioned)
    figures = engine.stocks(organization, at)
    role = scope.role_for(version.path, at)
    return render(
        request,
        "web/organizations/detail.html",
        {
            "organization": organization,
            "version": version,
            "at": at,
            "date_error": date_error,
            "line": line[:-1],
            "term": term,
            "seats": seats,
            "children": list(children),
            "figures": figures,
            "versions": versions,
            "timeline": _event_lines(reversed(events), names),
            "can_edit": role is not None and Role.rank(role) >= Role.rank(Role.EDITOR),
            "actions": ACTIONS,
            "type_labels": TYPE_LABELS,
        },
    )


# restructuring --------------------------------------------------------------------------------
def _get_code(request: HttpRequest, code: str, at: dt.date) -> Organization:
    """An organisation typed into a form: not found raises a DomainError shown on the form."""
    return selectors.organization_get(
        scope=request_scope(request), code=code.strip().upper(), at=at
    )


def _establish(request, form, organization):
    data, at = form.cleaned_data, form.cleaned_data["effective_date"]
    parent_code = data["parent_code"] or (organization.code if organization else "")
    return services.organization_establish(
        scope=request_scope(request),
        spec=services.NewOrganization(
            code=data["code"].strip().upper(),
            name=data["name"],
            type=data["type"],
            parent=_get_code(request, parent_code, at) if parent_code else None,
            sector=data["sector"] or "",
        ),
        effective_date=at,
        decision=form.decision(),
        note=data["note"],
    )


def _rename(request, form, organization):
    data = form.cleaned_data
    return services.organization_rename(
        scope=request_scope(request),
        organization=organization,
        name=data["name"],
        effective_date=data["effective_date"],
        decision=form.decision(),
        note=data["note"],
    )


def _move(request, form, organization):
    data, at = form.cleaned_data, form.cleaned_data["effective_date"]
    return services.organization_move(
        scope=request_scope(request),
        organization=organization,
        parent=_get_code(request, data["parent_code"], at),
        effective_date=at,
        decision=form.decision(),
        note=data["note"],
    )


def _convert(request, form, organization):
    data, at = form.cleaned_data, form.cleaned_data["effective_date"]
    return services.organization_convert(
        scope=request_scope(request),
        organization=organization,
        type=data["type"],
        parent=_get_code(request, data["parent_code"], at) if data["parent_code"] else None,
        effective_date=at,
        decision=form.decision(),
        note=data["note"],
    )


def _dissolve(request, form, organization):
    data = form.cleaned_data
    return services.organization_dissolve(
        scope=request_scope(request),
        organization=organization,
        effective_date=data["effective_date"],
        decision=form.decision(),
        note=data["note"],
    )


def _merge(request, form, organization):
    data, at = form.cleaned_data, form.cleaned_data["effective_date"]
    sources = [_get_code(request, c, at) for c in form.source_codes()]
    new = None
    if data["mode"] == "new":
        parent_code = data["new_parent_code"]
        new = services.NewOrganization(
            code=data["new_code"].strip().upper(),
            name=data["new_name"],
            type=data["new_type"],
            parent=_get_code(request, parent_code, at) if parent_code else None,
        )
        if organization.pk not in {s.pk for s in sources}:
            sources.insert(0, organization)
    return services.organization_merge(
        scope=request_scope(request),
        sources=sources,
        into=organization if data["mode"] == "into" else None,
        new=new,
        effective_date=at,
        decision=form.decision(),
        note=data["note"],
    )


def _split(request, form, organization):
    data, at = form.cleaned_data, form.cleaned_data["effective_date"]
    parent_id = selectors.version_on(
        scope=request_scope(request), organization=organization, at=at
    ).parent_id
    parent = organization_by_id(parent_id)
    parts = [
        services.NewOrganization(
            code=part["code"].strip().upper(),
            name=part["name"],
            type=part["type"],
            parent=parent,
            children=[_get_code(request, c, at) for c in part["children"]],
        )
        for part in form.parts()
    ]
    created = services.organization_split(
        scope=request_scope(request),
        organization=organization,
        parts=parts,
        effective_date=at,
        decision=form.decision(),
        dissolve_source=data["dissolve_source"],
        note=data["note"],
    )
    return created[0]


# slug: (title, form, service, what it does)
ACTIONS = {
    "thanh-lap": (_("Thành lập tổ chức trực thuộc"), forms.EstablishForm, _establish,
                  _("Thành lập một tổ chức đảng mới trực thuộc tổ chức này (hoặc tổ chức cấp trên khác).")),
    "doi-ten": (_("Đổi tên"), forms.RenameForm, _rename,
                _("Tổ chức mang tên mới từ ngày có hiệu lực; các ngày trước vẫn giữ tên cũ.")),
    "chuyen-truc-thuoc": (_("Chuyển trực thuộc"), forms.MoveForm, _move,
                          _("Tổ chức cùng các tổ chức và đảng viên trực thuộc chuyển sang cấp trên mới.")),
    "chuyen-doi": (_("Chuyển đổi loại tổ chức"), forms.ConvertForm, _convert,
                   _("Ví dụ chi bộ cơ sở thành đảng bộ cơ sở; loại mới phải đúng Điều lệ Đảng.")),
    "hop-nhat": (_("Hợp nhất, sáp nhập"), forms.MergeForm, _merge,
                 _("Các tổ chức nguồn kết thúc; tổ chức trực thuộc của chúng chuyển về tổ chức nhận.")),
    "chia-tach": (_("Chia tách"), forms.SplitForm, _split,
                  _("Thành lập các tổ chức mới từ tổ chức này, mỗi tổ chức nhận các tổ chức trực thuộc đã ghi.")),
    "giai-the": (_("Giải thể"), forms.DissolveForm, _dissolve,
                 _("Tổ chức kết thúc vào ngày trước ngày có hiệu lực. Tổ chức còn đảng viên hoặc tổ chức trực thuộc thì không giải thể được.")),
}  # fmt: skip


@login_required
def action(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    if slug not in ACTIONS:
        raise Http404
    title, form_class, run, explanation = ACTIONS[slug]
    scope = request_scope(request)
    organization = _organization(request, code)
    version = selectors.version_on(
        scope=scope, organization=organization, at=reference_date(organization)
    )
    form = form_class(request.POST or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            result = run(request, form, organization)
        except DomainError as exc:  # the rule's Vietnamese message, with its code
            error = exc
        else:
            done = {"action": str(title).lower(), "name": version.name}
            messages.success(request, gettext("Đã ghi nhận: %(action)s (%(name)s).") % done)
            return redirect("web:org_detail", code=result.code)
    codes = selectors.versions_on(scope=scope, at=clock.today()).values_list(
        "organization__code", "name"
    )[:TREE_LIMIT]
    return render(
        request,
        "web/organizations/action.html",
        {
            "organization": organization,
            "version": version,
            "title": title,
            "explanation": explanation,
            "form": form,
            "error": error,
            "codes": codes,
            "slug": slug,
            "event_kinds": EventKind,
        },
    )


urlpatterns = [
    path("to-chuc/", tree, name="org_tree"),
    path("to-chuc/<str:code>/", detail, name="org_detail"),
    path("to-chuc/<str:code>/<slug:slug>/", action, name="org_action"),
]
