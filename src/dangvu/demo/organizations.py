"""The demonstration organisation tree, with thirty-five years of dated, decision-backed history.

Đảng bộ tỉnh Bình Định (1989) and, from 01/04/2008, its Đảng bộ Khối các cơ quan tỉnh, formed by
merging the bloc of party, state and mass agencies with the bloc of enterprises. Under the bloc
sit the grassroots organisations of provincial departments, hospitals, schools, agencies and
state enterprises. The history is designed so that the bloc's figures match the worked scenario
`shared/scenarios/bloc-2021-q1.md`: 76 grassroots organisations on 31/12/2020 (43 committees,
33 cells) and on 31/03/2021 (44, 32) after one conversion, and 8 committee consolidations in
Q1 2021. On 01/02/2025 the bloc's organisations move to the two new upper committees and the
bloc ends; on 01/07/2025 the province becomes part of Đảng bộ tỉnh Gia Lai.

Everything is written through `dangvu.organizations.services` under the system scope, so every
version, event, decision and audit row is what a user would have produced. Names of units and
people are made up; people's names come from a seeded generator, never from unseeded randomness.
"""

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from dangvu.access.scopes import Scope
from dangvu.core.decisions import DecisionInput
from dangvu.organizations import services
from dangvu.organizations.models import (
    CommitteeSeat,
    CommitteeTerm,
    Organization,
    OrganizationType,
    OrganizationVersion,
    Position,
    Sector,
)
from dangvu.organizations.services import NewOrganization, SeatInput

D = dt.date
T = OrganizationType
S = Sector
P = Position

SEED = 2021
PROVINCE_CODE = 52  # vietnam-provinces: Gia Lai, which took in Bình Định on 01/07/2025

# Where a grassroots organisation went on 01/02/2025, when the bloc ended.
PARTY_SIDE = "party"  # Đảng bộ các cơ quan Đảng tỉnh: party and mass agencies, courts, press
GOVERNMENT_SIDE = "government"  # Đảng bộ UBND tỉnh: departments, hospitals, schools, enterprises

# The two blocs merged into the bloc of provincial agencies on 01/04/2008.
AGENCIES_BLOC = "BD.KDCD"
ENTERPRISES_BLOC = "BD.KDN"


@dataclass(frozen=True)
class SubCommittee:
    key: str
    name: str  # without "Đảng bộ bộ phận"
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Unit:
    """A grassroots organisation as first recorded (under one of the blocs before 2008)."""

    key: str  # code suffix: BD.<key>
    name: str  # the unit, without "Đảng bộ" / "Chi bộ"
    committee: bool  # đảng bộ cơ sở (True) or chi bộ cơ sở (False)
    sector: str
    side: str
    cells: tuple[str, ...] = ()
    sub_committees: tuple[SubCommittee, ...] = ()
    since: dt.date | None = None  # when later than its bloc's establishment

    @property
    def code(self) -> str:
        return f"BD.{self.key}"

    @property
    def bloc(self) -> str:
        enterprise = self.sector in (S.STATE_ENTERPRISE, S.PRIVATE_ENTERPRISE)
        return ENTERPRISES_BLOC if enterprise else AGENCIES_BLOC


def _committee(key, name, sector, side, cells, sub_committees=(), since=None) -> Unit:
    return Unit(key, name, True, sector, side, tuple(cells), tuple(sub_committees), since)


def _cell(key, name, sector, side, since=None) -> Unit:
    return Unit(key, name, False, sector, side, since=since)


A, PSU, SE = S.AGENCY, S.PUBLIC_SERVICE_UNIT, S.STATE_ENTERPRISE
PTY, GOV = PARTY_SIDE, GOVERNMENT_SIDE
OFFICE = "Văn phòng Sở"
INSPECTORATE = "Thanh tra Sở"

