"""Reference lists of the personal file (lý lịch)."""

# The 54 ethnic groups of Vietnam with the General Statistics Office's codes
# (Danh mục các dân tộc Việt Nam, Quyết định 121-TCTK/PPCĐ, 1979).
ETHNICITIES: tuple[tuple[str, str], ...] = (
    ("01", "Kinh"), ("02", "Tày"), ("03", "Thái"), ("04", "Hoa"), ("05", "Khơ-me"),
    ("06", "Mường"), ("07", "Nùng"), ("08", "Hmông"), ("09", "Dao"), ("10", "Gia-rai"),
    ("11", "Ngái"), ("12", "Ê-đê"), ("13", "Ba-na"), ("14", "Xơ-đăng"), ("15", "Sán Chay"),
    ("16", "Cơ-ho"), ("17", "Chăm"), ("18", "Sán Dìu"), ("19", "Hrê"), ("20", "Mnông"),
    ("21", "Ra-glai"), ("22", "Xtiêng"), ("23", "Bru-Vân Kiều"), ("24", "Thổ"), ("25", "Giáy"),
    ("26", "Cơ-tu"), ("27", "Gié-Triêng"), ("28", "Mạ"), ("29", "Khơ-mú"), ("30", "Co"),
    ("31", "Tà-ôi"), ("32", "Chơ-ro"), ("33", "Kháng"), ("34", "Xinh-mun"), ("35", "Hà Nhì"),
    ("36", "Chu-ru"), ("37", "Lào"), ("38", "La Chí"), ("39", "La Ha"), ("40", "Phù Lá"),
    ("41", "La Hủ"), ("42", "Lự"), ("43", "Lô Lô"), ("44", "Chứt"), ("45", "Mảng"),
    ("46", "Pà Thẻn"), ("47", "Cơ Lao"), ("48", "Cống"), ("49", "Bố Y"), ("50", "Si La"),
    ("51", "Pu Péo"), ("52", "Brâu"), ("53", "Ơ-đu"), ("54", "Rơ-măm"),
)  # fmt: skip
KINH = "01"

RELIGIONS: tuple[tuple[str, str], ...] = (
    ("", "Không"),
    ("buddhism", "Phật giáo"),
    ("catholicism", "Công giáo"),
    ("protestantism", "Tin Lành"),
    ("cao_dai", "Cao Đài"),
    ("hoa_hao", "Phật giáo Hòa Hảo"),
    ("islam", "Hồi giáo"),
    ("other", "Tôn giáo khác"),
)

POLITICAL_THEORY: tuple[tuple[str, str], ...] = (
    ("", "Chưa qua đào tạo"),
    ("elementary", "Sơ cấp"),
    ("intermediate", "Trung cấp"),
    ("advanced", "Cao cấp"),
    ("bachelor", "Cử nhân"),
)
