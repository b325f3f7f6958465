"""The member rules' parameters as the governing texts set them (late 2026).

Each row cites its text in `source`; `note` says what the research could not verify
(shared/domain/research-notes.md). Frozen here on purpose: later changes are new rows with a
later `effective_from`, added by later migrations or by the administrators.
"""

import datetime as dt

from django.db import migrations

CHARTER = dt.date(2011, 1, 19)  # Điều lệ Đảng adopted by the 11th Congress
QD29 = dt.date(2016, 7, 25)  # Quy định 29-QĐ/TW
HD01_2021 = dt.date(2021, 9, 28)  # Hướng dẫn 01-HD/TW (2021)
QD102 = dt.date(2017, 11, 15)  # Quy định 102-QĐ/TW
QD294 = dt.date(2025, 7, 1)  # Quy định 294-QĐ/TW in force

NOT_BEFORE = "Giá trị trước ngày hiệu lực ghi ở đây chưa được kiểm chứng."
BADGE = "Hướng dẫn 01-HD/TW (28/09/2021), mục 18; Hướng dẫn 06-HD/TW (09/06/2025)"
BADGE_NOTE = "Nội dung tương ứng của 06-HD/TW (2025) chưa được kiểm chứng; giả định giữ nguyên."

DEFAULTS = [
    # key, effective_from, value, source, note
    ("admission_min_age_years", CHARTER, 18, "Điều lệ Đảng 2011, Điều 1; Quy định 294-QĐ/TW", ""),
    (
        "admission_max_age_years",
        QD29,
        60,
        "Quy định 29-QĐ/TW (2016), 24-QĐ/TW (2021), 294-QĐ/TW (2025), thi hành Điều 1 Điều lệ",
        "Trên 60 tuổi: tỉnh ủy và tương đương xem xét, quyết định (cảnh báo, người duyệt có thể "
        "chấp nhận kèm lý do). " + NOT_BEFORE,
    ),
    (
        "admission_decision_working_days",
        QD29,
        60,
        "Điều lệ Đảng 2011, Điều 4; Quy định 294-QĐ/TW",
        "60 ngày làm việc kể từ ngày chi bộ có nghị quyết. " + NOT_BEFORE,
    ),
    (
        "admission_decision_extension_working_days",
        QD29,
        30,
        "Quy định 294-QĐ/TW",
        "Gia hạn tối đa 30 ngày làm việc trong trường hợp đặc biệt. " + NOT_BEFORE,
    ),
    (
        "ceremony_working_days",
        QD29,
        30,
        "Quy định 294-QĐ/TW; Hướng dẫn 06-HD/TW (2025)",
        "Lễ kết nạp trong 30 ngày làm việc kể từ ngày nhận quyết định. " + NOT_BEFORE,
    ),
    (
        "readmission_min_months_out",
        QD29,
        36,
        "Quy định 294-QĐ/TW; Quy định 232-QĐ/TW (2025)",
        "Ít nhất 36 tháng kể từ khi ra khỏi Đảng; chỉ kết nạp lại một lần. " + NOT_BEFORE,
    ),
    (
        "readmission_after_record_cleared_months",
        QD29,
        60,
        "Quy định 294-QĐ/TW; Quy định 232-QĐ/TW (2025)",
        "Chưa chắc chắn: nguồn nêu 'ví dụ 60 tháng sau khi được xóa án tích' với tội ít nghiêm "
        "trọng.",
    ),
    ("readmission_max_times", QD29, 1, "Quy định 294-QĐ/TW", "Chỉ kết nạp lại một lần."),
    (
        "probation_months",
        CHARTER,
        12,
        "Điều lệ Đảng 2011, Điều 5; Quy định 294-QĐ/TW",
        "Tính từ ngày tổ chức lễ kết nạp.",
    ),
    (
        "recognition_cell_working_days",
        QD29,
        30,
        "Điều lệ Đảng 2011, Điều 5; Quy định 294-QĐ/TW",
        "Chi bộ xét trong 30 ngày làm việc kể từ ngày hết 12 tháng dự bị. " + NOT_BEFORE,
    ),
    (
        "recognition_committee_working_days",
        QD29,
        30,
        "Quy định 294-QĐ/TW",
        "Cấp ủy có thẩm quyền quyết định trong 30 ngày làm việc. " + NOT_BEFORE,
    ),
    (
        "recognition_extension_working_days",
        QD29,
        30,
        "Quy định 294-QĐ/TW",
        "Gia hạn tối đa 30 ngày làm việc. " + NOT_BEFORE,
    ),
    (
        "party_age_from",
        CHARTER,
        "decision",
        "Hướng dẫn 01-HD/TW (2021), 06-HD/TW (2025)",
        "Thiết lập của đơn vị cài đặt: 'decision' (ngày ký quyết định kết nạp) hoặc 'ceremony' "
        "(ngày lễ kết nạp, cách làm của nhiều nơi).",
    ),
    (
        "badge_counted_by",
        CHARTER,
        "proposal",
        BADGE,
        "Thiết lập của đơn vị cài đặt: báo cáo tính theo 'proposal' (đề nghị) hoặc 'award' (trao).",
    ),
    (
        "badge_milestones",
        HD01_2021,
        [30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90],
        BADGE,
        BADGE_NOTE,
    ),
    (
        "badge_award_days",
        HD01_2021,
        ["02-03", "05-19", "09-02", "11-07"],
        BADGE,
        "Tháng-ngày: 03/02, 19/05, 02/09, 07/11; các dịp khác do tỉnh quyết định. " + BADGE_NOTE,
    ),
    ("badge_early_ill_threshold_years", HD01_2021, 70, BADGE, BADGE_NOTE),
    (
        "badge_early_ill_months",
        HD01_2021,
        12,
        BADGE,
        "Đảng viên ốm nặng: sớm tối đa 12 tháng cho huy hiệu 30 đến 65 năm. " + BADGE_NOTE,
    ),
    (
        "badge_early_ill_months_from_threshold",
        HD01_2021,
        24,
        BADGE,
        "Đảng viên ốm nặng: sớm tối đa 24 tháng cho huy hiệu 70 đến 90 năm. " + BADGE_NOTE,
    ),
    (
        "badge_early_posthumous_months",
        HD01_2021,
        12,
        BADGE,
        "Truy tặng: sớm tối đa 12 tháng. " + BADGE_NOTE,
    ),
    (
        "transfer_start_working_days",
        QD294,
        60,
        "Quy định 294-QĐ/TW; Hướng dẫn 06-HD/TW (2025)",
        "Kể từ ngày quyết định có hiệu lực hoặc chuyển nơi ở. " + NOT_BEFORE,
    ),
    (
        "transfer_present_working_days",
        QD294,
        30,
        "Quy định 294-QĐ/TW; Hướng dẫn 06-HD/TW (2025)",
        "Kể từ ngày được giới thiệu; quá hạn thì cấp ủy xem xét, không tự động xóa tên. "
        + NOT_BEFORE,
    ),
    (
        "temporary_transfer_min_months",
        QD29,
        3,
        "Quy định 29-QĐ/TW (2016)",
        "Chưa kiểm chứng trong 294-QĐ/TW (2025).",
    ),
    (
        "temporary_transfer_max_months",
        QD29,
        12,
        "Quy định 29-QĐ/TW (2016)",
        "Dưới 1 năm (không kể 12 tháng). Chưa kiểm chứng trong 294-QĐ/TW (2025).",
    ),
    (
        "temporary_transfer_study_max_months",
        QD29,
        24,
        "Quy định 29-QĐ/TW (2016)",
        "Đi học tập trung: đến 2 năm. Chưa kiểm chứng trong 294-QĐ/TW (2025).",
    ),
    (
        "limitation_reprimand_years",
        QD102,
        5,
        "Quy định 102-QĐ/TW (2017); Quy định 69-QĐ/TW (2022)",
        "Chưa chắc chắn: chưa kiểm chứng 69-QĐ/TW giữ nguyên 5 năm.",
    ),
    (
        "limitation_warning_years",
        QD102,
        10,
        "Quy định 102-QĐ/TW (2017); Quy định 69-QĐ/TW (2022)",
        "Cảnh cáo, cách chức. Chưa chắc chắn: chưa kiểm chứng 69-QĐ/TW giữ nguyên 10 năm.",
    ),
]


def insert_defaults(apps, schema_editor):
    RuleParameter = apps.get_model("members", "RuleParameter")
    for key, effective_from, value, source, note in DEFAULTS:
        RuleParameter.objects.get_or_create(
            key=f"members.{key}",
            effective_from=effective_from,
            defaults={"value": value, "source": source, "note": note},
        )


def remove_defaults(apps, schema_editor):
    RuleParameter = apps.get_model("members", "RuleParameter")
    for key, effective_from, *_ in DEFAULTS:
        RuleParameter.objects.filter(key=f"members.{key}", effective_from=effective_from).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(insert_defaults, remove_defaults)]
