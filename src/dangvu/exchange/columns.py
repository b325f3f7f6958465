"""The columns of the import sheets: what each holds, the Vietnamese header of the template, and
the other headers users write for it (with or without diacritics, in any case).

One catalogue serves the reader (which column is which), the XLSX template and docs/import.md.
"""

import re
from dataclasses import dataclass

from dangvu.core.names import fold

ORGANIZATIONS = "organizations"
PEOPLE = "people"
EVENTS = "events"
ORGANIZATION_CHANGES = "organization_changes"
IGNORED = "_ignored"  # a column that is recognised and skipped (STT: the row number)


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the template's header
    help: str  # what goes in it, for the template's guide and the docs
    aliases: tuple[str, ...] = ()
    required: bool = False
    width: int = 18


@dataclass(frozen=True)
class Sheet:
    kind: str
    title: str  # the template's sheet name
    signature: str  # the column whose presence says a sheet is of this kind
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


DECISION_COLUMNS = (
    Column(
        "decision_symbol",
        "Số quyết định",
        "Số và ký hiệu, ví dụ 45-QĐ/ĐUK; có thể ghi cả ngày: «45-QĐ/ĐUK ngày 05/03/2021».",
        ("số và ký hiệu", "số, ký hiệu quyết định", "quyết định số", "số qđ", "quyết định"),
        width=20,
    ),
    Column(
        "decision_date",
        "Ngày quyết định",
        "Ngày ký quyết định.",
        ("ngày ký quyết định", "ngày qđ", "ngày ban hành", "ngày ký"),
    ),
    Column(
        "decision_body",
        "Cơ quan ban hành",
        "Cơ quan ra quyết định, ví dụ Ban Thường vụ Đảng ủy Khối.",
        ("cơ quan quyết định", "nơi ban hành", "cấp quyết định", "cơ quan ra quyết định"),
        width=28,
    ),
)

ROW_NUMBER = Column(IGNORED, "STT", "Số thứ tự (không nhập).", ("số thứ tự", "tt", "số tt"))

ORGANIZATION_SHEET = Sheet(
    ORGANIZATIONS,
    "Tổ chức đảng",
    "code",
    (
        ROW_NUMBER,
        Column(
            "code",
            "Mã tổ chức",
            "Mã duy nhất: chữ không dấu, chữ số, dấu chấm, gạch ngang (tối đa 32 ký tự).",
            ("mã", "mã số", "mã đơn vị", "mã tổ chức đảng"),
            required=True,
            width=14,
        ),
        Column(
            "name",
            "Tên tổ chức đảng",
            "Tên đầy đủ, ví dụ Chi bộ Sở Tư pháp.",
            (
                "tên tổ chức",
                "tên",
                "tên đơn vị",
                "tên chi bộ, đảng bộ",
                "tên chi bộ",
                "tên đảng bộ",
            ),
            required=True,
            width=36,
        ),
        Column(
            "type",
            "Loại tổ chức",
            "Đảng bộ tỉnh, thành phố; Đảng bộ cấp trên trực tiếp cơ sở; Đảng bộ cơ sở; Chi bộ cơ "
            "sở; Đảng bộ bộ phận; Chi bộ trực thuộc.",
            ("loại", "loại tổ chức đảng", "cấp tổ chức"),
            required=True,
            width=24,
        ),
        Column(
            "parent",
            "Trực thuộc",
            "Mã hoặc tên đầy đủ của tổ chức cấp trên (tên như vào ngày thành lập); để trống với "
            "tổ chức cao nhất.",
            (
                "cấp trên",
                "tổ chức cấp trên",
                "đơn vị cấp trên",
                "trực thuộc đảng bộ",
                "mã cấp trên",
            ),
            width=30,
        ),
        Column(
            "established_on",
            "Ngày thành lập",
            "dd/mm/yyyy.",
            ("thành lập ngày", "ngày hiệu lực", "ngày thành lập tổ chức"),
            required=True,
        ),
        Column(
            "sector",
            "Loại hình",
            "Cơ quan; Đơn vị sự nghiệp; Doanh nghiệp nhà nước; Doanh nghiệp ngoài nhà nước; Xã, "
            "phường, đặc khu; Lực lượng vũ trang; Loại hình khác.",
            ("loại hình đơn vị", "loại hình cơ sở", "khối"),
            width=24,
        ),
        Column(
            "province",
            "Tỉnh, thành phố",
            "Tên hoặc mã tỉnh, thành phố hiện hành.",
            ("tỉnh", "tỉnh thành", "tỉnh/thành phố", "mã tỉnh"),
        ),
        Column("address", "Địa chỉ", "Địa chỉ trụ sở.", ("trụ sở", "địa chỉ trụ sở"), width=30),
        *DECISION_COLUMNS,
        Column("note", "Ghi chú", "Ghi chú của sự kiện thành lập.", ("ghi chú khác",), width=24),
    ),
)

