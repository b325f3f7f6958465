"""The indicator catalogue (DESIGN.md): one stable code, one Vietnamese label, one kind and one
definition per figure. The same codes name the figures in the API, the reports, DOCX and XLSX.

A stock is counted at the end of a day, in the subtree of an organisation as the tree stood on
that day; a flow over a period, each item in the subtree its organisation belonged to on the
item's day.
"""

from dataclasses import dataclass

STOCK, FLOW = "stock", "flow"


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    kind: str
    definition: str


def _stock(code: str, label: str, definition: str) -> Indicator:
    return Indicator(code, label, STOCK, definition)


def _flow(code: str, label: str, definition: str) -> Indicator:
    return Indicator(code, label, FLOW, definition)


AGE_BANDS = (("le30", None, 30), ("31_40", 31, 40), ("41_50", 41, 50), ("51_60", 51, 60),
             ("61_70", 61, 70), ("gt70", 71, None))  # fmt: skip
AGE_LABELS = {
    "le30": "từ 30 tuổi trở xuống",
    "31_40": "từ 31 đến 40 tuổi",
    "41_50": "từ 41 đến 50 tuổi",
    "51_60": "từ 51 đến 60 tuổi",
    "61_70": "từ 61 đến 70 tuổi",
    "gt70": "trên 70 tuổi",
}
COUNTED = "đảng viên được tính ở một chi bộ của tổ chức vào cuối ngày (không kể người đang chuyển sinh hoạt chưa được tiếp nhận; người sinh hoạt tạm thời tính ở nơi sinh hoạt chính thức)"

