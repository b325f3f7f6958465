"""The demo members (`dangvu demo`): the scenario's member figures from the statistics engine,
figures that reconcile in every subtree, files that are a projection of their events, and the
same content on every run."""

import datetime as dt
import io
import random
import unicodedata
from collections import Counter

import pytest
from django.db import transaction

from dangvu.demo import build
from dangvu.demo import members as demo_members
from dangvu.members.events import MemberEventKind as E
from dangvu.members.identity import check_citizen_id
from dangvu.members.lifecycle import PROJECTION, person_state
from dangvu.members.models import MemberEvent, MembershipPeriod, Person
from dangvu.members.reference import ETHNICITIES, KINH, RELIGIONS
from dangvu.organizations.models import OPEN_END, OrganizationVersion
from dangvu.organizations.models import OrganizationType as T
from dangvu.reports.assembly import build_report, to_json, to_sheets
from dangvu.statistics import engine
from dangvu.statistics.periods import parse_period

D = dt.date
Q1 = parse_period("2021-Q1")
GRASSROOTS = (T.GRASSROOTS_COMMITTEE, T.GRASSROOTS_CELL)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # one build (~25 s) and ~150 balances


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """One build for the module, rolled back at its end (as in test_demo.py)."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        result = build(out)
        yield result, out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def tree(demo):
    return demo[0].tree


def check_balance(root, period) -> None:
    opening = engine.stocks(root, period.day_before)["members.total"]
    closing = engine.stocks(root, period.end)["members.total"]
    check = engine.balance(opening, closing, engine.flows(root, period))
    assert check.holds, (root.name, period.code, check)


def formed_with_cells(organization, period) -> bool:
    """Formed in the period taking over existing cells with their members (the 2017 split):
    their members move in with the cells (test_members_moving_in_with_cells_into_a_new_committee)."""
    day = organization.established_on
    return period.start <= day <= period.end and (
        OrganizationVersion.objects.filter(parent=organization, valid_from=day)
        .exclude(organization__established_on=day)
        .exists()
    )


def grassroots_during(period):
    versions = OrganizationVersion.objects.filter(
        valid_from__lte=period.end, valid_to__gt=period.start, type__in=GRASSROOTS
    ).select_related("organization")
    return list({v.organization_id: v.organization for v in versions}.values())


# the scenario ------------------------------------------------------------------------------------
def test_the_bloc_has_5016_members_on_31_march_2021(tree):
    stocks = engine.stocks(tree.bloc, Q1.end)
    assert stocks["members.total"] == 5016
    assert stocks["members.full"] + stocks["members.probationary"] == 5016
    assert 0.40 <= stocks["members.female"] / 5016 <= 0.50
    assert 0.02 <= stocks["members.ethnic_minority"] / 5016 <= 0.05
    assert 0 < stocks["members.religious"] < 5016 * 0.12
    assert stocks["members.exempt"] > 0
    assert sum(stocks[f"members.age.{b}"] for b in ("le30", "31_40", "41_50", "51_60",
                                                     "61_70", "gt70")) == 5016  # fmt: skip


def test_q1_2021_admits_39_recognises_51_and_proposes_three_30_year_badges(tree):
    flows = engine.flows(tree.bloc, Q1)
    assert flows["admissions"] == 39
    assert flows["recognitions"] == 51
    assert flows["badges.30"] == 3


def test_the_q1_2021_review_report_of_the_bloc_states_the_scenario(tree):
    """The periodic report's narrative (reports.assembly) says what the scenario says."""
    report = build_report(tree.bloc, Q1)
    text = " ".join(report.narrative)
    assert report.published
    assert (
        "Trong quý I năm 2021, Đảng bộ Khối các cơ quan tỉnh đã kết nạp 39 quần chúng ưu tú" in text
    )
    assert "công nhận 51 đảng viên dự bị thành đảng viên chính thức" in text
    assert "đề nghị tặng Huy hiệu 30 năm tuổi Đảng cho 03 đồng chí" in text
    assert "kiện toàn cấp ủy 08 tổ chức đảng" in text
    assert "chuyển 01 chi bộ cơ sở thành đảng bộ cơ sở" in text
    assert (
        "có 76 tổ chức cơ sở đảng (44 đảng bộ cơ sở, 32 chi bộ cơ sở) với 5.016 đảng viên" in text
    )
    data = to_json(report)
    assert (data["indicators"]["orgs.grassroots"], data["indicators"]["members.total"]) == (
        76,
        5016,
    )
    sheets = to_sheets(report)
    assert sheets[0].rows[0] == ["Tổng số đảng viên", 5016, report.previous["members.total"]]


