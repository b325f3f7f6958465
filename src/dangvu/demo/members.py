"""The demonstration members: about 6,000 personal files with their lifecycle since the 1970s.

The plan is made in memory from the organisation tree already written (`organizations.build`):
members admitted in the cells that existed then, recognised at the end of probation (a few
struck off instead), transferred between cells, exempted when old, disciplined, struck off,
dying, proposed for and awarded the Party badge at their milestones. When a cell ends under
its members (dissolved, merged, split, turned into a committee) they are transferred the same
day to its successor; a cell that only moves keeps them. Founding members of a cell formed
later come from other cells by transfer. The first quarter of 2021 reproduces the scenario
(`shared/scenarios/bloc-2021-q1.md`) exactly for the bloc: 39 admissions, 51 recognitions,
3 proposals of the 30-year badge and 5,016 members on 31/03/2021.

Every person's events are replayed with `members.history.replay` (the rules of each date, the
validator the services use) and the cached columns and membership periods are its projection;
then persons, decisions, events and periods are bulk-inserted. The records before a bloc was
formed (1997 and 1999) hold the admission only: cells are not in the tree before then.

Deterministic: a seeded generator and fixed lists; only ids and recording times differ.
"""

import bisect
import dataclasses
import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max

from dangvu.access.audit import audit_record
from dangvu.core.bulk import insert_rows as _insert
from dangvu.core.models import Decision
from dangvu.core.names import sort_key, split_name
from dangvu.members import rules
from dangvu.members.events import MemberEventKind as E
from dangvu.members.history import MemberState, replay
from dangvu.members.history import ReplayEvent as _Event
from dangvu.members.identity import check_citizen_id
from dangvu.members.lifecycle import PROJECTION
from dangvu.members.models import MemberEvent, MembershipPeriod, Person
from dangvu.members.parameters import Parameters
from dangvu.members.parameters import parameters_reader as cached_parameters
from dangvu.members.services import CELL_TYPES, search_text
from dangvu.organizations.models import OPEN_END, EventKind, OrganizationEvent, OrganizationVersion
from dangvu.organizations.models import OrganizationType as T

from . import organizations as orgs
from .organizations import Issuer

D = dt.date
ONE_DAY = dt.timedelta(days=1)
SEED = 1930
HORIZON = D(2026, 6, 30)  # the last day of the demo's history
FOUNDING_DAYS = (D(1997, 6, 1), D(1999, 9, 1))  # the two blocs, with the cells they took over

# The scenario (bloc, 2021-Q1).
Q1_2021 = (D(2021, 1, 1), D(2021, 3, 31))
Q1_2020 = (D(2020, 1, 1), D(2020, 3, 31))
TARGET_TOTAL = 5016
TARGET_ADMISSIONS = 39
TARGET_RECOGNITIONS = 51
REFUSED_IN_Q1_2020 = 1
TARGET_BADGES_30 = 3
# 30 years reached between these days: proposed on 15/01/2021, for the award of 03/02/2021
BADGE_30_WINDOW = (D(1990, 10, 6), D(1991, 1, 15))
BADGE_30_AVOID = (D(1990, 9, 1), D(1991, 2, 28))  # no other first admission near the window

ADMISSION_RATE = 0.034  # admissions a year per member on 1 January
INITIAL_PER_CELL = 12.5  # members of a cell when its bloc was formed

# proposal days (a few weeks before each award day of the parameters: 03/02, 19/05, 02/09, 07/11)
PROPOSAL_DAYS = ((1, 15), (4, 15), (8, 1), (10, 5))

NGHIA_BINH_STANDING = Issuer("Ban Thường vụ Tỉnh ủy Nghĩa Bình", "QĐ/TU", 2.0)
UPPER_ISSUERS = {
    orgs.AGENCIES_BLOC: orgs.AGENCIES_BLOC_STANDING,
    orgs.ENTERPRISES_BLOC: orgs.ENTERPRISES_BLOC_STANDING,
    "BD.DUK": orgs.BLOC_STANDING,
    "BD.CQD": orgs.PARTY_AGENCIES_STANDING,
    "BD.UBND": orgs.GOVERNMENT_STANDING,
}
SUMMARIES = {
    E.ADMISSION: "Về việc kết nạp đảng viên",
    E.RECOGNITION: "Về việc công nhận đảng viên chính thức",
    E.RECOGNITION_REFUSED: "Về việc xóa tên đảng viên dự bị",
    E.STRUCK_OFF: "Về việc xóa tên đảng viên",
    E.DISCIPLINE: "Về việc thi hành kỷ luật đảng viên",
    E.EXPULSION: "Về việc thi hành kỷ luật đảng viên (khai trừ ra khỏi Đảng)",
    E.WITHDRAWAL: "Về việc cho ra khỏi Đảng",
    E.BADGE_AWARD: "Về việc tặng Huy hiệu Đảng",
}
# order of a person's events on one day
PRIORITY = {E.ADMISSION: 0, E.TRANSFER_OUT: 1, E.TRANSFER_IN: 2, E.RECOGNITION: 3,
            E.EXEMPTION: 4, E.EXEMPTION_END: 4, E.BADGE_PROPOSAL: 5, E.BADGE_AWARD: 6,
            E.DISCIPLINE: 7}  # fmt: skip
TERMINAL = (E.DEATH, E.STRUCK_OFF, E.WITHDRAWAL, E.EXPULSION, E.RECOGNITION_REFUSED)

