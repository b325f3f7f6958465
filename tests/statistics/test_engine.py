"""The engine against a hand-computed fixture: five members of a small bloc through the first
quarter of 2021, with an exemption, a transfer, a death, an admission and a cell that moves
to another grassroots committee. Every figure below was counted by hand from the story."""

import datetime as dt

import pytest

from dangvu.members import lifecycle
from dangvu.organizations import services as organization_services
from dangvu.organizations.models import OrganizationType as T
from dangvu.statistics import catalogue, drilldown, engine
from dangvu.statistics.periods import parse_period
from tests.conftest import decision, establish
from tests.members.people import add_person

D = dt.date
Q1 = parse_period("2021-Q1")


def member(system, cell, name, ceremony, *, recognised=True, **extra):
    person = add_person(system, cell, name, **extra)
    lifecycle.member_admit(
        scope=system,
        person=person,
        ceremony_date=ceremony,
        decision=decision(ceremony - dt.timedelta(days=10)),
    )
    if recognised:
        lifecycle.member_recognize(
            scope=system, person=person, decision=decision(ceremony.replace(year=ceremony.year + 1))
        )
    return person


@pytest.fixture
def story(system, tree):
    """31/12/2020: An (probationary, office), Bình (justice), Cường (inspect), Em (justice).
    Q1/2021: Bình exempted 01/02; office moves to the education committee 01/02; Cường leaves
    inspect 15/02 and is received by justice 01/03; Dung admitted in office 20/02; Em dies
    10/03."""
    education = establish(
        system, "BD.GD", "Đảng bộ Sở Giáo dục", T.GRASSROOTS_COMMITTEE, tree["bloc"]
    )
    people = {
        "an": member(system, tree["office"], "Nguyễn Văn An", D(2020, 6, 1), recognised=False,
                     birth_year=1995),
        "binh": member(system, tree["justice"], "Hoàng Thị Bình", D(2015, 3, 1), birth_year=1960,
                       sex="female", ethnicity="02"),
        "cuong": member(system, tree["inspect"], "Lê Văn Cường", D(2019, 1, 10), birth_year=1980),
        "em": member(system, tree["justice"], "Phạm Văn Em", D(2012, 1, 1), birth_year=1970),
    }  # fmt: skip
    lifecycle.member_exempt(
        scope=system,
        person=people["binh"],
        effective_date=D(2021, 2, 1),
        decision=None,
        details={"requested_on": "2021-01-15", "grounds": ["old_age"]},
    )
    organization_services.organization_move(
        scope=system,
        organization=tree["office"],
        parent=education,
        effective_date=D(2021, 2, 1),
        decision=decision(D(2021, 1, 25)),
    )
    lifecycle.member_transfer_out(
        scope=system, person=people["cuong"], to=tree["justice"], effective_date=D(2021, 2, 15)
    )
    lifecycle.member_transfer_in(scope=system, person=people["cuong"], effective_date=D(2021, 3, 1))
    people["dung"] = member(
        system, tree["office"], "Trần Thị Dung", D(2021, 2, 20), recognised=False,
        birth_year=1998, sex="female",
    )  # fmt: skip
    lifecycle.member_death(
        scope=system, person=people["em"], effective_date=D(2021, 3, 10), decision=None
    )
    return {**tree, "education": education, **people}


def test_stocks_of_the_bloc_at_both_ends_of_the_quarter(story):
    start = engine.stocks(story["bloc"], D(2020, 12, 31))
    assert (start["members.total"], start["members.full"], start["members.probationary"]) == (
        4,
        3,
        1,
    )
    assert (start["members.female"], start["members.ethnic_minority"], start["members.exempt"]) == (
        1,
        1,
        0,
    )
    # ages on 31/12/2020, birth dates known by the year only (taken as 31/12): 25, 40, 50, 60
    ages = {band: start[f"members.age.{band}"] for band in ("le30", "31_40", "41_50", "51_60")}
    assert ages == {"le30": 1, "31_40": 1, "41_50": 1, "51_60": 1}
    assert start["members.age.61_70"] == start["members.age.gt70"] == 0
    # a day later, Bình (taken as born 31/12/1960) is 60 still: the birthday counts on the day
    assert engine.stocks(story["bloc"], D(2021, 1, 1))["members.age.51_60"] == 1
    end = engine.stocks(story["bloc"], D(2021, 3, 31))
    assert (end["members.total"], end["members.full"], end["members.probationary"]) == (4, 2, 2)
    assert (end["members.female"], end["members.exempt"]) == (2, 1)
    assert end["orgs.grassroots"] == 3  # Y tế, Giáo dục, Tư pháp
    assert (end["orgs.grassroots_committee"], end["orgs.grassroots_cell"]) == (2, 1)
    assert end["orgs.subordinate_cell"] == 2


