"""Benchmark of the organisation tree on PostgreSQL at the national scale.

Builds a deterministic national tree (default 300,000 organisations) with ten years of
restructuring (2016-2026, including the 01/07/2025 reorganisation: 63 provinces merged into 34,
district committees dissolved, their grassroots organisations moved under new commune
committees), loads it with COPY, checks that the stored versions are exactly what the services
would derive, then times two questions on a date before and a date after 2025:

1. the subtree of a province on D;
2. the number of grassroots organisations under the national root on D;

each three ways: ours (the project's selectors), a recursive CTE over the parent links as they
stood on D (the naive design: ours must be at least 5x faster) and the best hand-written SQL over
our own tables (the floor: ours within 1.5x of it).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dangvu_bench \\
        .venv/bin/python bench/tree.py [--orgs 300000] [--repeat 9] [--fresh] [--explain]

The database is created when missing (--fresh drops and recreates it). A tree already loaded
with the same --orgs and --seed is reused, so timings can be repeated without regenerating.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT_DIR = Path(__file__).resolve().parents[1]
GENERATOR_VERSION = 3

D = dt.date
OPEN_END = D(9999, 12, 31)
HISTORY_START = D(2016, 1, 1)
DISTRICT_MERGE = D(2020, 1, 1)
REORG = D(2025, 7, 1)
HISTORY_END = D(2026, 7, 1)  # events in [HISTORY_START, HISTORY_END)
BEFORE = D(2021, 3, 31)  # a date before the 2025 reorganisation (end of 2021-Q1)
AFTER = D(2025, 12, 31)  # a date after it
SAMPLE_DATES = (
    D(2016, 6, 30),
    BEFORE,
    D(2025, 6, 30),
    REORG,
    AFTER,
    D(2026, 6, 30),
)

CENTRAL = "central"
PROVINCIAL = "provincial_committee"
UPPER = "upper_committee"
GC = "grassroots_committee"
GCELL = "grassroots_cell"
SUB = "sub_committee"
SCELL = "subordinate_cell"
GRASSROOTS = (GC, GCELL)

STATE_FIELDS = ("name", "type", "parent_id", "sector", "province_code", "address")

# 63 provinces before 01/07/2025, grouped by the province each became part of (Nghị quyết
# 202/2025/QH15); the first of a group is the one the others were merged into.
PROVINCE_GROUPS: list[tuple[int, list[str]]] = [
    (1, ["thành phố Hà Nội"]),
    (4, ["tỉnh Cao Bằng"]),
    (8, ["tỉnh Tuyên Quang", "tỉnh Hà Giang"]),
    (11, ["tỉnh Điện Biên"]),
    (12, ["tỉnh Lai Châu"]),
    (14, ["tỉnh Sơn La"]),
    (15, ["tỉnh Lào Cai", "tỉnh Yên Bái"]),
    (19, ["tỉnh Thái Nguyên", "tỉnh Bắc Kạn"]),
    (20, ["tỉnh Lạng Sơn"]),
    (22, ["tỉnh Quảng Ninh"]),
    (24, ["tỉnh Bắc Ninh", "tỉnh Bắc Giang"]),
    (25, ["tỉnh Phú Thọ", "tỉnh Vĩnh Phúc", "tỉnh Hòa Bình"]),
    (31, ["thành phố Hải Phòng", "tỉnh Hải Dương"]),
    (33, ["tỉnh Hưng Yên", "tỉnh Thái Bình"]),
    (37, ["tỉnh Ninh Bình", "tỉnh Hà Nam", "tỉnh Nam Định"]),
    (38, ["tỉnh Thanh Hóa"]),
    (40, ["tỉnh Nghệ An"]),
    (42, ["tỉnh Hà Tĩnh"]),
    (44, ["tỉnh Quảng Trị", "tỉnh Quảng Bình"]),
    (46, ["tỉnh Thừa Thiên Huế"]),
    (48, ["thành phố Đà Nẵng", "tỉnh Quảng Nam"]),
    (51, ["tỉnh Quảng Ngãi", "tỉnh Kon Tum"]),
    (52, ["tỉnh Gia Lai", "tỉnh Bình Định"]),
    (56, ["tỉnh Khánh Hòa", "tỉnh Ninh Thuận"]),
    (66, ["tỉnh Đắk Lắk", "tỉnh Phú Yên"]),
    (68, ["tỉnh Lâm Đồng", "tỉnh Đắk Nông", "tỉnh Bình Thuận"]),
    (75, ["tỉnh Đồng Nai", "tỉnh Bình Phước"]),
    (79, ["thành phố Hồ Chí Minh", "tỉnh Bình Dương", "tỉnh Bà Rịa - Vũng Tàu"]),
    (80, ["tỉnh Tây Ninh", "tỉnh Long An"]),
    (82, ["tỉnh Đồng Tháp", "tỉnh Tiền Giang"]),
    (86, ["tỉnh Vĩnh Long", "tỉnh Bến Tre", "tỉnh Trà Vinh"]),
    (91, ["tỉnh An Giang", "tỉnh Kiên Giang"]),
    (92, ["thành phố Cần Thơ", "tỉnh Sóc Trăng", "tỉnh Hậu Giang"]),
    (96, ["tỉnh Cà Mau", "tỉnh Bạc Liêu"]),
]
BENCH_PROVINCE_CODE = 79  # the subtree timed: the largest merged province

# fmt: off
SYLLABLES = (
    "An", "Bình", "Cẩm", "Đông", "Hòa", "Hưng", "Lạc", "Long", "Minh", "Phú", "Phước", "Quang",
    "Tân", "Thạnh", "Thuận", "Tiến", "Trung", "Vĩnh", "Xuân", "Yên", "Đức", "Hải", "Hồng", "Kim",
    "Lâm", "Mỹ", "Nam", "Nghĩa", "Phong", "Sơn", "Thành", "Thịnh", "Thủy", "Tường", "Văn", "Việt",
    "Hiệp", "Lợi", "Hà", "Châu", "Lộc", "Khánh", "Định", "Quý", "Bảo", "Gia", "Cát", "Hạnh", "Hậu",
    "Điền", "Ninh",
)
DEPARTMENTS = (
    "Nội vụ", "Tài chính", "Xây dựng", "Y tế", "Giáo dục và Đào tạo", "Tư pháp", "Công Thương",
    "Nông nghiệp và Môi trường", "Văn hóa, Thể thao và Du lịch", "Khoa học và Công nghệ",
    "Dân tộc và Tôn giáo", "Ngoại vụ",
)
SMALL_UNITS = (
    "Văn phòng", "Phòng Tổ chức", "Phòng Kế hoạch", "Phòng Tài vụ", "Phòng Kỹ thuật", "Phân xưởng",
    "Tổ Toán", "Tổ Văn", "Khoa Nội", "Khoa Ngoại", "Đội sản xuất", "Phòng Hành chính", "Trạm",
    "Cửa hàng",
)
# fmt: on


def place(rng: random.Random) -> str:
    return f"{rng.choice(SYLLABLES)} {rng.choice(SYLLABLES)}"


def apportion(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """Split `total` into integers proportional to `weights` (largest remainder), each >= minimum."""
    n = len(weights)
    if total < minimum * n:
        raise ValueError(f"cannot give {minimum} to each of {n} parts out of {total}")
    rest = total - minimum * n
    weight_sum = sum(weights)
    shares = [rest * w / weight_sum for w in weights]
    parts = [int(s) for s in shares]
    order = sorted(range(n), key=lambda i: (parts[i] - shares[i], i))
    for i in order[: rest - sum(parts)]:
        parts[i] += 1
    return [p + minimum for p in parts]


class Bag:
    """A set with O(1) random choice and removal, deterministic for a seeded Random."""

    def __init__(self) -> None:
        self.items: list[int] = []
        self.pos: dict[int, int] = {}

    def add(self, x: int) -> None:
        self.pos[x] = len(self.items)
        self.items.append(x)

    def remove(self, x: int) -> None:
        i = self.pos.pop(x)
        last = self.items.pop()
        if last != x:
            self.items[i] = last
            self.pos[last] = i

    def choice(self, rng: random.Random) -> int | None:
        return self.items[rng.randrange(len(self.items))] if self.items else None

    def __len__(self) -> int:
        return len(self.items)


# generation ------------------------------------------------------------------------------------
@dataclass
class Event:
    id: int
    kind: str
    organization_id: int
    date: dt.date
    changes: dict
    previous: dict
    cause_id: int | None = None


@dataclass
class Tree:
    """The generated history, and the rows derived from it."""

    orgs: int
    seed: int
    codes: list[str] = field(default_factory=lambda: [""])
    events: list[Event] = field(default_factory=list)
    by_org: list[list[Event]] = field(default_factory=lambda: [[]])
    # derived
    versions: list[tuple] = field(default_factory=list)  # (org, from, to, path, state tuple)
    organizations: list[tuple] = field(default_factory=list)
    # handy ids
    central: int = 0
    bench_province: int = 0


class Generator:
    def __init__(self, orgs: int, seed: int) -> None:
        if orgs < 2000:
            raise ValueError("--orgs must be at least 2000")
        self.n = orgs
        self.rng = random.Random(seed)
        self.tree = Tree(orgs=orgs, seed=seed)
        # current state, by organisation id (index 0 unused)
        self.name: list[str] = [""]
        self.type: list[str] = [""]
        self.parent: list[int | None] = [None]
        self.sector: list[str] = [""]
        self.province: list[int | None] = [None]
        self.address: list[str] = [""]
        self.role: list[str] = [""]
        self.alive: list[bool] = [False]
        self.born: list[dt.date] = [D.min]
        self.last_event: list[dt.date] = [D.min]
        self.children: list[set[int]] = [set()]
        self.bags: dict[str, Bag] = {t: Bag() for t in (PROVINCIAL, UPPER, GC, GCELL, SUB, SCELL)}

    # elementary events ----------------------------------------------------------------------
    def _event(
        self, kind: str, org: int, day: dt.date, changes: dict, previous: dict, cause: int | None
    ) -> Event:
        event = Event(len(self.tree.events) + 1, kind, org, day, changes, previous, cause)
        self.tree.events.append(event)
        if kind not in ("merge", "split"):
            self.tree.by_org[org].append(event)
            self.last_event[org] = day
        return event

    def establish(
        self,
        day: dt.date,
        parent: int | None,
        type_: str,
        name: str,
        role: str,
        sector: str = "",
        cause: int | None = None,
    ) -> int:
        org = len(self.name)
        province = self.province[parent] if parent else None
        for column, value in (
            (self.name, name),
            (self.type, type_),
            (self.parent, parent),
            (self.sector, sector),
            (self.province, province),
            (self.address, ""),
            (self.role, role),
            (self.alive, True),
            (self.born, day),
            (self.last_event, day),
            (self.children, set()),
        ):
            column.append(value)
        self.tree.codes.append(f"TC{org:07d}")
        self.tree.by_org.append([])
        if parent:
            self.children[parent].add(org)
        if type_ in self.bags:
            self.bags[type_].add(org)
        state = {
            "name": name,
            "type": type_,
            "parent_id": parent,
            "sector": sector,
            "province_code": province,
            "address": "",
        }
        self._event("establish", org, day, state, {}, cause)
        return org

    def set_province(self, org: int, code: int) -> None:
        """Province code of a root-level province, before its establishment event is used."""
        self.province[org] = code
        self.tree.by_org[org][0].changes["province_code"] = code

    def move(self, day: dt.date, org: int, parent: int, cause: int | None = None) -> None:
        old = self.parent[org]
        assert old != parent and self.alive[parent] and self.born[parent] <= day
        self.children[old].discard(org)
        self.children[parent].add(org)
        self.parent[org] = parent
        self._event("move", org, day, {"parent_id": parent}, {"parent_id": old}, cause)

    def rename(self, day: dt.date, org: int, name: str, cause: int | None = None) -> None:
        old = self.name[org]
        assert old != name
        self.name[org] = name
        self._event("rename", org, day, {"name": name}, {"name": old}, cause)

    def convert(self, day: dt.date, org: int, type_: str, parent: int | None = None) -> None:
        """Chuyển đổi; with `parent` for a change of level, which moves it in the same event."""
        old = self.type[org]
        self.bags[old].remove(org)
        self.bags[type_].add(org)
        self.type[org] = type_
        changes, previous = {"type": type_}, {"type": old}
        if parent is not None:
            here = self.parent[org]
            assert parent != here and self.alive[parent] and self.born[parent] <= day
            self.children[here].discard(org)
            self.children[parent].add(org)
            self.parent[org] = parent
            changes["parent_id"], previous["parent_id"] = parent, here
        self._event("convert", org, day, changes, previous, None)

    def update(self, day: dt.date, org: int, address: str) -> None:
        old = self.address[org]
        self.address[org] = address
        self._event("update", org, day, {"address": address}, {"address": old}, None)

    def dissolve(self, day: dt.date, org: int, cause: int | None = None) -> None:
        assert not self.children[org], "dissolving an organisation that still has children"
        assert self.born[org] < day
        self.alive[org] = False
        self.bags[self.type[org]].remove(org)
        parent = self.parent[org]
        if parent:
            self.children[parent].discard(org)
        self._event("dissolve", org, day, {}, {"name": self.name[org]}, cause)

    def merge(self, day: dt.date, target: int, sources: list[int]) -> int:
        return self._event("merge", target, day, {"sources": sorted(sources)}, {}, None).id

    # helpers --------------------------------------------------------------------------------
    def date_between(self, start: dt.date, end: dt.date) -> dt.date:
        """A random date in [start, end)."""
        return start + dt.timedelta(days=self.rng.randrange((end - start).days))

    def province_of(self, org: int) -> int:
        while self.type[org] != PROVINCIAL:
            org = self.parent[org]
        return org

    def free(self, org: int, day: dt.date) -> bool:
        """Nothing has happened to the organisation on or after `day` yet."""
        return self.alive[org] and self.last_event[org] < day

    def cell_name(self, parent: int) -> str:
        rng = self.rng
        if self.role[parent] == "commune":
            return (
                f"Chi bộ {rng.choice(('thôn', 'ấp', 'bản', 'khu phố', 'tổ dân phố'))} {place(rng)}"
            )
        return f"Chi bộ {rng.choice(SMALL_UNITS)} {rng.randint(1, 9)}"

    def grassroots_name(self, type_: str, sector: str) -> str:
        rng = self.rng
        head = "Đảng bộ" if type_ == GC else "Chi bộ"
        if sector == "agency":
            return f"{head} {rng.choice(('Sở', 'Ban', 'Văn phòng'))} {rng.choice(DEPARTMENTS)}"
        if sector == "public_service_unit":
            unit = rng.choice(("Trường THCS", "Trường Tiểu học", "Bệnh viện", "Trung tâm Y tế"))
            return f"{head} {unit} {place(rng)}"
        if sector in ("state_enterprise", "private_enterprise"):
            return f"{head} Công ty {rng.choice(('TNHH', 'Cổ phần', ''))} {place(rng)}".replace(
                "  ", " "
            )
        if sector == "armed_forces":
            return f"{head} {rng.choice(('Công an', 'Quân sự'))} {place(rng)}"
        return f"{head} {place(rng)}"

    # the initial tree (established before 2016) ---------------------------------------------
    def build_initial(self, churn_establishments: int) -> None:
        n = self.n
        scale = n / 300_000
        from vietnam_provinces import Ward

        wards: dict[int, list[str]] = {}
        for ward in Ward.iter_all():
            wards.setdefault(int(ward.province_code), []).append(ward.name)
        self.ward_names = wards

        olds = [(code, name) for code, names in PROVINCE_GROUPS for name in names]
        group_size = {code: len(names) for code, names in PROVINCE_GROUPS}
        weights = [len(wards[code]) / group_size[code] for code, _ in olds]
        districts = apportion(max(len(olds), round(700 * scale)), weights, minimum=1)
        n_districts = sum(districts)
        communes_new = max(n_districts, round(3321 * scale))
        self.new_communes = communes_new
        fixed = 1 + len(olds) * 3 + n_districts + communes_new + churn_establishments
        budget = n - fixed
        grassroots = round(budget * 0.185)
        communes_old = max(n_districts, round(10_500 * scale))
        others = grassroots - communes_old
        subordinate = budget - grassroots
        assert others > len(olds) and subordinate > 0
        per_province_communes = apportion(communes_old, weights, minimum=1)
        per_province_others = apportion(others, weights, minimum=1)
        per_province_sub = apportion(subordinate, weights)

        self.central = self.establish(
            D(1930, 2, 3), None, CENTRAL, "Ban Chấp hành Trung ương Đảng", "central"
        )
        self.groups: list[tuple[int, list[int]]] = []
        self.blocs: dict[int, tuple[int, int]] = {}
        i = -1  # index among the old provinces
        for code, names in PROVINCE_GROUPS:
            members = []
            for name in names:
                i += 1
                p_born = self.date_between(D(1976, 7, 2), D(2004, 1, 1))
                p = self.establish(p_born, self.central, PROVINCIAL, f"Đảng bộ {name}", "province")
                self.set_province(p, code)
                members.append(p)
                self._populate_province(
                    p,
                    districts[i],
                    per_province_communes[i],
                    per_province_others[i],
                    per_province_sub[i],
                )
            self.groups.append((code, members))
        self.tree.central = self.central
        self.tree.bench_province = next(m[0] for c, m in self.groups if c == BENCH_PROVINCE_CODE)
        assert len(self.name) - 1 == n - communes_new - churn_establishments

    def _populate_province(
        self, province: int, n_districts: int, communes: int, others: int, subordinate: int
    ) -> None:
        rng = self.rng
        end = HISTORY_START
        born = self.born[province]
        where = self.name[province].removeprefix("Đảng bộ ")
        bloc_agencies = self.establish(
            self.date_between(born, end),
            province,
            UPPER,
            f"Đảng bộ Khối các cơ quan {where}",
            "bloc",
            "agency",
        )
        bloc_business = self.establish(
            self.date_between(born, end),
            province,
            UPPER,
            f"Đảng bộ Khối doanh nghiệp {where}",
            "bloc",
            "state_enterprise",
        )
        self.blocs[province] = (bloc_agencies, bloc_business)
        district_ids = []
        for _ in range(n_districts):
            kind = rng.choice(("huyện", "huyện", "huyện", "thị xã", "quận", "thành phố"))
            district_ids.append(
                self.establish(
                    self.date_between(born, end),
                    province,
                    UPPER,
                    f"Đảng bộ {kind} {place(rng)}",
                    "district",
                )
            )
        committees: list[int] = []
        commune_counts = apportion(communes, [1.0] * n_districts, minimum=1)
        for district, count in zip(district_ids, commune_counts, strict=True):
            for _ in range(count):
                committees.append(
                    self.establish(
                        self.date_between(self.born[district], end),
                        district,
                        GC,
                        f"Đảng bộ {rng.choice(('xã', 'xã', 'phường', 'thị trấn'))} {place(rng)}",
                        "commune_old",
                        "commune_ward",
                    )
                )
        n_communes = len(committees)
        for k in range(others):
            where = rng.random()
            if where < 0.65:
                parent = rng.choice(district_ids)
                sector = rng.choices(
                    ("agency", "public_service_unit", "state_enterprise", "private_enterprise")
                    + ("armed_forces", "other"),
                    (2, 5, 1, 3, 2, 1),
                )[0]
            elif where < 0.8:
                parent, sector = bloc_agencies, rng.choice(("agency", "public_service_unit"))
            elif where < 0.95:
                parent = bloc_business
                sector = rng.choice(("state_enterprise", "private_enterprise"))
            else:
                parent, sector = province, rng.choice(("armed_forces", "agency"))
            type_ = GC if (k == 0 or rng.random() < 0.3) else GCELL
            org = self.establish(
                self.date_between(self.born[parent], end),
                parent,
                type_,
                self.grassroots_name(type_, sector),
                "grassroots",
                sector,
            )
            if type_ == GC:
                committees.append(org)
        weights = [
            rng.uniform(0.8, 1.6) if i < n_communes else rng.uniform(0.2, 1.8)
            for i in range(len(committees))
        ]
        for committee, budget in zip(committees, apportion(subordinate, weights), strict=True):
            sector = self.sector[committee]
            while budget > 0:
                if budget >= 3 and self.role[committee] != "commune_old" and rng.random() < 0.06:
                    cells = min(budget - 1, rng.randint(2, 6))
                    sub = self.establish(
                        self.date_between(self.born[committee], end),
                        committee,
                        SUB,
                        f"Đảng bộ bộ phận {rng.choice(SMALL_UNITS)} {rng.randint(1, 9)}",
                        "sub",
                        sector,
                    )
                    for _ in range(cells):
                        self.establish(
                            self.date_between(self.born[sub], end),
                            sub,
                            SCELL,
                            self.cell_name(committee),
                            "sub",
                            sector,
                        )
                    budget -= 1 + cells
                else:
                    self.establish(
                        self.date_between(self.born[committee], end),
                        committee,
                        SCELL,
                        self.cell_name(committee),
                        "sub",
                        sector,
                    )
                    budget -= 1

    # ten years of restructuring -------------------------------------------------------------
    RATES = {  # share of --orgs per year
        "establish": 0.006,
        "dissolve": 0.0045,
        "move_cell": 0.005,
        "move_grassroots": 0.0025,
        "rename": 0.012,
        "convert": 0.0015,
        "update": 0.004,
    }

    def schedule(self) -> list[tuple[dt.date, int, str]]:
        items = []
        year = HISTORY_START.year
        seq = 0
        while D(year, 1, 1) < HISTORY_END:
            start, end = D(year, 1, 1), min(D(year + 1, 1, 1), HISTORY_END)
            fraction = (end - start).days / 365
            for kind, rate in self.RATES.items():
                for _ in range(round(rate * self.n * fraction)):
                    day = self.date_between(start, end)
                    while day in (DISTRICT_MERGE, REORG):
                        day = self.date_between(start, end)
                    seq += 1
                    items.append((day, seq, kind))
            year += 1
        items.sort()
        return items

    def simulate(self) -> None:
        items = self.schedule()
        establishments = sum(1 for *_, kind in items if kind == "establish")
        self.build_initial(establishments)
        specials = [(DISTRICT_MERGE, self.merge_districts), (REORG, self.reorganise)]
        for day, _, kind in items:
            while specials and specials[0][0] <= day:
                special_day, action = specials.pop(0)
                action(special_day)
            getattr(self, f"churn_{kind}")(day)
        for special_day, action in specials:
            action(special_day)
        assert len(self.name) - 1 == self.n, (len(self.name) - 1, self.n)

    def _pick(self, day: dt.date, types: Sequence[str], weights: Sequence[float]) -> int | None:
        for _ in range(30):
            org = self.bags[self.rng.choices(types, weights)[0]].choice(self.rng)
            if org is not None and self.free(org, day):
                return org
        return None

    def churn_establish(self, day: dt.date) -> None:
        rng = self.rng
        r = rng.random()
        if r < 0.7:
            parent = self.bags[GC if rng.random() < 0.75 or not self.bags[SUB] else SUB].choice(rng)
            self.establish(day, parent, SCELL, self.cell_name(parent), "sub", self.sector[parent])
        elif r < 0.76:
            parent = self.bags[GC].choice(rng)
            name = f"Đảng bộ bộ phận {rng.choice(SMALL_UNITS)} {rng.randint(1, 9)}"
            self.establish(day, parent, SUB, name, "sub", self.sector[parent])
        else:
            parent = self.bags[UPPER].choice(rng)
            type_ = GC if r < 0.8 else GCELL
            sector = rng.choice(("agency", "public_service_unit", "private_enterprise", "other"))
            name = self.grassroots_name(type_, sector)
            self.establish(day, parent, type_, name, "grassroots", sector)

    def churn_dissolve(self, day: dt.date) -> None:
        for _ in range(30):
            org = self._pick(day, (SCELL, GCELL, SUB, GC), (75, 20, 4, 1))
            if org and not self.children[org] and self.role[org] != "commune_old":
                self.dissolve(day, org)
                return

    def churn_move_cell(self, day: dt.date) -> None:
        rng = self.rng
        for _ in range(30):
            org = self._pick(day, (SCELL,), (1,))
            if org is None:
                return
            here = self.parent[org]
            committee = here if self.type[here] == GC else self.parent[here]
            if rng.random() < 0.5:
                candidates = [committee] + [
                    c for c in sorted(self.children[committee]) if self.type[c] == SUB
                ]
            else:
                upper = self.parent[committee]
                candidates = [c for c in sorted(self.children[upper]) if self.type[c] == GC]
            candidates = [c for c in candidates if c != here]
            if candidates:
                self.move(day, org, rng.choice(candidates))
                return

    def churn_move_grassroots(self, day: dt.date) -> None:
        rng = self.rng
        for _ in range(30):
            org = self._pick(day, (GC, GCELL), (40, 60))
            if org is None or self.role[org] == "commune_old" and day < REORG:
                continue
            here = self.parent[org]
            province = self.province_of(org)
            candidates = [
                c for c in sorted(self.children[province]) if self.type[c] == UPPER and c != here
            ]
            if here != province and rng.random() < 0.05:
                candidates = [province]
            if candidates:
                self.move(day, org, rng.choice(candidates))
                return

    def churn_rename(self, day: dt.date) -> None:
        org = self._pick(day, (SCELL, GC, GCELL, SUB, UPPER), (50, 15, 20, 5, 10))
        if org is None:
            return
        type_ = self.type[org]
        if type_ == SCELL:
            name = self.cell_name(self.parent[org])
        elif type_ in GRASSROOTS:
            name = self.grassroots_name(type_, self.sector[org])
        else:
            name = f"{self.name[org].rsplit(' (', 1)[0]} ({day.year})"
        if name != self.name[org]:
            self.rename(day, org, name)

    def churn_convert(self, day: dt.date) -> None:
        for _ in range(30):
            org = self._pick(day, (GCELL, SCELL, SUB, GC), (55, 35, 5, 5))
            if org is None:
                continue
            type_ = self.type[org]
            here = self.parent[org]
            if type_ == GCELL and self.rng.random() < 0.2:
                # into a subordinate cell of a grassroots committee beside it
                committees = [c for c in sorted(self.children[here]) if self.type[c] == GC]
                if not committees:
                    continue
                self.convert(day, org, SCELL, parent=self.rng.choice(committees))
            elif type_ == GCELL:
                self.convert(day, org, GC)
            elif type_ == SCELL and self.rng.random() < 0.3:
                # out of its grassroots committee, into a grassroots cell beside it
                committee = here if self.type[here] == GC else self.parent[here]
                self.convert(day, org, GCELL, parent=self.parent[committee])
            elif type_ == SCELL:
                if self.type[here] != GC:
                    continue  # a sub-committee sits only directly under a grassroots committee
                self.convert(day, org, SUB)
            elif self.children[org] or self.role[org] == "commune_old":
                continue
            else:
                self.convert(day, org, SCELL if type_ == SUB else GCELL)
            return

    def churn_update(self, day: dt.date) -> None:
        org = self._pick(day, (GC, GCELL, SCELL, UPPER), (30, 40, 25, 5))
        if org is not None:
            address = f"Số {self.rng.randint(1, 300)} đường {place(self.rng)}"
            if address != self.address[org]:
                self.update(day, org, address)

    # the big days ---------------------------------------------------------------------------
    def merge_districts(self, day: dt.date) -> None:
        """Sáp nhập of a few district committees into a neighbour (2019-2020)."""
        rng = self.rng
        for _, members in self.groups:
            for province in members:
                districts = [
                    c for c in sorted(self.children[province]) if self.role[c] == "district"
                ]
                if len(districts) < 2 or rng.random() > 0.3:
                    continue
                source, target = rng.sample(districts, 2)
                cause = self.merge(day, target, [source])
                for child in sorted(self.children[source]):
                    self.move(day, child, target, cause)
                self.dissolve(day, source, cause)

    def reorganise(self, day: dt.date) -> None:
        """01/07/2025: 63 provinces into 34, districts dissolved, new commune committees."""
        rng = self.rng
        all_districts = [
            d
            for _, members in self.groups
            for p in members
            for d in sorted(self.children[p])
            if self.role[d] == "district"
        ]
        old_communes = {
            d: [c for c in sorted(self.children[d]) if self.role[c] == "commune_old"]
            for d in all_districts
        }
        per_district = apportion(
            self.new_communes, [len(old_communes[d]) + 1 for d in all_districts], minimum=1
        )
        new_count = dict(zip(all_districts, per_district, strict=True))
        for code, members in self.groups:
            target = members[0]
            names = list(self.ward_names[code])
            rng.shuffle(names)
            districts = [d for p in members for d in all_districts if self.parent[d] == p]
            cause = self.merge(day, target, members[1:]) if len(members) > 1 else None
            for district in districts:
                communes = []
                for _ in range(new_count[district]):
                    ward = names.pop() if names else f"Xã {place(rng)}"
                    ward = ward[0].lower() + ward[1:]  # "Đảng bộ phường Hoàn Kiếm"
                    communes.append(
                        self.establish(
                            day, target, UPPER, f"Đảng bộ {ward}", "commune", "commune_ward"
                        )
                    )
                # the old commune committees of each new commune are merged into the first
                olds = old_communes[district]
                chunks = apportion(len(olds), [1.0] * len(communes))
                start = 0
                for commune, size in zip(communes, chunks, strict=True):
                    group = olds[start : start + size]
                    start += size
                    if not group:
                        continue
                    keeper, absorbed = group[0], group[1:]
                    merge_cause = self.merge(day, keeper, absorbed) if absorbed else None
                    for old in absorbed:
                        for child in sorted(self.children[old]):
                            self.move(day, child, keeper, merge_cause)
                        self.dissolve(day, old, merge_cause)
                    self.move(day, keeper, commune)
                    where = self.name[commune].removeprefix("Đảng bộ ")
                    self.rename(day, keeper, f"Đảng bộ cơ sở {where}")
                # everything else under the district goes to one of its new communes
                for child in sorted(self.children[district]):
                    self.move(day, child, rng.choice(communes))
                self.dissolve(day, district)
            for source in members[1:]:
                for bloc, into in zip(self.blocs[source], self.blocs[target], strict=True):
                    for child in sorted(self.children[bloc]):
                        self.move(day, child, into, cause)
                    self.dissolve(day, bloc, cause)
                for child in sorted(self.children[source]):
                    self.move(day, child, target, cause)
                self.dissolve(day, source, cause)


# derivation: the versions the services would compute from the events -------------------------
def replay(events: Iterable[Event]) -> list[tuple[dt.date, dt.date, dict]]:
    """history.replay without the database: the organisation's own states over time."""
    segments: list[tuple[dt.date, dt.date, dict]] = []
    state: dict | None = None
    start = D.min
    ended = False
    for event in sorted(events, key=lambda e: (e.date, e.id)):
        assert not ended, f"event after dissolution: {event}"
        if state is None:
            assert event.kind == "establish", f"event before establishment: {event}"
            state, start = dict(event.changes), event.date
            continue
        assert event.kind != "establish"
        if event.date > start:
            segments.append((start, event.date, dict(state)))
            start = event.date
        if event.kind == "dissolve":
            assert segments, f"dissolved on its establishment day: {event}"
            ended = True
        else:
            state.update(event.changes)
    if state is not None and not ended:
        segments.append((start, OPEN_END, dict(state)))
    return segments


