"""How a member's file reads on screen: the sections of the personal file, the membership
summary (party age, card, badges), the timeline of events, the candidates board's columns.
Pure shaping of what the selectors read; no query, no rule of its own."""

import datetime as dt
from dataclasses import dataclass, field

from vietnam_provinces import Province, ProvinceCode

from dangvu.core.formatting import format_date
from dangvu.members import rules
from dangvu.members.events import MemberEventKind as E
from dangvu.members.models import MemberEvent, Person
from dangvu.members.reference import POLITICAL_THEORY, RELIGIONS
from dangvu.members.rules import CandidateLack as L
from dangvu.members.rules import DisciplineForm, ExemptionGround, ExitReason

RELIGION_LABELS = dict(RELIGIONS)
THEORY_LABELS = dict(POLITICAL_THEORY)
BADGE_KINDS = (E.BADGE_PROPOSAL, E.BADGE_AWARD)


def birth_display(person: Person) -> str:
    """As precise as the file: dd/mm/yyyy, mm/yyyy or yyyy."""
    if person.birth_month is None:
        return f"{person.birth_year:04d}"
    if person.birth_day is None:
        return f"{person.birth_month:02d}/{person.birth_year:04d}"
    return f"{person.birth_day:02d}/{person.birth_month:02d}/{person.birth_year:04d}"


def age_years(person: Person, today: dt.date) -> int:
    birth = rules.PartialDate(person.birth_year, person.birth_month, person.birth_day)
    return rules.age_in_months(birth, today) // 12


def province_name(code: int | None) -> str:
    if code is None:
        return ""
    try:
        return Province.from_code(ProvinceCode(code)).name
    except ValueError:
        return ""


def _place(text: str, province_code: int | None) -> str:
    province = province_name(province_code)
    if not province or province in text:
        return text
    return f"{text}, {province}" if text else province


def file_sections(person: Person) -> list[tuple[str, list[tuple[str, str]]]]:
    """The personal file (lý lịch) in the order of the paper form; empty lines left out."""
    identity = [
        ("Họ và tên", person.full_name),
        ("Tên gọi khác", person.other_names),
        ("Ngày sinh", birth_display(person)),
        ("Giới tính", person.get_sex_display()),
        ("Dân tộc", person.get_ethnicity_display()),
        ("Tôn giáo", RELIGION_LABELS.get(person.religion, "")),
        ("Số CCCD", person.citizen_id or ""),
        ("Điện thoại", person.phone),
    ]
    places = [
        ("Quê quán", person.hometown),
        ("Nơi sinh", person.birthplace),
        ("Nơi thường trú", _place(person.permanent_residence, person.permanent_province_code)),
        ("Nơi ở hiện nay", _place(person.current_residence, person.current_province_code)),
    ]
    levels = [
        ("Giáo dục phổ thông", person.general_education),
        ("Chuyên môn, nghiệp vụ", person.qualification),
        ("Lý luận chính trị", THEORY_LABELS.get(person.political_theory, "")),
        ("Quản lý nhà nước", person.state_management),
        ("Ngoại ngữ", person.foreign_language),
    ]
    work = [
        ("Nghề nghiệp", person.occupation),
        ("Đơn vị công tác", person.work_unit),
        ("Chức vụ", person.job_position),
    ]
    sections = [
        ("Sơ yếu lý lịch", identity),
        ("Quê quán, nơi ở", places),
        ("Trình độ", levels),
        ("Công tác", work),
    ]
    return [(title, [(k, v) for k, v in rows if v]) for title, rows in sections]


@dataclass
class Membership:
    rows: list[tuple[str, str]] = field(default_factory=list)
    party_age: str = ""


def _party_age_until(person: Person, today: dt.date) -> dt.date:
    """Party age runs to today, or stops where the member left the Party or a cell."""
    if person.left_on:
        return person.left_on
    if person.transfer_left_on:
        return person.transfer_left_on
    return today


def membership(person: Person, events: list[MemberEvent], today: dt.date) -> Membership:
    """Đảng tịch: status, cell, dates, party age (for those who became full members), card."""
    info = Membership()
    rows = info.rows
    rows.append(("Tình trạng", person.get_status_display()))
    rows.append(("Chi bộ", person.organization.name))
    if person.exempt:
        rows.append(("Miễn công tác và sinh hoạt", "Có"))
    if person.transfer_to_id:
        since = f" (từ ngày {person.transfer_left_on:%d/%m/%Y})" if person.transfer_left_on else ""
        rows.append(("Đang chuyển đến", f"{person.transfer_to.name}{since}, chờ tiếp nhận"))
    if person.temporary_at_id:
        until = f" đến ngày {person.temporary_until:%d/%m/%Y}" if person.temporary_until else ""
        rows.append(("Sinh hoạt tạm thời tại", f"{person.temporary_at.name}{until}"))
    if person.admission_decision_date:
        rows.append(("Ngày quyết định kết nạp", f"{person.admission_decision_date:%d/%m/%Y}"))
    if person.ceremony_date:
        rows.append(("Ngày lễ kết nạp", f"{person.ceremony_date:%d/%m/%Y}"))
    first = next((e for e in events if e.kind == E.ADMISSION), None)
    if first and person.ceremony_date and first.effective_date != person.ceremony_date:
        rows.append(("Kết nạp lần đầu", f"{first.effective_date:%d/%m/%Y}"))
    if person.full_member_date:
        rows.append(("Ngày chính thức", f"{person.full_member_date:%d/%m/%Y}"))
    if person.card_number:
        rows.append(("Số thẻ đảng viên", person.card_number))
    if person.left_on:
        rows.append(("Ngày ra khỏi Đảng", f"{person.left_on:%d/%m/%Y}"))
    if person.party_age_from and person.full_member_date:
        age = rules.party_age(person.party_age_from, _party_age_until(person, today))
        info.party_age = f"{age.years} năm {age.months} tháng"
        rows.append(("Tuổi đảng", info.party_age))
    return info


