"""The synthetic organisation tree: a deterministic national tree with ten years of history.

Organisations established before 2016, then ten years of restructuring (2016-2026, including
the 01/07/2025 reorganisation: 63 provinces merged into 34, district committees dissolved,
their grassroots organisations moved under new commune committees), generated from a seed as
events and derived into the versions the services would compute (`derive`), then loaded with
PostgreSQL COPY (`load`) or, on SQLite, by batches of INSERT (`dangvu.synth.loading`).

Deterministic: a seeded `random.Random` and fixed lists; the same (orgs, seed) give the same
rows, id for id.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

D = dt.date
OPEN_END = D(9999, 12, 31)
HISTORY_START = D(2016, 1, 1)
DISTRICT_MERGE = D(2020, 1, 1)
REORG = D(2025, 7, 1)
HISTORY_END = D(2026, 7, 1)  # events in [HISTORY_START, HISTORY_END)

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
            cursor.execute(  # the table names are the constants above
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )


def analyze(connection, vacuum: bool = True) -> None:
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"{'VACUUM (ANALYZE)' if vacuum else 'ANALYZE'} {table}")
