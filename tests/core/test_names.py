import pytest

from dangvu.core.names import NameParts, clean_name, fold, sort_key, split_name


def test_split_takes_family_first_and_given_last():
    assert split_name("Nguyễn Thị Minh Khai") == NameParts("Nguyễn", "Thị Minh", "Khai")
    assert split_name("Lê Lợi") == NameParts("Lê", "", "Lợi")
    assert split_name("Thúy") == NameParts("", "", "Thúy")


def test_clean_collapses_spaces_and_capitalises_each_word():
    assert clean_name("  nguyễn   văn AN ") == "Nguyễn Văn An"


def test_clean_composes_decomposed_diacritics():
    decomposed = "Nguye\u0302\u0303n"  # e + circumflex + tilde as combining marks
    assert clean_name(decomposed) == "Nguyễn"


def test_sort_is_by_given_then_middle_then_family():
    names = ["Trần Văn Bình", "Lê Thị An", "Nguyễn Văn An", "Nguyễn Thị An"]
    ordered = sorted(names, key=lambda n: sort_key(split_name(n)))
    assert ordered == ["Lê Thị An", "Nguyễn Thị An", "Nguyễn Văn An", "Trần Văn Bình"]


@pytest.mark.parametrize(
    ("before", "after"),
    [("An", "Ăn"), ("Ăn", "Ân"), ("Dung", "Đức"), ("Đức", "Em"), ("Em", "Ênh"), ("Oanh", "Ơn")],
)
def test_vietnamese_letter_order(before, after):
    assert sort_key(split_name(before)) < sort_key(split_name(after))


def test_sort_key_is_digits_only_so_every_collation_orders_it_alike():
    key = sort_key(split_name("Phạm Thị Ánh Tuyết"))
    assert key.isdigit() and len(key) % 3 == 0


def test_fold_drops_diacritics_and_maps_d_stroke():
    assert fold("Nguyễn Đức Ấn") == "nguyen duc an"
    assert fold("  ĐẶNG   thị  Hằng ") == "dang thi hang"