def derive(tree: Tree) -> None:
    """Versions: a new one whenever the organisation or the path above it changes."""
    from dangvu.organizations.paths import segment
    from dangvu.organizations.rules import ALLOWED_PARENTS

    n = len(tree.codes) - 1
    segments = [[]] + [replay(tree.by_org[i]) for i in range(1, n + 1)]
    rows: list[list[tuple] | None] = [None] * (n + 1)
    starts: list[list[dt.date] | None] = [None] * (n + 1)

    def compute(org: int) -> list[tuple]:
        result: list[tuple] = []
        seg = segment(org)
        for s, e, state in segments[org]:
            frozen = tuple(state[f] for f in STATE_FIELDS)
            parent = state["parent_id"]
            assert None in ALLOWED_PARENTS[state["type"]] or parent is not None
            if parent is None:
                result.append((s, e, seg, frozen))
                continue
            parent_rows = rows[parent] if rows[parent] is not None else compute(parent)
            i = max(0, bisect.bisect_right(starts[parent], s) - 1)
            cursor = s
            while cursor < e:
                assert i < len(parent_rows), f"parent {parent} of {org} ends before {e}"
                ps, pe, ppath, pstate = parent_rows[i]
                assert ps <= cursor < pe, f"parent {parent} of {org} missing on {cursor}"
                assert pstate[1] in ALLOWED_PARENTS[state["type"]], (org, state, pstate)
                end = min(pe, e)
                result.append((cursor, end, ppath + seg, frozen))
                cursor = end
                i += 1
        merged: list[tuple] = []
        for row in result:
            if merged and merged[-1][1] == row[0] and merged[-1][2:] == row[2:]:
                merged[-1] = (merged[-1][0], row[1], *row[2:])
            else:
                merged.append(row)
        rows[org] = merged
        starts[org] = [r[0] for r in merged]
        return merged

    versions = []
    organizations = []
    for org in range(1, n + 1):
        own = rows[org] if rows[org] is not None else compute(org)
        for s, e, path, state in own:
            versions.append((org, s, e, path, state))
        last = own[-1][3]
        organizations.append(
            (
                org,
                tree.codes[org],
                last[0],
                last[1],
                last[2],
                last[3],
                last[4],
                last[5],
                own[0][0],
                None if own[-1][1] == OPEN_END else own[-1][1],
            )
        )
    tree.versions = versions
    tree.organizations = organizations