# names --------------------------------------------------------------------------------------------
FAMILY = (
    ("Nguyễn", 30), ("Trần", 10), ("Lê", 9), ("Võ", 7), ("Huỳnh", 6), ("Phạm", 5), ("Phan", 4),
    ("Hồ", 2.5), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Ngô", 1.5), ("Trương", 1.5),
    ("Dương", 1.2), ("Đoàn", 1.2), ("Đinh", 1.2), ("Hoàng", 1), ("Vũ", 1), ("Mai", 0.8),
    ("Cao", 0.8), ("Lý", 0.6), ("Lâm", 0.6), ("Đào", 0.6), ("Lương", 0.5), ("Châu", 0.5),
    ("Hà", 0.5), ("Tô", 0.4), ("Thái", 0.4),
)  # fmt: skip
MALE_MIDDLE = (
    ("Văn", 30), ("Minh", 6), ("Đức", 5), ("Thanh", 5), ("Quốc", 4), ("Hữu", 4), ("Công", 4),
    ("Tấn", 4), ("Ngọc", 3), ("Xuân", 3), ("Đình", 3), ("Quang", 3), ("Trọng", 2), ("Anh", 2),
    ("Hoàng", 2), ("Duy", 2), ("Thành", 1.5), ("Bá", 1.5),
)  # fmt: skip
FEMALE_MIDDLE = (
    ("Thị", 40), ("Ngọc", 5), ("Thị Thu", 4), ("Thị Kim", 4), ("Thị Thanh", 4), ("Thị Mỹ", 4),
    ("Thu", 4), ("Thị Bích", 3), ("Thị Ngọc", 3), ("Thanh", 3), ("Hồng", 3), ("Kim", 2),
    ("Minh", 2), ("Phương", 2), ("Mỹ", 2), ("Thị Hồng", 2), ("Bảo", 1),
)  # fmt: skip
MALE_GIVEN = (
    "An", "Anh", "Bảo", "Bình", "Chiến", "Cường", "Dũng", "Duy", "Đạt", "Định", "Đông",
    "Giang", "Hải", "Hào", "Hiếu", "Hòa", "Hoàng", "Hùng", "Huy", "Hưng", "Khang", "Khánh",
    "Khoa", "Kiên", "Lâm", "Long", "Lộc", "Lợi", "Luân", "Mạnh", "Minh", "Nam", "Nghĩa",
    "Nhân", "Phát", "Phong", "Phú", "Phúc", "Phước", "Quân", "Quang", "Sang", "Sơn", "Tài",
    "Tâm", "Tân", "Thái", "Thắng", "Thành", "Thịnh", "Thông", "Tiến", "Toàn", "Trí", "Trung",
    "Trường", "Tú", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Vương",
)  # fmt: skip
FEMALE_GIVEN = (
    "Anh", "Châu", "Diễm", "Diệu", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hậu",
    "Hiền", "Hoa", "Huyền", "Hương", "Lan", "Lệ", "Liên", "Liễu", "Linh", "Loan", "Ly", "Mai",
    "My", "Nga", "Ngọc", "Nguyệt", "Nhàn", "Nhi", "Nhung", "Như", "Oanh", "Phương", "Quyên",
    "Quỳnh", "Sương", "Tâm", "Thảo", "Thắm", "Thu", "Thủy", "Thúy", "Trang", "Trâm", "Tuyết",
    "Uyên", "Vân", "Vy", "Xuân", "Yến",
)  # fmt: skip
MINORITY_GIVEN = ("Hớn", "Blơ", "Đe", "Rin", "Thương", "Hiệp", "Lực", "Sáu", "Hoa", "Nhe")
# ethnic groups of Bình Định and of people from elsewhere: code, weight, family names
MINORITIES = (
    ("13", 40, ("Đinh", "Đinh", "Đinh", "Võ")),  # Ba-na (An Lão, Vĩnh Thạnh, Vân Canh)
    ("19", 18, ("Đinh", "Phạm")),  # Hrê (An Lão)
    ("17", 15, ("Nguyễn", "Lê", "Trà")),  # Chăm (Vân Canh)
    ("04", 12, ("Lý", "Lâm", "Trương", "Quách", "Hứa")),  # Hoa
    ("02", 5, ("Hoàng", "Nông", "Lường")),  # Tày
    ("06", 5, ("Bùi", "Đinh", "Quách")),  # Mường
    ("03", 5, ("Lò", "Hà", "Vi")),  # Thái
)
HIGHLAND_HOMES = (
    ("xã An Toàn", "huyện An Lão"), ("xã An Hưng", "huyện An Lão"),
    ("xã Vĩnh Kim", "huyện Vĩnh Thạnh"), ("xã Canh Liên", "huyện Vân Canh"),
    ("xã Canh Vinh", "huyện Vân Canh"),
)  # fmt: skip
HOMES = (
    ("xã Phước Sơn", "huyện Tuy Phước"), ("xã Phước Hòa", "huyện Tuy Phước"),
    ("xã Phước Thuận", "huyện Tuy Phước"), ("xã Cát Hanh", "huyện Phù Cát"),
    ("xã Cát Tân", "huyện Phù Cát"), ("xã Cát Hiệp", "huyện Phù Cát"),
    ("xã Mỹ Chánh", "huyện Phù Mỹ"), ("xã Mỹ Hiệp", "huyện Phù Mỹ"),
    ("xã Hoài Thanh", "huyện Hoài Nhơn"), ("xã Hoài Hảo", "huyện Hoài Nhơn"),
    ("xã Nhơn Hậu", "huyện An Nhơn"), ("xã Nhơn Phong", "huyện An Nhơn"),
    ("xã Bình Thành", "huyện Tây Sơn"), ("xã Tây Giang", "huyện Tây Sơn"),
    ("xã Ân Tín", "huyện Hoài Ân"), ("xã Ân Đức", "huyện Hoài Ân"),
    ("xã Nhơn Lý", "thành phố Quy Nhơn"), ("phường Trần Phú", "thành phố Quy Nhơn"),
)  # fmt: skip
HOME_PROVINCE = ("tỉnh Bình Định", 52)
OTHER_HOMES = (
    ("xã Nghĩa Hà, huyện Tư Nghĩa, tỉnh Quảng Ngãi", 51),
    ("xã An Dân, huyện Tuy An, tỉnh Phú Yên", 54),
    ("xã Điện Thọ, huyện Điện Bàn, tỉnh Quảng Nam", 49),
    ("xã Kỳ Phong, huyện Kỳ Anh, tỉnh Hà Tĩnh", 42),
    ("xã Diễn Hồng, huyện Diễn Châu, tỉnh Nghệ An", 40),
    ("xã Hoằng Lộc, huyện Hoằng Hóa, tỉnh Thanh Hóa", 38),
    ("phường Tân Định, Quận 1, Thành phố Hồ Chí Minh", 79),
)
RELIGIONS = (("buddhism", 70), ("catholicism", 14), ("cao_dai", 8), ("protestantism", 8))
THEORY = (("elementary", 44), ("intermediate", 34), ("advanced", 10), ("bachelor", 2), ("", 10))
STATE_MANAGEMENT = (("", 40), ("Chuyên viên", 38), ("Chuyên viên chính", 19),
                    ("Chuyên viên cao cấp", 3))  # fmt: skip
