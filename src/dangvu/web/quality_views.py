"""Kiểm tra dữ liệu (/kiem-tra-du-lieu/): the data-quality problems of each organisation in the
user's scope with its score, the same data as `dangvu check` (quality.selectors)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from dangvu.core.errors import DomainError
from dangvu.organizations.selectors import organization_get
from dangvu.quality import rules, selectors

from .quality_merge import merge_page
from .scoping import request_scope


@login_required
def quality_page(request: HttpRequest) -> HttpResponse:
    scope = request_scope(request)
    code = request.GET.get("to-chuc", "").strip()
    context: dict = {"code": code, "problems": rules.PROBLEMS}
    try:
        organization = organization_get(scope=scope, code=code) if code else None
        context["report"] = selectors.quality_report(scope=scope, organization=organization)
    except DomainError as error:
        context["error"] = error.message
        return render(request, "web/quality/page.html", context, status=error.status)
    return render(request, "web/quality/page.html", context)


urlpatterns = [
    path("kiem-tra-du-lieu/", quality_page, name="quality"),
    path("kiem-tra-du-lieu/hop-nhat/", merge_page, name="person_merge"),
]