def generate(orgs: int = 300_000, seed: int = 2025) -> Tree:
    generator = Generator(orgs, seed)
    generator.simulate()
    derive(generator.tree)
    return generator.tree


# loading -------------------------------------------------------------------------------------
ORG_TABLE = "organizations_organization"
VERSION_TABLE = "organizations_organizationversion"
EVENT_TABLE = "organizations_organizationevent"
TABLES = (ORG_TABLE, VERSION_TABLE, EVENT_TABLE)


def _plain_indexes(cursor, table: str) -> list[tuple[str, str]]:
    """Indexes of `table` that back no constraint: (name, CREATE INDEX statement)."""
    cursor.execute(
        """
        SELECT c.relname, pg_get_indexdef(i.indexrelid)
        FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE i.indrelid = %s::regclass
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
        ORDER BY c.relname
        """,
        [table],
    )
    return cursor.fetchall()


def load(tree: Tree, connection) -> None:
    """COPY the tree into the (empty) tables; plain indexes are rebuilt after the load."""
    from django.db import transaction

    recorded = dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.UTC)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        indexes = [ix for table in TABLES for ix in _plain_indexes(cursor, table)]
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        with cursor.copy(
            f"COPY {ORG_TABLE} (id, code, name, type, parent_id, sector, province_code, "
            "address, established_on, dissolved_on) FROM STDIN"
        ) as copy:
            for row in tree.organizations:
                copy.write_row(row)
        with cursor.copy(
            f"COPY {VERSION_TABLE} (id, organization_id, valid_from, valid_to, path, depth, "
            "name, type, parent_id, sector, province_code, address) FROM STDIN"
        ) as copy:
            for i, (org, s, e, path, state) in enumerate(tree.versions, 1):
                copy.write_row((i, org, s, e, path, len(path) // 8, *state))
        with cursor.copy(
            f"COPY {EVENT_TABLE} (id, kind, organization_id, effective_date, changes, previous, "
            "cause_id, note, recorded_at) FROM STDIN"
        ) as copy:
            for ev in tree.events:
                copy.write_row(
                    (
                        ev.id,
                        ev.kind,
                        ev.organization_id,
                        ev.date,
                        json.dumps(ev.changes, ensure_ascii=False),
                        json.dumps(ev.previous, ensure_ascii=False),
                        ev.cause_id,
                        "",
                        recorded,
                    )
                )
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the foreign keys are checked here
        for _, statement in indexes:
            cursor.execute(statement)
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )


def analyze(connection, vacuum: bool = True) -> None:
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"{'VACUUM (ANALYZE)' if vacuum else 'ANALYZE'} {table}")


