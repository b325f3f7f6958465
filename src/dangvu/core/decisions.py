"""Finding or recording the decision that backs an event (used by every app's services)."""

import datetime as dt

from pydantic import BaseModel, Field

from .errors import DomainError
from .models import Decision
from .symbols import normalize_document_symbol


class DecisionInput(BaseModel):
    symbol: str = Field(min_length=1, max_length=64, examples=["45-QĐ/ĐUK"])
    date: dt.date
    issuing_body: str = Field(min_length=1, max_length=255, examples=["Ban Thường vụ Đảng ủy Khối"])
    summary: str = Field("", max_length=500)


def decision_record(data: DecisionInput | None) -> Decision:
    """The stored decision for `data`, created the first time it is cited.

    Whether an event may take effect before its decision is a rule of each event kind
    (a recognition takes effect at the end of probation, whenever it was decided).
    """
    if data is None:
        raise DomainError(
            "core.DECISION_REQUIRED", "Cần có quyết định (số, ngày, cơ quan ban hành)."
        )
    symbol = normalize_document_symbol(data.symbol)
    issuing_body = " ".join(data.issuing_body.split())
    if not symbol or not issuing_body:
        raise DomainError(
            "core.DECISION_REQUIRED", "Cần có quyết định (số, ngày, cơ quan ban hành)."
        )
    decision, _ = Decision.objects.get_or_create(
        symbol=symbol,
        date=data.date,
        issuing_body=issuing_body,
        defaults={"summary": data.summary.strip()},
    )
    return decision
