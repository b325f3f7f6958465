"""The dashboard: the scope's figures of today, this quarter and this year against the targets,
the charts and the week's work lists, in a fixed number of queries whatever the data."""

import datetime as dt

import pytest

from dangvu.access.models import Role
from dangvu.members import lifecycle
from dangvu.organizations import services as organization_services
from dangvu.organizations.models import OrganizationType as T
from dangvu.planning.services import target_set
from dangvu.statistics import engine
from dangvu.statistics.periods import parse_period
from dangvu.web import dashboard
from tests.conftest import decision, establish
from tests.members.people import add_person

D = dt.date
TODAY = D(2021, 3, 20)
ONE_WEEK = dt.timedelta(days=7)
MAX_QUERIES = 14  # under 15 (issue 5), whatever the number of members


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr("dangvu.core.clock.today", lambda: TODAY)
    return TODAY


def admitted(system, cell, name, ceremony, *, recognised_on=None, **extra):
    person = add_person(system, cell, name, **extra)
    lifecycle.member_admit(
        scope=system,
        person=person,
        ceremony_date=ceremony,
        decision=decision(ceremony - dt.timedelta(days=10)),
    )
    if recognised_on:
        lifecycle.member_recognize(scope=system, person=person, decision=decision(recognised_on))
    return person


@pytest.fixture
def bloc(system, tree):
    """Five members of the bloc at 20/03/2021: two admitted this quarter, one in 2020 (still
    probationary), two long-standing; an admission target of 10 for 2021."""
    admitted(system, tree["office"], "Nguyễn Văn An", D(2010, 5, 1), recognised_on=D(2011, 5, 2))
    admitted(system, tree["justice"], "Lê Thị Bình", D(2012, 1, 5), recognised_on=D(2013, 1, 6),
             sex="female")  # fmt: skip
    admitted(system, tree["inspect"], "Trần Văn Cường", D(2020, 4, 2))
    admitted(system, tree["office"], "Phạm Thị Dung", D(2021, 1, 15), sex="female")
    admitted(system, tree["justice"], "Hoàng Văn Em", D(2021, 2, 20), birth_year=1999)
    target_set(scope=system, organization=tree["bloc"], year=2021, indicator="admissions", value=10)
    return tree


@pytest.fixture
def bloc_user(bloc, make_user):
    return make_user("khoi", bloc["bloc"], Role.ADMINISTRATOR, first_name="Khối")


def html(client, url="/") -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_dashboard_shows_the_stocks_of_today(bloc_user, client_for):
    page = html(client_for(bloc_user))
    assert "<h1>Đảng bộ Khối các cơ quan tỉnh</h1>" in page
    assert "Số liệu đến hết ngày 20/03/2021" in page
    for value, label in ((5, "Tổng số đảng viên"), (2, "Đảng viên chính thức"),
                         (3, "Đảng viên dự bị"), (2, "Đảng viên nữ")):  # fmt: skip
        assert f'<span class="stat-value">{value}</span><span class="stat-label">{label}' in page


def test_flows_of_the_quarter_and_the_year_against_the_target(bloc_user, client_for):
    page = html(client_for(bloc_user))
    assert "Kết nạp đảng viên năm 2021 so với chỉ tiêu" in page  # the catalogue's label
    assert "<strong>2/10 (20,00%)</strong>" in page
    assert 'aria-valuenow="2"' in page and 'style="width: 20.0%"' in page
    assert "Quý I năm 2021" in page


def test_the_figures_are_the_engines(bloc):
    """The dashboard's own aggregates agree with engine.stocks and engine.flows."""
    board = dashboard.dashboard(bloc["bloc"].versions.get(), TODAY)
    quarter = engine.flows(bloc["bloc"], parse_period("2021-Q1"))
    for code in (*dashboard.INFLOWS, *dashboard.OUTFLOWS):
        assert board.quarter_flows[code] == quarter[code], code
    stocks = engine.stocks(bloc["bloc"], TODAY)
    assert {c: board.stocks[c] for c in dashboard.STOCKS} == {
        c: stocks[c] for c in dashboard.STOCKS
    }
    days = dashboard.quarter_ends(TODAY, dashboard.CHART_QUARTERS)
    assert days[0] == D(2019, 3, 31) and days[-1] == D(2020, 12, 31) and len(days) == 8
    points = engine.members_on(bloc["bloc"], days)  # the series the dashboard draws
    assert points == [(day, engine.stocks(bloc["bloc"], day)["members.total"]) for day in days]
    assert [n for _, n in points] == [2, 2, 2, 2, 2, 3, 3, 3]


