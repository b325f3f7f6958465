from django.db import models


class Decision(models.Model):
    """The document that backs a dated event: its number and symbol, date and issuing body.

    One decision may back many events (one decision admits several candidates, one Politburo
    decision moves hundreds of organisations), so it is a row of its own.
    """

    symbol = models.CharField("số và ký hiệu", max_length=64)
    date = models.DateField("ngày ban hành")
    issuing_body = models.CharField("cơ quan ban hành", max_length=255)
    summary = models.CharField("trích yếu", max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "quyết định"
        verbose_name_plural = "quyết định"
        constraints = [
            models.UniqueConstraint(
                fields=["symbol", "date", "issuing_body"], name="decision_unique_symbol_date_body"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} ngày {self.date:%d/%m/%Y} của {self.issuing_body}"
