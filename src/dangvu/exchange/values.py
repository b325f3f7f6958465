"""Reading one cell the way users fill it: tolerant of form, strict of meaning.

Tolerated: dates as dd/mm/yyyy (or - and .), ISO, Excel dates and date serials, month and year
or year only where the file allows it; extra spaces; any case; Vietnamese words with or without
diacritics; numbers Excel stored without their leading zeros (citizen IDs, phone numbers).
Anything that cannot be read for sure raises CellError with a code and a Vietnamese message;
nothing is guessed.
"""

import datetime as dt
import functools
import re
import unicodedata
from decimal import Decimal

from openpyxl.utils.datetime import from_excel
from vietnam_provinces import Province

from dangvu.core.decisions import DecisionInput
from dangvu.core.formatting import format_date
from dangvu.core.names import clean_name, fold
from dangvu.members import rules as member_rules
from dangvu.members.events import MemberEventKind as E
from dangvu.members.reference import ETHNICITIES, POLITICAL_THEORY, RELIGIONS
from dangvu.organizations.models import OrganizationType, Sector

YEARS = range(1890, 2101)  # a bare number in this range is a year, above it an Excel serial
LAST_SERIAL = 2958465  # 31/12/9999


def _is_number(text: str) -> bool:
    """ASCII digits only ("²".isdigit() is true, and int("²") fails)."""
    return text.isascii() and text.isdigit()


class CellError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(value) -> str:
    """The cell as text: spaces collapsed, NFC; a whole number without its ".0"."""
    if type(value) is str:  # most cells: straight to the end
        return " ".join(unicodedata.normalize("NFC", value).split())
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return format_date(value)
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def key(value) -> str:
    """What a catalogue value is compared by: folded, letters and digits only."""
    if isinstance(value, str):
        return _text_key(value)
    return _NOT_KEY.sub("", fold(text(value)))


_NOT_KEY = re.compile(r"[^0-9a-z]+")


@functools.lru_cache(maxsize=4096)
def _text_key(value: str) -> str:
    # a catalogue column holds a few values many times (Nam, Kinh, Kết nạp, ...): folded once
    return _NOT_KEY.sub("", fold(text(value)))


def name(value) -> str:
    """A person's name in Vietnamese title case ("NGUYỄN  VĂN an" -> "Nguyễn Văn An")."""
    return clean_name(text(value))


# dates ----------------------------------------------------------------------------------------
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$", re.ASCII)
_MY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{4})$", re.ASCII)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$", re.ASCII)
_WORDS = re.compile(
    r"^(?:ngay\s*(\d{1,2})\s*)?(?:thang\s*(\d{1,2})\s*)?(?:nam\s*)?(\d{4})$", re.ASCII
)  # "ngày 05 tháng 9 năm 1985", "tháng 9 năm 1985", "năm 1985" (folded)


def _invalid_date(value) -> CellError:
    return CellError(
        "exchange.INVALID_DATE",
        f"Không đọc được ngày «{text(value)}»: ghi theo dạng dd/mm/yyyy (ví dụ 05/09/1985).",
    )


def _serial(number: float, value) -> dt.date:
    if not YEARS.stop <= number <= LAST_SERIAL:
        raise _invalid_date(value)
    return from_excel(number).date()


