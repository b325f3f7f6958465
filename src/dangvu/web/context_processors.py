"""What every page's top bar shows: the user's scope (computed only if a template asks)."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .scoping import request_roots, request_scope


def layout(request: HttpRequest) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "scope_roots": SimpleLazyObject(lambda: request_roots(request)),
        "scope_is_administrator": SimpleLazyObject(lambda: request_scope(request).is_administrator),
    }
