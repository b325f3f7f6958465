"""The audit log for administrators: the history of one object, or everything one user wrote
(dangvu.access.selectors, the same reads as the API)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from dangvu.access import selectors
from dangvu.core.errors import DomainError

from .scoping import request_scope

PAGE_SIZE = 50


def _changes(entry) -> list[tuple[str, object, object]]:
    """(field, before, after) for each value the write changed."""
    before, after = entry.before or {}, entry.after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):
        return [("", before, after)]
    keys = sorted(set(before) | set(after))
    return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    scope = request_scope(request)
    if not scope.is_administrator:
        return render(request, "web/audit.html", {"forbidden": True}, status=403)
    object_type = request.GET.get("loai", "").strip()
    object_id = request.GET.get("ma", "").strip()
    username = request.GET.get("nguoi-dung", "").strip()
    context: dict = {"object_type": object_type, "object_id": object_id, "username": username}
    entries = None
    try:
        if username:
            entries = selectors.audit_for_user(scope=scope, username=username)
        elif object_type and object_id:
            entries = selectors.audit_for_object(
                scope=scope, object_type=object_type, object_id=object_id
            )
    except DomainError as error:
        context["error"] = error
    if entries is not None:
        page = Paginator(entries.order_by("-at", "-id"), PAGE_SIZE).get_page(
            request.GET.get("trang")
        )
        context["page"] = page
        context["rows"] = [(entry, _changes(entry)) for entry in page]
        query = request.GET.copy()
        query.pop("trang", None)
        context["query"] = query.urlencode()
    return render(request, "web/audit.html", context)


urlpatterns = [path("nhat-ky/", audit, name="audit")]
