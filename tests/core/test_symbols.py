"""Document numbers and symbols (số và ký hiệu, 36-HD/VPTW): typed loosely, stored one way."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvu.core.symbols import (
    TYPE_CODES,
    DocumentSymbol,
    normalize_document_symbol,
    parse_document_symbol,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("35-NQ/TW", "35-NQ/TW"),
        ("35/NQ-TW", "35-NQ/TW"),
        ("  35 - NQ / TW ", "35-NQ/TW"),
        ("35-nq/tw", "35-NQ/TW"),
        ("NQ 35", "35-NQ"),
        ("nq-35", "35-NQ"),
        ("35 nq", "35-NQ"),
        ("NQ-35/TW", "35-NQ/TW"),
        ("số 45-bc/đuk", "45-BC/ĐUK"),
        ("Số: 45-BC/ĐUK", "45-BC/ĐUK"),
        ("SỐ 07-KH/ĐU", "07-KH/ĐU"),
        ("so 45-BC/DUK", "45-BC/DUK"),
        ("1-QĐ/TU", "01-QĐ/TU"),
        ("294-qđ/tw", "294-QĐ/TW"),
        ("5-qđi/tw", "05-QĐi/TW"),
        ("12-ctr/tu", "12-CTr/TU"),
        ("11-HD/BTCTW", "11-HD/BTCTW"),
        ("15-NQ/ĐU-BTV", "15-NQ/ĐU-BTV"),
    ],
)
def test_loosely_typed_symbols_are_stored_in_the_document_format(typed, stored):
    assert normalize_document_symbol(typed) == stored


def test_parse_returns_the_number_type_and_issuer():
    assert parse_document_symbol("số 45-bc/đuk") == DocumentSymbol(45, "BC", "ĐUK")
    assert parse_document_symbol("NQ 35") == DocumentSymbol(35, "NQ", "")


@pytest.mark.parametrize(
    "text",
    ["Quyết định số 12", "35-XX/TW", "hello", "", "   ", "35-NQ/TW ngày 12/5/2020", "NQ/TW"],
)
def test_text_that_is_not_a_symbol_is_not_parsed(text):
    assert parse_document_symbol(text) is None


def test_unparsable_text_is_kept_with_its_spaces_collapsed():
    assert normalize_document_symbol("  Công văn   không số ") == "Công văn không số"


def test_numbers_under_ten_get_a_leading_zero():
    assert str(DocumentSymbol(5, "HD", "TW")) == "05-HD/TW"
    assert str(DocumentSymbol(123, "HD", "TW")) == "123-HD/TW"


@given(
    st.integers(min_value=1, max_value=9999),
    st.sampled_from(TYPE_CODES),
    st.sampled_from(["TW", "TU", "ĐUK", "BTCTU", "ĐU", "VPTW", "HU"]),
    st.sampled_from(["{n}-{t}/{i}", "{n}/{t}-{i}", "số {n}-{t}/{i}", "{n} - {t} / {i}"]),
    st.booleans(),
)
def test_every_way_of_typing_a_symbol_normalises_to_one_form(
    number, type_code, issuer, shape, lower
):
    typed = shape.format(n=number, t=type_code, i=issuer)
    if lower:
        typed = typed.lower()
    stored = normalize_document_symbol(typed)
    assert stored == f"{number:02d}-{type_code}/{issuer}"
    assert normalize_document_symbol(stored) == stored
