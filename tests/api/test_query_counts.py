"""Reads of the tree cost a fixed number of queries, whatever the size of the subtree."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangvu.access.models import Role
from dangvu.organizations.models import OrganizationType as T
from tests.conftest import establish


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [
        "/api/organizations/BD.DUK/subtree?at=2015-01-01",
        "/api/organizations?root=BD.DUK&at=2015-01-01",
        "/api/organizations/count?root=BD.DUK&at=2015-01-01",
        "/api/organizations/BD.YT/path?at=2015-01-01",
    ],
)
def test_tree_reads_do_not_grow_with_the_subtree(system, tree, make_user, client_for, url):
    client = client_for(make_user("khoi", tree["bloc"], Role.VIEWER))
    small = queries(client, url)
    for n in range(12):
        establish(system, f"BD.YT.C{n}", f"Chi bộ Khoa {n + 1}", T.SUBORDINATE_CELL, tree["health"])
    assert queries(client, url) == small
    assert small <= 8
