import datetime as dt

from dangvu.organizations import selectors, services
from tests.conftest import decision

D = dt.date


def names_on(scope, day, root=None):
    return [v.name for v in selectors.versions_on(scope=scope, at=day, root=root)]


def test_establish_places_the_organisation_in_the_tree_from_its_date(system, tree):
    assert "Chi bộ Sở Tư pháp" in names_on(system, D(2010, 1, 1))
    assert names_on(system, D(2009, 12, 31)) == []


def test_rename_keeps_the_old_name_before_the_date(system, tree):
    services.organization_rename(
        scope=system,
        organization=tree["justice"],
        name="Chi bộ Sở Tư pháp tỉnh",
        effective_date=D(2016, 5, 1),
        decision=decision(D(2016, 4, 20)),
    )
    assert "Chi bộ Sở Tư pháp" in names_on(system, D(2016, 4, 30))
    assert "Chi bộ Sở Tư pháp tỉnh" in names_on(system, D(2016, 5, 1))