# consistency ---------------------------------------------------------------------------------
CHECKS_ON_DATE = {
    "version without its parent on that date, or path != parent's path + own segment": f"""
        SELECT count(*) FROM {VERSION_TABLE} c
        LEFT JOIN {VERSION_TABLE} p ON p.organization_id = c.parent_id
             AND p.valid_from <= %(d)s AND p.valid_to > %(d)s
        WHERE c.valid_from <= %(d)s AND c.valid_to > %(d)s AND (
            CASE WHEN c.parent_id IS NULL THEN c.path <> lpad(c.organization_id::text, 8, '0')
                 ELSE p.id IS NULL
                      OR c.path <> p.path || lpad(c.organization_id::text, 8, '0') END
            OR c.depth <> length(c.path) / 8)
    """,
    "organisation with two versions on that date": f"""
        SELECT count(*) FROM (
            SELECT organization_id FROM {VERSION_TABLE}
            WHERE valid_from <= %(d)s AND valid_to > %(d)s
            GROUP BY organization_id HAVING count(*) > 1) x
    """,
}
CHECKS = {
    "versions of one organisation overlapping or with a gap": f"""
        SELECT count(*) FROM (
            SELECT valid_from, lag(valid_to) OVER w AS prev_to FROM {VERSION_TABLE}
            WINDOW w AS (PARTITION BY organization_id ORDER BY valid_from)) x
        WHERE prev_to IS NOT NULL AND prev_to <> valid_from
    """,
    "adjacent versions that nothing distinguishes (not coalesced)": f"""
        SELECT count(*) FROM (
            SELECT valid_from, lag(valid_to) OVER w AS prev_to,
                   (path, name, type, parent_id, sector, province_code, address)
                   IS NOT DISTINCT FROM lag((path, name, type, parent_id, sector, province_code,
                                             address)) OVER w AS same
            FROM {VERSION_TABLE}
            WINDOW w AS (PARTITION BY organization_id ORDER BY valid_from)) x
        WHERE same AND prev_to = valid_from
    """,
    "version not covered by its parent's versions over its whole period (all dates)": f"""
        SELECT count(*) FROM (
            SELECT c.id FROM {VERSION_TABLE} c
            LEFT JOIN {VERSION_TABLE} p ON p.organization_id = c.parent_id
                 AND p.valid_from < c.valid_to AND p.valid_to > c.valid_from
                 AND c.path = p.path || lpad(c.organization_id::text, 8, '0')
            WHERE c.parent_id IS NOT NULL
            GROUP BY c.id, c.valid_from, c.valid_to
            -- days of the child's period covered by a matching parent version (least() and
            -- greatest() skip NULLs, hence the CASE for a child with no match at all)
            HAVING sum(CASE WHEN p.id IS NULL THEN 0
                            ELSE least(p.valid_to, c.valid_to)
                                 - greatest(p.valid_from, c.valid_from) END)
                   <> c.valid_to - c.valid_from) x
    """,
    "organisation whose columns are not its latest version": f"""
        SELECT count(*) FROM {ORG_TABLE} o
        JOIN LATERAL (SELECT * FROM {VERSION_TABLE} v WHERE v.organization_id = o.id
                      ORDER BY v.valid_from DESC LIMIT 1) v ON true
        WHERE (o.name, o.type, o.parent_id, o.sector, o.province_code, o.address)
              IS DISTINCT FROM (v.name, v.type, v.parent_id, v.sector, v.province_code, v.address)
           OR o.established_on <> (SELECT min(valid_from) FROM {VERSION_TABLE}
                                    WHERE organization_id = o.id)
           OR o.dissolved_on IS DISTINCT FROM nullif(v.valid_to, DATE '9999-12-31')
    """,
}