def test_flows_of_the_bloc_over_the_quarter(story):
    flows = engine.flows(story["bloc"], Q1)
    assert flows["admissions"] == 1
    assert (flows["admissions.female"], flows["admissions.youth"]) == (1, 1)
    assert (flows["transfers.out"], flows["transfers.in"], flows["deaths"]) == (1, 1, 1)
    # the office moved inside the bloc: nobody moved in or out of it
    assert (flows["moved_in_with_org"], flows["moved_out_with_org"]) == (0, 0)
    assert flows["recognitions"] == 0
    assert flows["orgs.established"] == 0


@pytest.mark.parametrize(
    ("root", "start", "end", "moved_in", "moved_out"),
    [("bloc", 4, 4, 0, 0), ("health", 2, 0, 0, 1), ("education", 0, 2, 1, 0),
     ("justice", 2, 2, 0, 0), ("office", 1, 2, 0, 0)],
)  # fmt: skip
def test_the_balance_holds_in_every_subtree(story, root, start, end, moved_in, moved_out):
    opening = engine.stocks(story[root], Q1.day_before)["members.total"]
    closing = engine.stocks(story[root], Q1.end)["members.total"]
    flows = engine.flows(story[root], Q1)
    assert (opening, closing) == (start, end)
    assert (flows["moved_in_with_org"], flows["moved_out_with_org"]) == (moved_in, moved_out)
    check = engine.balance(opening, closing, flows)
    assert check.holds, check


def test_a_member_left_in_a_dissolved_cell_breaks_the_balance(story, system):
    """Members vanish without a flow when their cell ends under them: the check says so."""
    organization_services.organization_dissolve(
        scope=system,
        organization=story["inspect"],
        effective_date=D(2021, 1, 20),
        decision=decision(D(2021, 1, 15)),
    )
    opening = engine.stocks(story["health"], Q1.day_before)["members.total"]
    closing = engine.stocks(story["health"], Q1.end)["members.total"]
    check = engine.balance(opening, closing, engine.flows(story["health"], Q1))
    assert not check.holds
    assert check.expected_end == closing + 1


def test_breakdowns_add_up_to_the_total(story):
    end = D(2021, 3, 31)
    total = engine.stocks(story["bloc"], end)["members.total"]
    by_child = engine.members_by(story["bloc"], end, "child")
    assert by_child == {
        str(story["education"].pk): 2,  # An and Dung in the office, moved there
        str(story["justice"].pk): 2,  # Bình, Cường
    }
    for dimension in engine.DIMENSIONS:
        assert sum(engine.members_by(story["bloc"], end, dimension).values()) == total
    assert engine.members_by(story["bloc"], end, "sex") == {"male": 2, "female": 2}
    assert engine.members_by(story["bloc"], D(2020, 12, 31), "age_band") == {
        "le30": 1, "31_40": 1, "41_50": 1, "51_60": 1,
    }  # fmt: skip
    assert engine.members_by(story["bloc"], end, "ethnicity") == {"01": 3, "02": 1}


def test_conversions_are_told_by_their_types(story, system):
    organization_services.organization_convert(
        scope=system,
        organization=story["justice"],
        type=T.GRASSROOTS_COMMITTEE,
        effective_date=D(2021, 3, 20),
        decision=decision(D(2021, 3, 18)),
    )
    assert engine.conversions(story["bloc"], Q1) == {(T.GRASSROOTS_CELL, T.GRASSROOTS_COMMITTEE): 1}
    assert engine.flows(story["bloc"], Q1)["orgs.converted"] == 1


def test_every_figure_drills_down_to_as_many_rows(story):
    """The list behind each figure of the quarter has exactly as many rows as the figure."""
    checked = 0
    for root in ("bloc", "health", "education", "justice", "office"):
        figures = engine.stocks(story[root], Q1.end) | engine.flows(story[root], Q1)
        for code, value in figures.items():
            if code in ("starts.all", "ends.all"):
                continue
            kind = catalogue.indicator(code).kind
            listed = drilldown.items(
                story[root], code, at=Q1.end if kind == catalogue.STOCK else None, period=Q1
            )
            assert listed.rows.count() == value, (root, code)
            checked += 1
    assert checked > 150
    admitted = drilldown.items(story["bloc"], "admissions", period=Q1).rows
    assert [p.person.full_name for p in admitted] == ["Trần Thị Dung"]
    moved = drilldown.items(story["health"], "moved_out_with_org", period=Q1).rows
    assert [p.person.full_name for p in moved] == ["Nguyễn Văn An"]