LANGUAGES = (("", 30), ("Tiếng Anh B1", 34), ("Tiếng Anh trình độ B", 24),
             ("Tiếng Anh trình độ C", 6), ("Tiếng Anh B2", 4), ("Tiếng Pháp trình độ A", 2))  # fmt: skip
QUALIFICATIONS = {
    "health": ("Bác sĩ đa khoa", "Bác sĩ chuyên khoa I", "Thạc sĩ Y học", "Cử nhân Điều dưỡng",
               "Dược sĩ đại học", "Cử nhân Kế toán"),
    "school": ("Cử nhân Sư phạm Toán", "Cử nhân Sư phạm Ngữ văn", "Thạc sĩ Quản lý giáo dục",
               "Thạc sĩ Lý luận và phương pháp dạy học", "Cử nhân Sư phạm Tiếng Anh",
               "Tiến sĩ Khoa học giáo dục"),
    "bank": ("Cử nhân Tài chính - Ngân hàng", "Thạc sĩ Tài chính - Ngân hàng",
             "Cử nhân Kế toán", "Cử nhân Quản trị kinh doanh"),
    "enterprise": ("Kỹ sư Điện", "Kỹ sư Cơ khí", "Kỹ sư Xây dựng", "Cử nhân Kế toán",
                   "Cử nhân Quản trị kinh doanh", "Kỹ sư Lâm nghiệp"),
    "agency": ("Cử nhân Luật", "Cử nhân Kinh tế", "Thạc sĩ Quản lý công", "Cử nhân Hành chính",
               "Kỹ sư Xây dựng", "Kỹ sư Công nghệ thông tin", "Cử nhân Kế toán",
               "Thạc sĩ Kinh tế", "Cử nhân Xây dựng Đảng và chính quyền nhà nước"),
}  # fmt: skip
POSITIONS = (("Chuyên viên", 45), ("Nhân viên", 14), ("Phó Trưởng phòng", 13),
             ("Trưởng phòng", 8), ("Kế toán", 5), ("Phó Giám đốc", 2), ("Giám đốc", 1))  # fmt: skip


def _weighted(rng: random.Random, table):
    return rng.choices([item[0] for item in table], weights=[item[1] for item in table])[0]


# the tree as the plan needs it -------------------------------------------------------------------
@dataclass(frozen=True)
class Version:
    organization_id: int
    code: str
    name: str
    type: str
    parent_id: int | None
    valid_from: dt.date
    valid_to: dt.date


class Tree:
    """The organisation versions, read once: which organisations were cells when, their
    upper committee and unit on a day, and where members go when a cell ends."""

    def __init__(self) -> None:
        self.versions: dict[int, list[Version]] = defaultdict(list)
        rows = OrganizationVersion.objects.order_by("organization_id", "valid_from").values_list(
            "organization_id", "organization__code", "name", "type", "parent_id", "valid_from",
            "valid_to",
        )  # fmt: skip
        for row in rows:
            self.versions[row[0]].append(Version(*row))
        self.code_of = {oid: vs[0].code for oid, vs in self.versions.items()}
        self.intervals: dict[int, list[tuple[dt.date, dt.date]]] = {}
        for oid, versions in self.versions.items():
            spans: list[list[dt.date]] = []
            for v in versions:
                if v.type not in CELL_TYPES:
                    continue
                if spans and spans[-1][1] == v.valid_from:
                    spans[-1][1] = v.valid_to
                else:
                    spans.append([v.valid_from, v.valid_to])
            if spans:
                self.intervals[oid] = [(a, b) for a, b in spans]
        days = {d for spans in self.intervals.values() for span in spans for d in span}
        self.breaks = sorted(days)
        self.snapshots = [
            sorted(o for o, spans in self.intervals.items() if any(a <= day < b for a, b in spans))
            for day in self.breaks
        ]
        # the same with the first and the end day of each cell's current span
        self.spans = [
            [(o, a, b) for o in cells for a, b in self.intervals[o] if a <= day < b]
            for day, cells in zip(self.breaks, self.snapshots, strict=True)
        ]
        self.ends = {b for spans in self.intervals.values() for _, b in spans if b != OPEN_END}
        self._successors = self._find_successors()

    def version(self, oid: int, day: dt.date) -> Version | None:
        for v in self.versions[oid]:
            if v.valid_from <= day < v.valid_to:
                return v
        return None

    def cells_on(self, day: dt.date) -> list[int]:
        index = bisect.bisect_right(self.breaks, day) - 1
        return self.snapshots[index] if index >= 0 else []

    def spans_on(self, day: dt.date) -> list[tuple[int, dt.date, dt.date]]:
        """(cell, first day, end) of the cells on `day`."""
        index = bisect.bisect_right(self.breaks, day) - 1
        return self.spans[index] if index >= 0 else []

    def span(self, oid: int, day: dt.date) -> tuple[dt.date, dt.date]:
        for a, b in self.intervals.get(oid, ()):
            if a <= day < b:
                return a, b
        raise AssertionError(f"{self.code_of[oid]} is not a cell on {day}")

    def ancestor(self, oid: int, day: dt.date, types) -> Version | None:
        version = self.version(oid, day)
        while version is not None and version.type not in types:
            version = self.version(version.parent_id, day) if version.parent_id else None
        return version

    def upper_issuer(self, oid: int, day: dt.date) -> Issuer:
        """Who decides admissions, recognitions and strike-offs for the cell's members."""
        upper = self.ancestor(oid, day, (T.UPPER_COMMITTEE,))
        if upper is None:  # before the blocs: the provincial committee
            return NGHIA_BINH_STANDING if day < D(1989, 7, 1) else orgs.PROVINCE_STANDING
        return UPPER_ISSUERS[upper.code]

    def unit(self, oid: int, day: dt.date) -> str:
        """The agency or enterprise of the cell's grassroots organisation."""
        grassroots = self.ancestor(oid, day, (T.GRASSROOTS_COMMITTEE, T.GRASSROOTS_CELL))
        name = (grassroots or self.versions[oid][0]).name
        return name.removeprefix("Đảng bộ ").removeprefix("Chi bộ ")

    def successors(self, oid: int, day: dt.date) -> list[int]:
        return self._successors[(oid, day)]

    def _find_successors(self) -> dict[tuple[int, dt.date], list[int]]:
        """Where the members of a cell that ends go, the day it ends: the cells formed that day
        by the same decision (a conversion into a committee, a merge, a split); else the parent
        when it became a cell (a committee turned into a cell); else the sister cells; else
        the cells under the same upper committee."""
        events = OrganizationEvent.objects.values_list(
            "organization_id", "kind", "effective_date", "decision_id"
        )
        ended: dict[tuple[int, dt.date], set[int]] = defaultdict(set)
        established: dict[tuple[dt.date, int], list[int]] = defaultdict(list)
        for oid, kind, day, decision in events:
            if kind in (EventKind.DISSOLVE, EventKind.CONVERT):
                ended[(oid, day)].add(decision)
            elif kind == EventKind.ESTABLISH and oid in self.intervals:
                established[(day, decision)].append(oid)
        result = {}
        for oid, spans in self.intervals.items():
            for _, end in spans:
                if end == OPEN_END:
                    continue
                alive = set(self.cells_on(end)) - {oid}
                found = sorted(
                    o
                    for decision in ended[(oid, end)]
                    for o in established[(end, decision)]
                    if o in alive
                )
                last = self.version(oid, end - ONE_DAY)
                if not found and last.parent_id in alive:
                    found = [last.parent_id]
                if not found:
                    found = sorted(
                        o for o in alive if self.version(o, end).parent_id == last.parent_id
                    )
                if not found:
                    upper = self.ancestor(oid, end - ONE_DAY, (T.UPPER_COMMITTEE,))
                    found = sorted(
                        o
                        for o in alive
                        if (a := self.ancestor(o, end, (T.UPPER_COMMITTEE,))) and a == upper
                    ) or sorted(alive)
                result[(oid, end)] = found
        return result

    def targets(self) -> set[tuple[int, dt.date]]:
        """(cell, day) pairs that receive the members of an ending cell."""
        return {(o, day) for (_, day), found in self._successors.items() for o in found}


