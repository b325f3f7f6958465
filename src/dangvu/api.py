"""The JSON API: one NinjaAPI, session or bearer-token authentication, errors in one shape."""

from django.db import DataError
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth

from dangvu.access.api import router as access_router
from dangvu.access.tokens import token_authenticate
from dangvu.core.errors import DomainError, Forbidden
from dangvu.exchange.api import router as exchange_router
from dangvu.members.api import router as members_router
from dangvu.members.candidates_api import router as candidates_router
from dangvu.organizations.api import router as organizations_router
from dangvu.planning.api import router as planning_router
from dangvu.quality.api import router as quality_router
from dangvu.reports.api import router as reports_router
from dangvu.statistics.api import router as statistics_router


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        return token_authenticate(token)


class SessionAuth(NinjaSessionAuth):
    """The Django session. Without a logged-in user it steps aside before the CSRF check, so an
    anonymous request or a bad token gets 401; a session that fails the check gets our 403."""

    def __call__(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None
        try:
            return super().__call__(request)
        except HttpError:
            raise Forbidden(
                "access.CSRF_FAILED",
                "Yêu cầu thiếu mã chống giả mạo (CSRF). Hãy tải lại trang rồi thử lại.",
            ) from None


api = NinjaAPI(
    title="dangvu API",
    version="1",
    description="Quản lý công tác tổ chức đảng. Mọi lỗi trả về JSON {code, message, details}.",
    auth=[TokenAuth(), SessionAuth()],
    openapi_url="/openapi.json",
    urls_namespace="api",
)
api.add_router("/", organizations_router)
api.add_router("/", access_router)
api.add_router("/", members_router)
api.add_router("/", candidates_router)
api.add_router("/", planning_router)
api.add_router("/", statistics_router)
api.add_router("/", reports_router)
api.add_router("/", exchange_router)
api.add_router("/", quality_router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError):
    return api.create_response(request, exc.as_dict(), status=exc.status)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError):
    body = {"code": "access.UNAUTHENTICATED", "message": "Bạn cần đăng nhập.", "details": {}}
    return api.create_response(request, body, status=401)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):
    """What django-ninja refuses itself (a body that is not JSON, ...), in the same shape."""
    if exc.status_code == 400:
        code, message = "core.INVALID_INPUT", "Không đọc được dữ liệu gửi lên (cần JSON hợp lệ)."
    else:
        code, message = "core.REQUEST_REFUSED", "Yêu cầu không được chấp nhận."
    body = {"code": code, "message": message, "details": {}}
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(DataError)
def unstorable_input(request: HttpRequest, exc: DataError):
    """Input the database cannot even compare, such as a NUL character (PostgreSQL)."""
    body = {
        "code": "core.INVALID_INPUT",
        "message": "Dữ liệu gửi lên có ký tự hoặc giá trị không hợp lệ.",
        "details": {},
    }
    return api.create_response(request, body, status=422)


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError):
    body = {
        "code": "core.INVALID_INPUT",
        "message": "Dữ liệu gửi lên không hợp lệ.",
        "details": {"errors": exc.errors},
    }
    return api.create_response(request, body, status=422)
