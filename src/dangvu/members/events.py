"""The kinds of event in a member's life (the lifecycle the rules' state machine allows)."""

from django.db import models


class MemberEventKind(models.TextChoices):
    ADMISSION = "admission", "Kết nạp"
    RECOGNITION = "recognition", "Công nhận đảng viên chính thức"
    RECOGNITION_REFUSED = "recognition_refused", "Xóa tên (không được công nhận chính thức)"
    TRANSFER_OUT = "transfer_out", "Chuyển sinh hoạt đảng chính thức đi"
    TRANSFER_IN = "transfer_in", "Tiếp nhận sinh hoạt đảng chính thức"
    TEMPORARY_TRANSFER_OUT = "temporary_transfer_out", "Chuyển sinh hoạt đảng tạm thời"
    TEMPORARY_RETURN = "temporary_return", "Trở lại sau sinh hoạt tạm thời"
    BADGE_PROPOSAL = "badge_proposal", "Đề nghị tặng Huy hiệu Đảng"
    BADGE_AWARD = "badge_award", "Tặng Huy hiệu Đảng"
    EXEMPTION = "exemption", "Miễn công tác và sinh hoạt đảng"
    EXEMPTION_END = "exemption_end", "Trở lại công tác và sinh hoạt đảng"
    DISCIPLINE = "discipline", "Kỷ luật"
    STRUCK_OFF = "struck_off", "Xóa tên"
    EXPULSION = "expulsion", "Khai trừ"
    WITHDRAWAL = "withdrawal", "Cho ra khỏi Đảng"
    READMISSION = "readmission", "Kết nạp lại"
    DEATH = "death", "Từ trần"
    CARD_ISSUE = "card_issue", "Phát thẻ đảng viên"
    CARD_REPLACE = "card_replace", "Đổi, cấp lại thẻ đảng viên"


# Events that bring a member into the count of a cell or take them out of it (the statistics'
# flows in and out); the others change only how a counted member is counted.
INTO_COUNT = frozenset({MemberEventKind.ADMISSION, MemberEventKind.READMISSION,
                      MemberEventKind.TRANSFER_IN})  # fmt: skip
OUT_OF_COUNT = frozenset({MemberEventKind.TRANSFER_OUT, MemberEventKind.DEATH,
                     MemberEventKind.STRUCK_OFF, MemberEventKind.RECOGNITION_REFUSED,
                     MemberEventKind.EXPULSION, MemberEventKind.WITHDRAWAL})  # fmt: skip
