"""`dangvu export -o FILE [--org CODE]`: the whole installation, or an organisation's subtree,
as an exchange file (JSON Lines, gzip; docs/exchange.md)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dangvu.access.scopes import Scope
from dangvu.core.errors import DomainError
from dangvu.core.formatting import format_number
from dangvu.exchange import exchange_format
from dangvu.exchange.exchange_export import export_to
from dangvu.organizations.selectors import organization_get


class Command(BaseCommand):
    help = (
        "Xuất toàn bộ dữ liệu (hoặc một tổ chức đảng và các tổ chức trực thuộc) ra tệp trao đổi "
        "dữ liệu đầy đủ (.jsonl.gz): tổ chức và lịch sử, quyết định, cấp ủy, lý lịch, mọi sự "
        "kiện, quần chúng ưu tú, chỉ tiêu. Nhập vào cài đặt khác bằng dangvu import."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "-o", "--output", required=True, help=f"tệp kết quả ({exchange_format.SUFFIX})"
        )
        parser.add_argument("--org", help="mã tổ chức đảng: chỉ xuất tổ chức này và cấp dưới")
        parser.add_argument(
            "--compress", type=int, default=6, choices=range(1, 10), help="mức nén gzip (1-9)"
        )

    def handle(self, *args, **options) -> None:
        output = Path(options["output"])
        scope = Scope.system()  # the command line acts as the system itself
        started = time.perf_counter()
        try:
            root = organization_get(scope=scope, code=options["org"]) if options["org"] else None
            partial = output.with_name(output.name + ".part")
            with partial.open("wb") as stream:
                counts = export_to(stream, root=root, compresslevel=options["compress"])
            partial.replace(output)
        except DomainError as error:
            raise CommandError(f"{error.message} ({error.code})") from None
        seconds = time.perf_counter() - started
        rows = sum(counts.values())
        self.stdout.write(
            f"Đã ghi {output}: {format_number(rows)} dòng "
            f"({format_number(counts['organization'])} tổ chức đảng, "
            f"{format_number(counts['person'])} lý lịch, "
            f"{format_number(counts['member_event'])} sự kiện đảng viên), "
            f"{format_number(output.stat().st_size / 1024 / 1024, 1)} MB, "
            f"{format_number(seconds, 1)} giây."
        )