PERSON_IDENTITY_HELP = (
    "Người được nhận ra theo số CCCD, nếu không có thì theo số thẻ đảng viên, nếu không có nữa "
    "thì theo họ tên và ngày sinh."
)

PEOPLE_SHEET = Sheet(
    PEOPLE,
    "Đảng viên",
    "full_name",
    (
        ROW_NUMBER,
        Column(
            "full_name",
            "Họ và tên",
            "Họ, tên đệm và tên khai sinh; chữ hoa, chữ thường đều được.",
            (
                "họ tên",
                "họ và tên khai sinh",
                "họ và tên đảng viên",
                "tên đảng viên",
                "họ tên khai sinh",
            ),
            required=True,
            width=26,
        ),
        Column("other_names", "Tên gọi khác", "Bí danh, tên thường gọi.", ("bí danh", "tên khác")),
        Column(
            "birth_date",
            "Ngày sinh",
            "dd/mm/yyyy, mm/yyyy hoặc chỉ năm sinh (yyyy).",
            ("ngày tháng năm sinh", "ngày, tháng, năm sinh", "năm sinh", "sinh ngày"),
            required=True,
            width=14,
        ),
        Column(
            "sex",
            "Giới tính",
            "Nam hoặc Nữ.",
            ("nam/nữ", "nam, nữ", "phái"),
            required=True,
            width=10,
        ),
        Column(
            "ethnicity",
            "Dân tộc",
            "Tên dân tộc (Kinh, Tày, Khơ-me, ...) hoặc mã 01–54; để trống: Kinh.",
            (),
            width=12,
        ),
        Column(
            "religion",
            "Tôn giáo",
            "Không; Phật giáo; Công giáo; Tin Lành; Cao Đài; Phật giáo Hòa Hảo; Hồi giáo; Tôn giáo "
            "khác.",
            (),
            width=14,
        ),
        Column("hometown", "Quê quán", "Như trong lý lịch.", ("nguyên quán",), width=30),
        Column("birthplace", "Nơi sinh", "Như trong lý lịch.", (), width=30),
        Column(
            "permanent_residence",
            "Nơi thường trú",
            "Địa chỉ thường trú.",
            ("địa chỉ thường trú", "hộ khẩu thường trú", "thường trú"),
            width=30,
        ),
        Column(
            "permanent_province",
            "Tỉnh thường trú",
            "Tên hoặc mã tỉnh, thành phố hiện hành nơi thường trú.",
            ("tỉnh, thành phố thường trú", "mã tỉnh thường trú"),
        ),
        Column(
            "current_residence",
            "Nơi ở hiện nay",
            "Địa chỉ nơi ở hiện nay.",
            ("chỗ ở hiện nay", "nơi ở", "địa chỉ hiện nay", "nơi ở hiện tại"),
            width=30,
        ),
        Column(
            "current_province",
            "Tỉnh nơi ở hiện nay",
            "Tên hoặc mã tỉnh, thành phố hiện hành nơi ở hiện nay.",
            ("tỉnh, thành phố nơi ở", "mã tỉnh nơi ở"),
        ),
        Column(
            "citizen_id",
            "Số CCCD",
            "12 chữ số (số định danh cá nhân); ô dạng số bị Excel bỏ số 0 đầu vẫn được nhận.",
            (
                "cccd",
                "căn cước công dân",
                "số căn cước",
                "số căn cước công dân",
                "số định danh cá nhân",
                "số định danh",
                "cccd/cmnd",
                "số cccd/cmnd",
                "số cmnd/cccd",
            ),
            width=16,
        ),
        Column("phone", "Điện thoại", "Số điện thoại.", ("số điện thoại", "sđt", "đt"), width=14),
        Column(
            "general_education",
            "Giáo dục phổ thông",
            "Ví dụ 12/12 hoặc 10/10.",
            ("trình độ văn hóa", "văn hóa", "trình độ giáo dục phổ thông", "học vấn"),
            width=12,
        ),
        Column(
            "qualification",
            "Chuyên môn, nghiệp vụ",
            "Ví dụ Cử nhân Luật.",
            (
                "trình độ chuyên môn",
                "chuyên môn",
                "học hàm, học vị",
                "trình độ chuyên môn, nghiệp vụ",
            ),
            width=24,
        ),
        Column(
            "political_theory",
            "Lý luận chính trị",
            "Sơ cấp; Trung cấp; Cao cấp; Cử nhân; để trống nếu chưa qua đào tạo.",
            ("trình độ lý luận chính trị", "lý luận", "llct"),
            width=14,
        ),
        Column(
            "state_management",
            "Quản lý nhà nước",
            "Ví dụ Chuyên viên chính.",
            ("trình độ quản lý nhà nước", "qlnn"),
            width=16,
        ),
        Column("foreign_language", "Ngoại ngữ", "Ví dụ Tiếng Anh B1.", ("trình độ ngoại ngữ",)),
        Column("occupation", "Nghề nghiệp", "Nghề nghiệp hiện nay.", ("nghề nghiệp hiện nay",)),
        Column(
            "work_unit",
            "Đơn vị công tác",
            "Cơ quan, đơn vị công tác.",
            ("cơ quan công tác", "nơi công tác", "cơ quan, đơn vị"),
            width=28,
        ),
        Column(
            "job_position",
            "Chức vụ",
            "Chức vụ chính quyền, đoàn thể.",
            ("chức danh", "chức vụ chính quyền", "chức vụ hiện nay"),
            width=20,
        ),
        Column(
            "card_number",
            "Số thẻ đảng viên",
            "Chỉ gồm chữ số.",
            ("số thẻ", "số thẻ đv", "thẻ đảng viên", "số thẻ đảng"),
            width=16,
        ),
        Column(
            "organization",
            "Chi bộ",
            "Mã hoặc tên đầy đủ của chi bộ (chi bộ cơ sở hoặc chi bộ trực thuộc) lập lý lịch.",
            (
                "chi bộ sinh hoạt",
                "tên chi bộ",
                "mã chi bộ",
                "tổ chức đảng",
                "chi bộ đang sinh hoạt",
            ),
            width=30,
        ),
    ),
)

