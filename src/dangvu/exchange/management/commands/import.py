"""`dangvu import FILE [--dry-run] [--org CODE]`: import an Excel (XLSX) or CSV file, or merge
an exchange file written by `dangvu export` (recognised by its header)."""

import argparse
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangvu.access.scopes import Scope
from dangvu.core.errors import DomainError
from dangvu.core.formatting import format_number
from dangvu.exchange.exchange_format import is_exchange_file
from dangvu.exchange.exchange_import import import_exchange
from dangvu.exchange.imports import import_file
from dangvu.organizations.selectors import organization_get


class Command(BaseCommand):
    help = (
        "Nhập tổ chức đảng, lý lịch đảng viên và quá trình sinh hoạt đảng từ tệp Excel (.xlsx) "
        "hoặc CSV theo tệp mẫu (dangvu import-template). Cả tệp được ghi trong một giao dịch: "
        "có lỗi thì không ghi gì và in danh sách lỗi theo trang, dòng, cột."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="tệp .xlsx hoặc .csv")
        parser.add_argument(
            "--dry-run", action="store_true", help="chạy thử: kiểm tra toàn bộ, không ghi gì"
        )
        parser.add_argument(
            "--org", help="mã tổ chức mặc định cho các dòng không ghi chi bộ, tổ chức cấp trên"
        )
        parser.add_argument(
            "--bulk",
            action=argparse.BooleanOptionalAction,
            default=None,
            help="ghi theo lô (kiểm tra như nhau, nhanh hơn nhiều với tệp lớn) hay từng dòng qua "
            "các nghiệp vụ; mặc định theo lô khi tệp có hơn 2.000 dòng",
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        scope = Scope.system()  # the command line acts as the system itself

        def progress(sheet: str, done: int) -> None:
            self.stderr.write(f"Đã xử lý {format_number(done)} dòng (trang «{sheet}»)…")
            sys.stderr.flush()

        try:
            with path.open("rb") as source:
                exchange = is_exchange_file(source.read(4096))
            if exchange:
                with path.open("rb") as source:
                    report = import_exchange(
                        scope=scope,
                        source=source,
                        filename=path.name,
                        dry_run=options["dry_run"],
                        progress=progress,
                    )
                self._finish(report)
                return
            default = organization_get(scope=scope, code=options["org"]) if options["org"] else None
            with path.open("rb") as source:
                report = import_file(
                    scope=scope,
                    source=source,
                    filename=path.name,
                    dry_run=options["dry_run"],
                    default_organization=default,
                    progress=progress,
                    bulk=options["bulk"],
                )
        except DomainError as error:
            raise CommandError(f"{error.message} ({error.code})") from None
        self._finish(report)

    def _finish(self, report) -> None:
        self.stdout.write(report.as_text())
        if not report.ok:
            raise CommandError(
                f"Tệp có {format_number(report.error_count)} lỗi: không có dữ liệu nào được ghi.",
                returncode=1,
            )
