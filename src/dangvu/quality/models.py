from django.db import models


class PersonKey(models.Model):
    """The folded keys the duplicate search blocks on, one row per personal file.

    A projection of Person (diacritics folded, đ as d, case and spaces normalised by
    quality.rules), kept here because neither database can fold Vietnamese in SQL. It is
    brought up to date before each search (services.person_keys_refresh): the files written
    since (Person.updated_at) are folded again, the others are not read.
    """

    person = models.OneToOneField(
        "members.Person",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="quality_key",
        verbose_name="người",
    )
    name_key = models.CharField("họ và tên không dấu", max_length=128)
    family_key = models.CharField("họ không dấu", max_length=32)
    given_key = models.CharField("tên không dấu", max_length=32)
    birth_year = models.PositiveSmallIntegerField("năm sinh")
    birth_month = models.PositiveSmallIntegerField("tháng sinh", null=True)
    birth_day = models.PositiveSmallIntegerField("ngày sinh", null=True)
    hometown_key = models.CharField("quê quán không dấu", max_length=255)
    source_updated_at = models.DateTimeField("lý lịch cập nhật lúc")

    class Meta:
        verbose_name = "khóa so trùng"
        verbose_name_plural = "khóa so trùng"
        indexes = [
            # block A: the same folded name, born the same year
            models.Index(fields=["name_key", "birth_year"], name="personkey_name_idx"),
            # block B: family and given name, the same full birth date (middle name differs)
            models.Index(
                fields=["family_key", "given_key", "birth_year", "birth_month", "birth_day"],
                name="personkey_given_idx",
            ),
            # block C: the same full birth date and hometown (a typo in the name)
            models.Index(
                fields=["birth_year", "birth_month", "birth_day", "hometown_key"],
                name="personkey_born_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name_key} ({self.birth_year})"
