"""Setting and removing targets: the row, the audit, the scope, the refusals."""

import datetime as dt

import pytest

from dangvu.access.models import AuditEntry, Role
from dangvu.core.errors import DomainError, Forbidden, NotFound
from dangvu.organizations import services as organization_services
from dangvu.planning.models import Target
from dangvu.planning.selectors import target_list, targets_for
from dangvu.planning.services import target_remove, target_set
from tests.conftest import decision, establish

RESOLUTION = decision(dt.date(2024, 1, 10), "05-NQ/ĐUK", "Ban Chấp hành Đảng bộ Khối")


@pytest.fixture
def editor(tree, make_user, scope_of):
    return scope_of(make_user("bientap", tree["bloc"], Role.EDITOR))


def audit(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def test_set_records_the_target_with_its_resolution(tree, editor):
    target = target_set(
        scope=editor,
        organization=tree["bloc"],
        year=2024,
        indicator="admissions",
        value=805,
        decision=RESOLUTION,
        note="  Nghị quyết   năm 2024 ",
    )
    target.refresh_from_db()
    assert (target.year, target.indicator, target.value) == (2024, "admissions", 805)
    assert target.decision.symbol == "05-NQ/ĐUK"
    assert target.note == "Nghị quyết năm 2024"
    assert target.recorded_by.username == "bientap"
    [entry] = audit("target.create")
    assert entry.before is None
    assert entry.after["value"] == 805
    assert entry.after["organization"] == "BD.DUK"
    assert entry.actor.username == "bientap"
    assert targets_for(tree["bloc"], 2024) == {"admissions": 805}


def test_update_changes_the_row_in_place_and_audits_before_and_after(tree, editor):
    first = target_set(
        scope=editor, organization=tree["bloc"], year=2024, indicator="admissions", value=805
    )
    second = target_set(
        scope=editor,
        organization=tree["bloc"],
        year=2024,
        indicator="admissions",
        value=820,
        decision=RESOLUTION,
    )
    assert second.pk == first.pk
    assert Target.objects.count() == 1
    assert Target.objects.get().value == 820
    [entry] = audit("target.update")
    assert entry.object_id == str(first.pk)
    assert entry.before == {"value": 805, "decision": None}
    assert entry.after == {"value": 820, "decision": str(second.decision)}


def test_setting_the_same_target_again_writes_nothing(tree, editor):
    args = {"organization": tree["bloc"], "year": 2024, "indicator": "admissions", "value": 805}
    target_set(scope=editor, **args)
    rows = AuditEntry.objects.count()
    target_set(scope=editor, **args)
    assert AuditEntry.objects.count() == rows


def test_targets_of_several_indicators_and_years(tree, editor):
    for year, indicator, value in [
        (2024, "admissions", 805),
        (2024, "recognitions", 700),
        (2025, "admissions", 810),
    ]:
        target_set(
            scope=editor, organization=tree["bloc"], year=year, indicator=indicator, value=value
        )
    assert targets_for(tree["bloc"], 2024) == {"admissions": 805, "recognitions": 700}
    assert targets_for(tree["bloc"], 2025) == {"admissions": 810}
    assert targets_for(tree["bloc"], 2023) == {}
    assert targets_for(tree["health"], 2024) == {}


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"indicator": "members.total"}, "planning.UNKNOWN_INDICATOR"),
        ({"indicator": "ket-nap"}, "planning.UNKNOWN_INDICATOR"),
        ({"value": 0}, "planning.INVALID_TARGET"),
        ({"value": -3}, "planning.INVALID_TARGET"),
        ({"year": 1900}, "planning.YEAR_OUT_OF_RANGE"),
        ({"year": 2009}, "planning.YEAR_OUT_OF_RANGE"),  # before the bloc was established
    ],
)
def test_refusals_write_nothing(tree, editor, changes, code):
    args = {"organization": tree["bloc"], "year": 2024, "indicator": "admissions", "value": 805}
    rows = AuditEntry.objects.count()
    with pytest.raises(DomainError) as error:
        target_set(scope=editor, **{**args, **changes})
    assert error.value.code == code
    assert error.value.message
    assert not Target.objects.exists()
    assert AuditEntry.objects.count() == rows


def test_an_unknown_indicator_does_not_overwrite_a_target(tree, editor):
    target_set(scope=editor, organization=tree["bloc"], year=2024, indicator="admissions", value=5)
    with pytest.raises(DomainError):
        target_set(
            scope=editor, organization=tree["bloc"], year=2024, indicator="admission", value=9
        )
    assert targets_for(tree["bloc"], 2024) == {"admissions": 5}


def test_outside_the_scope_is_not_found(tree, make_user, scope_of):
    cell = scope_of(make_user("chibo", tree["justice"], Role.EDITOR))
    with pytest.raises(NotFound):
        target_set(
            scope=cell, organization=tree["health"], year=2024, indicator="admissions", value=3
        )
    with pytest.raises(NotFound):  # even in a year the organisation did not exist
        target_set(
            scope=cell, organization=tree["health"], year=2009, indicator="admissions", value=3
        )
    assert not Target.objects.exists()


