from django.conf import settings
from django.db import models

# The Party was founded on 03/02/1930: no organisation holds a target for an earlier year.
FIRST_YEAR = 1930


class Target(models.Model):
    """A target (chỉ tiêu) of one organisation for one year on one flow indicator of the
    catalogue: "kết nạp 805 đảng viên năm 2025". Changing it rewrites the row through the
    service; the audit log keeps the values before and after."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="tổ chức đảng",
        on_delete=models.PROTECT,
        related_name="targets",
    )
    year = models.PositiveSmallIntegerField("năm")
    indicator = models.CharField("chỉ tiêu về", max_length=64)
    value = models.PositiveIntegerField("chỉ tiêu")
    decision = models.ForeignKey(
        "core.Decision",
        verbose_name="nghị quyết, quyết định giao",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField("ghi chú", max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người ghi",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField("thời điểm ghi")

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["organization_id", "year", "indicator"]
        constraints = [
            # its index also serves "the targets of one organisation (in one year)"
            models.UniqueConstraint(
                fields=["organization", "year", "indicator"], name="target_unique_org_year"
            ),
            models.CheckConstraint(condition=models.Q(value__gte=1), name="target_value_positive"),
            models.CheckConstraint(
                condition=models.Q(year__gte=FIRST_YEAR), name="target_year_after_founding"
            ),
        ]
        indexes = [models.Index(fields=["year", "indicator"], name="target_year_idx")]

    def __str__(self) -> str:
        return f"Chỉ tiêu {self.indicator} năm {self.year} của {self.organization}"