# 39 grassroots committees recorded before 2008 ------------------------------------------------
COMMITTEES: tuple[Unit, ...] = (
    _committee(
        "VPTU",
        "Văn phòng Tỉnh ủy",
        A,
        PTY,
        [
            "Phòng Tổng hợp",
            "Phòng Hành chính - Lưu trữ",
            "Phòng Quản trị - Tài vụ",
            "Phòng Cơ yếu - Công nghệ thông tin",
            "Nhà khách Tỉnh ủy",
        ],
    ),
    _committee(
        "TAND",
        "Tòa án nhân dân tỉnh",
        A,
        PTY,
        ["Văn phòng", "Tòa Hình sự", "Tòa Dân sự", "Tòa Hành chính", "Tòa Kinh tế - Lao động"],
    ),
    _committee(
        "VKSND",
        "Viện Kiểm sát nhân dân tỉnh",
        A,
        PTY,
        [
            "Văn phòng",
            "Phòng Thực hành quyền công tố và kiểm sát xét xử án hình sự",
            "Phòng Kiểm sát điều tra",
            "Phòng Kiểm sát giải quyết các vụ, việc dân sự, hành chính",
            "Phòng Kiểm sát thi hành án",
        ],
    ),
    _committee(
        "BAO",
        "Báo Bình Định",
        PSU,
        PTY,
        ["Ban Thư ký tòa soạn", "Ban Phóng viên", "Ban Báo điện tử", "Phòng Hành chính - Trị sự"],
    ),
    _committee(
        "VPUB",
        "Văn phòng Ủy ban nhân dân tỉnh",
        A,
        GOV,
        [
            "Phòng Tổng hợp",
            "Phòng Kinh tế",
            "Phòng Khoa giáo - Văn xã",
            "Phòng Hành chính - Tổ chức",
            "Phòng Quản trị - Tài vụ",
            "Trung tâm Tin học",
            "Ban Tiếp công dân",
        ],
    ),
    _committee(
        "SYT",
        "Sở Y tế",
        A,
        GOV,
        [
            OFFICE,
            INSPECTORATE,
            "Phòng Nghiệp vụ Y",
            "Phòng Kế hoạch - Tài chính",
            "Chi cục An toàn vệ sinh thực phẩm",
            "Trung tâm Y tế dự phòng tỉnh",
            "Chi cục Dân số - Kế hoạch hóa gia đình",
        ],
    ),
    _committee(
        "SGDDT",
        "Sở Giáo dục và Đào tạo",
        A,
        GOV,
        [
            OFFICE,
            INSPECTORATE,
            "Phòng Giáo dục Trung học",
            "Phòng Giáo dục Mầm non - Tiểu học",
            "Phòng Khảo thí và Kiểm định chất lượng",
            "Phòng Kế hoạch - Tài chính",
        ],
    ),
    _committee(
        "SNNPTNT",
        "Sở Nông nghiệp và Phát triển nông thôn",
        A,
        GOV,
        [
            OFFICE,
            "Chi cục Thủy lợi",
            "Chi cục Chăn nuôi và Thú y",
            "Chi cục Trồng trọt và Bảo vệ thực vật",
            "Chi cục Thủy sản",
            "Trung tâm Khuyến nông",
            "Ban Quản lý Cảng cá",
        ],
        [
            SubCommittee(
                "KL",
                "Chi cục Kiểm lâm",
                (
                    "Văn phòng Chi cục",
                    "Đội Kiểm lâm cơ động và Phòng cháy chữa cháy rừng",
                    "Hạt Kiểm lâm liên huyện An Lão - Hoài Nhơn",
                ),
            )
        ],
    ),
    _committee(
        "STNMT",
        "Sở Tài nguyên và Môi trường",
        A,
        GOV,
        [
            OFFICE,
            "Chi cục Bảo vệ môi trường",
            "Chi cục Quản lý đất đai",
            "Văn phòng Đăng ký đất đai",
            "Trung tâm Quan trắc tài nguyên và môi trường",
        ],
    ),
    _committee(
        "SGTVT",
        "Sở Giao thông vận tải",
        A,
        GOV,
        [
            OFFICE,
            INSPECTORATE,
            "Phòng Quản lý kết cấu hạ tầng giao thông",
            "Phòng Quản lý vận tải, phương tiện và người lái",
            "Trung tâm Đăng kiểm xe cơ giới",
        ],
    ),
    _committee(
        "SXD",
        "Sở Xây dựng",
        A,
        GOV,
        [OFFICE, INSPECTORATE, "Phòng Quản lý xây dựng", "Trung tâm Kiểm định xây dựng"],
    ),
    _committee(
        "SCT",
        "Sở Công Thương",
        A,
        GOV,
        [
            OFFICE,
            "Chi cục Quản lý thị trường",
            "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp",
            "Phòng Quản lý năng lượng",
        ],
    ),
    _committee(
        "SKHDT",
        "Sở Kế hoạch và Đầu tư",
        A,
        GOV,
        [
            OFFICE,
            "Phòng Đăng ký kinh doanh",
            "Phòng Tổng hợp, quy hoạch",
            "Trung tâm Xúc tiến đầu tư",
        ],
    ),
    _committee(
        "STC",
        "Sở Tài chính",
        A,
        GOV,
        [
            OFFICE,
            INSPECTORATE,
            "Phòng Quản lý ngân sách",
            "Phòng Tài chính doanh nghiệp",
            "Phòng Quản lý giá và công sản",
        ],
    ),
    _committee(
        "SLDTBXH",
        "Sở Lao động - Thương binh và Xã hội",
        A,
        GOV,
        [
            OFFICE,
            "Trung tâm Dịch vụ việc làm",
            "Trung tâm Bảo trợ xã hội tổng hợp",
            "Cơ sở Cai nghiện ma túy",
            "Trung tâm Nuôi dưỡng người tâm thần",
        ],
    ),
    _committee(
        "SVHTTDL",
        "Sở Văn hóa, Thể thao và Du lịch",
        A,
        GOV,
        [
            OFFICE,
            INSPECTORATE,
            "Phòng Quản lý du lịch",
            "Trung tâm Văn hóa tỉnh",
            "Bảo tàng Tổng hợp tỉnh",
            "Trung tâm Huấn luyện và Thi đấu thể dục thể thao",
            "Trung tâm Thông tin xúc tiến du lịch",
        ],
    ),
    _committee(
        "SNV",
        "Sở Nội vụ",
        A,
        GOV,
        [OFFICE, "Ban Thi đua - Khen thưởng", "Ban Tôn giáo", "Chi cục Văn thư - Lưu trữ"],
    ),
    _committee(
        "STTTT",
        "Sở Thông tin và Truyền thông",
        A,
        GOV,
        [OFFICE, "Phòng Bưu chính, Viễn thông và Công nghệ thông tin", INSPECTORATE],
    ),
    _committee(
        "SKHCN",
        "Sở Khoa học và Công nghệ",
        A,
        GOV,
        [
            OFFICE,
            "Chi cục Tiêu chuẩn Đo lường Chất lượng",
            "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ",
            "Trung tâm Thông tin và Thống kê khoa học và công nghệ",
        ],
    ),
    _committee(
        "BVDK",
        "Bệnh viện Đa khoa tỉnh",
        PSU,
        GOV,
        [
            "Phòng Kế hoạch tổng hợp",
            "Phòng Tổ chức cán bộ",
            "Khoa Dược",
            "Khoa Hồi sức tích cực - Chống độc",
        ],
        [
            SubCommittee(
                "KN",
                "Khối Nội",
                ("Khoa Nội tổng hợp", "Khoa Tim mạch", "Khoa Nhi", "Khoa Truyền nhiễm"),
            ),
            SubCommittee(
                "KNG",
                "Khối Ngoại",
                (
                    "Khoa Ngoại tổng hợp",
                    "Khoa Chấn thương chỉnh hình",
                    "Khoa Phụ sản",
                    "Khoa Gây mê hồi sức",
                ),
            ),
        ],
    ),
    _committee(
        "BVBS",
        "Bệnh viện Đa khoa khu vực Bồng Sơn",
        PSU,
        GOV,
        ["Khoa Nội", "Khoa Ngoại", "Khoa Sản", "Phòng Kế hoạch tổng hợp"],
    ),
    _committee(
        "BVPP",
        "Bệnh viện Đa khoa khu vực Phú Phong",
        PSU,
        GOV,
        ["Khoa Nội - Nhi", "Khoa Ngoại - Sản", "Phòng Hành chính - Kế hoạch"],
        since=D(2003, 9, 1),
    ),
    _committee(
        "KBNN",
        "Kho bạc Nhà nước tỉnh",
        A,
        GOV,
        [
            "Văn phòng",
            "Phòng Kế toán nhà nước",
            "Phòng Kiểm soát chi",
            "Phòng Thanh tra - Kiểm tra",
        ],
    ),
    _committee(
        "CTHUE",
        "Cục Thuế tỉnh",
        A,
        GOV,
        [
            "Văn phòng Cục",
            "Phòng Kiểm tra thuế",
            "Phòng Thanh tra thuế",
            "Phòng Tuyên truyền - Hỗ trợ người nộp thuế",
            "Phòng Quản lý nợ và Cưỡng chế nợ thuế",
            "Phòng Tổ chức cán bộ",
        ],
    ),
    _committee(
        "CHQ",
        "Cục Hải quan tỉnh",
        A,
        GOV,
        [
            "Văn phòng Cục",
            "Chi cục Hải quan cửa khẩu cảng Quy Nhơn",
            "Chi cục Kiểm tra sau thông quan",
            "Phòng Nghiệp vụ",
        ],
    ),
    _committee(
        "BHXH",
        "Bảo hiểm xã hội tỉnh",
        A,
        GOV,
        ["Văn phòng", "Phòng Thu", "Phòng Chế độ bảo hiểm xã hội", "Phòng Giám định bảo hiểm y tế"],
    ),
    _committee(
        "NHCT",
        "Ngân hàng Công thương Bình Định",
        SE,
        GOV,
        [
            "Phòng Khách hàng doanh nghiệp",
            "Phòng Bán lẻ",
            "Phòng Kế toán giao dịch",
            "Phòng Giao dịch Quy Nhơn",
        ],
    ),
    _committee(
        "AGRI",
        "Ngân hàng Nông nghiệp và Phát triển nông thôn Chi nhánh tỉnh Bình Định",
        SE,
        GOV,
        [
            "Phòng Kế hoạch - Nguồn vốn",
            "Phòng Khách hàng",
            "Phòng Kế toán - Ngân quỹ",
            "Chi nhánh Quy Nhơn",
            "Chi nhánh Phú Tài",
        ],
    ),
    _committee(
        "BIDV",
        "Ngân hàng Đầu tư và Phát triển Chi nhánh Bình Định",
        SE,
        GOV,
        [
            "Phòng Quan hệ khách hàng",
            "Phòng Quản lý rủi ro",
            "Phòng Giao dịch khách hàng",
            "Văn phòng Chi nhánh",
        ],
    ),
    _committee(
        "DLBD",
        "Điện lực Bình Định",
        SE,
        GOV,
        ["Phòng Kỹ thuật", "Phòng Kinh doanh", "Văn phòng Công ty", "Phân xưởng Thí nghiệm điện"],
        [
            SubCommittee(
                "QN",
                "Điện lực Quy Nhơn",
                (
                    "Đội Quản lý vận hành lưới điện",
                    "Đội Kinh doanh điện năng",
                    "Tổ Hành chính - Tổng hợp",
                ),
            )
        ],
    ),
    _committee(
        "VNPT",
        "Viễn thông Bình Định",
        SE,
        GOV,
        [
            "Phòng Kỹ thuật - Đầu tư",
            "Trung tâm Viễn thông Quy Nhơn",
            "Trung tâm Điều hành thông tin",
            "Phòng Kế hoạch - Kế toán",
        ],
    ),
    _committee(
        "BDT",
        "Bưu điện tỉnh",
        SE,
        GOV,
        [
            "Bưu điện thành phố Quy Nhơn",
            "Trung tâm Khai thác vận chuyển",
            "Phòng Kế hoạch - Kinh doanh",
        ],
    ),
    _committee(
        "CTN",
        "Công ty Cổ phần Cấp thoát nước Bình Định",
        SE,
        GOV,
        ["Xí nghiệp Cấp nước Quy Nhơn", "Phòng Kỹ thuật", "Văn phòng Công ty"],
    ),
    _committee(
        "BDP",
        "Công ty Cổ phần Dược - Trang thiết bị y tế Bình Định",
        SE,
        GOV,
        [
            "Nhà máy sản xuất thuốc",
            "Phòng Kiểm tra chất lượng",
            "Phòng Kinh doanh",
            "Văn phòng Công ty",
            "Nhà máy Dịch truyền",
        ],
    ),
    _committee(
        "KTTL",
        "Công ty TNHH MTV Khai thác công trình thủy lợi Bình Định",
        SE,
        GOV,
        ["Chi nhánh Tuy Phước", "Chi nhánh Phù Cát", "Chi nhánh Hoài Nhơn", "Văn phòng Công ty"],
    ),
    _committee(
        "LNSK",
        "Công ty TNHH MTV Lâm nghiệp Sông Kôn",
        SE,
        GOV,
        ["Văn phòng Công ty", "Đội Sản xuất lâm nghiệp số 1", "Đội Quản lý bảo vệ rừng"],
    ),
    _committee(
        "CANG",
        "Công ty Cổ phần Cảng Quy Nhơn",
        SE,
        GOV,
        ["Xí nghiệp Xếp dỡ", "Đội Cơ giới", "Phòng Kinh doanh", "Văn phòng Công ty"],
    ),
    _committee(
        "CDN",
        "Trường Cao đẳng nghề Quy Nhơn",
        PSU,
        GOV,
        [
            "Khoa Điện - Điện tử",
            "Khoa Cơ khí",
            "Khoa Công nghệ thông tin",
            "Phòng Đào tạo",
            "Phòng Hành chính - Tổng hợp",
        ],
    ),
    _committee(
        "CDBD",
        "Trường Cao đẳng Bình Định",
        PSU,
        GOV,
        ["Khoa Sư phạm", "Khoa Kinh tế - Kỹ thuật", "Phòng Đào tạo"],
        since=D(2003, 6, 1),
    ),
)