def check_consistency(connection, dates: Iterable[dt.date] = SAMPLE_DATES) -> list[str]:
    """SQL checks of the stored versions; returns the failures (empty when consistent)."""
    failures = []
    with connection.cursor() as cursor:
        for day in dates:
            for label, sql in CHECKS_ON_DATE.items():
                cursor.execute(sql, {"d": day})
                (bad,) = cursor.fetchone()
                if bad:
                    failures.append(f"{day:%d/%m/%Y}: {bad} {label}")
        for label, sql in CHECKS.items():
            cursor.execute(sql)
            (bad,) = cursor.fetchone()
            if bad:
                failures.append(f"{bad} {label}")
    return failures


def check_against_services(tree: Tree, sample: int = 200, seed: int = 7) -> tuple[int, list[str]]:
    """Recompute the versions of a sample of organisations with the services' own TreeBuilder
    (from the stored events, the rest of the tree read as stored) and compare: (how many were
    checked, the differences)."""
    from dangvu.core.errors import DomainError
    from dangvu.organizations.history import TreeBuilder
    from dangvu.organizations.models import OrganizationVersion

    rng = random.Random(seed)
    by_kind: dict[str, set[int]] = {}
    for event in tree.events:
        kind = event.kind
        if kind == "convert" and "parent_id" in event.changes:
            kind = "convert with a move"
        by_kind.setdefault(kind, set()).add(event.organization_id)
    chosen = set(rng.sample(range(1, len(tree.codes)), min(sample, len(tree.codes) - 1)))
    for orgs in by_kind.values():  # every kind of history, a few of each
        chosen |= set(rng.sample(sorted(orgs), min(sample // 5, len(orgs))))
    ids = sorted(chosen)
    failures = []
    for org in ids:
        try:
            builder = TreeBuilder({org})
            segs = builder.segments[org]
            derived = [
                (r.start, r.end, r.path, r.state)
                for r in builder.rows(org, segs[0][0], segs[-1][1])
            ]
        except DomainError as error:
            failures.append(f"organisation {org}: the services refuse its history: {error}")
            continue
        stored = [
            (v.valid_from, v.valid_to, v.path, tuple((f, getattr(v, f)) for f in STATE_FIELDS))
            for v in OrganizationVersion.objects.filter(organization_id=org).order_by("valid_from")
        ]
        if derived != stored:
            failures.append(f"organisation {org}: services derive {derived}, stored {stored}")
    return len(ids), failures


# the questions, three ways ---------------------------------------------------------------------
V = VERSION_TABLE
GRASSROOTS_SQL = "('grassroots_committee', 'grassroots_cell')"
PAGE = 100  # django-ninja's LimitOffsetPagination default page, as the API serves a subtree

# The naive design: walk the parent links as they stood on D, from the root's version on D.
CTE = f"""
    WITH RECURSIVE t AS (
        SELECT * FROM {V} WHERE organization_id = %(root)s
           AND valid_from <= %(d)s AND valid_to > %(d)s
        UNION ALL
        SELECT c.* FROM {V} c JOIN t ON c.parent_id = t.organization_id
        WHERE c.valid_from <= %(d)s AND c.valid_to > %(d)s
    )
"""
# Depth-first order for a page needs the chain of ids from the root, built along the walk.
CTE_ORDERED = f"""
    WITH RECURSIVE t AS (
        SELECT v.*, ARRAY[v.organization_id] AS chain FROM {V} v
        WHERE v.organization_id = %(root)s AND v.valid_from <= %(d)s AND v.valid_to > %(d)s
        UNION ALL
        SELECT c.*, t.chain || c.organization_id FROM {V} c JOIN t
            ON c.parent_id = t.organization_id
        WHERE c.valid_from <= %(d)s AND c.valid_to > %(d)s
    )
"""
# What the selector fetches for each row: the version, its organisation and its parent.
JOINS = f"""
    JOIN LATERAL (SELECT * FROM {ORG_TABLE} o WHERE o.id = v.organization_id LIMIT 1) o ON true
    LEFT JOIN LATERAL (SELECT * FROM {ORG_TABLE} p WHERE p.id = v.parent_id LIMIT 1) p ON true
"""
IN_RANGE = """
    v.path >= %(lo)s AND v.path < %(hi)s AND v.valid_from <= %(d)s AND v.valid_to > %(d)s
"""
SQL = {
    "cte_ids": CTE + "SELECT organization_id FROM t",
    "cte_rows": CTE + f"SELECT v.*, o.*, p.* FROM t v {JOINS}",
    "cte_page": CTE_ORDERED
    + f"""SELECT v.*, o.*, p.*, count(*) OVER () FROM t v {JOINS}
          ORDER BY v.chain LIMIT {PAGE}""",
    "cte_count": CTE + f"SELECT count(*) FROM t WHERE type IN {GRASSROOTS_SQL}",
    "root_path": f"""SELECT path FROM {V}
        WHERE organization_id = %(root)s AND valid_from <= %(d)s AND valid_to > %(d)s""",
    "hand_ids": f"SELECT v.organization_id FROM {V} v WHERE {IN_RANGE} ORDER BY v.path",
    "hand_rows": f"SELECT v.*, o.*, p.* FROM {V} v {JOINS} WHERE {IN_RANGE} ORDER BY v.path",
    "hand_page_count": f"SELECT count(*) FROM {V} v WHERE {IN_RANGE}",
    "hand_page": f"""SELECT v.*, o.*, p.* FROM {V} v {JOINS} WHERE {IN_RANGE}
        ORDER BY v.path LIMIT {PAGE}""",
    "hand_count": f"""SELECT count(*) FROM {V} v
        WHERE v.type IN {GRASSROOTS_SQL} AND {IN_RANGE}""",
}


def _fetch(cursor, key: str, params: dict) -> list[tuple]:
    cursor.execute(SQL[key], params)
    return cursor.fetchall()


def cte(connection, question: str, root: int, day: dt.date):
    """The naive design: a recursive walk down the parent links as they stood on `day`."""
    params = {"root": root, "d": day}
    with connection.cursor() as cursor:
        rows = _fetch(cursor, f"cte_{question}", params)
    if question == "ids":
        return [r[0] for r in rows]
    if question == "count":
        return rows[0][0]
    if question == "page":
        return (rows[0][-1] if rows else 0), [r[:-1] for r in rows]
    return rows


def hand(connection, question: str, root: int, day: dt.date):
    """The floor: the path range written by hand, with the root's path looked up first
    (a literal range lets the planner see how narrow it is, which a subquery hides)."""
    from dangvu.organizations.paths import subtree_end

    with connection.cursor() as cursor:
        (path,) = _fetch(cursor, "root_path", {"root": root, "d": day})[0]
        params = {"lo": path, "hi": subtree_end(path), "d": day}
        if question == "page":
            (count,) = _fetch(cursor, "hand_page_count", params)[0]
            return count, _fetch(cursor, "hand_page", params)
        rows = _fetch(cursor, f"hand_{question}", params)
    if question == "ids":
        return [r[0] for r in rows]
    if question == "count":
        return rows[0][0]
    return rows


def ours(question: str, root, day: dt.date):
    """The project's selectors, as the API calls them."""
    from dangvu.access.scopes import Scope
    from dangvu.organizations import selectors
    from dangvu.organizations.models import GRASSROOTS_TYPES

    scope = Scope.system()
    if question == "count":
        return selectors.organization_count(scope=scope, at=day, root=root, types=GRASSROOTS_TYPES)
    queryset = selectors.organization_subtree(scope=scope, organization=root, at=day)
    if question == "ids":
        return list(queryset.values_list("organization_id", flat=True))
    if question == "page":  # what LimitOffsetPagination does with the selector's queryset
        return queryset.count(), list(queryset[:PAGE])
    return list(queryset)


QUESTIONS = {
    "ids": "subtree of the province: ids",
    "rows": "subtree of the province: rows",
    "page": f"subtree, API page (count + {PAGE} rows)",
    "count": "grassroots orgs under the root: count",
}


@dataclass
class Measure:
    question: str
    day: dt.date
    rows: int
    ms: dict[str, float]  # end to end, as the caller sees it
    server_ms: dict[str, float]  # planning + execution in PostgreSQL, summed over the statements


def _org_ids(method: str, rows, org_col: int) -> list[int]:
    if method == "ours":
        return [v.organization_id for v in rows]
    return [row[org_col] for row in rows]


def _agree(question: str, answers: dict, org_col: int) -> int:
    """Assert that the three methods give the same answer; return its size."""
    if question == "count":
        assert answers["ours"] == answers["cte"] == answers["hand"], answers
        return answers["ours"]
    if question == "page":
        counts = {name: answer[0] for name, answer in answers.items()}
        assert len(set(counts.values())) == 1, counts
        pages = {name: _org_ids(name, answer[1], org_col) for name, answer in answers.items()}
        # the naive walk orders by the chain of ids, we by path: the same depth-first order
        assert pages["ours"] == pages["hand"] == pages["cte"], "pages differ"
        return counts["ours"]
    ids = {
        name: answer if question == "ids" else _org_ids(name, answer, org_col)
        for name, answer in answers.items()
    }
    for name, values in ids.items():
        assert len(values) == len(set(values)), f"{name}: an organisation twice"
    assert set(ids["ours"]) == set(ids["cte"]) == set(ids["hand"]), {
        name: len(values) for name, values in ids.items()
    }
    assert ids["ours"] == ids["hand"], "ours and hand-written differ in order"
    return len(ids["ours"])


def compare(
    connection, root_ids: dict[str, int], day: dt.date, repeat: int, questions=tuple(QUESTIONS)
) -> list[Measure]:
    """Time the questions on `day` three ways (interleaved, warm); assert that they agree."""
    from dangvu.organizations.models import Organization

    province = Organization.objects.get(pk=root_ids["province"])
    central = Organization.objects.get(pk=root_ids["central"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {V} LIMIT 0")
        org_col = [c.name for c in cursor.description].index("organization_id")
    results = []
    for question in questions:
        root = central if question == "count" else province
        methods: dict[str, Callable[[], object]] = {
            "ours": lambda q=question, r=root: ours(q, r, day),
            "cte": lambda q=question, r=root: cte(connection, q, r.pk, day),
            "hand": lambda q=question, r=root: hand(connection, q, r.pk, day),
        }
        answers = {name: method() for name, method in methods.items()}  # also warms up
        size = _agree(question, answers, org_col)
        timings: dict[str, list[float]] = {name: [] for name in methods}
        names = list(methods)
        for i in range(repeat):
            for name in names[i % 3 :] + names[: i % 3]:
                start = time.perf_counter()
                methods[name]()
                timings[name].append((time.perf_counter() - start) * 1000)
        medians = {name: statistics.median(values) for name, values in timings.items()}
        server = server_side(connection, methods, repeat)
        results.append(Measure(question, day, size, medians, server))
    return results


def server_side(connection, methods: dict[str, Callable[[], object]], repeat: int) -> dict:
    """Median of PostgreSQL's own planning + execution time of the statements each method sends
    (EXPLAIN ANALYZE with TIMING OFF: no per-node clock, so close to the real cost), without
    the round trips, the transfer of the rows and the Python around them."""
    from django.test.utils import CaptureQueriesContext

    statements = {}
    for name, method in methods.items():
        with CaptureQueriesContext(connection) as captured:
            method()
        statements[name] = [q["sql"] for q in captured.captured_queries]
    timings: dict[str, list[float]] = {name: [] for name in methods}
    with connection.cursor() as cursor:
        for _ in range(repeat):
            for name, sqls in statements.items():
                total = 0.0
                for sql in sqls:
                    cursor.execute("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + sql)
                    (plan,) = cursor.fetchone()[0]
                    total += plan["Planning Time"] + plan["Execution Time"]
                timings[name].append(total)
    return {name: statistics.median(values) for name, values in timings.items()}


def explain(connection, root_ids: dict[str, int], day: dt.date) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of the SQL each method sends for each question."""
    from django.test.utils import CaptureQueriesContext

    from dangvu.organizations.models import Organization

    province = Organization.objects.get(pk=root_ids["province"])
    central = Organization.objects.get(pk=root_ids["central"])
    out = []
    for question in QUESTIONS:
        root = central if question == "count" else province
        for name, method in (
            ("ours", lambda q=question, r=root: ours(q, r, day)),
            ("cte", lambda q=question, r=root: cte(connection, q, r.pk, day)),
            ("hand", lambda q=question, r=root: hand(connection, q, r.pk, day)),
        ):
            with CaptureQueriesContext(connection) as captured:
                method()
            for query in captured.captured_queries:
                sql = query["sql"]
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = "\n".join(r[0] for r in cursor.fetchall())
                out.append(f"--- {QUESTIONS[question]} / {name} on {day}\n{sql}\n{plan}")
    return "\n\n".join(out)


# the command ---------------------------------------------------------------------------------
def _database_params() -> dict:
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("DATABASE_URL must point at PostgreSQL, e.g. postgres://postgres@127.0.0.1/x")
    return dj_database_url.parse(url)


def ensure_database(fresh: bool) -> None:
    import psycopg
    from psycopg import sql

    params = _database_params()
    conninfo = {
        "host": params["HOST"] or None,
        "port": params["PORT"] or None,
        "user": params["USER"] or None,
        "password": params["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    name = params["NAME"]
    with psycopg.connect(**{k: v for k, v in conninfo.items() if v is not None}) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangvu.settings")
    os.environ.setdefault("DANGVU_SECRET_KEY", "bench-only-not-a-secret")
    sys.path.insert(0, str(ROOT_DIR / "src"))
    import django

    django.setup()


def loaded_meta(connection) -> tuple | None:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_tree_meta "
            "(orgs integer, seed integer, version integer, central bigint, province bigint)"
        )
        cursor.execute("SELECT orgs, seed, version, central, province FROM bench_tree_meta")
        return cursor.fetchone()


def fmt_ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def report(
    measures: list[Measure], floor_ratio: float, naive_ratio: float, server: bool = False
) -> tuple[str, bool]:
    head = (
        f"{'question':<42} {'date':>10} {'rows':>7} {'ours ms':>8} {'CTE ms':>8} "
        f"{'hand ms':>8} {'CTE/ours':>14} {'ours/hand':>14}"
    )
    lines = [head, "-" * len(head)]
    ok = True
    order = list(QUESTIONS)
    for m in sorted(measures, key=lambda m: (order.index(m.question), m.day)):
        ms = m.server_ms if server else m.ms
        naive = ms["cte"] / ms["ours"]
        floor = ms["ours"] / ms["hand"]
        naive_ok = naive >= naive_ratio
        floor_ok = floor <= floor_ratio
        ok &= naive_ok and floor_ok
        lines.append(
            f"{QUESTIONS[m.question]:<42} {m.day:%d/%m/%Y} {m.rows:>7,} "
            f"{fmt_ms(ms['ours']):>8} {fmt_ms(ms['cte']):>8} {fmt_ms(ms['hand']):>8} "
            f"{naive:>8.1f} {'PASS' if naive_ok else 'FAIL':>5} "
            f"{floor:>8.2f} {'PASS' if floor_ok else 'FAIL':>5}"
        )
    return "\n".join(lines), ok


def table_sizes(connection) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT relname, pg_relation_size(relid), pg_indexes_size(relid),
                   pg_total_relation_size(relid)
            FROM pg_stat_user_tables WHERE relname = ANY(%s) ORDER BY relname
            """,
            [list(TABLES)],
        )
        rows = []
        for name, *sizes in cursor.fetchall():
            cursor.execute(f"SELECT count(*) FROM {name}")
            rows.append((name, cursor.fetchone()[0], *sizes))
        cursor.execute(
            """
            SELECT c.relname, pg_relation_size(c.oid)
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            WHERE i.indrelid = %s::regclass ORDER BY c.relname
            """,
            [VERSION_TABLE],
        )
        index_rows = cursor.fetchall()
        cursor.execute("SELECT pg_database_size(current_database())")
        (db_size,) = cursor.fetchone()

    def mb(n: int) -> str:
        return f"{n / 2**20:,.1f} MB"

    lines = [f"{'table':<36} {'rows':>10} {'heap':>11} {'indexes':>11} {'total':>11}"]
    for name, live, heap, idx, total in rows:
        lines.append(f"{name:<36} {live:>10,} {mb(heap):>11} {mb(idx):>11} {mb(total):>11}")
    lines.append(f"indexes of {VERSION_TABLE}:")
    for name, size in index_rows:
        lines.append(f"  {name:<57} {mb(size):>11}")
    lines.append(f"database {mb(db_size)}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orgs", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE plans")
    parser.add_argument("--jit", action="store_true", help="keep PostgreSQL's JIT on")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a PostgreSQL setting for the timed session, e.g. random_page_cost=1.1",
    )
    args = parser.parse_args(argv)

    started = time.perf_counter()
    ensure_database(args.fresh)
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    meta = loaded_meta(connection)
    print(f"dangvu tree benchmark: {args.orgs:,} organisations, seed {args.seed}")
    if meta and meta[:3] == (args.orgs, args.seed, GENERATOR_VERSION):
        root_ids = {"central": meta[3], "province": meta[4]}
        print("tree already loaded: reusing it (--fresh to rebuild)")
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                f"TRUNCATE {', '.join(TABLES)}, bench_tree_meta RESTART IDENTITY CASCADE"
            )
        t0 = time.perf_counter()
        tree = generate(args.orgs, args.seed)
        t1 = time.perf_counter()
        print(
            f"generated {len(tree.organizations):,} organisations, {len(tree.versions):,} "
            f"versions, {len(tree.events):,} events in {t1 - t0:.1f} s"
        )
        load(tree, connection)
        t2 = time.perf_counter()
        analyze(connection)
        t3 = time.perf_counter()
        print(f"COPY + indexes {t2 - t1:.1f} s, VACUUM ANALYZE {t3 - t2:.1f} s")
        root_ids = {"central": tree.central, "province": tree.bench_province}
        checked, failures = check_against_services(tree)
        print(
            f"versions of {checked:,} organisations (every kind of event) recomputed by the "
            "services' history.TreeBuilder from the stored events: "
            + ("identical" if not failures else f"{len(failures)} differ")
        )
        for failure in failures[:5]:
            print("  " + failure)
        if failures:
            return 1
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_tree_meta VALUES (%s, %s, %s, %s, %s)",
                [args.orgs, args.seed, GENERATOR_VERSION, tree.central, tree.bench_province],
            )
        del tree
    t0 = time.perf_counter()
    failures = check_consistency(connection)
    print(
        f"consistency ({', '.join(f'{d:%d/%m/%Y}' for d in SAMPLE_DATES)} and all dates): "
        + ("ok" if not failures else "FAILED")
        + f" in {time.perf_counter() - t0:.1f} s"
    )
    for failure in failures:
        print("  " + failure)
    if failures:
        return 1

    with connection.cursor() as cursor:
        if not args.jit:
            cursor.execute("SET jit = off")
        for setting in args.set:
            name, value = setting.split("=", 1)
            cursor.execute("SELECT set_config(%s, %s, false)", [name.strip(), value.strip()])
        cursor.execute(
            "SELECT version(), current_setting('jit'), current_setting('work_mem'), "
            "current_setting('shared_buffers'), current_setting('random_page_cost')"
        )
        version, jit, work_mem, shared_buffers, random_page_cost = cursor.fetchone()
        cursor.execute(f"SELECT count(*), count(*) FILTER (WHERE valid_to = '9999-12-31') FROM {V}")
        n_versions, n_open = cursor.fetchone()
        cursor.execute(f"SELECT count(*) FROM {EVENT_TABLE}")
        (n_events,) = cursor.fetchone()
        cursor.execute(f"SELECT name FROM {ORG_TABLE} WHERE id = %s", [root_ids["province"]])
        (province_name,) = cursor.fetchone()
    print(
        version.split(" on ")[0] + f": jit={jit}, work_mem={work_mem}, "
        f"shared_buffers={shared_buffers}, random_page_cost={random_page_cost}"
    )
    print(f"{n_versions:,} versions ({n_open:,} open), {n_events:,} events")
    print()
    print(table_sizes(connection))
    print()
    print(
        f"subtree: {province_name} (id {root_ids['province']}); count: under the root "
        f"(id {root_ids['central']}); median of {args.repeat} warm runs, interleaved"
    )
    print(
        "ours = dangvu.organizations.selectors through Scope.system(): ids = values_list of "
        "organization_id, rows = list() of the versions with the codes of organisation and "
        f"parent; API page = .count() + first {PAGE} rows (LimitOffsetPagination); CTE = "
        "recursive walk down parent_id on the versions valid on D; hand = the path range by "
        "hand (root path looked up first), same columns fetched as ours, as tuples"
    )
    load_before = os.getloadavg()[0]
    measures = []
    for day in (BEFORE, AFTER):
        measures += compare(connection, root_ids, day, args.repeat)
    text, ok = report(measures, floor_ratio=1.5, naive_ratio=5.0)
    print("end to end (what the caller waits for; these decide PASS/FAIL):")
    print(text)
    print(
        "targets: CTE/ours >= 5 (naive design), ours/hand <= 1.5 (floor); load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after (on {os.cpu_count()} CPUs)"
    )
    print()
    print("server side only (PostgreSQL planning + execution, EXPLAIN ANALYZE TIMING OFF):")
    print(report(measures, floor_ratio=1.5, naive_ratio=5.0, server=True)[0])
    if args.explain:
        for day in (BEFORE, AFTER):
            print()
            print(explain(connection, root_ids, day))
    print(f"\ntotal {time.perf_counter() - started:.0f} s: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
