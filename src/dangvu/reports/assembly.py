"""A periodic review report (báo cáo sơ kết, tổng kết) assembled from the statistics engine:
the figures of the period, the same period last year, the balance check, the figures against
the year's targets, a table per direct child organisation, and the narrative drafted from the
figures in the style of such reports.

`build_report` reads; nothing here writes. The shapes it produces (JSON, the Party document,
XLSX sheets) all come from the same `Report`, so every format holds the same numbers.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from dangvu.core.formatting import format_date, format_number
from dangvu.members.models import Sex
from dangvu.members.parameters import load_parameters
from dangvu.members.reference import ETHNICITIES, POLITICAL_THEORY
from dangvu.organizations.models import Organization, OrganizationVersion
from dangvu.organizations.models import OrganizationType as T
from dangvu.planning.rules import target_line
from dangvu.planning.selectors import targets_for
from dangvu.statistics import catalogue, engine
from dangvu.statistics.periods import Period

from .document import Heading, Paragraph, PartyDocument, Signature, Table
from .xlsx import Sheet

# the flows the figures table shows, in the order reports give them
FLOW_ROWS = (
    "admissions",
    "admissions.female",
    "admissions.youth",
    "admissions.ethnic_minority",
    "readmissions",
    "recognitions",
    "transfers.in",
    "transfers.out",
    "moved_in_with_org",
    "moved_out_with_org",
    "deaths",
    "struck_off",
    "expelled",
    "withdrawn",
    "discipline.members",
    "committees.consolidated",
    "orgs.established",
    "orgs.dissolved",
    "orgs.converted",
    "orgs.merged",
)
STOCK_ROWS = tuple(i.code for i in catalogue.INDICATORS if i.kind == catalogue.STOCK)
TYPE_NAMES = {
    T.GRASSROOTS_COMMITTEE: "đảng bộ cơ sở",
    T.GRASSROOTS_CELL: "chi bộ cơ sở",
    T.SUB_COMMITTEE: "đảng bộ bộ phận",
    T.SUBORDINATE_CELL: "chi bộ trực thuộc",
    T.UPPER_COMMITTEE: "đảng bộ cấp trên trực tiếp cơ sở",
    T.PROVINCIAL_COMMITTEE: "đảng bộ tỉnh",
}


BREAKDOWNS = {
    "sex": ("Giới tính", dict(Sex.choices)),
    "age_band": ("Độ tuổi", catalogue.AGE_LABELS),
    "ethnicity": ("Dân tộc", dict(ETHNICITIES)),
    "general_education": ("Giáo dục phổ thông", {}),
    "political_theory": ("Lý luận chính trị", dict(POLITICAL_THEORY)),
}


def breakdown_rows(report: "Report", dimension: str) -> list[list[Any]]:
    _title, labels = BREAKDOWNS[dimension]
    counts = report.breakdowns[dimension]
    order = [key for key in labels if key in counts] + sorted(k for k in counts if k not in labels)
    return [[labels.get(key) or key or "Chưa ghi", counts[key]] for key in order]


def count(n: int) -> str:
    """A count as official reports write it: two digits under ten ("03"), then 5.016."""
    return f"{n:02d}" if 0 <= n < 10 else format_number(n)


@dataclass(frozen=True)
class ChildRow:
    code: str
    name: str
    members: int


@dataclass(frozen=True)
class Report:
    organization_code: str
    organization_name: str
    organization_type: str
    superior_name: str
    period: Period
    previous_period: Period
    indicators: dict[str, int]
    opening: dict[str, int]
    previous: dict[str, int]
    balance: engine.Balance
    targets: dict[str, int]
    children: list[ChildRow]
    conversions: dict[tuple[str, str], int]
    badge_counted_by: str
    breakdowns: dict[str, dict[str, int]]  # members at the end, by sex, age band, ...
    narrative: list[str] = field(default_factory=list)

    @property
    def published(self) -> bool:
        """A report whose figures do not reconcile is not published (DESIGN.md, principle 3)."""
        return self.balance.holds

    def target_line(self, code: str) -> tuple[str, str] | None:
        """("39/805", "4,84%") for an indicator with a target for the year, else None."""
        return target_line(self.indicators.get(code, 0), self.targets.get(code))


def _version(organization: Organization, at: dt.date) -> OrganizationVersion | None:
    return (
        OrganizationVersion.objects.filter(organization=organization, valid_from__lte=at)
        .order_by("-valid_from")
        .select_related("parent")
        .first()
    )


def _targets(organization: Organization, year: int | None) -> dict[str, int]:
    return targets_for(organization, year) if year is not None else {}


def _children(root: Organization, at: dt.date) -> list[ChildRow]:
    counts = engine.members_by(root, at, "child")
    ids = [int(pk) for pk in counts]
    versions = OrganizationVersion.objects.filter(
        organization_id__in=ids, valid_from__lte=at, valid_to__gt=at
    ).select_related("organization")
    rows = [ChildRow(v.organization.code, v.name, counts[str(v.organization_id)]) for v in versions]
    return sorted(rows, key=lambda row: row.code)


def build_report(root: Organization, period: Period) -> Report:
    """The report of `root`'s subtree for `period`, as the tree stood then."""
    previous_period = period.same_period_last_year(settings.DANGVU_PERIOD_CUTOFF_DAY)
    opening = engine.stocks(root, period.day_before)
    indicators = engine.figures(root, period)
    previous = engine.figures(root, previous_period)
    version = _version(root, period.end)
    superior = _version(version.parent, period.end) if version and version.parent else None
    report = Report(
        organization_code=root.code,
        organization_name=version.name if version else root.name,
        organization_type=version.type if version else root.type,
        superior_name=superior.name if superior else "",
        period=period,
        previous_period=previous_period,
        indicators=indicators,
        opening=opening,
        previous=previous,
        balance=engine.balance(opening["members.total"], indicators["members.total"], indicators),
        targets=_targets(root, period.year),
        children=_children(root, period.end),
        conversions=engine.conversions(root, period),
        badge_counted_by=load_parameters(period.end).badge_counted_by,
        breakdowns={
            dimension: engine.members_by(root, period.end, dimension) for dimension in BREAKDOWNS
        },
    )
    report.narrative.extend(narrative(report))
    return report


