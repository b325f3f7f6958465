import tempfile

import pytest

from dangvu.synth.build import SCALES, plan, subset
from dangvu.synth.members import generate_members


@pytest.fixture(scope="session")
def bloc_files():
    """The bloc scale's rows, generated once: (plan, tree, counts, member COPY files)."""
    scale = SCALES["bloc"]
    p = plan(scale.orgs, 2025)
    tree = subset(p.tree, p.bloc)
    with tempfile.TemporaryDirectory(prefix="dangvu_synth_test_") as directory:
        counts, files = generate_members(p.intervals, scale.members, 2025, directory, p.provinces)
        yield p, tree, counts, files