def partial_date(value) -> tuple[int, int | None, int | None]:
    """(year, month or None, day or None), as precise as the cell is."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.year, value.month, value.day
    if isinstance(value, bool):
        raise _invalid_date(value)
    if isinstance(value, int | float | Decimal):
        number = float(value)
        if number.is_integer() and int(number) in YEARS:
            return int(number), None, None
        day = _serial(number, value)
        return day.year, day.month, day.day
    if isinstance(value, str):
        return _partial_date_text(value)
    return _partial_date_text(text(value))


@functools.lru_cache(maxsize=65536)
def _partial_date_text(value: str) -> tuple[int, int | None, int | None]:
    # a date typed as text: the same few thousand days come back across a large file
    raw = text(value)
    folded = fold(raw).replace(",", " ")
    folded = " ".join(folded.split())
    if match := _DMY.match(folded):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.match(folded):
        year, month, day = (int(part) for part in match.groups())
    elif match := _MY.match(folded):
        month, year = (int(part) for part in match.groups())
        day = None
    elif match := _WORDS.match(folded):
        day, month, year = (int(part) if part else None for part in match.groups())
        if day is not None and month is None:
            raise _invalid_date(value)
    elif _is_number(folded) and YEARS.stop <= int(folded) <= LAST_SERIAL:
        serial = _serial(int(folded), value)  # a serial typed as text (CSV saved by Excel)
        return serial.year, serial.month, serial.day
    else:
        raise _invalid_date(value)
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        raise CellError(
            "exchange.INVALID_DATE", f"Ngày «{raw}» không có thật (ghi theo dạng dd/mm/yyyy)."
        ) from None
    return year, month, day


def date(value) -> dt.date:
    """A full date (day, month and year)."""
    year, month, day = partial_date(value)
    if month is None or day is None:
        raise CellError(
            "exchange.DATE_INCOMPLETE",
            f"Cần ghi đủ ngày, tháng, năm (dd/mm/yyyy); đã ghi «{text(value)}».",
        )
    return dt.date(year, month, day)


def optional_date(value) -> dt.date | None:
    return None if is_blank(value) else date(value)


# catalogues ---------------------------------------------------------------------------------
def _choice(value, table: dict[str, str], what: str, listing: str):
    found = table.get(key(value))
    if found is None:
        raise CellError(
            "exchange.UNKNOWN_VALUE", f"{what} «{text(value)}» không có trong danh mục ({listing})."
        )
    return found


def _table(pairs) -> dict[str, str]:
    table: dict[str, str] = {}
    for code, *labels in pairs:
        for label in labels:
            table.setdefault(key(label), code)
    return table


SEXES = _table([("male", "Nam", "male", "m"), ("female", "Nữ", "female", "f", "gái")])


def sex(value) -> str:
    return _choice(value, SEXES, "Giới tính", "Nam, Nữ")


_ETHNIC_ALIASES = {
    "01": ("Việt",),
    "05": ("Khmer", "Khơ Me", "Khơ-me Krôm"),
    "08": ("Mông", "H'Mông", "Mèo"),
    "10": ("Jrai", "Gia Lai"),
    "13": ("Bahnar",),
    "16": ("K'Ho", "Kơ Ho"),
    "20": ("M'Nông",),
    "21": ("Raglai", "Ra Glai"),
    "22": ("Stiêng", "X'tiêng"),
    "23": ("Vân Kiều", "Bru"),
    "26": ("Katu", "Ka Tu"),
    "27": ("Giẻ Triêng", "Triêng"),
    "29": ("Khmú", "Kmhmu"),
}
ETHNICITY_TABLE = _table(
    [
        (code, label, code, str(int(code)), *_ETHNIC_ALIASES.get(code, ()))
        for code, label in ETHNICITIES
    ]
)


def ethnicity(value) -> str:
    return _choice(value, ETHNICITY_TABLE, "Dân tộc", "tên trong 54 dân tộc hoặc mã 01–54")


RELIGION_TABLE = _table(
    [
        ("", "Không", "Không có", "Không tôn giáo", "-"),
        ("buddhism", "Phật giáo", "Phật", "Đạo Phật"),
        ("catholicism", "Công giáo", "Thiên Chúa giáo", "Thiên Chúa", "Đạo Thiên Chúa", "Catholic"),
        ("protestantism", "Tin Lành", "Đạo Tin Lành", "Tin lành giáo"),
        ("cao_dai", "Cao Đài", "Đạo Cao Đài"),
        ("hoa_hao", "Phật giáo Hòa Hảo", "Hòa Hảo", "Đạo Hòa Hảo"),
        ("islam", "Hồi giáo", "Islam", "Đạo Hồi"),
        ("other", "Tôn giáo khác", "Khác"),
        *((code, label, code) for code, label in RELIGIONS),
    ]
)


def religion(value) -> str:
    if is_blank(value):
        return ""
    return _choice(value, RELIGION_TABLE, "Tôn giáo", ", ".join(label for _, label in RELIGIONS))


THEORY_TABLE = _table(
    [
        ("", "Chưa qua đào tạo", "Không", "Chưa", "-"),
        ("elementary", "Sơ cấp", "Sơ cấp lý luận chính trị"),
        ("intermediate", "Trung cấp", "Trung cấp lý luận chính trị", "Trung cấp chính trị"),
        ("advanced", "Cao cấp", "Cao cấp lý luận chính trị", "Cao cấp chính trị"),
        ("bachelor", "Cử nhân", "Cử nhân chính trị", "Cử nhân lý luận chính trị"),
        *((code, label, code) for code, label in POLITICAL_THEORY),
    ]
)


def political_theory(value) -> str:
    if is_blank(value):
        return ""
    return _choice(
        value, THEORY_TABLE, "Trình độ lý luận chính trị", "Sơ cấp, Trung cấp, Cao cấp, Cử nhân"
    )


T = OrganizationType
TYPE_TABLE = _table(
    [
        (T.CENTRAL, "Trung ương", T.CENTRAL),
        (T.PROVINCIAL_COMMITTEE, T.PROVINCIAL_COMMITTEE.label, "Đảng bộ tỉnh", "Đảng bộ thành phố",
         "Tỉnh ủy", "Thành ủy", T.PROVINCIAL_COMMITTEE),
        (T.UPPER_COMMITTEE, T.UPPER_COMMITTEE.label, "Cấp trên trực tiếp cơ sở", "Đảng ủy khối",
         "Đảng bộ khối", "Đảng bộ cấp trên cơ sở", T.UPPER_COMMITTEE),
        (T.GRASSROOTS_COMMITTEE, T.GRASSROOTS_COMMITTEE.label, "Đảng ủy cơ sở", T.GRASSROOTS_COMMITTEE),
        (T.GRASSROOTS_CELL, T.GRASSROOTS_CELL.label, "Chi bộ cơ sở đảng", T.GRASSROOTS_CELL),
        (T.SUB_COMMITTEE, T.SUB_COMMITTEE.label, "Đảng ủy bộ phận", T.SUB_COMMITTEE),
        (T.SUBORDINATE_CELL, T.SUBORDINATE_CELL.label, "Chi bộ trực thuộc đảng ủy",
         "Chi bộ trực thuộc đảng bộ cơ sở", T.SUBORDINATE_CELL),
    ]
)  # fmt: skip


def organization_type(value) -> str:
    return _choice(value, TYPE_TABLE, "Loại tổ chức", ", ".join(T.labels))


SECTOR_TABLE = _table(
    [
        *((code, label, code) for code, label in Sector.choices),
        (Sector.COMMUNE_WARD, "Xã, phường", "Xã phường thị trấn", "Xã", "Phường", "Đặc khu"),
        (Sector.STATE_ENTERPRISE, "DNNN"),
        (Sector.PRIVATE_ENTERPRISE, "Doanh nghiệp tư nhân", "Ngoài nhà nước", "Doanh nghiệp ngoài quốc doanh"),
        (Sector.ARMED_FORCES, "Quân đội", "Công an", "LLVT"),
        (Sector.OTHER, "Khác"),
    ]
)  # fmt: skip


def sector(value) -> str:
    if is_blank(value):
        return ""
    return _choice(value, SECTOR_TABLE, "Loại hình", ", ".join(Sector.labels))


def _province_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for province in Province.iter_all():
        names = {province.name, province.codename.replace("_", " ")}
        for prefix in ("Thành phố ", "Tỉnh "):
            if province.name.startswith(prefix):
                names.add(province.name.removeprefix(prefix))
        for label in names:
            table.setdefault(key(label), int(province.code))
    return table


PROVINCE_TABLE = _province_table()


def province(value) -> int | None:
    """A current province or city, by name ("Gia Lai", "TP Hồ Chí Minh") or code."""
    if is_blank(value):
        return None
    raw = text(value)
    if _is_number(raw):
        return int(raw)  # the services check the code against the current list
    folded = key(re.sub(r"^\s*(?:tp\.?|thanh pho|tinh)\s+", "", fold(raw)))
    found = PROVINCE_TABLE.get(folded)
    if found is None:
        raise CellError(
            "exchange.UNKNOWN_VALUE",
            f"Tỉnh, thành phố «{raw}» không có trong danh mục hành chính hiện hành (34 tỉnh, "
            "thành phố).",
        )
    return found


EVENT_TABLE = _table(
    [
        (E.ADMISSION, E.ADMISSION.label, "Kết nạp Đảng", "Kết nạp đảng viên", "Vào Đảng", E.ADMISSION),
        (E.RECOGNITION, E.RECOGNITION.label, "Công nhận chính thức", "Chính thức",
         "Công nhận đảng viên chính thức", "Chuyển đảng chính thức", E.RECOGNITION),
        (E.RECOGNITION_REFUSED, E.RECOGNITION_REFUSED.label, "Không công nhận chính thức",
         "Xóa tên đảng viên dự bị", E.RECOGNITION_REFUSED),
        (E.TRANSFER_OUT, E.TRANSFER_OUT.label, "Chuyển đi", "Chuyển sinh hoạt đi",
         "Chuyển sinh hoạt đảng chính thức", "Chuyển sinh hoạt chính thức", E.TRANSFER_OUT),
        (E.TRANSFER_IN, E.TRANSFER_IN.label, "Tiếp nhận", "Chuyển đến", "Tiếp nhận sinh hoạt",
         "Nhận sinh hoạt đảng", E.TRANSFER_IN),
        (E.TEMPORARY_TRANSFER_OUT, E.TEMPORARY_TRANSFER_OUT.label, "Chuyển tạm thời",
         "Chuyển sinh hoạt tạm thời", "Sinh hoạt tạm thời", E.TEMPORARY_TRANSFER_OUT),
        (E.TEMPORARY_RETURN, E.TEMPORARY_RETURN.label, "Trở về", "Kết thúc sinh hoạt tạm thời",
         "Trở lại sinh hoạt chính thức", E.TEMPORARY_RETURN),
        (E.BADGE_PROPOSAL, E.BADGE_PROPOSAL.label, "Đề nghị Huy hiệu", "Đề nghị tặng Huy hiệu",
         E.BADGE_PROPOSAL),
        (E.BADGE_AWARD, E.BADGE_AWARD.label, "Tặng Huy hiệu", "Trao Huy hiệu", "Trao tặng Huy hiệu Đảng",
         "Nhận Huy hiệu Đảng", E.BADGE_AWARD),
        (E.EXEMPTION, E.EXEMPTION.label, "Miễn sinh hoạt", "Miễn công tác và sinh hoạt",
         "Miễn sinh hoạt đảng", E.EXEMPTION),
        (E.EXEMPTION_END, E.EXEMPTION_END.label, "Thôi miễn sinh hoạt", "Trở lại sinh hoạt",
         "Trở lại công tác và sinh hoạt", E.EXEMPTION_END),
        (E.DISCIPLINE, E.DISCIPLINE.label, "Thi hành kỷ luật", E.DISCIPLINE),
        (E.STRUCK_OFF, E.STRUCK_OFF.label, "Xóa tên khỏi danh sách đảng viên", E.STRUCK_OFF),
        (E.EXPULSION, E.EXPULSION.label, "Khai trừ khỏi Đảng", "Kỷ luật khai trừ", E.EXPULSION),
        (E.WITHDRAWAL, E.WITHDRAWAL.label, "Ra khỏi Đảng", "Xin ra khỏi Đảng", E.WITHDRAWAL),
        (E.READMISSION, E.READMISSION.label, "Kết nạp lại vào Đảng", E.READMISSION),
        (E.DEATH, E.DEATH.label, "Qua đời", "Mất", "Từ trần (qua đời)", E.DEATH),
        (E.CARD_ISSUE, E.CARD_ISSUE.label, "Phát thẻ", "Cấp thẻ", "Cấp thẻ đảng viên", E.CARD_ISSUE),
        (E.CARD_REPLACE, E.CARD_REPLACE.label, "Đổi thẻ", "Cấp lại thẻ", "Đổi thẻ đảng viên",
         "Cấp lại thẻ đảng viên", E.CARD_REPLACE),
    ]
)  # fmt: skip


def event_kind(value) -> str:
    return _choice(value, EVENT_TABLE, "Sự kiện", "xem trang Hướng dẫn của tệp mẫu")


CHANGE_TABLE = _table(
    [
        ("rename", "Đổi tên", "Đổi tên tổ chức", "rename"),
        ("move", "Chuyển trực thuộc", "Chuyển", "move"),
        ("convert", "Chuyển đổi loại tổ chức", "Chuyển đổi", "Chuyển đổi loại", "convert"),
        ("dissolve", "Giải thể", "dissolve"),
        ("merge", "Sáp nhập", "Sáp nhập vào", "Hợp nhất", "Hợp nhất, sáp nhập", "merge"),
    ]
)
CHANGE_LABELS = ("Đổi tên", "Chuyển trực thuộc", "Chuyển đổi loại tổ chức", "Giải thể", "Sáp nhập")


def organization_change(value) -> str:
    return _choice(value, CHANGE_TABLE, "Biến động", ", ".join(CHANGE_LABELS))


FORM_TABLE = _table([(code, label, code) for code, label in member_rules.DisciplineForm.choices])


def discipline_form(value) -> str:
    return _choice(
        value, FORM_TABLE, "Hình thức kỷ luật", "Khiển trách, Cảnh cáo, Cách chức, Khai trừ"
    )


EXIT_TABLE = _table(
    [
        *((code, label, code) for code, label in member_rules.ExitReason.choices),
        (member_rules.ExitReason.ABANDONED_ACTIVITY, "Bỏ sinh hoạt", "Tự ý bỏ sinh hoạt"),
        (member_rules.ExitReason.RESIGNED, "Xin ra", "Tự nguyện xin ra khỏi Đảng"),
        (member_rules.ExitReason.OTHER, "Khác"),
    ]
)


def exit_reason(value) -> str:
    if is_blank(value):
        return ""
    return _choice(
        value,
        EXIT_TABLE,
        "Lý do ra khỏi Đảng",
        "; ".join(label for _, label in member_rules.ExitReason.choices),
    )


GROUND_TABLE = _table(
    [
        (member_rules.ExemptionGround.OLD_AGE, "Tuổi cao", "Già yếu", "Cao tuổi", "old_age"),
        (member_rules.ExemptionGround.WEAK_HEALTH, "Sức khỏe yếu", "Ốm đau", "Bệnh", "weak_health"),
    ]
)


def exemption_grounds(value) -> list[str]:
    """ "Tuổi cao, sức khỏe yếu" -> ["old_age", "weak_health"]."""
    parts = [part for part in re.split(r"[,;+/]|\bva\b", fold(text(value))) if part.strip()]
    grounds = []
    for part in parts:
        ground = _choice(part, GROUND_TABLE, "Lý do miễn sinh hoạt", "Tuổi cao, Sức khỏe yếu")
        if ground not in grounds:
            grounds.append(ground)
    return grounds


YES = {key(word) for word in ("Có", "x", "yes", "1", "đúng", "true")}
NO = {key(word) for word in ("Không", "no", "0", "sai", "false", "")}


def boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    folded = key(value)
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise CellError("exchange.UNKNOWN_VALUE", f"Ghi «Có» hoặc để trống; đã ghi «{text(value)}».")


def whole_number(value, what: str) -> int:
    raw = text(value)
    digits = re.sub(r"\s*(?:nam)$", "", fold(raw))  # "30 năm"
    if not _is_number(digits):
        raise CellError("exchange.INVALID_NUMBER", f"{what} phải là một số; đã ghi «{raw}».")
    return int(digits)


# numbers that are identifiers ---------------------------------------------------------------
def _digits_of_number(value) -> str | None:
    """The digits of a cell Excel stored as a number (leading zeros already lost)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal) and float(value).is_integer():
        return str(int(value))
    return None


