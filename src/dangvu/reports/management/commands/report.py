"""`dangvu report --org CODE --period 2021-Q1 --format docx|xlsx|pdf|json|text -o FILE`."""

import datetime as dt
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from dangvu.core.errors import DomainError
from dangvu.core.formatting import parse_date
from dangvu.reports import services
from dangvu.statistics.periods import parse_period

FORMATS = ("docx", "xlsx", "pdf", "json", "text")
BINARY = ("docx", "xlsx", "pdf")


class Command(BaseCommand):
    help = (
        "Lập báo cáo sơ kết, tổng kết của một tổ chức đảng cho một kỳ: số liệu, so sánh cùng kỳ, "
        "cân đối số lượng và phần nhận định, dưới dạng DOCX, XLSX, PDF, JSON hoặc văn bản."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", help="mã tổ chức đảng (mặc định: tổ chức cao nhất)")
        parser.add_argument("--period", required=True, help="2021-Q1, 2024-H1, 2023-9M, 2023, …")
        parser.add_argument("--format", choices=FORMATS, default="text")
        parser.add_argument(
            "-o", "--output", help="tệp kết quả (mặc định: màn hình, với json/text)"
        )
        parser.add_argument("--number", default="-BC/", help="số và ký hiệu, ví dụ 45-BC/ĐUK")
        parser.add_argument("--place", default="", help="địa danh ghi trước ngày tháng")
        parser.add_argument("--date", help="ngày ban hành dd/mm/yyyy (mặc định: hôm nay)")
        parser.add_argument("--signer", default="", help="họ tên người ký")

    def handle(self, *args, **options) -> None:
        fmt, output = options["format"], options["output"]
        if fmt in BINARY and not output:
            raise CommandError(f"Định dạng {fmt} cần tệp kết quả: thêm -o TÊN_TỆP.{fmt}")
        try:
            period = parse_period(options["period"], settings.DANGVU_PERIOD_CUTOFF_DAY)
            root = services.report_root(code=options["org"], at=period.end)
            day = parse_date(options["date"]) if options["date"] else dt.date.today()
            report = services.report_build(root=root, period=period)
            content = services.report_render(
                report,
                fmt,
                number_symbol=options["number"],
                place=options["place"],
                date=day,
                signer=options["signer"],
            )
        except DomainError as error:
            raise CommandError(f"{error.message} ({error.code})") from None
        except ValueError as error:
            raise CommandError(f"Ngày không hợp lệ: {error}") from None
        if output:
            Path(output).write_bytes(content)
            if not report.published:
                self.stderr.write(
                    "Cảnh báo: số liệu không cân đối, báo cáo chưa được ban hành "
                    "(xem mục cân đối số lượng)."
                )
            return
        sys.stdout.flush()
        self.stdout.write(content.decode(), ending="")