# 36 grassroots cells recorded before 2008 -----------------------------------------------------
CELLS: tuple[Unit, ...] = (
    _cell("TCT", "Trường Chính trị tỉnh", PSU, PTY),
    _cell("MTTQ", "Cơ quan Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", A, PTY),
    _cell("HLHPN", "Cơ quan Hội Liên hiệp Phụ nữ tỉnh", A, PTY),
    _cell("TDOAN", "Cơ quan Tỉnh đoàn", A, PTY),
    _cell("LDLD", "Cơ quan Liên đoàn Lao động tỉnh", A, PTY),
    _cell("HND", "Cơ quan Hội Nông dân tỉnh", A, PTY),
    _cell("HCCB", "Cơ quan Hội Cựu chiến binh tỉnh", A, PTY),
    _cell("VPHDND", "Văn phòng Hội đồng nhân dân tỉnh", A, PTY),
    _cell("PTTH", "Đài Phát thanh và Truyền hình tỉnh", PSU, PTY),
    _cell("HVHNT", "Hội Văn học Nghệ thuật tỉnh", S.OTHER, PTY),
    _cell("HCTD", "Hội Chữ thập đỏ tỉnh", S.OTHER, PTY),
    _cell("LHHKHKT", "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh", S.OTHER, PTY),
    _cell("STP", "Sở Tư pháp", A, GOV),
    _cell("TTRA", "Thanh tra tỉnh", A, GOV),
    _cell("BDTOC", "Ban Dân tộc tỉnh", A, GOV),
    _cell("BVTT", "Bệnh viện Tâm thần tỉnh", PSU, GOV),
    _cell("BVLAO", "Bệnh viện Lao và Bệnh phổi tỉnh", PSU, GOV),
    _cell("BVMAT", "Bệnh viện Mắt tỉnh", PSU, GOV, since=D(2006, 3, 1)),
    _cell("BVYHCT", "Bệnh viện Y học cổ truyền và Phục hồi chức năng tỉnh", PSU, GOV),
    _cell("CDYT", "Trường Cao đẳng Y tế Bình Định", PSU, GOV),
    _cell("BQLKKT", "Ban Quản lý Khu kinh tế tỉnh", A, GOV, since=D(2005, 10, 1)),
    _cell("BQLDD", "Ban Quản lý dự án Xây dựng dân dụng tỉnh", PSU, GOV),
    _cell("BQLCN", "Ban Quản lý các dự án Công nghiệp tỉnh", PSU, GOV),
    _cell("CTK", "Cục Thống kê tỉnh", A, GOV),
    _cell("NHNN", "Ngân hàng Nhà nước Chi nhánh tỉnh Bình Định", A, GOV),
    _cell("NHCSXH", "Ngân hàng Chính sách xã hội Chi nhánh tỉnh Bình Định", SE, GOV, D(2003, 4, 1)),
    _cell("XSKT", "Công ty TNHH MTV Xổ số kiến thiết Bình Định", SE, GOV),
    _cell("SACH", "Công ty Cổ phần Sách - Thiết bị trường học Bình Định", SE, GOV),
    _cell("KSBD", "Công ty Cổ phần Khoáng sản Bình Định", SE, GOV),
    _cell("MTDT", "Công ty TNHH MTV Môi trường đô thị Quy Nhơn", SE, GOV),
    _cell("QLDB", "Công ty Cổ phần Quản lý và Xây dựng đường bộ Bình Định", SE, GOV),
    _cell("TTPTQD", "Trung tâm Phát triển quỹ đất tỉnh", PSU, GOV),
    _cell("LQD", "Trường Trung học phổ thông chuyên Lê Quý Đôn", PSU, GOV),
    _cell("GDTX", "Trung tâm Giáo dục thường xuyên tỉnh", PSU, GOV),
    _cell("LMHTX", "Liên minh Hợp tác xã tỉnh", S.OTHER, GOV),
    _cell("BQLRPH", "Ban Quản lý rừng phòng hộ tỉnh", PSU, GOV),
)  # fmt: skip

UNITS: dict[str, Unit] = {unit.key: unit for unit in COMMITTEES + CELLS}

# The eight committee consolidations of Q1 2021 (kiện toàn cấp ủy), one per organisation.
Q1_2021_CONSOLIDATIONS: tuple[tuple[str, dt.date, str], ...] = (
    ("STC", D(2021, 1, 12), "deputy"),
    ("STP", D(2021, 1, 20), "add_deputy"),
    ("KBNN", D(2021, 1, 28), "secretary"),
    ("BVDK", D(2021, 2, 3), "add_members"),
    ("CTHUE", D(2021, 2, 22), "member"),
    ("TCT", D(2021, 3, 5), "secretary"),
    ("SGDDT", D(2021, 3, 16), "add_standing"),
    ("VNPT", D(2021, 3, 25), "deputy"),
)
# Consolidations in other quarters, so the Q1 2021 figure is a real selection.
OTHER_CONSOLIDATIONS: tuple[tuple[str, dt.date, str], ...] = (
    ("SYT", D(2020, 10, 20), "deputy"),
    ("HLHPN", D(2020, 11, 18), "secretary"),
    ("SXD", D(2021, 4, 14), "member"),
    ("AGRI", D(2021, 5, 26), "secretary"),
    ("BVTT", D(2021, 6, 9), "add_members"),
    ("TAND", D(2022, 3, 1), "deputy"),
    ("CHQ", D(2022, 8, 15), "secretary"),
    ("SNV", D(2022, 11, 2), "member"),
    ("BAO", D(2023, 4, 20), "deputy"),
    ("SCT", D(2023, 9, 12), "secretary"),
    ("CTK", D(2024, 2, 26), "add_deputy"),
    ("KTTL", D(2024, 7, 8), "member"),
)


# decisions --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Issuer:
    body: str
    symbol: str  # type and issuer part of the symbol: QĐ/ĐUK
    per_day: float  # about how many decisions it signs a day, for plausible numbers


TW = Issuer("Bộ Chính trị", "QĐ/TW", 0.9)
PROVINCE_STANDING = Issuer("Ban Thường vụ Tỉnh ủy", "QĐ/TU", 3.0)
BLOC_STANDING = Issuer("Ban Thường vụ Đảng ủy Khối", "QĐ/ĐUK", 2.2)
AGENCIES_BLOC_STANDING = Issuer("Ban Thường vụ Đảng ủy Khối Dân chính Đảng tỉnh", "QĐ/ĐUK", 1.2)
ENTERPRISES_BLOC_STANDING = Issuer("Ban Thường vụ Đảng ủy Khối Doanh nghiệp tỉnh", "QĐ/ĐUK", 1.0)
PARTY_AGENCIES_STANDING = Issuer("Ban Thường vụ Đảng ủy các cơ quan Đảng tỉnh", "QĐ/ĐU", 1.5)
GOVERNMENT_STANDING = Issuer("Ban Thường vụ Đảng ủy UBND tỉnh", "QĐ/ĐU", 1.5)