EVENTS_SHEET = Sheet(
    EVENTS,
    "Sự kiện",
    "kind",
    (
        ROW_NUMBER,
        Column(
            "full_name",
            "Họ và tên",
            "Họ tên của người (để đối chiếu; cùng ngày sinh, nhận ra người khi không có số CCCD).",
            PEOPLE_SHEET.column("full_name").aliases,
            width=26,
        ),
        Column(
            "birth_date",
            "Ngày sinh",
            "Cùng họ tên, để nhận ra người khi không có số CCCD và số thẻ.",
            PEOPLE_SHEET.column("birth_date").aliases,
            width=14,
        ),
        Column(
            "citizen_id",
            "Số CCCD",
            "Số CCCD của người (cách nhận ra người chắc chắn nhất).",
            PEOPLE_SHEET.column("citizen_id").aliases,
            width=16,
        ),
        Column(
            "card_number",
            "Số thẻ đảng viên",
            "Số thẻ của người; với Phát thẻ, Đổi thẻ: số thẻ được cấp.",
            PEOPLE_SHEET.column("card_number").aliases,
            width=16,
        ),
        Column(
            "kind",
            "Sự kiện",
            "Kết nạp; Công nhận chính thức; Chuyển đi; Tiếp nhận; Chuyển sinh hoạt tạm thời; ... "
            "(danh sách ở trang Hướng dẫn).",
            ("loại sự kiện", "nội dung", "sự việc", "nội dung sự kiện"),
            required=True,
            width=26,
        ),
        Column(
            "date",
            "Ngày",
            "Ngày có hiệu lực: ngày lễ kết nạp, ngày chuyển đi, ngày tiếp nhận, ...; với Công "
            "nhận chính thức: ngày quyết định (nếu cột Ngày quyết định để trống).",
            ("ngày hiệu lực", "ngày sự kiện", "thời gian", "ngày thực hiện", "ngày có hiệu lực"),
            required=True,
            width=14,
        ),
        Column(
            "destination",
            "Chi bộ chuyển đến",
            "Mã hoặc tên đầy đủ (theo tên vào ngày chuyển) của chi bộ nhận khi chuyển đi, chuyển "
            "tạm thời.",
            ("chuyển đến", "nơi chuyển đến", "đến chi bộ", "chi bộ nhận", "nơi đến"),
            width=28,
        ),
        Column(
            "until",
            "Đến ngày",
            "Ngày kết thúc sinh hoạt tạm thời.",
            ("sinh hoạt tạm thời đến ngày", "thời hạn", "đến hết ngày"),
            width=14,
        ),
        Column(
            "vote_date",
            "Ngày chi bộ xét",
            "Kết nạp: ngày chi bộ họp xét, biểu quyết.",
            ("ngày chi bộ họp xét", "ngày nghị quyết chi bộ", "ngày chi bộ biểu quyết"),
            width=14,
        ),
        *DECISION_COLUMNS,
        Column(
            "form",
            "Hình thức kỷ luật",
            "Khiển trách; Cảnh cáo; Cách chức; Khai trừ.",
            ("hình thức", "hình thức xử lý"),
            width=16,
        ),
        Column(
            "milestone",
            "Mốc Huy hiệu",
            "Số năm tuổi đảng của Huy hiệu: 30, 40, 45, ... 90.",
            ("huy hiệu", "loại huy hiệu", "mốc huy hiệu đảng", "huy hiệu đảng"),
            width=12,
        ),
        Column(
            "reason",
            "Lý do",
            "Miễn sinh hoạt: Tuổi cao, Sức khỏe yếu (hoặc cả hai); Xóa tên, Cho ra khỏi Đảng, "
            "Khai trừ: lý do ra khỏi Đảng (danh sách ở trang Hướng dẫn).",
            ("căn cứ", "lý do miễn", "lý do ra khỏi đảng"),
            width=24,
        ),
        Column(
            "requested_on",
            "Ngày làm đơn",
            "Miễn sinh hoạt: ngày đảng viên làm đơn đề nghị.",
            ("ngày đề nghị", "ngày viết đơn"),
            width=14,
        ),
        Column(
            "for_study",
            "Đi học",
            "Chuyển sinh hoạt tạm thời để đi học tập trung: Có.",
            ("học tập", "đi học tập trung"),
            width=8,
        ),
        Column(
            "override_reason",
            "Lý do vượt cảnh báo",
            "Khi quy định cho phép cấp có thẩm quyền quyết định khác (ví dụ kết nạp người trên 60 "
            "tuổi): lý do; cần vai trò Phê duyệt.",
            ("lý do đặc cách", "lý do phê duyệt"),
            width=24,
        ),
        Column("note", "Ghi chú", "Ghi chú (chuyển sinh hoạt).", (), width=24),
    ),
)