def test_a_viewer_cannot_set_a_target(tree, make_user, scope_of):
    viewer = scope_of(make_user("xem", tree["bloc"], Role.VIEWER))
    with pytest.raises(Forbidden) as error:
        target_set(
            scope=viewer, organization=tree["health"], year=2024, indicator="admissions", value=3
        )
    assert error.value.code == "access.ROLE_REQUIRED"
    assert not Target.objects.exists()


def test_the_scope_is_the_tree_on_the_last_day_of_the_year(tree, system, make_user, scope_of):
    """Chi bộ Sở Tư pháp moves to a second bloc on 01/01/2020: its 2019 targets belong to the
    first bloc, those of 2020 to the second."""
    bloc2 = establish(
        system, "BD.DUK2", "Đảng bộ Khối Doanh nghiệp", "upper_committee", tree["province"]
    )
    organization_services.organization_move(
        scope=system,
        organization=tree["justice"],
        parent=bloc2,
        effective_date=dt.date(2020, 1, 1),
        decision=decision(dt.date(2019, 12, 20)),
    )
    old = scope_of(make_user("khoi1", tree["bloc"], Role.EDITOR))
    new = scope_of(make_user("khoi2", bloc2, Role.EDITOR))
    justice = tree["justice"]
    target_set(scope=old, organization=justice, year=2019, indicator="admissions", value=2)
    target_set(scope=new, organization=justice, year=2020, indicator="admissions", value=3)
    with pytest.raises(NotFound):
        target_set(scope=old, organization=justice, year=2020, indicator="admissions", value=4)
    with pytest.raises(NotFound):
        target_set(scope=new, organization=justice, year=2019, indicator="admissions", value=4)
    assert [(t.year, t.value) for t in target_list(scope=old)] == [(2019, 2)]
    assert [(t.year, t.value) for t in target_list(scope=new)] == [(2020, 3)]
    assert [t.year for t in target_list(scope=old, organization=justice, year=2019)] == [2019]
    with pytest.raises(NotFound):
        target_list(scope=old, organization=justice, year=2020)


def test_an_organisation_that_ended_is_judged_on_its_last_day(tree, system, editor):
    organization_services.organization_dissolve(
        scope=system,
        organization=tree["inspect"],
        effective_date=dt.date(2024, 7, 1),
        decision=decision(dt.date(2024, 6, 20)),
    )
    target = target_set(
        scope=editor, organization=tree["inspect"], year=2024, indicator="admissions", value=1
    )
    assert list(target_list(scope=editor, year=2024)) == [target]
    with pytest.raises(DomainError) as error:  # it did not exist in 2025
        target_set(
            scope=editor, organization=tree["inspect"], year=2025, indicator="admissions", value=1
        )
    assert error.value.code == "planning.YEAR_OUT_OF_RANGE"


def test_list_is_scoped_and_filtered(tree, system, make_user, scope_of):
    for organization in (tree["bloc"], tree["health"], tree["office"], tree["justice"]):
        target_set(
            scope=system, organization=organization, year=2024, indicator="admissions", value=4
        )
    target_set(
        scope=system, organization=tree["office"], year=2023, indicator="admissions", value=2
    )
    health = scope_of(make_user("yte", tree["health"], Role.VIEWER))
    assert [(t.organization.code, t.year) for t in target_list(scope=health)] == [
        ("BD.YT", 2024),
        ("BD.YT.VP", 2024),
        ("BD.YT.VP", 2023),
    ]
    assert [t.organization.code for t in target_list(scope=health, year=2023)] == ["BD.YT.VP"]
    office = target_list(scope=health, organization=tree["office"])
    assert [t.year for t in office] == [2024, 2023]
    with pytest.raises(NotFound):
        target_list(scope=health, organization=tree["justice"])
    assert target_list(scope=system).count() == 5
    nobody = scope_of(make_user("khongquyen"))
    assert not target_list(scope=nobody).exists()


def test_remove_deletes_the_row_and_audits_what_it_was(tree, editor):
    target = target_set(
        scope=editor, organization=tree["health"], year=2024, indicator="admissions", value=30
    )
    removed = target_remove(
        scope=editor, organization=tree["health"], year=2024, indicator="admissions"
    )
    assert removed.value == 30
    assert not Target.objects.exists()
    [entry] = audit("target.remove")
    assert entry.object_id == str(target.pk)
    assert entry.before["value"] == 30 and entry.after is None
    with pytest.raises(NotFound):
        target_remove(scope=editor, organization=tree["health"], year=2024, indicator="admissions")


def test_remove_outside_the_scope_is_not_found(tree, system, make_user, scope_of):
    target_set(
        scope=system, organization=tree["health"], year=2024, indicator="admissions", value=3
    )
    cell = scope_of(make_user("chibo", tree["justice"], Role.EDITOR))
    with pytest.raises(NotFound):
        target_remove(scope=cell, organization=tree["health"], year=2024, indicator="admissions")
    assert Target.objects.count() == 1
