"""What the member-page tests share (no test here): real people in the small province of
tests/conftest.py, and the users of its cells."""

import datetime as dt

import pytest

from dangvu.access.models import Role
from dangvu.members import lifecycle
from dangvu.members.rules import add_months
from tests.conftest import decision
from tests.members.people import add_person

D = dt.date
FAMILIES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
            "Đỗ", "Hồ", "Ngô", "Dương", "Lý")  # fmt: skip
MIDDLES = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc", "Thu", "Xuân")
GIVENS = ("Bình", "Cường", "Dũng", "Đạt", "Giang", "Hà", "Hải", "Hạnh", "Hòa", "Hùng", "Khánh",
          "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo",
          "Trang", "Tuấn", "Uyên", "Vinh", "Yến")  # fmt: skip
THEORY = ("", "elementary", "intermediate", "advanced")


def admit(scope, person, ceremony: dt.date, *, recognise: bool = True):
    """Admitted at `ceremony` (decided two weeks before), recognised at the end of probation."""
    lifecycle.member_admit(
        scope=scope,
        person=person,
        ceremony_date=ceremony,
        decision=decision(ceremony - dt.timedelta(days=14), "12-QĐ/ĐU", "Đảng ủy Khối"),
    )
    if recognise:
        lifecycle.member_recognize(
            scope=scope,
            person=person,
            decision=decision(add_months(ceremony, 12) + dt.timedelta(days=10), "40-QĐ/ĐU"),
        )
    person.refresh_from_db()
    return person


def people(scope, cell, count: int, *, start: int = 0):
    """`count` members of `cell` with real Vietnamese names, both sexes, ages from 25 to 72,
    full or probationary."""
    made = []
    for i in range(start, start + count):
        middle = MIDDLES[(i * 3) % len(MIDDLES)]
        name = f"{FAMILIES[i % len(FAMILIES)]} {middle} {GIVENS[(i * 7) % len(GIVENS)]}"
        female = middle == "Thị" or i % 3 == 0
        born = 1954 + (i * 5) % 47
        person = add_person(
            scope,
            cell,
            name,
            birth_year=born,
            birth_month=1 + i % 12,
            sex="female" if female else "male",
            political_theory=THEORY[i % len(THEORY)],
        )
        ceremony = D(max(2010, min(born + 20 + i % 8, 2023)), 1 + i % 12, 10)
        made.append(admit(scope, person, ceremony, recognise=i % 5 != 4))
    return made


@pytest.fixture
def office_user(tree, make_user):
    return make_user("vanphong", tree["office"], Role.EDITOR, first_name="Hoa", last_name="Lê")


@pytest.fixture
def justice_user(tree, make_user):
    return make_user("tuphap", tree["justice"], Role.EDITOR, first_name="Minh", last_name="Trần")


@pytest.fixture
def bloc_approver(tree, make_user):
    return make_user("khoi", tree["bloc"], Role.APPROVER, first_name="Sơn", last_name="Phạm")


@pytest.fixture
def an(system, tree):
    """Nguyễn Văn An, full member of the office cell since 2012."""
    person = add_person(
        system, tree["office"], "Nguyễn Văn An", birth_year=1980, birth_month=5, birth_day=19,
        sex="male", hometown="xã Phước Sơn, huyện Tuy Phước, tỉnh Bình Định",
        qualification="Cử nhân Luật", political_theory="intermediate", job_position="Chánh Văn phòng",
    )  # fmt: skip
    return admit(system, person, D(2012, 2, 3))


@pytest.fixture
def crowd(system, tree):
    """A few dozen members in the three cells."""
    return (
        people(system, tree["office"], 14)
        + people(system, tree["inspect"], 10, start=14)
        + people(system, tree["justice"], 12, start=24)
    )
