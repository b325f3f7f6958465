"""The JSON API: one NinjaAPI, session or bearer-token authentication, errors in one shape."""

from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import HttpBearer, django_auth

from dangvu.access.api import router as access_router
from dangvu.access.tokens import token_authenticate
from dangvu.core.errors import DomainError
from dangvu.organizations.api import router as organizations_router


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        return token_authenticate(token)


api = NinjaAPI(
    title="dangvu API",
    version="1",
    description="Quản lý công tác tổ chức đảng. Mọi lỗi trả về JSON {code, message, details}.",
    auth=[TokenAuth(), django_auth],
    openapi_url="/openapi.json",
    urls_namespace="api",
)
api.add_router("/", organizations_router)
api.add_router("/", access_router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError):
    body = {"code": "access.UNAUTHENTICATED", "message": "Bạn cần đăng nhập.", "details": {}}
    return api.create_response(request, body, status=401)


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError):
    body = {
        "code": "core.INVALID_INPUT",
        "message": "Dữ liệu gửi lên không hợp lệ.",
        "details": {"errors": exc.errors},
    }
    return api.create_response(request, body, status=422)
