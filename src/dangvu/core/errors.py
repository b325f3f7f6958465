"""Domain errors: a stable code, a Vietnamese message, and the HTTP status the API maps them to.

Services raise these and never HTTP errors; the API turns them into 4xx JSON in one place.
"""

from typing import Any


class DomainError(Exception):
    status = 400

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class NotFound(DomainError):
    """The object does not exist, or it lies outside the actor's scope (the two look the same)."""

    status = 404

    def __init__(self, what: str = "Đối tượng", code: str = "core.NOT_FOUND") -> None:
        super().__init__(code, f"{what} không tồn tại hoặc nằm ngoài phạm vi quản lý của bạn.")


class Forbidden(DomainError):
    """Inside the actor's scope, but the actor's role does not allow the action."""

    status = 403


class Conflict(DomainError):
    status = 409