# the plan -----------------------------------------------------------------------------------------
@dataclass
class Ev:
    kind: str
    day: dt.date
    org: int
    details: dict[str, Any] = field(default_factory=dict)
    decision: tuple[str, dt.date] | None = None  # (issuing body, date): shared by the day

    @property
    def order(self) -> tuple[dt.date, int]:
        return self.day, PRIORITY.get(self.kind, 9)


@dataclass
class Life:
    """One person of the plan: the file's fields and the events of their life in the Party."""

    key: int
    sex: str
    birth: rules.PartialDate
    fields: dict[str, Any]
    rng: random.Random = field(repr=False)
    events: list[Ev] = field(default_factory=list)
    protect_until: dt.date | None = None
    exit_day: dt.date | None = None

    @property
    def first(self) -> Ev:
        return self.events[0]

    def truncate(self, day: dt.date) -> None:
        self.events = [e for e in self.events if e.day < day]
        self.exit_day = None

    def transits(self) -> list[tuple[dt.date, dt.date]]:
        outs = [e.day for e in self.events if e.kind == E.TRANSFER_OUT]
        ins = [e.day for e in self.events if e.kind == E.TRANSFER_IN]
        return list(zip(outs, ins, strict=False))

    def cell_on(self, day: dt.date) -> int | None:
        """The cell on `day` (None on the way between two cells or outside the Party)."""
        cell = None
        for e in self.events:  # the events that change the cell are in the order of days
            if e.day > day:
                continue
            if e.kind in (E.ADMISSION, E.TRANSFER_IN):
                cell = e.org
            elif e.kind == E.TRANSFER_OUT or e.kind in TERMINAL:
                cell = None
        return cell

    def counted_on(self, day: dt.date) -> bool:
        return self.cell_on(day) is not None