@pytest.mark.parametrize("day", [D(2021, 1, 1), D(2021, 3, 31), D(2021, 4, 1)])
def test_an_exit_on_the_first_or_last_day_counts_in_its_own_period(system, tree, day):
    """A death on day T: counted on T-1, not on T; a flow of the period that holds T."""
    hoa = member(system, tree["justice"], "Đoàn Thị Hoa", D(2015, 6, 1), birth_year=1970)
    lifecycle.member_death(scope=system, person=hoa, effective_date=day, decision=None)
    for code in ("2021-Q1", "2021-Q2"):
        period = parse_period(code)
        flows = engine.flows(tree["justice"], period)
        inside = period.start <= day <= period.end
        assert flows["deaths"] == (1 if inside else 0), (code, day)
        opening = engine.stocks(tree["justice"], period.day_before)["members.total"]
        closing = engine.stocks(tree["justice"], period.end)["members.total"]
        assert engine.balance(opening, closing, flows).holds, (code, day)


def test_members_moving_with_cells_into_a_new_committee_and_out_of_a_merged_one(system, tree):
    """01/01/2021 (the quarter's first day): Đảng bộ Sở Nội vụ is formed taking the inspection
    cell with Khoa; 01/03/2021: the health committee is merged into it, its office cell with
    Lan moving over, and health ends. Neither committee existed on both ends of the quarter,
    and every member crossed a boundary with a cell, not by a transfer."""
    lan = member(system, tree["office"], "Võ Thị Lan", D(2015, 5, 19), sex="female")
    khoa = member(system, tree["inspect"], "Đinh Văn Khoa", D(2016, 9, 2))
    interior = organization_services.organization_establish(
        scope=system,
        spec=organization_services.NewOrganization(
            code="BD.NV",
            name="Đảng bộ Sở Nội vụ",
            type=T.GRASSROOTS_COMMITTEE,
            parent=tree["bloc"],
            children=[tree["inspect"]],
        ),
        effective_date=D(2021, 1, 1),
        decision=decision(D(2020, 12, 20)),
    )
    organization_services.organization_merge(
        scope=system,
        sources=[tree["health"]],
        into=interior,
        effective_date=D(2021, 3, 1),
        decision=decision(D(2021, 2, 20)),
    )
    expected = {  # root: (start, end, moved in, moved out)
        interior: (0, 2, 2, 0),
        tree["health"]: (2, 0, 0, 2),
        tree["bloc"]: (2, 2, 0, 0),  # both moves stay inside the bloc
    }
    for root, (start, end, moved_in, moved_out) in expected.items():
        opening = engine.stocks(root, Q1.day_before)["members.total"]
        closing = engine.stocks(root, Q1.end)["members.total"]
        flows = engine.flows(root, Q1)
        assert (opening, closing) == (start, end), root
        assert (flows["moved_in_with_org"], flows["moved_out_with_org"]) == (moved_in, moved_out)
        assert engine.balance(opening, closing, flows).holds, root
    moved_in = drilldown.items(interior, "moved_in_with_org", period=Q1).rows
    assert sorted(p.person.full_name for p in moved_in) == ["Võ Thị Lan", "Đinh Văn Khoa"]
    assert {
        p.person for p in drilldown.items(tree["health"], "moved_out_with_org", period=Q1).rows
    } == {lan, khoa}


def test_received_and_recognised_the_same_day_counts_as_a_transfer_in(system, tree):
    """Mai's 12 months end on 01/03/2021, the day the justice cell receives her: her one
    placement there starts with the transfer in, so both cells balance."""
    mai = member(system, tree["office"], "Lý Thị Mai", D(2020, 3, 1), recognised=False)
    lifecycle.member_transfer_out(
        scope=system, person=mai, to=tree["justice"], effective_date=D(2021, 2, 10)
    )
    lifecycle.member_transfer_in(scope=system, person=mai, effective_date=D(2021, 3, 1))
    lifecycle.member_recognize(scope=system, person=mai, decision=decision(D(2021, 3, 5)))
    (placement,) = mai.periods.filter(organization=tree["justice"])
    assert (placement.valid_from, placement.start_reason) == (D(2021, 3, 1), "transfer_in")
    assert placement.status == "full"
    for root, transfers in ((tree["justice"], (1, 0)), (tree["office"], (0, 1))):
        flows = engine.flows(root, Q1)
        assert (flows["transfers.in"], flows["transfers.out"]) == transfers
        opening = engine.stocks(root, Q1.day_before)["members.total"]
        closing = engine.stocks(root, Q1.end)["members.total"]
        assert engine.balance(opening, closing, flows).holds, root


@pytest.mark.parametrize(
    "code", ["2021-Q1", "2020-Q4", "2021-H1", "2009", "2021-02-01..2021-02-28"]
)
def test_the_whole_set_in_one_statement_equals_stocks_and_flows(story, code):
    period = parse_period(code)
    for root in ("bloc", "health", "education", "office", "justice"):
        expected = engine.stocks(story[root], period.end) | engine.flows(story[root], period)
        assert engine.figures(story[root], period) == expected, (root, code)