INDICATORS: tuple[Indicator, ...] = (
    _stock("members.total", "Tổng số đảng viên", f"Số {COUNTED}."),
    _stock("members.full", "Đảng viên chính thức", "Trong tổng số, đảng viên chính thức."),
    _stock("members.probationary", "Đảng viên dự bị", "Trong tổng số, đảng viên dự bị."),
    _stock("members.female", "Đảng viên nữ", "Trong tổng số, đảng viên nữ."),
    _stock(
        "members.ethnic_minority",
        "Đảng viên người dân tộc thiểu số",
        "Trong tổng số, đảng viên không thuộc dân tộc Kinh.",
    ),
    _stock(
        "members.religious", "Đảng viên có tôn giáo", "Trong tổng số, đảng viên theo một tôn giáo."
    ),
    _stock(
        "members.exempt",
        "Đảng viên được miễn công tác và sinh hoạt",
        "Trong tổng số, đảng viên đang được miễn công tác và sinh hoạt đảng.",
    ),
    *(
        _stock(
            f"members.age.{band}",
            f"Đảng viên {AGE_LABELS[band]}",
            f"Trong tổng số, đảng viên {AGE_LABELS[band]} (tuổi tròn vào ngày tính; thiếu ngày, "
            "tháng sinh thì tính theo ngày muộn nhất có thể).",
        )
        for band, _low, _high in AGE_BANDS
    ),
    _stock(
        "orgs.grassroots",
        "Tổ chức cơ sở đảng",
        "Đảng bộ cơ sở và chi bộ cơ sở trong tổ chức vào cuối ngày.",
    ),
    _stock("orgs.grassroots_committee", "Đảng bộ cơ sở", "Số đảng bộ cơ sở."),
    _stock("orgs.grassroots_cell", "Chi bộ cơ sở", "Số chi bộ cơ sở."),
    _stock("orgs.sub_committee", "Đảng bộ bộ phận", "Số đảng bộ bộ phận."),
    _stock("orgs.subordinate_cell", "Chi bộ trực thuộc", "Số chi bộ trực thuộc đảng ủy cơ sở."),
    _stock(
        "orgs.grassroots.private_enterprise",
        "Tổ chức cơ sở đảng trong doanh nghiệp ngoài nhà nước",
        "Tổ chức cơ sở đảng có loại hình doanh nghiệp ngoài nhà nước.",
    ),
    _stock(
        "candidates.active",
        "Quần chúng ưu tú đang bồi dưỡng",
        "Quần chúng ưu tú đã đưa vào danh sách, chưa kết nạp, chưa rút khỏi danh sách.",
    ),
    _flow("admissions", "Kết nạp đảng viên", "Số người được kết nạp (tính theo ngày lễ kết nạp)."),
    _flow("admissions.female", "Kết nạp đảng viên nữ", "Trong số kết nạp, nữ."),
    _flow(
        "admissions.youth",
        "Kết nạp đảng viên trẻ (từ 30 tuổi trở xuống)",
        "Trong số kết nạp, người từ 30 tuổi trở xuống vào ngày kết nạp.",
    ),
    _flow(
        "admissions.ethnic_minority",
        "Kết nạp đảng viên người dân tộc thiểu số",
        "Trong số kết nạp, người không thuộc dân tộc Kinh.",
    ),
    _flow(
        "admissions.private_enterprise",
        "Kết nạp đảng viên trong doanh nghiệp ngoài nhà nước",
        "Trong số kết nạp, người ở chi bộ thuộc tổ chức cơ sở đảng trong doanh nghiệp ngoài "
        "nhà nước.",
    ),
    _flow("readmissions", "Kết nạp lại", "Số người được kết nạp lại vào Đảng."),
    _flow(
        "recognitions",
        "Công nhận đảng viên chính thức",
        "Số đảng viên dự bị được công nhận chính thức (tính từ ngày hết thời kỳ dự bị).",
    ),
    _flow(
        "badges.total",
        "Huy hiệu Đảng",
        "Số Huy hiệu Đảng được đề nghị hoặc được tặng, theo cài đặt của đơn vị.",
    ),
    _flow(
        "transfers.in",
        "Chuyển sinh hoạt đảng đến",
        "Đảng viên được tiếp nhận vào một chi bộ của tổ chức.",
    ),
    _flow(
        "transfers.out",
        "Chuyển sinh hoạt đảng đi",
        "Đảng viên chuyển sinh hoạt chính thức đi khỏi một chi bộ của tổ chức.",
    ),
    _flow(
        "moved_in_with_org",
        "Chuyển đến theo tổ chức",
        "Đảng viên của các tổ chức đảng được chuyển về trực thuộc tổ chức trong kỳ.",
    ),
    _flow(
        "moved_out_with_org",
        "Chuyển đi theo tổ chức",
        "Đảng viên của các tổ chức đảng được chuyển khỏi tổ chức trong kỳ.",
    ),
    _flow("deaths", "Đảng viên từ trần", "Đảng viên từ trần."),
    _flow(
        "struck_off",
        "Xóa tên",
        "Đảng viên bị xóa tên, kể cả đảng viên dự bị không được công nhận chính thức.",
    ),
    _flow("expelled", "Khai trừ", "Đảng viên bị khai trừ ra khỏi Đảng."),
    _flow("withdrawn", "Cho ra khỏi Đảng", "Đảng viên được cho ra khỏi Đảng theo nguyện vọng."),
    _flow(
        "discipline.members",
        "Đảng viên bị thi hành kỷ luật",
        "Số đảng viên bị thi hành kỷ luật (mỗi người tính một lần trong kỳ).",
    ),
    _flow(
        "orgs.established",
        "Thành lập tổ chức đảng",
        "Tổ chức đảng được thành lập trong tổ chức, kể cả do hợp nhất, chia tách.",
    ),
    _flow(
        "orgs.dissolved",
        "Giải thể tổ chức đảng",
        "Tổ chức đảng bị giải thể (không kể tổ chức kết thúc do hợp nhất, sáp nhập, chia tách).",
    ),
    _flow("orgs.converted", "Chuyển đổi loại tổ chức", "Số lần chuyển đổi loại tổ chức đảng."),
    _flow("orgs.merged", "Hợp nhất, sáp nhập", "Số lần hợp nhất, sáp nhập tổ chức đảng."),
    _flow(
        "committees.consolidated",
        "Kiện toàn cấp ủy",
        "Số tổ chức đảng được kiện toàn cấp ủy trong kỳ.",
    ),
)
# badges.<milestone> are added for every milestone of the rule parameters in force

BY_CODE = {indicator.code: indicator for indicator in INDICATORS}


def badge_indicator(milestone: int) -> Indicator:
    return _flow(
        f"badges.{milestone}",
        f"Huy hiệu {milestone} năm tuổi Đảng",
        f"Số Huy hiệu {milestone} năm tuổi Đảng được đề nghị hoặc được tặng.",
    )


def indicator(code: str) -> Indicator:
    if code in BY_CODE:
        return BY_CODE[code]
    prefix, _, years = code.partition(".")
    if prefix == "badges" and years.isascii() and years.isdigit():
        return badge_indicator(int(years))
    raise KeyError(code)
