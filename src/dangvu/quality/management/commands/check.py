"""`dangvu check [--org CODE] [--json] [--stale-years N]`: the data-quality problems of each
organisation's records with its score (quality.selectors.quality_report).

Django's own system checks stay under the same name: `dangvu check --deploy`, `--tag`,
`--list-tags`, an app label or `--system` run them as before.
"""

import json
import sys

from django.core.management.base import CommandError
from django.core.management.commands import check as django_check

from dangvu.access.scopes import Scope
from dangvu.core.errors import DomainError
from dangvu.core.formatting import format_date, format_number, parse_date
from dangvu.organizations.models import Organization
from dangvu.quality import rules, selectors
from dangvu.quality.rules import PROBLEMS


class Command(django_check.Command):
    help = (
        "Kiểm tra chất lượng dữ liệu: theo từng tổ chức đảng, các lỗi của hồ sơ (thiếu CCCD, "
        "ngày tháng vô lý, đảng viên còn trong tổ chức đã kết thúc, chuyển đi chưa được tiếp "
        "nhận, hồ sơ lâu không cập nhật, nghi trùng lý lịch) và điểm chất lượng. Với --deploy, "
        "--tag, --list-tags, tên ứng dụng hoặc --system: kiểm tra hệ thống của Django."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--system", action="store_true", help="chạy kiểm tra hệ thống của Django"
        )
        parser.add_argument("--org", help="mã tổ chức đảng: chỉ kiểm tra cây tổ chức này")
        parser.add_argument("--json", action="store_true", help="kết quả dạng JSON")
        parser.add_argument(
            "--stale-years",
            type=int,
            default=rules.STALE_YEARS,
            help=f"số năm không có sự kiện thì coi là lâu không cập nhật (mặc định {rules.STALE_YEARS})",
        )
        parser.add_argument("--date", help="ngày kiểm tra dd/mm/yyyy (mặc định: hôm nay)")

    def handle(self, *app_labels, **options):
        system = (
            options["system"]
            or options["deploy"]
            or options["tags"]
            or options["list_tags"]
            or app_labels
            or options["fail_level"] != "ERROR"
        )
        if system:
            return super().handle(*app_labels, **options)
        if options["stale_years"] < 1:
            raise CommandError("--stale-years phải là số năm, từ 1 trở lên.")
        scope = Scope.system()
        organization = None
        if options["org"]:
            organization = Organization.objects.filter(code=options["org"]).first()
            if organization is None:
                raise CommandError(f"Không có tổ chức đảng mã «{options['org']}».")
        try:
            today = parse_date(options["date"]) if options["date"] else None
        except ValueError:
            raise CommandError(f"Ngày không hợp lệ: {options['date']}") from None
        try:
            report = selectors.quality_report(
                scope=scope,
                organization=organization,
                today=today,
                stale_years=options["stale_years"],
            )
        except DomainError as error:
            raise CommandError(f"{error.message} ({error.code})") from None
        if options["json"]:
            json.dump(report.as_dict(), sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            self.stdout.write(render_text(report))
        return None


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(row) for row in rows)]


def render_text(report: selectors.QualityReport) -> str:
    """The report as a Vietnamese table: one line per organisation, worst score first."""
    out = [
        f"KIỂM TRA CHẤT LƯỢNG DỮ LIỆU – ngày {format_date(report.today)}"
        + (f" – {report.root}" if report.root else ""),
        f"Đảng viên: {format_number(report.members)}; điểm chung: "
        f"{format_number(report.score, 1)}/100",
        "",
    ]
    codes = [code for code in PROBLEMS if report.counts.get(code)]
    if not codes:
        out.append("Không phát hiện vấn đề nào.")
        return "\n".join(out)
    out.append("Các loại vấn đề (mã, số hồ sơ, trọng số):")
    for number, code in enumerate(codes, 1):
        problem = PROBLEMS[code]
        message = problem.message
        if code == "quality.STALE_RECORD":
            message = (
                f"Đảng viên không có sự kiện nào được ghi nhận trong {report.stale_years} năm."
            )
        out.append(
            f"  [{number}] {code}: {format_number(report.counts[code])} hồ sơ, trọng số "
            f"{format_number(problem.weight, 1)} – {message}"
        )
    out.append("")
    header = [
        "Mã",
        "Tổ chức đảng",
        "Đảng viên",
        "Điểm",
        *(f"[{n}]" for n in range(1, len(codes) + 1)),
    ]
    rows = []
    for row in report.organizations:
        if not row.counts:
            continue
        rows.append(
            [
                row.code,
                row.name + (" (đã kết thúc)" if row.ended else ""),
                format_number(row.members),
                format_number(row.score, 1),
                *(format_number(row.counts[c]) if row.counts.get(c) else "" for c in codes),
            ]
        )
    out += _table(header, rows, right=set(range(2, len(header))))
    clean = sum(1 for row in report.organizations if not row.counts)
    if clean:
        out.append(f"({format_number(clean)} tổ chức khác không có vấn đề: 100 điểm.)")
    if report.duplicates:
        out += ["", "Nghi trùng lý lịch (trùng khớp chính xác trước, rồi theo điểm giống nhau):"]
        for suspect in report.duplicates:
            a, b = suspect.first, suspect.second
            out.append(
                f"  {suspect.match.label} ({format_number(suspect.match.score * 100, 0)}%): "
                f"#{a.id} {a.full_name}, {a.birth}, {a.organization_code} ↔ "
                f"#{b.id} {b.full_name}, {b.birth}, {b.organization_code}"
            )
    return "\n".join(out)
