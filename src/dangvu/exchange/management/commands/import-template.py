"""`dangvu import-template -o FILE`: the XLSX template of the import, headers in Vietnamese."""

from pathlib import Path

from django.core.management.base import BaseCommand

from dangvu.exchange.templates import import_template


class Command(BaseCommand):
    help = (
        "Ghi tệp Excel mẫu để nhập dữ liệu: các trang Tổ chức đảng, Đảng viên, Sự kiện với tiêu "
        "đề cột tiếng Việt, và trang Hướng dẫn (nội dung từng cột, danh mục giá trị)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "-o", "--output", default="mau-nhap-du-lieu.xlsx", help="tệp kết quả (.xlsx)"
        )

    def handle(self, *args, **options) -> None:
        output = Path(options["output"])
        output.write_bytes(import_template())
        self.stdout.write(f"Đã ghi tệp mẫu {output}.")
