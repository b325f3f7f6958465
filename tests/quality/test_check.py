"""`dangvu check` and quality_report: each problem kind found on records built for it, counted
per organisation by SQL, with the score."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from dangvu.access.models import Role
from dangvu.members import lifecycle
from dangvu.members.models import MemberEvent, Person
from dangvu.organizations import services as org_services
from dangvu.quality import selectors
from tests.conftest import decision
from tests.members.people import add_person

from .support import D, member

TODAY = D(2026, 6, 1)


def legacy(person, **columns):
    """What an old file carried over without the services' checks looks like."""
    Person.objects.filter(pk=person.pk).update(**columns)


@pytest.fixture
def records(system, tree):
    office, inspect, justice = tree["office"], tree["inspect"], tree["justice"]
    cccd = {"citizen_id": None}
    ok = {"birth_year": 1985, "birth_month": 2, "birth_day": 1, "citizen_id": "052085001234"}
    people = {"ok": member(system, office, "Nguyễn Văn Đủ", D(2020, 3, 2), **ok)}
    people["no_id"] = member(
        system, office, "Trần Thị Thiếu", D(2020, 3, 2), birth_year=1990, sex="female"
    )
    early = member(system, office, "Lê Văn Sớm", D(2020, 3, 2), birth_year=1988,
                   citizen_id="052088001234")  # fmt: skip
    legacy(early, full_member_date=D(2020, 9, 2))  # six months of probation only
    people["early"] = early
    young = member(system, inspect, "Phạm Văn Trẻ", D(2020, 3, 2), birth_year=1990,
                   citizen_id="052090001234")  # fmt: skip
    legacy(young, birth_year=2003)  # 16 when the cell voted in 2020
    people["young"] = young
    unborn = member(system, inspect, "Võ Thị Chưa Sinh", D(2020, 3, 2), birth_year=1992,
                    sex="female", citizen_id="052192001234")  # fmt: skip
    legacy(unborn, birth_year=2021)
    people["unborn"] = unborn
    backwards = member(system, inspect, "Đặng Văn Ngược", D(2020, 3, 2), birth_year=1987,
                       citizen_id="052087001234")  # fmt: skip
    legacy(backwards, ceremony_date=D(2020, 2, 1))  # before the decision of 17/02/2020
    people["backwards"] = backwards
    # a cell dissolved with a member still counted in it
    closed = org_services.organization_establish(
        scope=system,
        spec=org_services.NewOrganization(code="BD.YT.CU", name="Chi bộ Phòng Cũ",
                                          type="subordinate_cell", parent=tree["health"]),
        effective_date=D(2010, 1, 1), decision=decision(D(2010, 1, 1)),
    )  # fmt: skip
    people["orphan"] = member(system, closed, "Hồ Văn Còn", D(2020, 3, 2), birth_year=1980,
                              citizen_id="052080001235")  # fmt: skip
    org_services.organization_dissolve(
        scope=system, organization=closed, effective_date=D(2025, 7, 1), decision=decision(D(2025, 7, 1))
    )  # fmt: skip
    # left the justice cell in March, never received by the office cell
    moving = member(system, justice, "Bùi Văn Đi", D(2020, 3, 2), birth_year=1982,
                    citizen_id="052082001234")  # fmt: skip
    lifecycle.member_transfer_out(
        scope=system, person=moving, to=office, effective_date=D(2026, 3, 2)
    )
    people["moving"] = moving
    # admitted in 2011, recognised in 2012, nothing since
    old = member(system, justice, "Ngô Văn Cũ", D(2011, 5, 10), birth_year=1970,
                 citizen_id="052070001234")  # fmt: skip
    people["old"] = old
    # the same man entered twice
    people["duc"] = add_person(system, justice, "Nguyễn Văn Đức", birth_year=1980, birth_month=5,
                               birth_day=3, hometown="Tuy Phước, Bình Định")  # fmt: skip
    people["duc2"] = add_person(system, office, "NGUYEN VAN DUC", birth_year=1980, birth_month=5,
                                birth_day=3, hometown="huyện Tuy Phước, tỉnh Bình Định", **cccd)  # fmt: skip
    return people


def by_code(report):
    return {row.code: row for row in report.organizations}


def test_each_problem_kind_is_found_in_its_organisation(system, records):
    report = selectors.quality_report(scope=system, today=TODAY)
    rows = by_code(report)
    assert rows["BD.YT.VP"].counts == {
        "quality.MISSING_CITIZEN_ID": 1,
        "quality.RECOGNISED_BEFORE_PROBATION_END": 1,
        "quality.DUPLICATE_SUSPECT": 1,
    }
    assert rows["BD.YT.TTR"].counts == {
        "quality.ADMITTED_UNDER_AGE": 1,
        "quality.BORN_AFTER_ADMISSION": 1,
        "quality.CEREMONY_BEFORE_DECISION": 1,
    }
    assert rows["BD.YT.CU"].ended
    assert rows["BD.YT.CU"].counts == {"quality.MEMBER_IN_ENDED_ORGANIZATION": 1}
    assert rows["BD.TP"].counts == {
        "quality.TRANSFER_NOT_RECEIVED": 1,
        "quality.STALE_RECORD": 1,
        "quality.DUPLICATE_SUSPECT": 1,
    }
    for code, person in (
        ("quality.ADMITTED_UNDER_AGE", "young"),
        ("quality.STALE_RECORD", "old"),
        ("quality.TRANSFER_NOT_RECEIVED", "moving"),
    ):
        listed = selectors.problem_people(scope=system, code=code, today=TODAY)
        assert list(listed) == [records[person]]


