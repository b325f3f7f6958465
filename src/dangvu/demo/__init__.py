"""Demonstration data: `dangvu demo` fills an empty database with a province's party
organisations, their history since 1989, their committees, their members with their history
since the 1970s, the candidates preparing to join in 2025-2026, the admissions targets of
2016-2026, and three accounts to log in with.

The content is deterministic (fixed lists and a seeded generator), so two runs give the same
tree, names and dates; only database ids and recording timestamps differ.
"""

import datetime as dt
from dataclasses import dataclass
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from dangvu.access.models import Grant, Role
from dangvu.access.scopes import Scope
from dangvu.core.formatting import format_number
from dangvu.members.events import MemberEventKind
from dangvu.members.models import Candidate, MemberEvent, MemberStatus, Person
from dangvu.organizations import selectors
from dangvu.organizations.models import (
    CommitteeConsolidation,
    Organization,
    OrganizationEvent,
    OrganizationType,
)
from dangvu.planning.models import Target
from dangvu.planning.rules import target_line
from dangvu.planning.selectors import targets_for
from dangvu.statistics import engine
from dangvu.statistics.periods import parse_period

from . import candidates as demo_candidates
from . import members as demo_members
from . import organizations
from . import targets as demo_targets

URL = "http://127.0.0.1:8000"
PASSWORD = "dangvu-demo-2026"  # noqa: S105 - published demo password, printed on purpose


@dataclass(frozen=True)
class Account:
    username: str
    description: str


@dataclass
class Demo:
    tree: organizations.DemoTree
    accounts: list[Account]
    members: demo_members.Written | None = None
    candidates: demo_candidates.Written | None = None
    targets: demo_targets.Written | None = None

    def report(self, out: TextIO, seconds: float | None = None) -> None:
        """What was built, in Vietnamese, ending with the address and the accounts."""
        _report(out, self, seconds)


def _accounts(tree: organizations.DemoTree) -> list[Account]:
    users = get_user_model()
    admin = users.objects.create_superuser(
        username="admin",
        password=PASSWORD,
        email="admin@example.invalid",
        first_name="Quản trị",
        last_name="hệ thống",
    )
    khoi = users.objects.create_user(
        username="khoi",
        password=PASSWORD,
        first_name="Văn phòng",
        last_name="Đảng ủy Khối",
        is_staff=True,
    )
    chibo = users.objects.create_user(
        username="chibo", password=PASSWORD, first_name="Bí thư", last_name="chi bộ"
    )
    Grant.objects.create(user=khoi, organization=tree.bloc, role=Role.ADMINISTRATOR)
    Grant.objects.create(user=chibo, organization=tree.justice, role=Role.EDITOR)
    return [
        Account(admin.username, "quản trị hệ thống, xem và cập nhật toàn bộ"),
        Account(khoi.username, f"quản trị {tree.bloc.name} (lịch sử 2008–2025)"),
        Account(chibo.username, f"cập nhật {tree.justice.name}"),
    ]


def _grassroots(scope: Scope, root: Organization, at: dt.date) -> tuple[int, int]:
    count = selectors.organization_count
    committees = count(scope=scope, at=at, root=root, types=[OrganizationType.GRASSROOTS_COMMITTEE])
    cells = count(scope=scope, at=at, root=root, types=[OrganizationType.GRASSROOTS_CELL])
    return committees, cells


def build(stdout: TextIO | None = None) -> Demo:
    """Writes the demo into an empty database (one transaction) and reports it on `stdout`."""
    with transaction.atomic():
        tree = organizations.build()
        written = demo_members.build(tree.bloc)
        candidates = demo_candidates.build(tree.bloc)
        targets = demo_targets.build(tree.bloc)
        demo = Demo(
            tree=tree,
            accounts=_accounts(tree),
            members=written,
            candidates=candidates,
            targets=targets,
        )
    if stdout is not None:
        demo.report(stdout)
    return demo


