"""A workbook of a few hundred personal files with ten lives that between them use every kind
of event, in an organisation tree of the 1980s; for comparing the per-row and the bulk paths."""

import datetime as dt
import random

from dangvu.members.events import MemberEventKind as E

from .workbooks import DECIDED, citizen_id, simple

D = dt.date
CELLS = ("NB.CB", "NB.TC", "NB.GD")
TREE = [
    ["Mã tổ chức", "Tên tổ chức đảng", "Loại tổ chức", "Trực thuộc", "Ngày thành lập",
     "Số quyết định", "Ngày quyết định", "Cơ quan ban hành"],
    ["NB", "Đảng bộ tỉnh Nghĩa Bình", "Đảng bộ tỉnh", "", "01/01/1976", "1-QĐ/TW", "20/12/1975",
     "Ban Bí thư Trung ương Đảng"],
    ["NB.CB", "Chi bộ Cơ quan Tỉnh ủy", "Chi bộ cơ sở", "NB", "01/01/1980", "5-QĐ/TU",
     "15/12/1979", "Ban Thường vụ Tỉnh ủy"],
    ["NB.TC", "Chi bộ Sở Tài chính", "Chi bộ cơ sở", "NB", "01/01/1980", "6-QĐ/TU",
     "15/12/1979", "Ban Thường vụ Tỉnh ủy"],
    ["NB.GD", "Chi bộ Sở Giáo dục", "Chi bộ cơ sở", "NB", "01/01/1980", "7-QĐ/TU",
     "15/12/1979", "Ban Thường vụ Tỉnh ủy"],
]  # fmt: skip
PEOPLE = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Quê quán", "Nghề nghiệp", "Chi bộ"]
EVENTS = ["Họ và tên", "Ngày sinh", "Số CCCD", "Số thẻ đảng viên", "Sự kiện", "Ngày",
          "Chi bộ chuyển đến", "Đến ngày", "Ngày chi bộ xét", "Số quyết định", "Ngày quyết định",
          "Cơ quan ban hành", "Hình thức kỷ luật", "Mốc Huy hiệu", "Lý do", "Ngày làm đơn"]  # fmt: skip
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng", "Bùi", "Đỗ", "Hồ")
MIDDLE = {"male": ("Văn", "Đức", "Minh", "Quang", "Hữu"), "female": ("Thị", "Ngọc", "Thu", "Kim")}
GIVEN = {
    "male": ("An", "Bình", "Cường", "Dũng", "Hùng", "Khoa", "Long", "Phúc", "Sơn", "Tuấn"),
    "female": ("Anh", "Hoa", "Hương", "Lan", "Mai", "Ngọc", "Nhung", "Thảo", "Trang", "Yến"),
}


def _day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _add_years(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years, day=min(day.day, 28))


class _Book:
    """Decision numbers per issuing body and year, as a bloc office numbers them."""

    def __init__(self) -> None:
        self.used: dict[tuple[str, int], int] = {}

    def symbol(self, day: dt.date, code: str = "QĐ/ĐUK") -> str:
        key = (code, day.year)
        self.used[key] = self.used.get(key, 0) + 1
        return f"{self.used[key]}-{code}"