def badges(events: list[MemberEvent]) -> list[str]:
    lines = []
    for event in events:
        if event.kind in BADGE_KINDS:
            verb = "Đề nghị tặng" if event.kind == E.BADGE_PROPOSAL else "Được tặng"
            milestone = event.details.get("milestone")
            lines.append(
                f"{verb} Huy hiệu {milestone} năm tuổi đảng ({event.effective_date:%d/%m/%Y})"
            )
    return lines


def _iso(value) -> str:
    try:
        return f"{dt.date.fromisoformat(str(value)):%d/%m/%Y}"
    except ValueError:
        return str(value)


def _facts(event: MemberEvent) -> list[str]:
    """The details of an event, in words."""
    d = event.details or {}
    facts = []
    if d.get("to_name"):
        facts.append(f"Đến: {d['to_name']}")
    if d.get("until"):
        facts.append(f"Đến ngày {_iso(d['until'])}")
    if d.get("for_study"):
        facts.append("Đi học tập trung")
    if d.get("vote_date"):
        facts.append(f"Chi bộ xét ngày {_iso(d['vote_date'])}")
    if d.get("form") in DisciplineForm.values:
        facts.append(f"Hình thức: {DisciplineForm(d['form']).label}")
    if d.get("cleared_on"):
        facts.append(f"Chấm dứt hiệu lực ngày {_iso(d['cleared_on'])}")
    if d.get("milestone"):
        facts.append(f"Mốc {d['milestone']} năm tuổi đảng")
    if d.get("seriously_ill"):
        facts.append("Đảng viên ốm nặng")
    if d.get("card_number"):
        facts.append(f"Số thẻ {d['card_number']}")
    if d.get("exit_reason") in ExitReason.values:
        facts.append(f"Lý do: {ExitReason(d['exit_reason']).label}")
    if d.get("requested_on"):
        facts.append(f"Đơn đề nghị ngày {_iso(d['requested_on'])}")
    grounds = [
        ExemptionGround(g).label for g in d.get("grounds") or () if g in ExemptionGround.values
    ]
    if grounds:
        facts.append("Lý do miễn: " + ", ".join(grounds).lower())
    if d.get("note"):
        facts.append(str(d["note"]))
    return facts


def timeline_row(event: MemberEvent) -> dict:
    return {
        "date": event.effective_date,
        "label": event.get_kind_display(),
        "kind": event.kind,
        "organization": event.organization.name,
        "decision": str(event.decision) if event.decision_id else "",
        "facts": _facts(event),
        "override_reason": event.override_reason,
        "recorded_by": event.recorded_by.get_username() if event.recorded_by_id else "",
        "recorded_at": event.recorded_at,
    }


# --- the members list --------------------------------------------------------------------------
def list_row(person: Person, *, number: int, url: str) -> dict:
    """A row of the members list, shaped here rather than in the template: fifty rows of
    lookups, date filters and {% url %} tags were a third of the page's rendering."""
    return {
        "number": number,
        "url": url,
        "name": person.full_name,
        "moving": person.transfer_to_id is not None,
        "exempt": person.exempt,
        "birth_year": person.birth_year,
        "sex": person.get_sex_display(),
        "organization": person.organization.name,
        "status": person.get_status_display(),
        "ceremony_date": format_date(person.ceremony_date),
        "full_member_date": format_date(person.full_member_date),
    }


# --- the candidates board ----------------------------------------------------------------------
# The steps of the dossier in order; a candidate stands at the first step they still lack.
BOARD_STEPS = (
    ("Lớp bồi dưỡng nhận thức về Đảng", {L.CERTIFICATE, L.CERTIFICATE_EXPIRED}),
    ("Người giới thiệu", {L.SPONSORS}),
    ("Thẩm tra lý lịch, đơn xin vào Đảng", {L.BACKGROUND_CHECK, L.BACKGROUND_CHECK_FAILED, L.APPLICATION}),
    ("Chi bộ xét kết nạp", {L.VOTE, L.VOTE_FAILED}),
    ("Chờ quyết định kết nạp", set()),
)  # fmt: skip


def board_columns(rows) -> list[dict]:
    """The candidates (with `missing` set by candidates.with_missing) in their step's column."""
    columns = [{"title": title, "candidates": []} for title, _ in BOARD_STEPS]
    for candidate in rows:
        first = candidate.missing[0] if candidate.missing else None
        index = next(
            (i for i, (_, lacks) in enumerate(BOARD_STEPS) if first in lacks), len(BOARD_STEPS) - 1
        )
        columns[index]["candidates"].append(candidate)
    return columns