def grassroots_issuer(unit_name: str) -> Issuer:
    """The executive committee of a grassroots committee (Đảng ủy ...)."""
    return Issuer(f"Đảng ủy {unit_name}", "QĐ/ĐU", 0.2)


class DecisionBook:
    """Numbers decisions the way a register does: per issuing body and year, rising with the
    date, never twice the same number."""

    def __init__(self) -> None:
        self._used: dict[tuple[str, int], set[int]] = {}

    def issue(
        self,
        issuer: Issuer,
        signed: dt.date,
        summary: str,
        number: int | None = None,
    ) -> DecisionInput:
        used = self._used.setdefault((issuer.body, signed.year), set())
        if number is None:
            pace = issuer.per_day * (0.8 + (signed.year * 37 % 40) / 100)  # busier some years
            number = max(1, round(signed.timetuple().tm_yday * pace))
            while number in used:
                number += 1
        elif number in used:
            raise ValueError(f"{number}-{issuer.symbol} of {signed.year} is already issued")
        used.add(number)
        return DecisionInput(
            symbol=f"{number:02d}-{issuer.symbol}",
            date=signed,
            issuing_body=issuer.body,
            summary=summary,
        )


# people -------------------------------------------------------------------------------------------
FAMILY_NAMES = (
    "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Trần", "Lê",
    "Lê", "Lê", "Huỳnh", "Huỳnh", "Võ", "Võ", "Phạm", "Phạm", "Phan", "Hoàng", "Đặng", "Bùi",
    "Đỗ", "Hồ", "Ngô", "Dương", "Đoàn", "Trương", "Đinh", "Lâm", "Mai", "Tô", "Châu", "Lương",
)  # fmt: skip
MALE_MIDDLE = (
    "Văn", "Văn", "Văn", "Đức", "Minh", "Quốc", "Thanh", "Hữu", "Công", "Ngọc", "Xuân", "Đình",
    "Quang", "Tấn", "Trọng",
)  # fmt: skip
FEMALE_MIDDLE = (
    "Thị", "Thị", "Thị", "Thị Thu", "Thị Kim", "Thị Thanh", "Thị Mỹ", "Thị Bích", "Ngọc", "Thu",
    "Thanh",
)  # fmt: skip
MALE_GIVEN = (
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Huy", "Khánh", "Kiên", "Long",
    "Lộc", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Sơn", "Tài", "Tâm", "Thắng",
    "Thành", "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Vũ",
)  # fmt: skip
FEMALE_GIVEN = (
    "Lan", "Hoa", "Hương", "Hằng", "Mai", "Nga", "Ngọc", "Nhung", "Phương", "Thảo", "Trang",
    "Vân", "Yến", "Hạnh", "Liên", "Dung", "Thủy", "Hà", "Loan", "Oanh", "Linh", "Hiền",
    "Duyên", "Quyên",
)  # fmt: skip