def _age(birth: rules.PartialDate, on: dt.date) -> int:
    """Full years of age on `on`, from the latest birth date the file allows."""
    born = birth.latest()
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def meeting(day: dt.date, *, after: bool = False) -> dt.date:
    """The standing committee's fortnightly meeting (a Tuesday) on or before `day`, or on or
    after it: the decisions of one meeting list several members."""
    tuesday = day - dt.timedelta(days=(day.weekday() - 1) % 7)
    if (tuesday.toordinal() // 7) % 2:
        tuesday -= dt.timedelta(days=7)
    if after and tuesday < day:
        tuesday += dt.timedelta(days=14)
    return tuesday


def _between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def person_fields(rng: random.Random, vote: dt.date, *, old: bool):
    """A person drawn from `rng`: sex, birth date and the fields of the file a person has
    before any Party event (name, origin, education ...), as of `vote` (their age counted
    from it); `old` for the files of members admitted before the blocs."""
    female = rng.random() < (0.33 if old else 0.53)
    sex = "female" if female else "male"
    age = rng.triangular(19, 46, 25 if not old else 27)
    born = vote - dt.timedelta(days=round(age * 365.25))
    if old and rng.random() < 0.3:  # an old file: the year of birth only
        if born.year + 19 > vote.year:
            born = born.replace(year=vote.year - 19, day=min(born.day, 28))
        birth = rules.PartialDate(born.year)
    else:
        birth = rules.PartialDate(born.year, born.month, born.day)
    minority = rng.random() < 0.035
    ethnicity, family_names = "01", None
    if minority:
        ethnicity, _, family_names = rng.choices(MINORITIES, weights=[m[1] for m in MINORITIES])[0]
    family = rng.choice(family_names) if family_names else _weighted(rng, FAMILY)
    middle = _weighted(rng, FEMALE_MIDDLE if female else MALE_MIDDLE)
    givens = FEMALE_GIVEN if female else MALE_GIVEN
    if minority and ethnicity in ("13", "19") and rng.random() < 0.5:
        givens = MINORITY_GIVEN
    given = rng.choice(givens)
    while middle.split()[-1] == given:
        given = rng.choice(givens)
    if minority and ethnicity in ("13", "19", "17"):
        commune, district = rng.choice(HIGHLAND_HOMES)
        home, province = f"{commune}, {district}, {HOME_PROVINCE[0]}", HOME_PROVINCE[1]
    elif rng.random() < 0.12:
        home, province = rng.choice(OTHER_HOMES)
    else:
        commune, district = rng.choice(HOMES)
        home, province = f"{commune}, {district}, {HOME_PROVINCE[0]}", HOME_PROVINCE[1]
    street, ward = rng.choice(orgs.STREETS), rng.choice(orgs.WARDS)
    residence = f"Số {rng.randint(2, 420)} {street}, phường {ward}, thành phố Quy Nhơn"
    fields = {
        "full_name": f"{family} {middle} {given}",
        "ethnicity": ethnicity,
        "religion": _weighted(rng, RELIGIONS) if rng.random() < 0.07 else "",
        "hometown": home,
        "birthplace": home if rng.random() < 0.8 else f"{HOME_PROVINCE[0]}",
        "permanent_residence": residence,
        "current_residence": residence,
        "birth_province": province,
        "general_education": "12/12" if born.year >= 1958 or rng.random() < 0.5 else "10/10",
        "political_theory": _weighted(rng, THEORY),
        "state_management": _weighted(rng, STATE_MANAGEMENT),
        "foreign_language": _weighted(rng, LANGUAGES),
        "job_position": _weighted(rng, POSITIONS),
        "phone": f"09{rng.randint(0, 99_999_999):08d}" if rng.random() < 0.75 else "",
    }
    return sex, birth, fields


def draw_citizen_id(
    rng: random.Random, *, province: int, birth: rules.PartialDate, sex: str, taken: set[str]
) -> str:
    """A valid 12-digit citizen ID for the birth province, century, sex and year, none of
    `taken` (which it joins)."""
    digit = 2 * (birth.year // 100 - 19) + (1 if sex == "female" else 0)
    while True:
        number = f"{province:03d}{digit}{birth.year % 100:02d}"
        number += f"{rng.randint(0, 999_999):06d}"
        if number not in taken:
            taken.add(number)
            return check_citizen_id(number, birth_year=birth.year, sex=sex)


def unit_kind(unit: str) -> str:
    """The kind of a unit by its name, for the qualifications of the people working there."""
    lowered = unit.lower()
    return (
        "health" if ("bệnh viện" in lowered or "y tế" in lowered) else
        "school" if ("trường" in lowered or "giáo dục" in lowered) else
        "bank" if "ngân hàng" in lowered else
        "enterprise" if ("công ty" in lowered or "điện lực" in lowered) else "agency"
    )  # fmt: skip


class Planner:
    def __init__(self, tree: Tree, parameters: Callable[[dt.date], Parameters], seed: int = SEED):
        self.tree = tree
        self.parameters = parameters
        self.rng = random.Random(seed)
        self.lives: list[Life] = []
        self.citizen_ids: set[str] = set()
        self.weights = {oid: self.rng.uniform(0.5, 1.8) for oid in sorted(tree.intervals)}
        self.milestones = parameters(HORIZON).badge_milestones

    # people -------------------------------------------------------------------------------
    def person(self, vote: dt.date, *, old: bool) -> Life:
        rng = random.Random(self.rng.getrandbits(64))
        sex, birth, fields = person_fields(rng, vote, old=old)
        life = Life(len(self.lives), sex, birth, fields, rng)
        self.lives.append(life)
        return life

    def citizen_id(self, life: Life) -> str:
        return draw_citizen_id(
            life.rng,
            province=life.fields["birth_province"],
            birth=life.birth,
            sex=life.sex,
            taken=self.citizen_ids,
        )

    # a life ---------------------------------------------------------------------------------
    def admit(self, life: Life, cell: int, vote: dt.date, decision: dt.date, ceremony: dt.date):
        issuer = self.tree.upper_issuer(cell, decision)
        details = {"decision_date": decision.isoformat(), "vote_date": vote.isoformat()}
        life.events.append(Ev(E.ADMISSION, ceremony, cell, details, (issuer.body, decision)))

    def probation_end(self, ceremony: dt.date) -> dt.date:
        return rules.probation_end(ceremony, self.parameters(ceremony))

    def transfer(self, life: Life, source: int, dest: int, out: dt.date, received: dt.date):
        name = self.tree.version(dest, received).name
        life.events.append(Ev(E.TRANSFER_OUT, out, source, {"to": dest, "to_name": name}))
        life.events.append(Ev(E.TRANSFER_IN, received, dest))

    def natural(self, life: Life, t: dt.date, exempt: bool):
        """The next thing that happens to a full member after day `t`, drawn year by year."""
        rng, start = life.rng, t
        while start <= HORIZON:
            age = _age(life.birth, start)
            hits = []
            if rng.random() < min(0.4, 2.75e-5 * 1.1**age):
                hits.append(E.DEATH)
            if not exempt:
                if age < 58 and rng.random() < 0.022:
                    hits.append(E.TRANSFER_OUT)
                if age >= 68 and rng.random() < 0.12:
                    hits.append("old_age")
                if age >= 45 and rng.random() < 0.002:
                    hits.append("weak_health")
                if age < 60 and rng.random() < 0.0009:
                    hits.append(E.STRUCK_OFF)
                if age < 60 and rng.random() < 0.0003:
                    hits.append(E.WITHDRAWAL)
                if age < 62 and rng.random() < 0.0025:
                    hits.append(E.DISCIPLINE)
                if age < 62 and rng.random() < 0.0002:
                    hits.append(E.EXPULSION)
            day = start + dt.timedelta(days=rng.randint(1, 365))
            if life.protect_until and day < life.protect_until:
                hits = [h for h in hits if h not in (*TERMINAL, E.TRANSFER_OUT)]
            if hits:
                return (day, hits[0]) if day <= HORIZON else None
            start += dt.timedelta(days=365)
        return None

    def walk(
        self,
        life: Life,
        day: dt.date,
        cell: int,
        *,
        probation_end: dt.date | None = None,
        refuse: bool = False,
    ) -> None:
        """Appends the member's events after `day`, the member being in `cell` that day."""
        rng, tree = life.rng, self.tree
        t, exempt = day, False
        scheduled: list[tuple[dt.date, str]] = []
        if probation_end is not None:
            if refuse:
                scheduled.append((probation_end + dt.timedelta(days=rng.randint(3, 25)), "refuse"))
            else:
                scheduled.append((probation_end, E.RECOGNITION))
        while t <= HORIZON:
            nxt = scheduled[0] if scheduled else self.natural(life, t, exempt)
            _, end = tree.span(cell, t)
            if end <= HORIZON and (nxt is None or end <= nxt[0]):
                dest = rng.choice(tree.successors(cell, end))
                self.transfer(life, cell, dest, end, end)
                cell, t = dest, end
                if scheduled and scheduled[0][0] == end:
                    scheduled[0] = (end + ONE_DAY, scheduled[0][1])
                continue
            if nxt is None or nxt[0] > HORIZON:
                return
            when, kind = nxt
            if scheduled:
                scheduled.pop(0)
            issuer = tree.upper_issuer(cell, when)
            decided = when + dt.timedelta(days=rng.randint(5, 30))
            if kind == E.RECOGNITION:
                decided = meeting(when + ONE_DAY, after=True)
                details = {"decision_date": decided.isoformat()}
                life.events.append(Ev(kind, when, cell, details, (issuer.body, decided)))
            elif kind == "refuse":
                details = {"decision_date": when.isoformat()}
                life.events.append(
                    Ev(E.RECOGNITION_REFUSED, when, cell, details, (issuer.body, when))
                )
                life.exit_day = when
                return
            elif kind == E.DEATH:
                life.events.append(Ev(kind, when, cell))
                life.exit_day = when
                return
            elif kind in (E.STRUCK_OFF, E.WITHDRAWAL, E.EXPULSION):
                reason = {E.STRUCK_OFF: "abandoned_activity", E.WITHDRAWAL: "resigned",
                          E.EXPULSION: rng.choice(("corruption", "other"))}[kind]  # fmt: skip
                details = {"decision_date": when.isoformat(), "exit_reason": reason}
                life.events.append(Ev(kind, when, cell, details, (issuer.body, when)))
                life.exit_day = when
                return
            elif kind == E.TRANSFER_OUT:
                delay = rng.choice((0, 0, 0, 0, 1, 1, 2, 3, 5, 7, 10))
                received = when + dt.timedelta(days=delay)
                lasting = received + dt.timedelta(days=30)
                choices = [o for o, _, b in tree.spans_on(received) if o != cell and b > lasting]
                if received > HORIZON or not choices or received >= tree.span(cell, t)[1]:
                    t = when
                    continue
                dest = rng.choice(choices)
                self.transfer(life, cell, dest, when, received)
                cell, t = dest, received
                continue
            elif kind in ("old_age", "weak_health"):
                if kind == "old_age" and not rules.is_past_working_age(
                    life.birth, life.sex, when, self.parameters(when)
                ):
                    t = when
                    continue
                requested = when - dt.timedelta(days=rng.randint(10, 40))
                details = {"requested_on": requested.isoformat(), "grounds": [kind]}
                life.events.append(Ev(E.EXEMPTION, when, cell, details))
                exempt = True
                if kind == "weak_health" and rng.random() < 0.6:
                    back = when + dt.timedelta(days=rng.randint(180, 540))
                    scheduled.append((back, E.EXEMPTION_END))
            elif kind == E.EXEMPTION_END:
                life.events.append(Ev(kind, when, cell))
                exempt = False
            elif kind == E.DISCIPLINE:
                form = rng.choice(("reprimand",) * 6 + ("warning",) * 3 + ("removal_from_post",))
                details = {"decision_date": decided.isoformat(), "form": form}
                life.events.append(Ev(kind, when, cell, details, (issuer.body, decided)))
            t = when

    def badges(self, life: Life) -> None:
        """Proposals for each milestone the party age reaches, then the award on the next
        award day of the province (Hướng dẫn 01-HD/TW 2021, mục 18)."""
        first = life.first
        start = dt.date.fromisoformat(first.details["decision_date"])
        gaps = [(a, b) for a, b in life.transits() if b > a]
        award_days = self.parameters(HORIZON).badge_award_days
        for milestone in self.milestones:
            reached = rules.milestone_date(start, gaps, milestone)
            proposed = min(
                D(year, m, d)
                for year in (reached.year, reached.year + 1)
                for m, d in PROPOSAL_DAYS
                if D(year, m, d) >= reached
            )
            for a, b in gaps:
                if a <= proposed < b:
                    proposed = b
            if proposed > HORIZON or (life.exit_day and proposed >= life.exit_day):
                return
            cell = life.cell_on(proposed)
            life.events.append(Ev(E.BADGE_PROPOSAL, proposed, cell, {"milestone": milestone}))
            award = min(
                D(year, m, d)
                for year in (proposed.year, proposed.year + 1)
                for m, d in award_days
                if D(year, m, d) > proposed + dt.timedelta(days=14)
            )
            if award > HORIZON or (life.exit_day and award >= life.exit_day):
                return
            cell = life.cell_on(award)
            if cell is None:
                continue
            body = orgs.PROVINCE_STANDING.body
            decided = award - dt.timedelta(days=7)
            details = {"decision_date": decided.isoformat(), "milestone": milestone}
            life.events.append(Ev(E.BADGE_AWARD, award, cell, details, (body, decided)))

    # the population ---------------------------------------------------------------------------
    def pick_cell(self, vote: dt.date, ceremony: dt.date) -> int | None:
        if self.probation_end(ceremony) in self.tree.ends:
            return None  # not recognised on the day a cell ends: one event a day
        cells = [o for o, since, _ in self.tree.spans_on(ceremony) if since <= vote]
        if not cells:
            return None
        return self.rng.choices(cells, weights=[self.weights[o] for o in cells])[0]

    def new_member(self, ceremony: dt.date, *, refuse: bool, protect: dt.date | None = None):
        rng = self.rng
        decision = meeting(ceremony - dt.timedelta(days=rng.randint(7, 20)))
        vote = decision - dt.timedelta(days=rng.randint(15, 50))
        cell = self.pick_cell(vote, ceremony)
        if cell is None:
            return None
        life = self.person(vote, old=False)
        life.protect_until = protect
        self.admit(life, cell, vote, decision, ceremony)
        self.walk(life, ceremony, cell, probation_end=self.probation_end(ceremony), refuse=refuse)
        return life

    def initial_members(self) -> None:
        """The members of the cells the two blocs took over, admitted before."""
        tree, rng = self.tree, self.rng
        designated = 0
        firsts = [o for o in sorted(tree.intervals) if tree.intervals[o][0][0] in FOUNDING_DAYS]
        chosen = set(rng.sample([o for o in firsts if tree.intervals[o][0][0] == FOUNDING_DAYS[0]],
                                TARGET_BADGES_30))  # fmt: skip
        for cell in firsts:
            founded = tree.intervals[cell][0][0]
            for index in range(max(3, round(rng.gauss(INITIAL_PER_CELL, 4.5)))):
                if cell in chosen and index == 0:
                    decision = _between(
                        rng, BADGE_30_WINDOW[0] + dt.timedelta(days=14), BADGE_30_WINDOW[1]
                    )
                    designated += 1
                else:
                    year = round(rng.triangular(1972, founded.year, founded.year - 2))
                    decision = _between(rng, D(year, 1, 1), D(year, 12, 31))
                    if decision > founded - dt.timedelta(days=40):
                        decision = founded - dt.timedelta(days=rng.randint(40, 400))
                    if BADGE_30_AVOID[0] <= decision <= BADGE_30_AVOID[1]:
                        decision += dt.timedelta(days=200)
                decision = meeting(decision)
                ceremony = decision + dt.timedelta(days=rng.randint(7, 30))
                vote = decision - dt.timedelta(days=rng.randint(15, 50))
                life = self.person(vote, old=True)
                if cell in chosen and index == 0:
                    life.protect_until = D(2021, 7, 1)
                self.admit(life, cell, vote, decision, ceremony)
                end = self.probation_end(ceremony)
                if end < founded:
                    issuer = tree.upper_issuer(cell, end)
                    decided = meeting(end + ONE_DAY, after=True)
                    details = {"decision_date": decided.isoformat()}
                    life.events.append(
                        Ev(E.RECOGNITION, end, cell, details, (issuer.body, decided))
                    )
                    self.walk(life, founded, cell)
                else:
                    self.walk(life, founded, cell, probation_end=end)
        assert designated == TARGET_BADGES_30

    def founding_transfers(self, cell: int, day: dt.date) -> None:
        """A cell formed later takes members of other cells."""
        rng = self.rng
        candidates = [
            life
            for life in self.lives
            if life.protect_until is None
            and (life.exit_day is None or life.exit_day > day + ONE_DAY)
            and life.first.day < day
            and _age(life.birth, day) < 55
            and self._full_and_free(life, day, cell)
        ]
        for life in rng.sample(candidates, min(len(candidates), rng.randint(4, 9))):
            source = life.cell_on(day - ONE_DAY)
            life.truncate(day)
            self.transfer(life, source, cell, day, day)
            self.walk(life, day, cell)

    @staticmethod
    def _full_and_free(life: Life, day: dt.date, cell: int) -> bool:
        recognised = any(e.kind == E.RECOGNITION and e.day < day for e in life.events)
        if not recognised or (life.exit_day and life.exit_day <= day + dt.timedelta(days=1)):
            return False
        busy = {E.EXEMPTION, E.TRANSFER_OUT, E.TRANSFER_IN}
        if any(e.kind in busy and day - dt.timedelta(days=30) <= e.day <= day for e in life.events):
            return False
        if any(e.kind == E.EXEMPTION and e.day < day for e in life.events):
            return False
        source = life.cell_on(day - ONE_DAY)
        return source is not None and source != cell and life.cell_on(day) == source

    def stock(self, day: dt.date) -> int:
        return sum(1 for life in self.lives if life.counted_on(day))

    def admissions(self) -> None:
        tree, rng = self.tree, self.rng
        targets = tree.targets()
        foundings = sorted(
            (a, o)
            for o, spans in tree.intervals.items()
            for a, _ in spans
            if a not in FOUNDING_DAYS and (o, a) not in targets
        )
        months = (0.7, 0.3, 1.0, 1.1, 1.3, 1.4, 1.0, 1.0, 1.3, 1.1, 1.0, 1.2)
        for year in range(FOUNDING_DAYS[0].year, HORIZON.year + 1):
            for day, cell in foundings:
                if day.year == year:
                    self.founding_transfers(cell, day)
            first = max(D(year, 1, 1), FOUNDING_DAYS[0])
            count = round(self.stock(first) * ADMISSION_RATE * rng.uniform(0.85, 1.15))
            fixed = {2020: (Q1_2020, 52), 2021: (Q1_2021, TARGET_ADMISSIONS)}.get(year)
            days = []
            if fixed:
                (q_start, q_end), n = fixed
                days += [_between(rng, q_start, q_end) for _ in range(n)]
                weights = (0, 0, 0) + months[3:]
                count -= n
            else:
                weights = months
            for _ in range(max(0, count)):
                month = rng.choices(range(1, 13), weights=weights)[0]
                day = _between(rng, D(year, month, 1), rules.add_months(D(year, month, 1), 1))
                days.append(min(day, D(year, month, 28)))
            refused_q1 = set(rng.sample(range(52), REFUSED_IN_Q1_2020)) if year == 2020 else set()
            for index, ceremony in enumerate(sorted(days) if not fixed else days):
                if ceremony < first or ceremony > HORIZON:
                    continue
                in_fixed = bool(fixed) and index < fixed[1]
                refuse = index in refused_q1 if year == 2020 and in_fixed else rng.random() < 0.012
                while True:
                    life = self.new_member(ceremony, refuse=refuse)
                    if life is not None or not in_fixed:
                        break
                    ceremony += ONE_DAY

    def adjust(self) -> None:
        """Exactly the scenario's 5,016 members on 31/03/2021: files added or left out."""
        day = Q1_2021[1]
        count = self.stock(day)
        rng = self.rng
        while count < TARGET_TOTAL:
            ceremony = _between(rng, D(2004, 1, 1), D(2019, 12, 31))
            life = self.new_member(ceremony, refuse=False, protect=D(2021, 4, 2))
            if life is not None and life.counted_on(day):
                count += 1
        if count > TARGET_TOTAL:
            removable = [
                life
                for life in self.lives
                if life.protect_until is None
                and life.counted_on(day)
                and not any(Q1_2020[0] <= life.first.day <= Q1_2021[1] for _ in (0,))
            ]
            for life in rng.sample(removable, count - TARGET_TOTAL):
                life.events = []
            self.lives = [life for life in self.lives if life.events]

    def plan(self) -> list[Life]:
        self.initial_members()
        self.admissions()
        self.adjust()
        for life in self.lives:
            self.badges(life)
            life.events.sort(key=lambda e: e.order)
        self._check()
        for life in self.lives:
            self._file(life)
        return self.lives

    def _check(self) -> None:
        start, end = Q1_2021
        kinds = Counter(
            (e.kind, e.details.get("milestone"))
            for life in self.lives
            for e in life.events
            if start <= e.day <= end
        )
        assert self.stock(end) == TARGET_TOTAL, self.stock(end)
        assert kinds[(E.ADMISSION, None)] == TARGET_ADMISSIONS, kinds
        assert kinds[(E.RECOGNITION, None)] == TARGET_RECOGNITIONS, kinds
        assert kinds[(E.BADGE_PROPOSAL, 30)] == TARGET_BADGES_30, kinds

    def _file(self, life: Life) -> None:
        """The rest of the file, as of the end of the history."""
        rng, tree = life.rng, self.tree
        f = life.fields
        last_cell = next(
            e.org for e in reversed(life.events) if e.kind in (E.ADMISSION, E.TRANSFER_IN)
        )
        last_day = life.exit_day or HORIZON
        unit = tree.unit(last_cell, min(last_day - ONE_DAY, HORIZON))
        kind = unit_kind(unit)
        f["qualification"] = rng.choice(QUALIFICATIONS[kind])
        f["work_unit"] = unit
        retired = _age(life.birth, last_day) >= (55 if life.sex == "female" else 60)
        f["occupation"] = (
            "Nghỉ hưu" if retired else
            {"enterprise": "Người lao động", "agency": "Công chức"}.get(kind, "Viên chức")
        )  # fmt: skip
        if retired and f["job_position"] in ("Nhân viên", "Kế toán"):
            f["job_position"] = "Chuyên viên"
        # a citizen ID for most of those alive when the chip cards came (2016 onwards)
        alive_2016 = life.exit_day is None or life.exit_day >= D(2016, 1, 1)
        f["citizen_id"] = self.citizen_id(life) if alive_2016 and rng.random() < 0.94 else None
        if not alive_2016:
            f["phone"] = ""


# writing ------------------------------------------------------------------------------------------
@dataclass
class Written:
    people: int
    events: int
    periods: int
    decisions: int


def _decisions(lives: list[Life]) -> dict[tuple[str, dt.date, str], Decision]:
    book = orgs.DecisionBook()
    issuers = {i.body: i for i in (*UPPER_ISSUERS.values(), NGHIA_BINH_STANDING,
                                   orgs.PROVINCE_STANDING)}  # fmt: skip
    for symbol, date, body in Decision.objects.values_list("symbol", "date", "issuing_body"):
        number = symbol.split("-", 1)[0]
        if number.isdigit():
            book._used.setdefault((body, date.year), set()).add(int(number))
    keys = sorted(
        {
            (e.decision[0], e.decision[1], SUMMARIES[e.kind])
            for life in lives
            for e in life.events
            if e.decision
        },  # fmt: skip
        key=lambda k: (k[1], k[0], k[2]),
    )
    decisions = {}
    for body, date, summary in keys:
        data = book.issue(issuers[body], date, summary)
        decisions[(body, date, summary)] = Decision(
            symbol=data.symbol, date=date, issuing_body=body, summary=summary
        )
    Decision.objects.bulk_create(decisions.values(), batch_size=1000)
    return decisions


def _project(person: Person, state: MemberState) -> None:
    """The cached columns from the replay, as lifecycle._project sets them."""
    for name in PROJECTION:
        value = getattr(state, name)
        if name == "organization_id" and value is None:
            continue
        setattr(person, name, value)


def _next_id(model) -> int:
    return (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1


def write(lives: list[Life], parameters: Callable[[dt.date], Parameters]) -> Written:
    """Replays each planned life with the rules (members.history) and inserts it."""
    decisions = _decisions(lives)
    person_id, event_id, period_id = (
        _next_id(Person),
        _next_id(MemberEvent),
        _next_id(MembershipPeriod),
    )
    defaults = {f.attname: f.get_default() for f in Person._meta.concrete_fields}
    people, events, periods = [], [], []
    for life in lives:
        f = dict(life.fields)
        f.pop("birth_province")
        parts = split_name(f["full_name"])
        person = Person(
            **f,
            id=person_id,
            family_name=parts.family,
            middle_name=parts.middle,
            given_name=parts.given,
            name_sort_key=sort_key(parts),
            birth_year=life.birth.year,
            birth_month=life.birth.month,
            birth_day=life.birth.day,
            sex=life.sex,
            organization_id=life.first.org,
        )
        person.search_text = search_text(person)
        rows = []
        for ev in life.events:
            decision = (
                decisions[(ev.decision[0], ev.decision[1], SUMMARIES[ev.kind])].pk
                if ev.decision
                else None
            )
            rows.append(_Event(event_id, ev.kind, ev.day, ev.org, ev.details, decision))
            event_id += 1
        state = replay(rows, birth=life.birth, sex=life.sex, parameters=parameters)
        _project(person, state)
        people.append(defaults | {name: getattr(person, name) for name in defaults})
        events += [
            {"id": e.pk, "person_id": person_id, "kind": e.kind,
             "effective_date": e.effective_date, "organization_id": e.organization_id,
             "decision_id": e.decision_id, "details": e.details, "override_reason": ""}
            for e in rows
        ]  # fmt: skip
        for p in state.periods:
            periods.append(
                {"id": period_id, "person_id": person_id, "organization_id": p.organization_id,
                 "status": p.status, "exempt": p.exempt, "valid_from": p.valid_from,
                 "valid_to": p.valid_to, "start_reason": p.start_reason,
                 "end_reason": p.end_reason}
            )  # fmt: skip
            period_id += 1
        person_id += 1
    _insert(Person, people)
    _insert(MemberEvent, events)
    _insert(MembershipPeriod, periods)
    return Written(len(people), len(events), len(periods), len(decisions))


def plan(seed: int = SEED) -> list[Life]:
    """The lives of the demo members, from the organisation tree in the database."""
    return Planner(Tree(), cached_parameters(), seed).plan()


def build(bloc) -> Written:
    """Plans and writes the demo members, with one audit row for the whole load."""
    parameters = cached_parameters()
    lives = Planner(Tree(), parameters).plan()
    written = write(lives, parameters)
    audit_record(
        actor=None,
        action="member.demo_load",
        obj=bloc,
        after=dataclasses.asdict(written) | {"until": HORIZON.isoformat(), "seed": SEED},
    )
    return written