# --- the narrative -----------------------------------------------------------------------------


def _compared(now: int, before: int) -> str:
    if now == before:
        return "bằng cùng kỳ năm trước"
    word = "tăng" if now > before else "giảm"
    return f"{word} {count(abs(now - before))} so với cùng kỳ năm trước"


def narrative(report: Report) -> list[str]:
    """The paragraphs of the report's body, drafted from the figures."""
    f, name, when = report.indicators, report.organization_name, report.period.label
    paragraphs = []

    admitted = f"Trong {when}, {name} đã kết nạp {count(f['admissions'])} quần chúng ưu tú vào Đảng"
    details = []
    if f["admissions"]:
        details.append(f"nữ {count(f['admissions.female'])}")
        details.append(f"đảng viên trẻ {count(f['admissions.youth'])}")
        if f["admissions.ethnic_minority"]:
            details.append(f"người dân tộc thiểu số {count(f['admissions.ethnic_minority'])}")
        admitted += f" (trong đó {', '.join(details)})"
    admitted += f", {_compared(f['admissions'], report.previous['admissions'])}"
    against = report.target_line("admissions")
    if against:
        admitted += f"; đạt {against[0]} chỉ tiêu năm, bằng {against[1]}"
    sentences = [admitted]
    sentences.append(
        f"công nhận {count(f['recognitions'])} đảng viên dự bị thành đảng viên chính thức"
    )
    if f.get("readmissions"):
        sentences.append(f"kết nạp lại {count(f['readmissions'])} đồng chí")
    verb = "đề nghị tặng" if report.badge_counted_by == "proposal" else "trao tặng"
    badges = [
        f"Huy hiệu {code.split('.')[1]} năm tuổi Đảng cho {count(n)} đồng chí"
        for code, n in sorted(f.items(), key=lambda item: _milestone(item[0]))
        if code.startswith("badges.") and code != "badges.total" and n
    ]
    if badges:
        sentences.append(f"{verb} {', '.join(badges)}")
    paragraphs.append("; ".join(sentences) + ".")

    leaving = [
        (f["transfers.in"], "tiếp nhận {} đảng viên chuyển đến"),
        (f["transfers.out"], "chuyển sinh hoạt đảng đi {} đảng viên"),
        (f["deaths"], "{} đồng chí từ trần"),
        (f["struck_off"], "xóa tên {} đảng viên"),
        (f["expelled"], "khai trừ {} đảng viên"),
        (f["withdrawn"], "cho ra khỏi Đảng {} đảng viên"),
        (f["discipline.members"], "thi hành kỷ luật {} đảng viên"),
    ]
    moves = [text.format(count(n)) for n, text in leaving if n]
    if moves:
        paragraphs.append(f"Trong kỳ, {'; '.join(moves)}.")

    organisation = []
    if f["committees.consolidated"]:
        organisation.append(f"kiện toàn cấp ủy {count(f['committees.consolidated'])} tổ chức đảng")
    for (before, after), n in sorted(report.conversions.items()):
        organisation.append(
            f"chuyển {count(n)} {TYPE_NAMES.get(before, before)} thành "
            f"{TYPE_NAMES.get(after, after)}"
        )
    if f["orgs.established"]:
        organisation.append(f"thành lập {count(f['orgs.established'])} tổ chức đảng")
    if f["orgs.merged"]:
        organisation.append(f"hợp nhất, sáp nhập {count(f['orgs.merged'])} lần")
    if f["orgs.dissolved"]:
        organisation.append(f"giải thể {count(f['orgs.dissolved'])} tổ chức đảng")
    if organisation:
        text = "; ".join(organisation)
        paragraphs.append(f"Về tổ chức, {text}.")

    grassroots = f["orgs.grassroots"]
    standing = (
        f"Đến ngày {format_date(report.period.end)}, {name} có {count(grassroots)} tổ chức "
        f"cơ sở đảng ({count(f['orgs.grassroots_committee'])} đảng bộ cơ sở, "
        f"{count(f['orgs.grassroots_cell'])} chi bộ cơ sở) với "
        if grassroots
        else f"Đến ngày {format_date(report.period.end)}, {name} có "
    )
    total, opening = f["members.total"], report.opening["members.total"]
    change = total - opening
    trend = (
        "không thay đổi so với đầu kỳ"
        if change == 0
        else f"{'tăng' if change > 0 else 'giảm'} {count(abs(change))} so với đầu kỳ"
    )
    paragraphs.append(
        f"{standing}{format_number(total)} đảng viên ({format_number(f['members.full'])} đảng "
        f"viên chính thức, {format_number(f['members.probationary'])} đảng viên dự bị), {trend}."
    )
    return paragraphs