class People:
    """Vietnamese full names composed as family + middle + given (Faker's vi_VN gets the order
    wrong), from a seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def name(self) -> str:
        rng = self.rng
        female = rng.random() < 0.4
        middle = rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
        given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
        while middle.endswith(given):
            given = rng.choice(FEMALE_GIVEN if female else MALE_GIVEN)
        return f"{rng.choice(FAMILY_NAMES)} {middle} {given}"


# the builder --------------------------------------------------------------------------------------
@dataclass
class DemoTree:
    """The organisations other parts of the demo (users, tests) refer to."""

    province: Organization
    bloc: Organization
    party_agencies: Organization
    government: Organization
    gia_lai: Organization
    psychiatric_hospital: Organization
    justice: Organization
    by_code: dict[str, Organization] = field(repr=False)


class Builder:
    """Writes the demo in the order the history happened, one service call per event."""

    def __init__(self, scope: Scope | None = None, seed: int = SEED) -> None:
        self.scope = scope or Scope.system()
        self.rng = random.Random(seed)
        self.people = People(self.rng)
        self.decisions = DecisionBook()
        self.orgs: dict[str, Organization] = {}
        self.unit_names: dict[str, str] = {}  # code -> the unit's current name (no prefix)

    # elementary writes --------------------------------------------------------------------
    def establish(
        self,
        code: str,
        name: str,
        type_: str,
        parent: Organization | None,
        day: dt.date,
        decision: DecisionInput,
        *,
        sector: str = "",
        province_code: int | None = None,
        address: str = "",
        children: Iterable[Organization] = (),
    ) -> Organization:
        organization = services.organization_establish(
            scope=self.scope,
            spec=NewOrganization(
                code=code,
                name=name,
                type=type_,
                parent=parent,
                sector=sector,
                province_code=province_code,
                address=address,
                children=list(children),
            ),
            effective_date=day,
            decision=decision,
        )
        self.orgs[code] = organization
        return organization

    def establish_cells(
        self,
        parent_code: str,
        names: Iterable[str],
        day: dt.date,
        decision: DecisionInput,
        *,
        type_: str = T.SUBORDINATE_CELL,
    ) -> list[Organization]:
        parent = self.orgs[parent_code]
        taken = {code for code in self.orgs if code.startswith(f"{parent_code}.")}
        created = []
        number = 0
        for name in names:
            number += 1
            while f"{parent_code}.{number:02d}" in taken:
                number += 1
            code = f"{parent_code}.{number:02d}"
            created.append(self.establish(code, f"Chi bộ {name}", type_, parent, day, decision))
            self.unit_names[code] = name
        return created

    def rename(self, code: str, unit_name: str, day: dt.date, decision: DecisionInput) -> None:
        current = self.orgs[code].name
        prefix = current[: len(current) - len(self.unit_names[code])]
        self.orgs[code] = services.organization_rename(
            scope=self.scope,
            organization=self.orgs[code],
            name=f"{prefix}{unit_name}",
            effective_date=day,
            decision=decision,
        )
        self.unit_names[code] = unit_name

    def convert(self, code: str, type_: str, day: dt.date, decision: DecisionInput) -> None:
        self.orgs[code] = services.organization_convert(
            scope=self.scope,
            organization=self.orgs[code],
            type=type_,
            effective_date=day,
            decision=decision,
        )

    def move(self, code: str, parent_code: str, day: dt.date, decision: DecisionInput) -> None:
        self.orgs[code] = services.organization_move(
            scope=self.scope,
            organization=self.orgs[code],
            parent=self.orgs[parent_code],
            effective_date=day,
            decision=decision,
        )

    def dissolve(self, code: str, day: dt.date, decision: DecisionInput) -> None:
        self.orgs[code] = services.organization_dissolve(
            scope=self.scope, organization=self.orgs[code], effective_date=day, decision=decision
        )

    def issue(self, issuer: Issuer, signed: dt.date, summary: str, number: int | None = None):
        return self.decisions.issue(issuer, signed, summary, number)

    def address(self) -> str:
        rng = self.rng
        street = rng.choice(STREETS)
        ward = rng.choice(WARDS)
        return f"Số {rng.randint(2, 380)} {street}, phường {ward}, thành phố Quy Nhơn"

    def name_of(self, code: str) -> str:
        return self.unit_names[code]

    # committees -----------------------------------------------------------------------------
    def seats_for(self, type_: str, keep_secretary: str | None = None) -> list[SeatInput]:
        """Positions of a committee of `type_`: a cell has a secretary and maybe a deputy; a
        grassroots committee (9 to 13 members) a standing committee of 3 to 5."""
        rng = self.rng
        if type_ in (T.GRASSROOTS_CELL, T.SUBORDINATE_CELL):
            positions = [P.SECRETARY, P.DEPUTY_SECRETARY][: rng.choice((1, 2, 2))]
        elif type_ == T.SUB_COMMITTEE:
            positions = [P.SECRETARY, P.DEPUTY_SECRETARY] + [P.COMMITTEE_MEMBER] * 3
        elif type_ == T.GRASSROOTS_COMMITTEE:
            size = rng.choice((9, 9, 11, 11, 13))
            deputies = 2 if size == 13 else 1
            positions = [P.SECRETARY] + [P.DEPUTY_SECRETARY] * deputies
            positions += [P.STANDING_MEMBER] * rng.choice((1, 2, 3))
            positions += [P.COMMITTEE_MEMBER] * (size - len(positions))
        else:  # upper and provincial committees
            positions = [P.SECRETARY] + [P.DEPUTY_SECRETARY] * 2 + [P.STANDING_MEMBER] * 6
            positions += [P.COMMITTEE_MEMBER] * 14
        seats = [SeatInput(full_name=self.people.name(), position=p) for p in positions]
        if keep_secretary and rng.random() < 0.5:
            seats[0] = SeatInput(full_name=keep_secretary, position=P.SECRETARY)
        return seats

    def open_term(
        self,
        code: str,
        term: str,
        start: dt.date,
        decision: DecisionInput,
        seats: list[SeatInput] | None = None,
    ) -> CommitteeTerm:
        organization = self.orgs[code]
        if seats is None:
            type_ = self.version(code, start).type
            previous = (
                CommitteeSeat.objects.filter(
                    term__organization=organization,
                    position=P.SECRETARY,
                    start_date__lt=start,
                    end_date__isnull=True,
                )
                .values_list("full_name", flat=True)
                .first()
            )
            seats = self.seats_for(type_, keep_secretary=previous)
        return services.committee_term_open(
            scope=self.scope,
            organization=organization,
            name=term,
            start_date=start,
            decision=decision,
            seats=seats,
        )

    def consolidate(self, code: str, day: dt.date, how: str, issuer: Issuer) -> None:
        """Kiện toàn cấp ủy: relieve some seats and appoint others under one decision."""
        organization = self.orgs[code]
        term = CommitteeTerm.objects.filter(organization=organization, start_date__lte=day)
        term = term.order_by("-start_date").first()
        active = list(term.seats.filter(start_date__lt=day, end_date__isnull=True).order_by("id"))
        by_position: dict[str, list[CommitteeSeat]] = {}
        for seat in active:
            by_position.setdefault(seat.position, []).append(seat)
        relieve: list[CommitteeSeat] = []
        appoint: list[str] = []
        if how in ("secretary", "deputy", "member"):
            position = {"secretary": P.SECRETARY, "deputy": P.DEPUTY_SECRETARY}.get(
                how, P.COMMITTEE_MEMBER
            )
            if not by_position.get(position):  # a cell with a secretary only
                how, position = "secretary", P.SECRETARY
            relieve.append(by_position[position][0])
            appoint.append(position)
        elif how == "add_deputy":
            appoint.append(P.DEPUTY_SECRETARY)
            if by_position.get(P.DEPUTY_SECRETARY):
                relieve.append(by_position[P.DEPUTY_SECRETARY][0])
        elif how == "add_members":
            appoint += [P.COMMITTEE_MEMBER, P.COMMITTEE_MEMBER]
        elif how == "add_standing":
            appoint.append(P.STANDING_MEMBER)
        else:  # pragma: no cover - the tables above name only the cases handled here
            raise ValueError(how)
        reasons = {
            "secretary": "Đồng chí Bí thư nghỉ hưu theo chế độ; chỉ định Bí thư mới.",
            "deputy": "Đồng chí Phó Bí thư được điều động công tác khác; chỉ định Phó Bí thư mới.",
            "member": "Một đồng chí cấp ủy viên chuyển công tác; chỉ định bổ sung cấp ủy viên.",
            "add_deputy": "Chỉ định Phó Bí thư.",
            "add_members": "Chỉ định bổ sung cấp ủy viên.",
            "add_standing": "Chỉ định bổ sung Ủy viên Ban Thường vụ.",
        }
        services.committee_consolidate(
            scope=self.scope,
            organization=organization,
            effective_date=day,
            decision=self.issue(
                issuer, day, f"Về việc kiện toàn cấp ủy {organization.name} nhiệm kỳ {term.name}"
            ),
            appoint=[SeatInput(full_name=self.people.name(), position=p) for p in appoint],
            relieve=[seat.pk for seat in relieve],
            note=reasons[how],
        )

    def version(self, code: str, day: dt.date) -> OrganizationVersion:
        return OrganizationVersion.objects.get(
            organization=self.orgs[code], valid_from__lte=day, valid_to__gt=day
        )

    def alive(self, day: dt.date, types: Iterable[str], under: str) -> list[str]:
        """Codes of the organisations of `types` in the subtree of `under` on `day`, in the
        order they were created (ids are not part of the demo's content, their order is)."""
        root = self.version(under, day)
        versions = OrganizationVersion.objects.filter(
            valid_from__lte=day,
            valid_to__gt=day,
            type__in=list(types),
            path__startswith=root.path,
        ).exclude(organization=self.orgs[under])
        return list(
            versions.order_by("organization_id").values_list("organization__code", flat=True)
        )

    # the history ------------------------------------------------------------------------------
    def build(self) -> DemoTree:
        self.province_and_blocs()
        self.grassroots_before_2008()
        self.bloc_of_provincial_agencies()
        self.restructuring_2009_2020()
        self.terms_2010_2020()
        self.first_quarter_2021()
        self.after_2021()
        self.restructuring_2025()
        self.province_merger_2025()
        orgs = self.orgs
        return DemoTree(
            province=orgs["BD"],
            bloc=orgs["BD.DUK"],
            party_agencies=orgs["BD.CQD"],
            government=orgs["BD.UBND"],
            gia_lai=orgs["GL"],
            psychiatric_hospital=orgs["BD.BVTT"],
            justice=orgs["BD.STP"],
            by_code=dict(orgs),
        )

    def province_and_blocs(self) -> None:
        self.establish(
            "BD",
            "Đảng bộ tỉnh Bình Định",
            T.PROVINCIAL_COMMITTEE,
            None,
            D(1989, 7, 1),
            self.issue(
                TW,
                D(1989, 6, 30),
                "Về việc thành lập Đảng bộ tỉnh Bình Định (tách từ Đảng bộ tỉnh Nghĩa Bình)",
                number=12,
            ),
            sector=S.OTHER,
            province_code=PROVINCE_CODE,
            address="Số 01 Trần Phú, phường Lê Hồng Phong, thành phố Quy Nhơn",
        )
        self.unit_names["BD"] = "tỉnh Bình Định"
        for code, unit, day in (
            (AGENCIES_BLOC, "Khối Dân chính Đảng tỉnh", D(1997, 6, 1)),
            (ENTERPRISES_BLOC, "Khối Doanh nghiệp tỉnh", D(1999, 9, 1)),
        ):
            self.establish(
                code,
                f"Đảng bộ {unit}",
                T.UPPER_COMMITTEE,
                self.orgs["BD"],
                day,
                self.issue(
                    PROVINCE_STANDING,
                    day - dt.timedelta(days=10),
                    f"Về việc thành lập Đảng bộ {unit}",
                ),
                sector=S.OTHER,
            )
            self.unit_names[code] = unit

    def grassroots_before_2008(self) -> None:
        blocs = {
            AGENCIES_BLOC: (D(1997, 6, 1), AGENCIES_BLOC_STANDING),
            ENTERPRISES_BLOC: (D(1999, 9, 1), ENTERPRISES_BLOC_STANDING),
        }
        for unit in sorted(COMMITTEES + CELLS, key=lambda u: u.since or blocs[u.bloc][0]):
            bloc_day, issuer = blocs[unit.bloc]
            day = unit.since or bloc_day
            prefix = "Đảng bộ" if unit.committee else "Chi bộ"
            decision = self.issue(
                issuer,
                day,
                f"Về việc thành lập {prefix} {unit.name} trực thuộc Đảng bộ "
                f"{self.name_of(unit.bloc)}",
            )
            self.establish(
                unit.code,
                f"{prefix} {unit.name}",
                T.GRASSROOTS_COMMITTEE if unit.committee else T.GRASSROOTS_CELL,
                self.orgs[unit.bloc],
                day,
                decision,
                sector=unit.sector,
                address=self.address(),
            )
            self.unit_names[unit.code] = unit.name
            if unit.committee:
                self.establish_cells(unit.code, unit.cells, day, decision)
                for sub in unit.sub_committees:
                    code = f"{unit.code}.{sub.key}"
                    self.establish(
                        code,
                        f"Đảng bộ bộ phận {sub.name}",
                        T.SUB_COMMITTEE,
                        self.orgs[unit.code],
                        day,
                        decision,
                    )
                    self.unit_names[code] = sub.name
                    self.establish_cells(code, sub.cells, day, decision)

    def bloc_of_provincial_agencies(self) -> None:
        """01/04/2008: the two blocs merge into Đảng bộ Khối các cơ quan tỉnh."""
        day = D(2008, 4, 1)
        bloc = services.organization_merge(
            scope=self.scope,
            sources=[self.orgs[AGENCIES_BLOC], self.orgs[ENTERPRISES_BLOC]],
            new=NewOrganization(
                code="BD.DUK",
                name="Đảng bộ Khối các cơ quan tỉnh",
                type=T.UPPER_COMMITTEE,
                parent=self.orgs["BD"],
                sector=S.OTHER,
                address="Số 02 Hai Bà Trưng, phường Lê Lợi, thành phố Quy Nhơn",
            ),
            effective_date=day,
            decision=self.issue(
                PROVINCE_STANDING,
                D(2008, 3, 24),
                "Về việc hợp nhất Đảng bộ Khối Dân chính Đảng tỉnh và Đảng bộ Khối Doanh "
                "nghiệp tỉnh thành Đảng bộ Khối các cơ quan tỉnh",
            ),
            note="Các tổ chức cơ sở đảng của hai khối chuyển về trực thuộc Đảng bộ Khối các "
            "cơ quan tỉnh từ ngày 01/04/2008.",
        )
        self.orgs["BD.DUK"] = bloc
        self.unit_names["BD.DUK"] = "Khối các cơ quan tỉnh"
        for code in (AGENCIES_BLOC, ENTERPRISES_BLOC):
            self.orgs[code].refresh_from_db()
        for unit in COMMITTEES + CELLS:
            self.orgs[unit.code].refresh_from_db()

    def bloc_decision(self, day: dt.date, summary: str, signed: dt.date | None = None):
        return self.issue(BLOC_STANDING, signed or day - dt.timedelta(days=6), summary)

    def cell_to_committee(
        self,
        key: str,
        day: dt.date,
        cells: Iterable[str],
        signed: dt.date | None = None,
        number: int | None = None,
    ) -> None:
        """Chuyển chi bộ cơ sở thành đảng bộ cơ sở: convert, rename, establish its cells."""
        code = f"BD.{key}"
        unit = self.name_of(code)
        decision = self.issue(
            BLOC_STANDING,
            signed or day - dt.timedelta(days=5),
            f"Về việc chuyển Chi bộ {unit} thành Đảng bộ {unit} và thành lập các chi bộ trực thuộc",
            number=number,
        )
        self.convert(code, T.GRASSROOTS_COMMITTEE, day, decision)
        self.orgs[code] = services.organization_rename(
            scope=self.scope,
            organization=self.orgs[code],
            name=f"Đảng bộ {unit}",
            effective_date=day,
            decision=decision,
        )
        self.establish_cells(code, cells, day, decision)

    def restructuring_2009_2020(self) -> None:
        bloc = self.orgs["BD.DUK"]

        def new_cell(key: str, unit: str, sector: str, day: dt.date) -> None:
            code = f"BD.{key}"
            self.establish(
                code,
                f"Chi bộ {unit}",
                T.GRASSROOTS_CELL,
                bloc,
                day,
                self.bloc_decision(day, f"Về việc thành lập Chi bộ {unit}"),
                sector=sector,
                address=self.address(),
            )
            self.unit_names[code] = unit

        new_cell("BQLHT", "Ban Quản lý dự án Hạ tầng đô thị tỉnh", PSU, D(2009, 3, 1))
        self.rename(
            "BD.NHCT",
            "Ngân hàng TMCP Công thương Việt Nam - Chi nhánh Bình Định",
            D(2009, 10, 1),
            self.bloc_decision(
                D(2009, 10, 1), "Về việc đổi tên Đảng bộ Ngân hàng Công thương Bình Định"
            ),
        )
        new_cell("QDTPT", "Quỹ Đầu tư phát triển tỉnh", PSU, D(2010, 6, 1))
        self.rename(
            "BD.DLBD",
            "Công ty Điện lực Bình Định",
            D(2010, 9, 1),
            self.bloc_decision(D(2010, 9, 1), "Về việc đổi tên Đảng bộ Điện lực Bình Định"),
        )
        self.cell_to_committee(
            "CDYT",
            D(2011, 5, 1),
            ["Khoa Điều dưỡng", "Khoa Dược", "Khoa Khoa học cơ bản", "Phòng Đào tạo - Hành chính"],
        )
        new_cell("SNGV", "Sở Ngoại vụ", A, D(2012, 3, 1))
        self.rename(
            "BD.BDT",
            "Bưu điện tỉnh Bình Định",
            D(2013, 7, 1),
            self.bloc_decision(D(2013, 7, 1), "Về việc đổi tên Đảng bộ Bưu điện tỉnh"),
        )
        self.cell_to_committee(
            "PTTH",
            D(2014, 1, 1),
            [
                "Phòng Thời sự",
                "Phòng Chuyên đề - Văn nghệ",
                "Phòng Kỹ thuật - Công nghệ",
                "Phòng Hành chính - Tổng hợp",
            ],
        )
        self.rename(
            "BD.PTTH",
            "Đài Phát thanh và Truyền hình Bình Định",
            D(2014, 3, 1),
            self.bloc_decision(
                D(2014, 3, 1), "Về việc đổi tên Đảng bộ Đài Phát thanh và Truyền hình tỉnh"
            ),
        )
        # A cell moves between committees with its centre, and takes the centre's new name.
        it_centre = "BD.VPUB.06"
        decision = self.bloc_decision(
            D(2014, 7, 1),
            "Về việc chuyển Chi bộ Trung tâm Tin học từ Đảng bộ Văn phòng Ủy ban nhân dân tỉnh "
            "về trực thuộc Đảng bộ Sở Thông tin và Truyền thông",
        )
        self.move(it_centre, "BD.STTTT", D(2014, 7, 1), decision)
        self.rename(
            it_centre, "Trung tâm Công nghệ thông tin và Truyền thông", D(2014, 7, 1), decision
        )
        self.cell_to_committee(
            "BQLKKT",
            D(2016, 1, 1),
            ["Văn phòng Ban", "Phòng Quản lý đầu tư", "Phòng Quy hoạch - Xây dựng"],
        )
        self.dissolve(
            "BD.SACH",
            D(2016, 6, 15),
            self.bloc_decision(
                D(2016, 6, 15),
                "Về việc giải thể Chi bộ Công ty Cổ phần Sách - Thiết bị trường học Bình Định "
                "(Nhà nước thoái toàn bộ vốn, chi bộ không đủ số đảng viên chính thức)",
            ),
        )
        self.split_culture_sports_tourism(D(2017, 1, 1))
        self.rename(
            "BD.CDN",
            "Trường Cao đẳng Kỹ thuật Công nghệ Quy Nhơn",
            D(2017, 4, 1),
            self.bloc_decision(
                D(2017, 4, 1), "Về việc đổi tên Đảng bộ Trường Cao đẳng nghề Quy Nhơn"
            ),
        )
        self.merge_project_boards(D(2017, 7, 1))
        self.rename(
            "BD.SYT.06",
            "Trung tâm Kiểm soát bệnh tật tỉnh",
            D(2018, 1, 1),
            self.issue(
                grassroots_issuer("Sở Y tế"),
                D(2017, 12, 26),
                "Về việc đổi tên Chi bộ Trung tâm Y tế dự phòng tỉnh",
            ),
        )
        self.orgs["BD.BDP"] = services.organization_update_details(
            scope=self.scope,
            organization=self.orgs["BD.BDP"],
            effective_date=D(2018, 3, 1),
            sector=S.PRIVATE_ENTERPRISE,
            note="Nhà nước thoái vốn tại Công ty; doanh nghiệp ngoài nhà nước từ ngày 01/03/2018.",
        )
        self.committee_to_cell("LNSK", D(2018, 7, 1))
        self.move(
            "BD.SKHDT.04",
            "BD.BQLKKT",
            D(2018, 10, 1),
            self.bloc_decision(
                D(2018, 10, 1),
                "Về việc chuyển Chi bộ Trung tâm Xúc tiến đầu tư về trực thuộc Đảng bộ Ban Quản lý "
                "Khu kinh tế tỉnh",
            ),
        )
        self.dissolve(
            "BD.KSBD",
            D(2019, 4, 1),
            self.bloc_decision(
                D(2019, 4, 1),
                "Về việc giải thể Chi bộ Công ty Cổ phần Khoáng sản Bình Định (doanh nghiệp "
                "chấm dứt hoạt động)",
            ),
        )
        new_cell("TTHCC", "Trung tâm Phục vụ hành chính công tỉnh", A, D(2019, 10, 1))
        self.cell_to_committee(
            "BVYHCT",
            D(2020, 3, 1),
            [
                "Khoa Nội - Nhi",
                "Khoa Phục hồi chức năng",
                "Khoa Châm cứu - Dưỡng sinh",
                "Phòng Kế hoạch - Hành chính",
            ],
        )

    def split_culture_sports_tourism(self, day: dt.date) -> None:
        """2017: the department is split; its party committee is split the same way."""
        source = "BD.SVHTTDL"
        decision = self.bloc_decision(
            day,
            "Về việc chia tách Đảng bộ Sở Văn hóa, Thể thao và Du lịch thành Đảng bộ Sở Văn hóa "
            "và Thể thao và Chi bộ Sở Du lịch",
        )
        tourism = ("BD.SVHTTDL.03", "BD.SVHTTDL.07")  # their members join Chi bộ Sở Du lịch
        for code in tourism:
            self.dissolve(code, day, decision)
        keep = [
            self.orgs[code]
            for code in sorted(self.orgs)
            if code.startswith(f"{source}.") and code not in tourism
        ]
        culture, tourism_cell = services.organization_split(
            scope=self.scope,
            organization=self.orgs[source],
            parts=[
                NewOrganization(
                    code="BD.SVHTT",
                    name="Đảng bộ Sở Văn hóa và Thể thao",
                    type=T.GRASSROOTS_COMMITTEE,
                    sector=A,
                    address=self.address(),
                    children=keep,
                ),
                NewOrganization(
                    code="BD.SDL",
                    name="Chi bộ Sở Du lịch",
                    type=T.GRASSROOTS_CELL,
                    sector=A,
                    address=self.address(),
                ),
            ],
            effective_date=day,
            decision=decision,
            dissolve_source=True,
            note="Thực hiện Quyết định của Ủy ban nhân dân tỉnh về việc thành lập Sở Du lịch.",
        )
        self.orgs.update({"BD.SVHTT": culture, "BD.SDL": tourism_cell})
        self.unit_names.update({"BD.SVHTT": "Sở Văn hóa và Thể thao", "BD.SDL": "Sở Du lịch"})
        self.orgs[source].refresh_from_db()

    def merge_project_boards(self, day: dt.date) -> None:
        """2017: three project-management boards become one; so do their cells."""
        decision = self.bloc_decision(
            day,
            "Về việc hợp nhất Chi bộ Ban Quản lý dự án Xây dựng dân dụng tỉnh, Chi bộ Ban Quản lý "
            "các dự án Công nghiệp tỉnh và Chi bộ Ban Quản lý dự án Hạ tầng đô thị tỉnh",
        )
        sources = [self.orgs[c] for c in ("BD.BQLDD", "BD.BQLCN", "BD.BQLHT")]
        board = services.organization_merge(
            scope=self.scope,
            sources=sources,
            new=NewOrganization(
                code="BD.BQLDA",
                name="Đảng bộ Ban Quản lý dự án Dân dụng và Công nghiệp tỉnh",
                type=T.GRASSROOTS_COMMITTEE,
                parent=self.orgs["BD.DUK"],
                sector=PSU,
                address=self.address(),
            ),
            effective_date=day,
            decision=decision,
        )
        self.orgs["BD.BQLDA"] = board
        self.unit_names["BD.BQLDA"] = "Ban Quản lý dự án Dân dụng và Công nghiệp tỉnh"
        for source in sources:
            source.refresh_from_db()
        self.establish_cells(
            "BD.BQLDA",
            ["Văn phòng Ban", "Phòng Kỹ thuật - Thẩm định", "Phòng Điều hành dự án"],
            day,
            decision,
        )

    def committee_to_cell(self, key: str, day: dt.date) -> None:
        """Chuyển đảng bộ cơ sở thành chi bộ cơ sở: its cells end, the members join the cell."""
        code = f"BD.{key}"
        unit = self.name_of(code)
        decision = self.bloc_decision(
            day, f"Về việc chuyển Đảng bộ {unit} thành Chi bộ {unit} (còn dưới 30 đảng viên)"
        )
        for child in self.alive(day - dt.timedelta(days=1), [T.SUBORDINATE_CELL], code):
            self.dissolve(child, day, decision)
        self.convert(code, T.GRASSROOTS_CELL, day, decision)
        self.orgs[code] = services.organization_rename(
            scope=self.scope,
            organization=self.orgs[code],
            name=f"Chi bộ {unit}",
            effective_date=day,
            decision=decision,
        )

    def terms_2010_2020(self) -> None:
        """Congresses: the bloc in 2010, 2015 and 2020; grassroots in 2015 and 2020; the cells
        under grassroots committees in spring 2020."""
        rng = self.rng
        for start, term in ((D(2010, 7, 16), "2010–2015"), (D(2015, 7, 24), "2015–2020")):
            self.open_term(
                "BD.DUK",
                term,
                start,
                self.issue(
                    PROVINCE_STANDING,
                    start + dt.timedelta(days=7),
                    "Về việc chuẩn y kết quả bầu cử Ban Chấp hành Đảng bộ Khối các cơ quan tỉnh "
                    f"nhiệm kỳ {term}",
                ),
            )
        grassroots = (T.GRASSROOTS_COMMITTEE, T.GRASSROOTS_CELL)
        for code in self.alive(D(2015, 4, 1), grassroots, "BD.DUK"):
            start = D(2015, 4, 1) + dt.timedelta(days=rng.randint(0, 80))
            self.open_term(
                code, "2015–2020", start, self.congress_approval(code, start, "2015–2020")
            )
        day = D(2020, 3, 1)
        for code in self.alive(day, (T.SUBORDINATE_CELL, T.SUB_COMMITTEE), "BD.DUK"):
            start = day + dt.timedelta(days=rng.randint(0, 55))
            parent = self.version(code, start).parent.code
            grassroots_code = parent if parent.count(".") == 1 else parent.rsplit(".", 1)[0]
            decision = self.issue(
                grassroots_issuer(self.name_of(grassroots_code)),
                start + dt.timedelta(days=5),
                f"Về việc chuẩn y kết quả bầu cử cấp ủy {self.orgs[code].name} nhiệm kỳ 2020–2025",
            )
            self.open_term(code, "2020–2025", start, decision)
        for code in self.alive(D(2020, 5, 10), grassroots, "BD.DUK"):
            start = D(2020, 5, 10) + dt.timedelta(days=rng.randint(0, 70))
            self.open_term(
                code, "2020–2025", start, self.congress_approval(code, start, "2020–2025")
            )
        start = D(2020, 8, 21)
        self.open_term(
            "BD.DUK",
            "2020–2025",
            start,
            self.issue(
                PROVINCE_STANDING,
                start + dt.timedelta(days=6),
                "Về việc chuẩn y kết quả bầu cử Ban Chấp hành Đảng bộ Khối các cơ quan tỉnh "
                "nhiệm kỳ 2020–2025",
            ),
        )
        for code, day, how in OTHER_CONSOLIDATIONS:
            if day < D(2021, 1, 1):
                self.consolidate(f"BD.{code}", day, how, BLOC_STANDING)

    def congress_approval(self, code: str, start: dt.date, term: str) -> DecisionInput:
        return self.issue(
            BLOC_STANDING,
            start + dt.timedelta(days=8),
            f"Về việc chuẩn y kết quả bầu cử Ban Chấp hành {self.orgs[code].name} nhiệm kỳ {term}",
        )

    def first_quarter_2021(self) -> None:
        """Q1 2021 of the scenario: 8 consolidations, one cell becomes a committee."""
        for key, day, how in Q1_2021_CONSOLIDATIONS:
            if day < D(2021, 2, 25):
                self.consolidate(f"BD.{key}", day, how, BLOC_STANDING)
        day = D(2021, 2, 25)
        self.cell_to_committee(
            "BVTT",
            day,
            [
                "Khoa Điều trị nam",
                "Khoa Điều trị nữ",
                "Khoa Khám bệnh - Cận lâm sàng",
                "Phòng Hành chính - Kế hoạch",
            ],
            signed=D(2021, 2, 23),
            number=125,
        )
        decision = self.issue(
            BLOC_STANDING,
            D(2021, 2, 23),
            "Về việc chỉ định Ban Chấp hành, Ban Thường vụ, Bí thư, Phó Bí thư Đảng bộ Bệnh viện "
            "Tâm thần tỉnh nhiệm kỳ 2020–2025",
            number=126,
        )
        self.open_term("BD.BVTT", "2020–2025", day, decision)
        cells_decision = self.issue(
            grassroots_issuer("Bệnh viện Tâm thần tỉnh"),
            day,
            "Về việc chỉ định chi ủy, bí thư, phó bí thư các chi bộ trực thuộc nhiệm kỳ 2020–2025",
        )
        for code in self.alive(day, [T.SUBORDINATE_CELL], "BD.BVTT"):
            self.open_term(code, "2020–2025", day, cells_decision)
        for key, day, how in Q1_2021_CONSOLIDATIONS:
            if day >= D(2021, 2, 25):
                self.consolidate(f"BD.{key}", day, how, BLOC_STANDING)

    def after_2021(self) -> None:
        for code, day, how in OTHER_CONSOLIDATIONS:
            if day >= D(2021, 4, 1):
                self.consolidate(f"BD.{code}", day, how, BLOC_STANDING)
        self.rename(
            "BD.VPHDND",
            "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
            D(2021, 7, 1),
            self.bloc_decision(
                D(2021, 7, 1), "Về việc đổi tên Chi bộ Văn phòng Hội đồng nhân dân tỉnh"
            ),
        )
        day = D(2022, 4, 1)
        decision = self.issue(
            grassroots_issuer("Sở Y tế"),
            D(2022, 3, 28),
            "Về việc thành lập Chi bộ Trung tâm Giám định y khoa - Pháp y",
        )
        (cell,) = self.establish_cells(
            "BD.SYT", ["Trung tâm Giám định y khoa - Pháp y"], day, decision
        )
        self.open_term(cell.code, "2020–2025", day, decision)
        self.dissolve(
            "BD.SLDTBXH.04",
            D(2023, 8, 1),
            self.issue(
                grassroots_issuer("Sở Lao động - Thương binh và Xã hội"),
                D(2023, 7, 25),
                "Về việc giải thể Chi bộ Cơ sở Cai nghiện ma túy (sáp nhập vào Trung tâm Bảo trợ "
                "xã hội tổng hợp)",
            ),
        )

    def restructuring_2025(self) -> None:
        """01/02/2025: the bloc ends; two upper committees take its organisations."""
        day = D(2025, 2, 1)
        signed = D(2025, 1, 24)
        province = self.orgs["BD"]
        sides = {}
        for code, unit, side in (
            ("BD.CQD", "các cơ quan Đảng tỉnh", PARTY_SIDE),
            ("BD.UBND", "UBND tỉnh", GOVERNMENT_SIDE),
        ):
            decision = self.issue(PROVINCE_STANDING, signed, f"Về việc thành lập Đảng bộ {unit}")
            self.establish(
                code,
                f"Đảng bộ {unit}",
                T.UPPER_COMMITTEE,
                province,
                day,
                decision,
                sector=S.OTHER,
            )
            self.unit_names[code] = unit
            sides[side] = (code, decision)
            self.open_term(
                code,
                "2020–2025",
                day,
                self.issue(
                    PROVINCE_STANDING,
                    signed,
                    "Về việc chỉ định Ban Chấp hành, Ban Thường vụ, Bí thư, Phó Bí thư "
                    f"Đảng bộ {unit} nhiệm kỳ 2020–2025",
                ),
            )
        grassroots = self.alive(
            day - dt.timedelta(days=1), (T.GRASSROOTS_COMMITTEE, T.GRASSROOTS_CELL), "BD.DUK"
        )
        for code in grassroots:
            unit = UNITS.get(code.removeprefix("BD."))
            side = unit.side if unit else SIDE_OF_LATER_UNITS[code]
            target, decision = sides[side]
            self.move(code, target, day, decision)
        self.dissolve(
            "BD.DUK",
            day,
            self.issue(
                PROVINCE_STANDING,
                signed,
                "Về việc kết thúc hoạt động của Đảng bộ Khối các cơ quan tỉnh",
            ),
        )
        # Grassroots congresses for 2025–2030 under the new upper committees.
        rng = self.rng
        issuers = {"BD.CQD": PARTY_AGENCIES_STANDING, "BD.UBND": GOVERNMENT_STANDING}
        for upper in ("BD.CQD", "BD.UBND"):
            for code in self.alive(
                D(2025, 4, 10), (T.GRASSROOTS_COMMITTEE, T.GRASSROOTS_CELL), upper
            ):
                start = D(2025, 4, 10) + dt.timedelta(days=rng.randint(0, 60))
                decision = self.issue(
                    issuers[upper],
                    start + dt.timedelta(days=7),
                    "Về việc chuẩn y kết quả bầu cử Ban Chấp hành "
                    f"{self.orgs[code].name} nhiệm kỳ 2025–2030",
                )
                self.open_term(code, "2025–2030", start, decision)

    def province_merger_2025(self) -> None:
        """01/07/2025: Bình Định joins Gia Lai.

        `organization_merge` needs two organisations (rules.check_merge_size) and the demo holds
        only Bình Định, so the new provincial committee is established taking Bình Định's two
        upper committees, and Đảng bộ tỉnh Bình Định ends the same day.
        """
        day = D(2025, 7, 1)
        decision = self.issue(
            TW,
            D(2025, 6, 30),
            "Về việc thành lập Đảng bộ tỉnh Gia Lai trên cơ sở hợp nhất Đảng bộ tỉnh Gia Lai và "
            "Đảng bộ tỉnh Bình Định",
            number=312,
        )
        self.establish(
            "GL",
            "Đảng bộ tỉnh Gia Lai",
            T.PROVINCIAL_COMMITTEE,
            None,
            day,
            decision,
            sector=S.OTHER,
            province_code=PROVINCE_CODE,
            address="Số 01 Trần Phú, phường Quy Nhơn, tỉnh Gia Lai",
            children=[self.orgs["BD.CQD"], self.orgs["BD.UBND"]],
        )
        self.unit_names["GL"] = "tỉnh Gia Lai"
        for code in ("BD.CQD", "BD.UBND"):
            self.orgs[code].refresh_from_db()
        self.dissolve("BD", day, decision)
        self.open_term(
            "GL",
            "2020–2025",
            day,
            self.issue(
                TW,
                D(2025, 6, 30),
                "Về việc chỉ định Ban Chấp hành, Ban Thường vụ, Bí thư, Phó Bí thư Tỉnh ủy "
                "Gia Lai nhiệm kỳ 2020–2025",
                number=313,
            ),
        )


# Grassroots organisations formed after 2008, and where they went in 2025.
SIDE_OF_LATER_UNITS = {
    "BD.BQLHT": GOVERNMENT_SIDE,
    "BD.QDTPT": GOVERNMENT_SIDE,
    "BD.SNGV": GOVERNMENT_SIDE,
    "BD.SVHTT": GOVERNMENT_SIDE,
    "BD.SDL": GOVERNMENT_SIDE,
    "BD.BQLDA": GOVERNMENT_SIDE,
    "BD.TTHCC": GOVERNMENT_SIDE,
}

STREETS = (
    "Trần Hưng Đạo", "Nguyễn Huệ", "Lê Lợi", "Hai Bà Trưng", "Phan Bội Châu", "Lê Duẩn",
    "Tăng Bạt Hổ", "Nguyễn Tất Thành", "Ngô Mây", "Hùng Vương", "An Dương Vương", "Trần Phú",
    "Lý Thường Kiệt", "Nguyễn Thái Học", "Phạm Hùng", "Tây Sơn",
)  # fmt: skip
WARDS = (
    "Lê Hồng Phong", "Trần Phú", "Lý Thường Kiệt", "Ngô Mây", "Nguyễn Văn Cừ", "Quang Trung",
    "Đống Đa", "Hải Cảng", "Thị Nại", "Trần Hưng Đạo", "Lê Lợi", "Ghềnh Ráng",
)  # fmt: skip


def build(scope: Scope | None = None) -> DemoTree:
    """Writes the demo organisations into an empty database; returns the notable ones."""
    return Builder(scope).build()