def test_the_report_states_the_member_figures(demo):
    text = demo[1]
    assert "ngày 31/03/2021: 5.016 đảng viên" in text
    assert "kết nạp 39 đảng viên, công nhận 51 đảng viên chính thức" in text
    assert "Huy hiệu 30 năm tuổi Đảng cho 03 đồng chí" in text


def test_the_three_badges_go_to_members_admitted_by_early_1991_without_gaps(tree):
    proposals = MemberEvent.objects.filter(
        kind=E.BADGE_PROPOSAL, effective_date__range=(Q1.start, Q1.end), details__milestone=30
    )
    assert proposals.count() == 3
    for proposal in proposals.select_related("person"):
        admitted = proposal.person.admission_decision_date
        assert admitted <= D(1991, 1, 15)
        assert proposal.person.party_age_from == admitted  # no gaps


# figures reconcile ------------------------------------------------------------------------------
@pytest.mark.parametrize("year", range(2009, 2025))
def test_the_balance_holds_for_the_bloc_every_quarter_and_year(tree, year):
    for code in (f"{year}-Q1", f"{year}-Q2", f"{year}-Q3", f"{year}-Q4", str(year)):
        check_balance(tree.bloc, parse_period(code))


@pytest.mark.parametrize(
    "code", ["2021-Q1", "2016-Q2", "2017-Q1", "2017-Q3", "2018-Q3", "2019-Q2", "2020-Q1",
             "2022-Q2", "2023-Q3", "2025-Q1", "2017", "2024"],
)  # fmt: skip
def test_the_balance_holds_for_every_grassroots_organisation(tree, code):
    period = parse_period(code)
    organizations = list(grassroots_during(period))
    assert len(organizations) > 30, code  # the check below is not vacuous
    for organization in organizations:
        check_balance(organization, period)


def test_the_balance_holds_for_the_province_since_the_blocs(tree):
    for code in ("2000", "2008-Q2", "2017", "2025-Q1", "2025-Q2"):
        check_balance(tree.province, parse_period(code))


def test_members_moving_in_with_cells_into_a_new_committee(tree):
    """Đảng bộ Sở Văn hóa và Thể thao was formed on 01/01/2017 taking five cells of the split
    committee with their members: 0 at the start, ~90 at the end, and no inflow counted."""
    culture = tree.by_code["BD.SVHTT"]
    period = parse_period("2017-Q1")
    assert formed_with_cells(culture, period)
    check_balance(culture, period)


def test_no_member_is_left_in_an_organisation_that_ended():
    """Every period lies in a cell while the cell is one (from when the blocs took the cells
    over: before, the records hold the admission only)."""
    plan_tree = demo_members.Tree()
    for organization_id, start, end in MembershipPeriod.objects.values_list(
        "organization_id", "valid_from", "valid_to"
    ):
        spans = plan_tree.intervals[organization_id]
        start = max(start, spans[0][0])
        end = min(end, demo_members.HORIZON)
        assert any(a <= start and end <= b for a, b in spans), (organization_id, start, end)


def test_restructuring_moves_members_to_the_successor_the_same_day(tree):
    hospital = tree.psychiatric_hospital
    day = D(2021, 2, 25)
    outs = MemberEvent.objects.filter(
        kind=E.TRANSFER_OUT, organization=hospital, effective_date=day
    )
    assert outs.count() > 0
    received = MemberEvent.objects.filter(
        kind=E.TRANSFER_IN, effective_date=day, person__in=outs.values("person")
    )
    assert received.count() == outs.count()
    cells = OrganizationVersion.objects.filter(parent=hospital, valid_from=day)
    assert set(received.values_list("organization_id", flat=True)) <= set(
        cells.values_list("organization_id", flat=True)
    )
    assert not MembershipPeriod.objects.filter(organization=hospital, valid_to__gt=day).exists()


# files are projections of their events -------------------------------------------------------
def test_cached_columns_and_periods_equal_a_fresh_replay():
    ids = sorted(Person.objects.values_list("id", flat=True))
    for pk in random.Random(7).sample(ids, 300):
        person = Person.objects.get(pk=pk)
        state = person_state(person)
        for name in PROJECTION:
            if name == "organization_id" and state.organization_id is None:
                continue
            assert getattr(person, name) == getattr(state, name), (person, name)
        stored = list(
            person.periods.order_by("valid_from").values_list(
                "organization_id", "status", "exempt", "valid_from", "valid_to", "start_reason",
                "end_reason",
            )
        )  # fmt: skip
        replayed = [
            (p.organization_id, p.status, p.exempt, p.valid_from, p.valid_to, p.start_reason,
             p.end_reason)
            for p in state.periods
        ]  # fmt: skip
        assert stored == replayed, person