def _milestone(code: str) -> int:
    tail = code.rpartition(".")[2]
    return int(tail) if tail.isdigit() else 0


# --- the shapes --------------------------------------------------------------------------------


def _balance_dict(balance: engine.Balance) -> dict[str, Any]:
    within_in, within_out = balance.changes_within
    return {
        "start": balance.start,
        "end": balance.end,
        "inflows": balance.inflows,
        "outflows": balance.outflows,
        "changes_within": {"in": within_in, "out": within_out},
        "expected_end": balance.expected_end,
        "holds": balance.holds,
    }


def public_indicators(report: Report) -> dict[str, int]:
    """The catalogue's figures (the engine's internal counts left out)."""
    return {
        code: value
        for code, value in report.indicators.items()
        if code not in ("starts.all", "ends.all")
    }


def to_json(report: Report) -> dict[str, Any]:
    period = report.period
    data: dict[str, Any] = {
        "organization": {
            "code": report.organization_code,
            "name": report.organization_name,
            "type": report.organization_type,
        },
        "period": {
            "code": period.code,
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "indicators": public_indicators(report),
        "previous_period": {
            "code": report.previous_period.code,
            "indicators": {
                c: v for c, v in report.previous.items() if c not in ("starts.all", "ends.all")
            },
        },
        "balance": _balance_dict(report.balance),
        "published": report.published,
        "narrative": report.narrative,
        "children": [row.__dict__ for row in report.children],
        "breakdowns": report.breakdowns,
    }
    if "admissions" in report.targets:
        data["indicators"]["admissions.target"] = report.targets["admissions"]
        line = report.target_line("admissions")
        data["indicators"]["admissions.target_ratio"] = line[1] if line else None
    return data


def to_text(report: Report) -> str:
    """The report on a terminal: the narrative, the figures, the balance."""
    lines = [f"{report.organization_name} – {report.period.label}", ""]
    lines += [*report.narrative, ""]
    for code, value in public_indicators(report).items():
        label = _label(code)
        lines.append(f"{label:<60} {format_number(value):>10}")
    lines.append("")
    lines.append(_balance_text(report.balance))
    return "\n".join(lines) + "\n"


def _label(code: str) -> str:
    try:
        return catalogue.indicator(code).label
    except KeyError:
        return code


def _balance_text(balance: engine.Balance) -> str:
    within_in, within_out = balance.changes_within
    inflows = " + ".join(f"{_label(c)} {format_number(v)}" for c, v in balance.inflows.items())
    outflows = " − ".join(f"{_label(c)} {format_number(v)}" for c, v in balance.outflows.items())
    verdict = "khớp" if balance.holds else "KHÔNG KHỚP: báo cáo không được ban hành"
    return (
        f"Cân đối số lượng: đầu kỳ {format_number(balance.start)} + {inflows} − {outflows}"
        f" (chuyển trạng thái trong chi bộ: +{within_in} −{within_out}) = "
        f"{format_number(balance.expected_end)}; cuối kỳ {format_number(balance.end)}: {verdict}."
    )


def figures_table(report: Report) -> Table:
    rows: list[list[Any]] = []
    for code in (*STOCK_ROWS, *FLOW_ROWS):
        if code in report.indicators:
            rows.append([_label(code), report.indicators[code], report.previous.get(code, 0)])
    return Table(
        caption=f"Một số chỉ tiêu chủ yếu {report.period.label}",
        # only the first letter raised: str.capitalize() would lower the Roman numeral (quý I)
        columns=[
            "Chỉ tiêu",
            report.period.label[:1].upper() + report.period.label[1:],
            "Cùng kỳ năm trước",
        ],
        rows=rows,
    )


def _issuing_body(name: str) -> str:
    """The committee that signs for an organisation: "Đảng bộ Khối …" → "ĐẢNG ỦY KHỐI …"."""
    for prefix, committee in (("Đảng bộ ", "Đảng ủy "), ("Chi bộ ", "Chi bộ ")):
        if name.startswith(prefix):
            return (committee + name[len(prefix) :]).upper()
    return name.upper()


def to_document(
    report: Report,
    *,
    number_symbol: str = "-BC/",
    place: str = "",
    date: dt.date | None = None,
    signer: str = "",
    recipients: tuple[str, ...] = (),
    charts: tuple = (),
) -> PartyDocument:
    period = report.period
    committee = report.organization_type not in (T.GRASSROOTS_CELL, T.SUBORDINATE_CELL)
    blocks = [
        Heading(f"I. KẾT QUẢ CÔNG TÁC TỔ CHỨC XÂY DỰNG ĐẢNG {period.label.upper()}"),
        *(Paragraph(text) for text in report.narrative),
        figures_table(report),
        *charts,
        Heading("II. CÂN ĐỐI SỐ LƯỢNG ĐẢNG VIÊN"),
        Paragraph(_balance_text(report.balance)),
    ]
    return PartyDocument(
        superior_body=report.superior_name.upper(),
        issuing_body=_issuing_body(report.organization_name),
        number_symbol=number_symbol,
        place=place or settings.DANGVU_REPORT_PLACE or "……",
        date=date or dt.date.today(),
        doc_type="BÁO CÁO",
        abstract=f"sơ kết công tác xây dựng Đảng {period.label}"
        if period.kind != "year"
        else f"tổng kết công tác xây dựng Đảng {period.label}",
        blocks=blocks,
        recipients=recipients
        or ("Cấp ủy cấp trên (b/c),", "Các tổ chức đảng trực thuộc,", "Lưu Văn phòng."),
        signature=Signature(
            authority="T/M BAN THƯỜNG VỤ" if committee else "T/M CHI BỘ",
            position="BÍ THƯ",
            name=signer,
        ),
    )


def to_sheets(report: Report) -> list[Sheet]:
    """One sheet of the figures and one per breakdown, with SUM formulas for the totals."""
    label = report.period.label
    figures = figures_table(report)
    sheets = [
        Sheet(
            title="Chỉ tiêu",
            caption=f"{report.organization_name}: chỉ tiêu chủ yếu {label}",
            columns=list(figures.columns),
            rows=[list(row) for row in figures.rows],
        ),
        Sheet(
            title="Theo tổ chức trực thuộc",
            caption=f"Đảng viên theo tổ chức trực thuộc đến ngày {format_date(report.period.end)}",
            columns=["Mã", "Tổ chức", "Số đảng viên"],
            rows=[[row.code, row.name, row.members] for row in report.children],
            totals=[2],
        ),
    ]
    for dimension, (title, _labels) in BREAKDOWNS.items():
        sheets.append(
            Sheet(
                title=title,
                caption=f"Đảng viên theo {title.lower()} đến ngày {format_date(report.period.end)}",
                columns=[title, "Số đảng viên"],
                rows=breakdown_rows(report, dimension),
                totals=[1],
            )
        )
    return sheets
