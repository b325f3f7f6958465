from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dangvu.access.scopes import scope_for
from dangvu.core import clock
from dangvu.core.formatting import parse_date
from dangvu.organizations.selectors import versions_on

TREE_LIMIT = 1000


def home(request: HttpRequest) -> HttpResponse:
    """The organisation tree of the user's scope as it stood on the chosen date."""
    context: dict = {"today": clock.today()}
    if request.user.is_authenticated:
        try:
            at = parse_date(request.GET["ngay"]) if request.GET.get("ngay") else clock.today()
        except (ValueError, ValidationError):
            at = clock.today()
            context["date_error"] = "Ngày không hợp lệ; đang hiển thị ngày hôm nay."
        versions = list(versions_on(scope=scope_for(request.user), at=at)[: TREE_LIMIT + 1])
        top = min((v.depth for v in versions), default=0)
        context.update(
            at=at,
            rows=[(v, v.depth - top) for v in versions[:TREE_LIMIT]],
            truncated=len(versions) > TREE_LIMIT,
        )
    return render(request, "web/home.html", context)
