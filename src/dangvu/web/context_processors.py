"""What every page's top bar shows: the user's scope (computed only if a template asks)."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .scoping import request_roots, request_scope


def may_import(scope) -> bool:
    """Editors (anywhere in their scope) import files; the link is shown to them only."""
    from dangvu.access.models import Role

    return scope.unrestricted or any(
        Role.rank(role) >= Role.rank(Role.EDITOR) for _, role in scope.grants
    )


def layout(request: HttpRequest) -> dict:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "scope_roots": SimpleLazyObject(lambda: request_roots(request)),
        "scope_is_administrator": SimpleLazyObject(lambda: request_scope(request).is_administrator),
        "scope_may_import": SimpleLazyObject(lambda: may_import(request_scope(request))),
    }
