"""The decision behind an event: recorded once, however often and however loosely it is cited."""

import datetime as dt

import pytest
from pydantic import ValidationError

from dangvu.core.decisions import DecisionInput, decision_record
from dangvu.core.errors import DomainError
from dangvu.core.models import Decision

pytestmark = pytest.mark.django_db

BODY = "Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh"


def cite(symbol="45-QĐ/ĐUK", day=dt.date(2024, 3, 15), body=BODY, summary=""):
    return decision_record(
        DecisionInput(symbol=symbol, date=day, issuing_body=body, summary=summary)
    )


def test_the_same_decision_cited_twice_is_one_row():
    first = cite(summary="Về việc thành lập Chi bộ Sở Nội vụ")
    second = cite()
    assert first.pk == second.pk
    assert Decision.objects.count() == 1
    assert second.summary == "Về việc thành lập Chi bộ Sở Nội vụ"


def test_loosely_typed_citations_of_one_decision_are_one_row():
    rows = {
        cite(symbol).pk for symbol in ["45-QĐ/ĐUK", "45/QĐ-ĐUK", "số 45-qđ/đuk", " 45 - QĐ / ĐUK "]
    }
    assert len(rows) == 1
    assert Decision.objects.get().symbol == "45-QĐ/ĐUK"


def test_issuing_body_spaces_are_collapsed_before_matching():
    assert cite(body="Ban Thường vụ  Đảng ủy Khối   các cơ quan tỉnh ").pk == cite().pk


def test_same_symbol_on_another_date_or_from_another_body_is_another_decision():
    cite()
    cite(day=dt.date(2025, 3, 15))
    cite(body="Ban Thường vụ Tỉnh ủy Bình Định")
    assert Decision.objects.count() == 3


def test_a_missing_decision_is_refused():
    with pytest.raises(DomainError) as info:
        decision_record(None)
    assert info.value.code == "core.DECISION_REQUIRED"
    assert "quyết định" in info.value.message


def test_a_blank_issuing_body_is_refused():
    with pytest.raises(DomainError) as info:
        cite(body="   ")
    assert info.value.code == "core.DECISION_REQUIRED"
    assert Decision.objects.count() == 0


def test_an_empty_symbol_is_refused_by_the_input_schema():
    with pytest.raises(ValidationError):
        DecisionInput(symbol="", date=dt.date(2024, 3, 15), issuing_body=BODY)


def test_decision_reads_as_symbol_date_and_body():
    assert str(cite()) == f"45-QĐ/ĐUK ngày 15/03/2024 của {BODY}"
