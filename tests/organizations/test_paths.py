"""Materialised paths: fixed-width digit segments whose string order is the tree order."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangvu.organizations import paths

ids = st.integers(min_value=1, max_value=paths.MAX_ID)
chains = st.lists(ids, min_size=1, max_size=6)


def _path(chain: list[int]) -> str:
    return "".join(paths.segment(i) for i in chain)


def test_segment_is_eight_zero_padded_digits():
    assert paths.segment(42) == "00000042"
    assert paths.segment(1) == "00000001"
    assert paths.segment(paths.MAX_ID) == "99999998"


@pytest.mark.parametrize("bad", [0, -1, paths.MAX_ID + 1, 10**8])
def test_segment_refuses_ids_that_do_not_fit_the_width(bad):
    with pytest.raises(ValueError, match=str(bad)):
        paths.segment(bad)


def test_child_path_appends_the_child_segment():
    assert paths.child_path("00000001", 1234) == "0000000100001234"


def test_subtree_end_is_the_next_path_of_the_same_width():
    assert paths.subtree_end("00000001") == "00000002"
    assert paths.subtree_end("0000000100000009") == "0000000100000010"
    assert paths.subtree_end("0000000199999998") == "0000000199999999"


def test_path_ids_and_depth_read_the_segments_back():
    assert paths.path_ids("000000010000004200001234") == [1, 42, 1234]
    assert paths.depth("000000010000004200001234") == 3
    assert paths.depth("") == 0


@given(chains)
def test_path_ids_inverts_the_segments(chain):
    path = _path(chain)
    assert paths.path_ids(path) == chain
    assert paths.depth(path) == len(chain) == len(path) // paths.SEGMENT


@given(chains, st.lists(ids, min_size=1, max_size=4))
def test_every_descendant_path_lies_in_the_subtree_range(chain, below):
    path = _path(chain)
    descendant = path + _path(below)
    assert path <= descendant < paths.subtree_end(path)
    assert len(paths.subtree_end(path)) == len(path)


@given(chains, chains)
def test_a_path_outside_the_subtree_lies_outside_its_range(chain, other):
    path, other_path = _path(chain), _path(other)
    inside = path <= other_path < paths.subtree_end(path)
    assert inside == other_path.startswith(path)


@given(st.lists(ids, min_size=1, max_size=1), st.lists(ids, min_size=1, max_size=1))
def test_string_order_of_sibling_paths_is_the_numeric_order_of_ids(a, b):
    assert (_path(a) < _path(b)) == (a[0] < b[0])