def test_the_charts_are_inline_svg(bloc_user, client_for):
    page = html(client_for(bloc_user))
    assert page.count("<svg") == 2
    assert 'aria-label="Số đảng viên cuối mỗi quý"' in page


def test_the_dashboard_takes_a_fixed_number_of_queries(
    system, bloc, bloc_user, client_for, django_assert_max_num_queries, django_assert_num_queries
):
    client = client_for(bloc_user)
    html(client)  # the engine compiles its statements once per process: not counted here
    admitted(system, bloc["inspect"], "Đặng Văn Tư", D(2021, 3, 1))
    with django_assert_max_num_queries(MAX_QUERIES) as small:
        html(client)
    print(f"dashboard: {len(small.captured_queries)} queries")
    for n in range(12):  # more members, more cells' worth of data: the same queries
        admitted(system, bloc["inspect"], f"Đặng Văn Tư {n}", D(2021, 3, 2 + n))
    with django_assert_num_queries(len(small.captured_queries)):
        page = html(client)
    assert "<strong>15/10 (150,00%)</strong>" in page  # the cache followed the writes
    with django_assert_max_num_queries(6):  # unchanged data: the figures come from the cache
        html(client)


def test_the_work_lists_are_counted(
    system, bloc, bloc_user, client_for, django_assert_max_num_queries
):
    client = client_for(bloc_user)
    page = html(client)
    assert 'hx-get="/tong-quan/viec-can-lam/?to-chuc=BD.DUK"' in page
    with django_assert_max_num_queries(MAX_QUERIES):
        fragment = client.get("/tong-quan/viec-can-lam/?to-chuc=BD.DUK", HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    assert "<html" not in text  # a fragment for htmx
    assert "Sắp hết thời kỳ dự bị" in text
    # Cường's 12 months end on 02/04/2021: within 60 days of 20/03
    assert '<span class="count">1</span>' in text
    assert "Huy hiệu Đảng đợt 19/05/2021" in text
    people = html(client, "/tong-quan/viec-can-lam/du-bi-sap-het/?to-chuc=BD.DUK")
    assert "Trần Văn Cường" in people and "Nguyễn Văn An" not in people
    assert "<html" in html(client, "/tong-quan/viec-can-lam/?to-chuc=BD.DUK")  # without htmx


def test_a_user_of_one_cell_sees_that_cell_only(bloc, make_user, client_for):
    user = make_user("chibo", bloc["justice"], Role.EDITOR)
    client = client_for(user)
    page = html(client)
    assert "<h1>Chi bộ Sở Tư pháp</h1>" in page
    assert '<span class="stat-value">2</span><span class="stat-label">Tổng số đảng viên' in page
    assert client.get("/?to-chuc=BD.DUK").status_code == 404
    assert client.get("/tong-quan/viec-can-lam/?to-chuc=BD.YT").status_code == 404


def test_a_user_with_two_grants_picks_the_organisation(bloc, make_user, client_for):
    from dangvu.access.models import Grant

    user = make_user("hai", bloc["justice"], Role.EDITOR)
    Grant.objects.create(user=user, organization=bloc["health"], role=Role.VIEWER)
    client = client_for(user)
    page = html(client)
    assert '<option value="BD.TP"' in page and '<option value="BD.YT"' in page
    assert "<h1>Đảng bộ Sở Y tế</h1>" in html(client, "/?to-chuc=BD.YT")


MAY = D(2021, 5, 20)  # in the second quarter: the quarter's and the year's flows differ


@pytest.fixture
def moving(db, system, monkeypatch, today):
    """The bloc on 20/05/2021 (organisations since 1980, for admissions of 1991): Thành (museum) and
    Hạnh (justice), admitted in 1991, proposed for their 30-year badge on 03/02 and 19/05/2021;
    the tourism company's cell (Lan, Minh) moves from the city into the bloc on 01/03/2021,
    and the museum (Thành, Sơn) from the bloc to the city on 15/04/2021."""
    monkeypatch.setattr("dangvu.core.clock.today", lambda: MAY)
    old = D(1980, 1, 1)
    province = establish(system, "BD", "Đảng bộ tỉnh Bình Định", T.PROVINCIAL_COMMITTEE, day=old)
    bloc = establish(system, "BD.DUK", "Đảng bộ Khối các cơ quan tỉnh", T.UPPER_COMMITTEE,
                     province, day=old)  # fmt: skip
    city = establish(system, "BD.QN", "Đảng bộ thành phố Quy Nhơn", T.UPPER_COMMITTEE, province,
                     day=old)  # fmt: skip
    justice = establish(system, "BD.TP", "Chi bộ Sở Tư pháp", T.GRASSROOTS_CELL, bloc, day=old)
    museum = establish(system, "BD.BT", "Chi bộ Bảo tàng tỉnh", T.GRASSROOTS_CELL, bloc, day=old)
    tourism = establish(system, "BD.QN.DL", "Chi bộ Công ty Du lịch", T.GRASSROOTS_CELL, city,
                        day=old)  # fmt: skip
    veterans = {}
    for key, cell, name, decided in (("thanh", museum, "Hoàng Văn Thành", D(1991, 2, 3)),
                                     ("hanh", justice, "Trần Thị Hạnh", D(1991, 5, 19))):  # fmt: skip
        person = add_person(system, cell, name, birth_year=1960)
        lifecycle.member_admit(scope=system, person=person, ceremony_date=decided + ONE_WEEK,
                               decision=decision(decided))  # fmt: skip
        lifecycle.member_recognize(
            scope=system, person=person, decision=decision(decided.replace(year=1992) + ONE_WEEK)
        )
        veterans[key] = person
    admitted(system, museum, "Lê Văn Sơn", D(2010, 5, 1), recognised_on=D(2011, 5, 2))
    admitted(system, tourism, "Phạm Thị Lan", D(2015, 3, 1), recognised_on=D(2016, 3, 2))
    admitted(system, tourism, "Võ Văn Minh", D(2015, 6, 1), recognised_on=D(2016, 6, 2))
    for person, award_day in (
        (veterans["thanh"], D(2021, 2, 3)),
        (veterans["hanh"], D(2021, 5, 19)),
    ):
        lifecycle.member_badge_propose(
            scope=system, person=person, effective_date=award_day,
            decision=decision(award_day, "15-TTr/ĐU", "Đảng ủy Khối"),
            details={"milestone": 30},
        )  # fmt: skip
    for cell, parent, day in ((tourism, bloc, D(2021, 3, 1)), (museum, city, D(2021, 4, 15))):
        organization_services.organization_move(
            scope=system, organization=cell, parent=parent, effective_date=day,
            decision=decision(day - ONE_WEEK),
        )  # fmt: skip
    return bloc


def test_badges_and_members_moved_with_their_organisation(moving):
    """Q1: Thành's badge, Lan and Minh moved in; Q2 so far: Hạnh's badge, Thành and Sơn moved
    out (the museum left). The dashboard's figures are the engine's for each quarter."""
    board = dashboard.dashboard(moving.versions.get(), MAY)
    assert board.quarter.code == "2021-Q2"
    flows = ("badges.total", "moved_in_with_org", "moved_out_with_org")
    assert [board.quarter_flows[c] for c in flows] == [1, 0, 2]
    assert [board.year_flows[c] for c in flows] == [2, 2, 2]
    q1, q2 = (
        engine.flows(moving, parse_period("2021-Q1")),
        engine.flows(moving, parse_period("2021-Q2")),
    )
    assert [q1[c] for c in flows] == [1, 2, 0] and [q2[c] for c in flows] == [1, 0, 2]
    for code in dashboard.FLOWS:  # every flow of the table: this quarter's and the two summed
        assert board.quarter_flows[code] == q2[code], code
        assert board.year_flows[code] == q1[code] + q2[code], code
    assert board.stocks["members.total"] == 3
    # Hạnh, Lan and Minh today; at the end of Q1 the museum was still in the bloc, the tourism
    # company's cell too: five members (the chart's last point)
    assert engine.members_on(moving, [D(2020, 12, 31), D(2021, 3, 31)]) == [
        (D(2020, 12, 31), 3),
        (D(2021, 3, 31), 5),
    ]
    rows = {label: (q, y, kind) for label, q, y, kind in board.flow_rows()}
    assert rows["Huy hiệu Đảng"] == (1, 2, "other")
    assert rows["Chuyển đến theo tổ chức"] == (0, 2, "in")
    assert rows["Chuyển đi theo tổ chức"] == (2, 2, "out")


def test_the_table_shows_badges_and_moves(moving, make_user, client_for):
    page = html(client_for(make_user("khoi", moving, Role.ADMINISTRATOR)))
    cells = '</td><td class="num">{}</td><td class="num">{}</td></tr>'
    assert " Huy hiệu Đảng" + cells.format(1, 2) in page  # no tag: neither in nor out
    assert (
        '<span class="tag tag-ok">tăng</span> Chuyển đến theo tổ chức' + cells.format(0, 2) in page
    )
    assert (
        '<span class="tag tag-bad">giảm</span> Chuyển đi theo tổ chức' + cells.format(2, 2) in page
    )
