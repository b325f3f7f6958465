"""The bloc's first-quarter review of 2021 (scenarios/bloc-2021-q1.md) as a Party document."""

import datetime as dt

from dangvu.reports.document import PartyDocument, Signature

NARRATIVE = (
    "Trong quý I năm 2021, các cấp ủy trong Đảng bộ Khối đã kiện toàn cấp ủy của 08 tổ chức cơ "
    "sở đảng; kết nạp 39 quần chúng ưu tú vào Đảng, công nhận 51 đảng viên chính thức, đề nghị "
    "tặng Huy hiệu 30 năm tuổi Đảng cho 03 đồng chí; chuyển Chi bộ Bệnh viện Tâm thần tỉnh thành "
    "đảng bộ cơ sở. Đến ngày 31/03/2021, Đảng bộ Khối có 76 tổ chức cơ sở đảng (44 đảng bộ cơ sở, "
    "32 chi bộ cơ sở) với 5.016 đảng viên."
)

RECIPIENTS = (
    "Ban Thường vụ Tỉnh ủy (b/c),",
    "Ban Tổ chức Tỉnh ủy,",
    "Các đảng bộ, chi bộ cơ sở,",
    "Lưu Văn phòng.",
)


def bloc_report(blocks, number_symbol: str = "45-BC/ĐUK") -> PartyDocument:
    return PartyDocument(
        superior_body="Đảng bộ tỉnh Bình Định",
        issuing_body="Đảng ủy Khối các cơ quan tỉnh",
        number_symbol=number_symbol,
        place="Quy Nhơn",
        date=dt.date(2021, 4, 9),
        doc_type="BÁO CÁO",
        abstract="sơ kết công tác xây dựng Đảng quý I, phương hướng nhiệm vụ quý II năm 2021",
        blocks=blocks,
        recipients=RECIPIENTS,
        signature=Signature(authority="T/M BAN THƯỜNG VỤ", position="BÍ THƯ", name="Nguyễn Văn A"),
    )
