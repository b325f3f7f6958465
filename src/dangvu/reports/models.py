from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class IssuedReport(models.Model):
    """A report as issued (ban hành) with its number and date: its figures, narrative and
    files frozen as one immutable version. Later changes to the data never rewrite it (the
    database refuses UPDATE); an amended report is a new version."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="issued_reports",
        verbose_name="tổ chức đảng",
    )
    period_code = models.CharField("kỳ báo cáo", max_length=32)
    period_start = models.DateField("từ ngày")
    period_end = models.DateField("đến ngày")
    version = models.PositiveSmallIntegerField("lần ban hành")
    amends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="thay thế báo cáo",
    )
    number_symbol = models.CharField("số và ký hiệu", max_length=48)
    issued_on = models.DateField("ngày ban hành")
    place = models.CharField("địa danh", max_length=64, blank=True)
    signer = models.CharField("người ký", max_length=128, blank=True)
    content = models.JSONField("số liệu và nhận định", encoder=DjangoJSONEncoder)
    docx = models.BinaryField("tệp DOCX")
    xlsx = models.BinaryField("tệp XLSX")
    pdf = models.BinaryField("tệp PDF")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issued_at = models.DateTimeField("thời điểm ghi", auto_now_add=True)

    class Meta:
        verbose_name = "báo cáo đã ban hành"
        verbose_name_plural = "báo cáo đã ban hành"
        ordering = ["organization", "period_start", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "period_code", "version"], name="issued_report_version"
            ),
        ]

    def __str__(self) -> str:
        return f"Số {self.number_symbol} – {self.period_code} (lần {self.version})"