def histories(count: int = 300, seed: int = 6) -> tuple[list[list], list[list]]:
    """The people and events sheets (header first) of `count` lives."""
    rng = random.Random(seed)
    book = _Book()
    people, events = [PEOPLE], []
    for index in range(count):
        sex = "female" if index % 3 == 1 else "male"
        pattern = index % 10
        admitted = D(rng.randint(1981, 1988), rng.randint(1, 6), rng.randint(1, 28))
        if pattern not in (6,):
            admitted = D(rng.randint(1981, 2015), rng.randint(1, 6), rng.randint(1, 28))
        if pattern == 9:
            admitted = D(2024, rng.randint(6, 9), rng.randint(1, 28))
        born = D(admitted.year - rng.randint(20, 32), rng.randint(1, 12), rng.randint(1, 28))
        name = " ".join((rng.choice(FAMILY), rng.choice(MIDDLE[sex]), rng.choice(GIVEN[sex])))
        by_name = index % 25 == 7  # no citizen ID: the events name the person and birth date
        number = "" if by_name else citizen_id(born.year, sex, 1000 + index)
        cell = CELLS[index % 3]
        people.append(
            [name, _day(born), "Nữ" if sex == "female" else "Nam", number,
             rng.choice(("Bình Định", "Quảng Ngãi", "Huế")), "Chuyên viên", cell]
        )  # fmt: skip

        def event(kind, day, who=(number, by_name, name, born), **cells):
            number, by_name, name, born = who
            row = dict.fromkeys(EVENTS, "")
            row.update({"Số CCCD": number, "Sự kiện": E(kind).label, "Ngày": _day(day)})
            if by_name:
                row.update({"Họ và tên": name, "Ngày sinh": _day(born)})
            row.update(cells)
            events.append([row[key] for key in EVENTS])

        def decided(day, code="QĐ/ĐUK"):
            return {"Số quyết định": book.symbol(day, code), "Ngày quyết định": _day(day),
                    "Cơ quan ban hành": DECIDED}  # fmt: skip

        decision = admitted - dt.timedelta(days=10)
        event(E.ADMISSION, admitted, **decided(decision),
              **{"Ngày chi bộ xét": _day(decision - dt.timedelta(days=20))})  # fmt: skip
        end = _add_years(admitted, 1)
        recognised = end + dt.timedelta(days=rng.randint(0, 20))
        if pattern == 9:
            continue
        if pattern == 7:
            event(E.RECOGNITION_REFUSED, recognised, **decided(recognised),
                  **{"Lý do": "Lý do khác"})  # fmt: skip
            continue
        event(E.RECOGNITION, recognised, **decided(recognised))
        later = _add_years(recognised, 2)
        other = CELLS[(index + 1) % 3]
        if pattern == 1:
            event(E.TRANSFER_OUT, later, **{"Chi bộ chuyển đến": other})
            event(E.TRANSFER_IN, later + dt.timedelta(days=12))
        elif pattern == 2:
            until = _add_years(later, 1) - dt.timedelta(days=40)
            event(E.TEMPORARY_TRANSFER_OUT, later,
                  **{"Chi bộ chuyển đến": other, "Đến ngày": _day(until)})  # fmt: skip
            event(E.TEMPORARY_RETURN, until)
        elif pattern == 3:
            event(E.CARD_ISSUE, recognised + dt.timedelta(days=60),
                  **{"Số thẻ đảng viên": f"52{index:06d}"})  # fmt: skip
            event(E.CARD_REPLACE, later, **{"Số thẻ đảng viên": f"53{index:06d}"})
        elif pattern == 4:
            event(E.DISCIPLINE, later, **decided(later), **{"Hình thức kỷ luật": "Khiển trách"})
        elif pattern == 5:
            event(E.STRUCK_OFF, later, **decided(later), **{"Lý do": "Lý do khác"})
            again = _add_years(later, 4)
            event(E.READMISSION, again + dt.timedelta(days=10), **decided(again),
                  **{"Ngày chi bộ xét": _day(again - dt.timedelta(days=15))})  # fmt: skip
        elif pattern == 6:
            proposed = _add_years(decision, 30) + dt.timedelta(days=90)
            event(E.BADGE_PROPOSAL, proposed, **{"Mốc Huy hiệu": 30})
            awarded = proposed + dt.timedelta(days=60)
            event(E.BADGE_AWARD, awarded, **decided(awarded, "QĐ/TU"), **{"Mốc Huy hiệu": "30 năm"})
            exempt = awarded + dt.timedelta(days=200)
            event(E.EXEMPTION, exempt, **{"Lý do": "Tuổi cao, sức khỏe yếu",
                  "Ngày làm đơn": _day(exempt - dt.timedelta(days=20))})  # fmt: skip
            event(E.EXEMPTION_END, _add_years(exempt, 1))
            event(E.DEATH, _add_years(exempt, 2))
        elif pattern == 8:
            kind = E.EXPULSION if index % 20 == 8 else E.WITHDRAWAL
            event(kind, later, **decided(later))
    rng.shuffle(events)  # a history may be listed in any order
    return people, [EVENTS, *events]


def workbook(count: int = 300, seed: int = 6, *, tree: bool = True) -> bytes:
    people, events = histories(count, seed)
    sheets = {"Tổ chức": TREE} if tree else {}
    return simple({**sheets, "Đảng viên": people, "Sự kiện": events})