def test_the_history_spans_the_decades_with_every_kind_of_event():
    kinds = Counter(MemberEvent.objects.values_list("kind", flat=True))
    for kind in (E.ADMISSION, E.RECOGNITION, E.RECOGNITION_REFUSED, E.TRANSFER_OUT,
                 E.TRANSFER_IN, E.DEATH, E.STRUCK_OFF, E.EXEMPTION, E.DISCIPLINE,
                 E.BADGE_PROPOSAL, E.BADGE_AWARD):  # fmt: skip
        assert kinds[kind] > 0, kind
    assert kinds[E.TRANSFER_OUT] == kinds[E.TRANSFER_IN]
    assert kinds[E.RECOGNITION] > 0.9 * kinds[E.ADMISSION]
    years = set(
        MemberEvent.objects.filter(kind=E.ADMISSION).values_list("effective_date__year", flat=True)
    )
    assert min(years) < 1985 and max(years) == 2026
    admissions = MemberEvent.objects.filter(kind=E.ADMISSION)
    assert all(e.details.get("decision_date") for e in admissions[:200])
    assert not admissions.filter(decision__isnull=True).exists()
    assert MemberEvent.objects.count() > 15000


def test_admission_ages_are_realistic():
    ages = []
    for person in Person.objects.exclude(admission_decision_date=None).only(
        "birth_year", "admission_decision_date"
    ):
        ages.append(person.admission_decision_date.year - person.birth_year)
    assert min(ages) >= 18
    inside = sum(18 <= a <= 46 for a in ages)
    assert inside / len(ages) > 0.97


# the files ---------------------------------------------------------------------------------------
def test_names_are_vietnamese_with_diacritics():
    names = list(Person.objects.values_list("full_name", "family_name", "sex"))
    assert len(names) > 5000
    accented = sum(unicodedata.normalize("NFD", n) != n for n, _, _ in names)
    assert accented / len(names) > 0.9
    families = Counter(family for _, family, _ in names)
    assert families.most_common(1)[0][0] == "Nguyễn"
    for family in ("Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng", "Bùi", "Đỗ", "Hồ"):
        assert families[family] > 0, family
    for full, family, _ in names:
        assert 3 <= len(full.split()) <= 4, full
        assert full.startswith(family)
    women = [full for full, _, sex in names if sex == "female"]
    assert 0.40 <= len(women) / len(names) <= 0.50
    assert sum(" Thị " in f for f in women) > len(women) / 2
    assert Person.objects.filter(birth_month=None).exists()  # old files: the year only
    assert Person.objects.exclude(ethnicity=KINH).count() > 0


def test_reference_fields_come_from_the_lists():
    ethnicities, religions = {c for c, _ in ETHNICITIES}, {c for c, _ in RELIGIONS}
    values = Person.objects.values_list("ethnicity", "religion", "political_theory")
    assert {e for e, _, _ in values} <= ethnicities
    assert {r for _, r, _ in values} <= religions
    assert {t for _, _, t in values} >= {"elementary", "intermediate", "advanced"}
    assert not Person.objects.filter(qualification="").exists()
    assert not Person.objects.filter(general_education="").exists()


def test_citizen_ids_are_valid_and_unique():
    rows = list(Person.objects.values_list("citizen_id", "birth_year", "sex"))
    numbers = [number for number, _, _ in rows if number]
    assert len(numbers) > 0.8 * len(rows)
    assert len(set(numbers)) == len(numbers)
    for number, year, sex in rows:
        if number:
            assert check_citizen_id(number, birth_year=year, sex=sex) == number


# determinism -------------------------------------------------------------------------------------
def content(lives) -> Counter:
    return Counter(
        (life.fields["full_name"], life.birth, life.fields["citizen_id"],
         tuple((e.kind, e.day) for e in life.events))
        for life in lives
    )  # fmt: skip


@pytest.mark.usefixtures("tree")
def test_two_plans_are_the_same_and_match_the_database():
    first, second = demo_members.plan(), demo_members.plan()
    assert content(first) == content(second)
    files = Person.objects.filter(candidacies=None)  # the candidates' files come from elsewhere
    stored = Counter(files.values_list("full_name", "citizen_id"))
    assert stored == Counter(
        (life.fields["full_name"], life.fields["citizen_id"]) for life in first
    )
    assert MemberEvent.objects.count() == sum(len(life.events) for life in first)


def test_events_lie_before_the_horizon_and_transfers_are_received_in_time():
    assert not MemberEvent.objects.filter(effective_date__gt=demo_members.HORIZON).exists()
    assert not Person.objects.filter(transfer_to__isnull=False).exists()
    assert (
        MembershipPeriod.objects.filter(valid_to=OPEN_END).count()
        == Person.objects.filter(status__in=("probationary", "full")).count()
    )