def _report(out: TextIO, demo: Demo, seconds: float | None) -> None:
    tree, scope, end = demo.tree, Scope.system(), dt.date(2021, 3, 31)
    committees, cells = _grassroots(scope, tree.bloc, end)
    consolidated = selectors.consolidations_between(
        scope=scope, start=dt.date(2021, 1, 1), end=end, root=tree.bloc
    ).count()
    n = format_number
    took = f" sau {n(seconds, 1)} giây" if seconds is not None else ""
    out.write(f"Đã tạo dữ liệu mẫu{took}:\n")
    out.write(
        f"  - {n(Organization.objects.count())} tổ chức đảng, "
        f"{n(OrganizationEvent.objects.count())} sự kiện tổ chức (từ 01/07/1989), "
        f"{n(CommitteeConsolidation.objects.count())} lượt kiện toàn cấp ủy;\n"
    )
    out.write(
        f"  - {tree.bloc.name} ngày 31/03/2021: {n(committees + cells)} tổ chức cơ sở đảng "
        f"({n(committees)} đảng bộ cơ sở, {n(cells)} chi bộ cơ sở), {consolidated:02d} lượt "
        "kiện toàn cấp ủy trong quý I/2021;\n"
    )
    q1 = parse_period("2021-Q1")
    stock, flow = engine.stocks(tree.bloc, q1.end), engine.flows(tree.bloc, q1)
    admissions = MemberEvent.objects.filter(kind=MemberEventKind.ADMISSION)
    members = Person.objects.exclude(status=MemberStatus.NONE)  # not the candidates' files
    first = admissions.order_by("effective_date").values_list("effective_date", flat=True)[:1]
    since = f"từ năm {first[0].year} " if first else ""
    out.write(
        f"  - {n(members.count())} lý lịch đảng viên, "
        f"{n(MemberEvent.objects.count())} sự kiện đảng viên ({since}đến ngày "
        f"{demo_members.HORIZON:%d/%m/%Y});\n"
    )
    out.write(
        f"  - {tree.bloc.name} ngày 31/03/2021: {n(stock['members.total'])} đảng viên; quý I/2021 "
        f"kết nạp {n(flow['admissions'])} đảng viên, công nhận {n(flow['recognitions'])} đảng "
        f"viên chính thức, đề nghị tặng Huy hiệu 30 năm tuổi Đảng cho {flow['badges.30']:02d} "
        "đồng chí;\n"
    )
    _report_targets(out, demo, flow["admissions"])
    _report_candidates(out)
    out.write(
        f"  - 01/02/2025: {tree.party_agencies.name} và {tree.government.name} tiếp nhận các tổ "
        f"chức cơ sở đảng, {tree.bloc.name} kết thúc hoạt động;\n"
    )
    out.write(f"  - 01/07/2025: {tree.province.name} hợp nhất vào {tree.gia_lai.name}.\n\n")
    out.write(f"Chạy `dangvu serve` rồi mở {URL} và đăng nhập (mật khẩu: {PASSWORD}):\n")
    width = max(len(a.username) for a in demo.accounts)
    for account in demo.accounts:
        out.write(f"  {account.username:<{width}}  {account.description}\n")


def _report_targets(out: TextIO, demo: Demo, admitted_q1: int) -> None:
    n, years, bloc = format_number, demo_targets.YEARS, demo.tree.bloc
    targets = Target.objects.filter(indicator=demo_targets.INDICATOR, year__in=years)
    line = f"  - {n(targets.count())} chỉ tiêu kết nạp đảng viên các năm {years[0]}–{years[-1]}"
    if demo.targets is not None:
        line += (
            f" của {n(demo.targets.upper)} đảng bộ cấp trên trực tiếp cơ sở và "
            f"{n(demo.targets.grassroots)} tổ chức cơ sở đảng"
        )
    target = targets_for(bloc, 2021).get(demo_targets.INDICATOR)
    against = target_line(admitted_q1, target)
    if target and against:
        line += (
            f"; {bloc.name} năm 2021: chỉ tiêu {n(target)} đảng viên, quý I/2021 đạt "
            f"{against[0]}, bằng {against[1]}"
        )
    out.write(line + ";\n")


def _report_candidates(out: TextIO) -> None:
    n, stages = format_number, demo_candidates.stage_counts()
    cells = Candidate.objects.values("organization_id").distinct().count()
    total = sum(stages.values())
    steps = ", ".join(
        f"{n(stages[code])} {label}" for code, label in demo_candidates.STAGES if stages[code]
    )
    out.write(
        f"  - {n(total)} quần chúng ưu tú ở {n(cells)} chi bộ, đưa vào danh sách từ "
        f"{demo_candidates.START:%d/%m/%Y} đến {demo_members.HORIZON:%d/%m/%Y}: {steps};\n"
    )


__all__ = ["PASSWORD", "URL", "Account", "Demo", "build"]