# The restructuring history of the organisations: applied after the organisations sheet, in
# date order, through the same services as the organisation pages.
CHANGES_SHEET = Sheet(
    ORGANIZATION_CHANGES,
    "Biến động tổ chức",
    "change",
    (
        ROW_NUMBER,
        Column(
            "code",
            "Mã tổ chức",
            "Mã hoặc tên đầy đủ của tổ chức có biến động (tên như ngay trước ngày hiệu lực).",
            ("mã", "mã số", "mã tổ chức đảng", "tổ chức đảng", "tên tổ chức đảng"),
            required=True,
            width=20,
        ),
        Column(
            "change",
            "Biến động",
            "Đổi tên; Chuyển trực thuộc; Chuyển đổi loại tổ chức; Giải thể; Sáp nhập. Chia tách: "
            "ghi các tổ chức mới ở trang «Tổ chức đảng» rồi giải thể tổ chức cũ, hoặc dùng trang "
            "tổ chức của hệ thống.",
            ("loại biến động", "nội dung biến động", "hình thức", "biến động tổ chức"),
            required=True,
            width=22,
        ),
        Column(
            "effective_date",
            "Ngày hiệu lực",
            "dd/mm/yyyy. Giải thể, sáp nhập: tổ chức kết thúc vào ngày trước đó.",
            ("ngày", "từ ngày", "ngày biến động"),
            required=True,
        ),
        Column("new_name", "Tên mới", "Đổi tên: tên đầy đủ mới.", ("tên sau khi đổi",), width=36),
        Column(
            "new_parent",
            "Trực thuộc mới",
            "Chuyển trực thuộc, hoặc chuyển đổi loại có đổi cấp: mã hoặc tên tổ chức cấp trên mới.",
            ("cấp trên mới", "chuyển về", "tổ chức cấp trên mới"),
            width=30,
        ),
        Column(
            "new_type",
            "Loại mới",
            "Chuyển đổi loại tổ chức: loại mới (như cột Loại tổ chức).",
            ("loại tổ chức mới", "chuyển thành"),
            width=24,
        ),
        Column(
            "into",
            "Sáp nhập vào",
            "Sáp nhập: mã hoặc tên tổ chức nhận sáp nhập. Các dòng cùng tổ chức nhận, cùng ngày "
            "và cùng quyết định là một lần sáp nhập.",
            ("hợp nhất vào", "tổ chức nhận sáp nhập", "tổ chức nhận"),
            width=30,
        ),
        *DECISION_COLUMNS,
        Column("note", "Ghi chú", "Ghi chú của sự kiện.", ("ghi chú khác",), width=24),
    ),
)

# the header search breaks ties by this order: the changes sheet last, after the three kinds
SHEETS = (ORGANIZATION_SHEET, PEOPLE_SHEET, EVENTS_SHEET, CHANGES_SHEET)
# the order their data depends on: the import applies them so, the template lists them so
APPLIED_ORDER = (ORGANIZATIONS, ORGANIZATION_CHANGES, PEOPLE, EVENTS)


def normalize_header(text: str) -> str:
    """The form headers are compared in: without what is in brackets, diacritics, case and
    punctuation ("Ngày sinh (dd/mm/yyyy)*" and "NGAY SINH" are the same header)."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", fold(text)).split())


def _index(sheet: Sheet) -> dict[str, str]:
    index: dict[str, str] = {}
    for column in sheet.columns:
        for label in (column.header, *column.aliases):
            index.setdefault(normalize_header(label), column.key)
    return index


HEADER_INDEX = {sheet.kind: _index(sheet) for sheet in SHEETS}
SHEET_BY_KIND = {sheet.kind: sheet for sheet in SHEETS}
SHEETS_APPLIED = tuple(SHEET_BY_KIND[kind] for kind in APPLIED_ORDER)
