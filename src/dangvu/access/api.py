"""The acting user, their API tokens and the audit log."""

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from dangvu.core.pagination import LimitOffsetPagination

from . import selectors, tokens
from .scopes import scope_for

router = Router(tags=["Tài khoản và nhật ký"])


class GrantOut(Schema):
    organization: str
    organization_name: str
    role: str


class MeOut(Schema):
    username: str
    full_name: str
    unrestricted: bool
    grants: list[GrantOut]


class TokenIn(Schema):
    name: str


class TokenOut(Schema):
    name: str
    key: str


class AuditOut(Schema):
    id: int
    at: dt.datetime
    actor: str | None
    action: str
    object_type: str
    object_id: str
    object_repr: str
    before: dict | None
    after: dict | None

    @staticmethod
    def resolve_actor(entry) -> str | None:
        return entry.actor.username if entry.actor_id else None


@router.get("/me", response=MeOut, summary="Người dùng hiện tại và phạm vi")
def me(request: HttpRequest):
    user = request.auth
    scope = scope_for(user)
    grants = user.grants.select_related("organization").order_by("organization__code")
    return MeOut(
        username=user.get_username(),
        full_name=user.get_full_name(),
        unrestricted=scope.unrestricted,
        grants=[
            GrantOut(
                organization=g.organization.code, organization_name=g.organization.name, role=g.role
            )
            for g in grants
        ],
    )


@router.post("/tokens", response={201: TokenOut}, summary="Tạo khóa API (chỉ hiện một lần)")
def token_create(request: HttpRequest, data: TokenIn):
    token, key = tokens.token_create(user=request.auth, name=data.name)
    return Status(201, TokenOut(name=token.name, key=key))


@router.get(
    "/audit/objects/{object_type}/{object_id}",
    response=list[AuditOut],
    summary="Nhật ký của một đối tượng",
)
@paginate(LimitOffsetPagination)
def audit_object(request: HttpRequest, object_type: str, object_id: str):
    entries = selectors.audit_for_object(
        scope=scope_for(request.auth), object_type=object_type, object_id=object_id
    )
    return entries  # a query: the paginator slices it


@router.get(
    "/audit/users/{username}", response=list[AuditOut], summary="Nhật ký của một người dùng"
)
@paginate(LimitOffsetPagination)
def audit_user(request: HttpRequest, username: str):
    entries = selectors.audit_for_user(scope=scope_for(request.auth), username=username)
    return entries  # a query: the paginator slices it
