"""The Party's rules on organisations and committees: pure functions over plain values.

Sources: Điều lệ Đảng (2011), Điều 21 (grassroots organisations: chi bộ cơ sở, đảng bộ cơ sở
with subordinate cells, đảng bộ bộ phận); Quy định 294-QĐ/TW (26/05/2025) on the levels of the
Party after 01/07/2025; domain notes `shared/domain/rules.md`, section "Organisations".
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from dangvu.core.errors import DomainError

from .models import GRASSROOTS_TYPES, OrganizationType, Position

T = OrganizationType
ROOT = None

# Which parent each type may sit under (None: it may be the top of an installation).
ALLOWED_PARENTS: dict[str, frozenset[str | None]] = {
    T.CENTRAL: frozenset({ROOT}),
    T.PROVINCIAL_COMMITTEE: frozenset({ROOT, T.CENTRAL}),
    # Đảng ủy Khối, đảng bộ xã/phường (since 07/2025), đảng bộ huyện (until 07/2025), the
    # đảng bộ of a corporation under a central bloc: directly above grassroots.
    T.UPPER_COMMITTEE: frozenset({ROOT, T.CENTRAL, T.PROVINCIAL_COMMITTEE, T.UPPER_COMMITTEE}),
    T.GRASSROOTS_COMMITTEE: frozenset({ROOT, T.PROVINCIAL_COMMITTEE, T.UPPER_COMMITTEE}),
    T.GRASSROOTS_CELL: frozenset({ROOT, T.PROVINCIAL_COMMITTEE, T.UPPER_COMMITTEE}),
    # Điều lệ, Điều 21: đảng bộ bộ phận and chi bộ trực thuộc exist only inside a đảng bộ cơ sở.
    T.SUB_COMMITTEE: frozenset({T.GRASSROOTS_COMMITTEE}),
    T.SUBORDINATE_CELL: frozenset({T.GRASSROOTS_COMMITTEE, T.SUB_COMMITTEE}),
}

# Conversions (chuyển đổi) between types; anything else is a dissolution and an establishment.
ALLOWED_CONVERSIONS: frozenset[tuple[str, str]] = frozenset(
    {
        (T.GRASSROOTS_CELL, T.GRASSROOTS_COMMITTEE),  # grew to 30+ members
        (T.GRASSROOTS_COMMITTEE, T.GRASSROOTS_CELL),  # fell under 30
        (T.SUBORDINATE_CELL, T.SUB_COMMITTEE),
        (T.SUB_COMMITTEE, T.SUBORDINATE_CELL),
        (T.SUBORDINATE_CELL, T.GRASSROOTS_CELL),  # with a move out of its grassroots committee
        (T.GRASSROOTS_CELL, T.SUBORDINATE_CELL),  # with a move into a grassroots committee
        (T.GRASSROOTS_COMMITTEE, T.UPPER_COMMITTEE),  # communes after 01/07/2025 (294-QĐ/TW)
        (T.UPPER_COMMITTEE, T.GRASSROOTS_COMMITTEE),
    }
)

# Cell committees (chi ủy): at most 7 members, one secretary and one deputy (294-QĐ/TW).
CELL_TYPES = frozenset({T.GRASSROOTS_CELL, T.SUBORDINATE_CELL})
CELL_COMMITTEE_MAX_SEATS = 7


def label(org_type: str) -> str:
    return str(OrganizationType(org_type).label)


def check_placement(child_type: str, parent_type: str | None, *, child_name: str = "") -> None:
    """A type may sit only under the parents Điều lệ Đảng Điều 21 and 294-QĐ/TW allow."""
    if parent_type not in ALLOWED_PARENTS[child_type]:
        who = f"«{child_name}» ({label(child_type)})" if child_name else label(child_type)
        where = (
            f"không thể trực thuộc {label(parent_type).lower()}"
            if parent_type
            else "không thể là tổ chức cấp cao nhất"
        )
        raise DomainError(
            "organizations.INVALID_PARENT_TYPE",
            f"{who} {where}.",
            child_type=child_type,
            parent_type=parent_type,
        )


def check_conversion(old_type: str, new_type: str) -> None:
    """Conversions the Charter's structure allows (Điều lệ Đảng, Điều 21)."""
    if old_type == new_type:
        raise DomainError(
            "organizations.CONVERSION_SAME_TYPE",
            f"Tổ chức đã là {label(old_type).lower()}.",
        )
    if (old_type, new_type) not in ALLOWED_CONVERSIONS:
        raise DomainError(
            "organizations.CONVERSION_NOT_ALLOWED",
            f"Không thể chuyển {label(old_type).lower()} thành {label(new_type).lower()}.",
            old_type=old_type,
            new_type=new_type,
        )


def check_effective_after_decision(effective: dt.date, decision_date: dt.date) -> None:
    """A restructuring takes effect on or after the day its decision is signed."""
    if effective < decision_date:
        raise DomainError(
            "organizations.EFFECTIVE_BEFORE_DECISION",
            f"Ngày hiệu lực {effective:%d/%m/%Y} trước ngày ký quyết định {decision_date:%d/%m/%Y}.",
        )


def check_merge_size(organization_count: int) -> None:
    """A merge (hợp nhất, sáp nhập) joins at least two organisations into one."""
    if organization_count < 2:
        raise DomainError(
            "organizations.MERGE_NEEDS_TWO",
            "Hợp nhất, sáp nhập cần ít nhất hai tổ chức.",
        )


def check_split_parts(part_count: int, keeps_source: bool) -> None:
    """A split yields at least two organisations (the source may be one of them)."""
    if part_count + (1 if keeps_source else 0) < 2:
        raise DomainError(
            "organizations.SPLIT_NEEDS_TWO",
            "Chia tách cần tạo ra ít nhất hai tổ chức.",
        )


def is_grassroots(org_type: str) -> bool:
    return org_type in GRASSROOTS_TYPES


def check_committee(org_type: str, positions: Iterable[str]) -> None:
    """A committee has one secretary at most; a cell committee (chi ủy) has at most 7 members,
    one secretary and one deputy (Quy định 294-QĐ/TW, on chi bộ leadership)."""
    counts = Counter(positions)
    if counts[Position.SECRETARY] > 1:
        raise DomainError(
            "organizations.COMMITTEE_TWO_SECRETARIES",
            "Cấp ủy chỉ có một bí thư tại một thời điểm.",
        )
    if org_type in CELL_TYPES:
        if sum(counts.values()) > CELL_COMMITTEE_MAX_SEATS:
            raise DomainError(
                "organizations.CELL_COMMITTEE_TOO_LARGE",
                f"Chi ủy có tối đa {CELL_COMMITTEE_MAX_SEATS} đồng chí.",
            )
        if counts[Position.DEPUTY_SECRETARY] > 1:
            raise DomainError(
                "organizations.CELL_TWO_DEPUTIES",
                "Chi bộ chỉ bầu một phó bí thư.",
            )
        if counts[Position.STANDING_MEMBER]:
            raise DomainError(
                "organizations.CELL_HAS_NO_STANDING_COMMITTEE",
                "Chi bộ không có ban thường vụ.",
            )