def citizen_id(value) -> str | None:
    """12 digits; a cell stored as a number gets back the leading zeros Excel dropped (the
    province codes 001-096 all start with 0). The structure is checked by the services."""
    if is_blank(value):
        return None
    digits = _digits_of_number(value)
    if digits is not None and len(digits) < 12:
        return digits.zfill(12)
    return "".join((digits or text(value)).split())


def card_number(value) -> str | None:
    if is_blank(value):
        return None
    return _digits_of_number(value) or "".join(text(value).split())


def phone(value) -> str:
    """A mobile number stored as a number lost its 0 (912345678 -> 0912345678)."""
    digits = _digits_of_number(value)
    if digits is not None and len(digits) == 9:
        return "0" + digits
    return text(value)


def general_education(value) -> str:
    """ "12/12" typed into Excel becomes the date 12 December: read it back as 12/12."""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.day}/{value.month}"
    return text(value)


# decisions ----------------------------------------------------------------------------------
_SYMBOL_WITH_DATE = re.compile(
    r"^(?P<symbol>.+?)[\s,;]+(?:ngay|ngày)\s+(?P<date>.+)$", re.IGNORECASE
)


def decision(symbol_cell, date_cell, body_cell, *, default_date: dt.date | None = None):
    """The decision a row cites, or None when none of its cells is filled. The symbol cell may
    carry the date ("45-QĐ/ĐUK ngày 05/03/2021")."""
    symbol = text(symbol_cell)
    day = optional_date(date_cell)
    if symbol and day is None and (match := _SYMBOL_WITH_DATE.match(symbol)):
        symbol, day = match["symbol"].strip(), date(match["date"])
    body = text(body_cell)
    if not (symbol or body or day):
        return None
    day = day or default_date
    if not symbol or not body or day is None:
        raise CellError(
            "core.DECISION_REQUIRED",
            "Quyết định cần đủ số và ký hiệu, ngày ký và cơ quan ban hành.",
        )
    if len(symbol) > 64 or len(body) > 255:
        raise CellError("exchange.TOO_LONG", "Số quyết định hoặc cơ quan ban hành quá dài.")
    return DecisionInput(symbol=symbol, date=day, issuing_body=body)
