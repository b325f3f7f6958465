"""Temporary transfers and party age net of its gaps on the personal file; the working age
that bears out old age as a ground for exemption."""

import datetime as dt

import django.db.models.deletion
from django.db import migrations, models

from dangvu.members.parameter_rows import insert_parameter_rows

HD27 = dt.date(2009, 1, 1)  # Hướng dẫn 27-HD/BTCTW (2009)
WORKING_AGE = (
    "Tuổi cao: đã hết tuổi lao động theo Bộ luật Lao động lúc ban hành hướng dẫn. Chưa chắc "
    "chắn: chưa tìm thấy văn bản áp dụng tuổi nghỉ hưu mới (từ 2021) cho việc miễn sinh hoạt."
)

DEFAULTS = [
    # key, effective_from, value, source, note
    ("exemption_old_age_male_years", HD27, 60, "Hướng dẫn 27-HD/BTCTW (2009)", WORKING_AGE),
    ("exemption_old_age_female_years", HD27, 55, "Hướng dẫn 27-HD/BTCTW (2009)", WORKING_AGE),
]


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0005_candidates"),
        ("organizations", "0002_version_indexes_cover_subtree_lists"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="party_age_from",
            field=models.DateField(blank=True, null=True, verbose_name="ngày tính tuổi đảng"),
        ),
        migrations.AddField(
            model_name="person",
            name="temporary_at",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="temporary_people",
                to="organizations.organization",
                verbose_name="sinh hoạt tạm thời tại",
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="temporary_until",
            field=models.DateField(
                blank=True, null=True, verbose_name="sinh hoạt tạm thời đến ngày"
            ),
        ),
        insert_parameter_rows(DEFAULTS),
    ]