def test_scores_are_100_minus_weighted_problems_per_100_members(system, records):
    rows = by_code(selectors.quality_report(scope=system, today=TODAY))
    # office: 3 members (Đủ, Thiếu, Sớm); 1 missing ID (1) + 1 early (3) + 1 duplicate (2)
    assert rows["BD.YT.VP"].members == 3
    assert rows["BD.YT.VP"].score == 0.0
    # justice: Đi and Cũ; transfer (2) + stale (0.5) + duplicate (2) = 4.5 per 2 members
    assert rows["BD.TP"].members == 2 and rows["BD.TP"].score == 0.0
    # a cell without problems scores 100 and the sum is over all members
    report = selectors.quality_report(scope=system, today=TODAY, stale_years=30)
    assert "quality.STALE_RECORD" not in report.counts
    assert report.members == 9


def test_a_transfer_within_its_thirty_working_days_is_not_a_problem(system, records):
    report = selectors.quality_report(scope=system, today=D(2026, 4, 10))
    assert "quality.TRANSFER_NOT_RECEIVED" not in report.counts
    report = selectors.quality_report(scope=system, today=D(2026, 4, 15))
    assert report.counts["quality.TRANSFER_NOT_RECEIVED"] == 1


def test_recognition_on_the_day_probation_ends_leap_day_included(system, tree):
    person = member(system, tree["office"], "Lý Thị Nhuận", D(2024, 2, 29), birth_year=1995, sex="female",
                    citizen_id="052195001234")  # fmt: skip
    assert person.full_member_date == D(2025, 2, 28)
    report = selectors.quality_report(scope=system, today=TODAY)
    assert "quality.RECOGNISED_BEFORE_PROBATION_END" not in report.counts
    legacy(person, full_member_date=D(2025, 2, 27))
    report = selectors.quality_report(scope=system, today=TODAY)
    assert report.counts["quality.RECOGNISED_BEFORE_PROBATION_END"] == 1


def test_the_18th_birthday_is_old_enough(system, tree):
    person = add_person(
        system, tree["office"], "Mai Văn Vừa", birth_year=2002, birth_month=3, birth_day=2
    )
    lifecycle.member_admit(scope=system, person=person, ceremony_date=D(2020, 3, 10),
                           decision=decision(D(2020, 3, 2)), vote_date=D(2020, 3, 2))  # fmt: skip
    assert selectors.quality_report(scope=system, today=TODAY).counts == {
        "quality.MISSING_CITIZEN_ID": 1
    }
    MemberEvent.objects.filter(person=person).update(details={"decision_date": "2020-03-02",
                                                              "vote_date": "2020-03-01"})  # fmt: skip
    report = selectors.quality_report(scope=system, today=TODAY)
    assert report.counts["quality.ADMITTED_UNDER_AGE"] == 1


def test_a_cell_user_sees_only_the_problems_of_their_cell(
    system, tree, records, make_user, scope_of
):
    office = scope_of(make_user("vp", tree["office"], Role.VIEWER))
    report = selectors.quality_report(scope=office, today=TODAY)
    assert [row.code for row in report.organizations] == ["BD.YT.VP"]
    assert report.duplicates == []  # the other file is in the justice cell


def run(*args) -> str:
    out = io.StringIO()
    call_command("check", *args, "--date", "01/06/2026", stdout=out)
    return out.getvalue()


def test_the_command_prints_a_vietnamese_table(records, capsys):
    text = run()
    assert "KIỂM TRA CHẤT LƯỢNG DỮ LIỆU – ngày 01/06/2026" in text
    assert "Chi bộ Phòng Cũ (đã kết thúc)" in text
    assert "quality.TRANSFER_NOT_RECEIVED: 1 hồ sơ" in text
    assert "Trùng họ tên, ngày sinh và quê quán" in text or "Gần giống" in text


def test_the_command_gives_json_for_a_subtree(records, capsys):
    call_command("check", "--json", "--org", "BD.TP", "--date", "01/06/2026")
    data = json.loads(capsys.readouterr().out)
    assert data["organization"] == "BD.TP"
    assert [row["code"] for row in data["organizations"]] == ["BD.TP"]
    counts = {p["code"]: p["count"] for p in data["problems"]}
    assert counts["quality.STALE_RECORD"] == 1 and counts["quality.MISSING_CITIZEN_ID"] == 0
    [pair] = data["duplicates"]
    assert {pair["first"]["organization_code"], pair["second"]["organization_code"]} == {
        "BD.TP",
        "BD.YT.VP",
    }


def test_django_system_checks_still_run_under_the_same_name(db):
    out = io.StringIO()
    call_command("check", "--system", stdout=out)
    assert "System check identified" in out.getvalue()


def test_a_clean_installation_has_no_problem(system, tree):
    assert "Không phát hiện vấn đề nào." in run()
    assert dt.date(2026, 6, 1) == TODAY
