"""How a member's file reads on screen: the sections of the personal file, the membership
summary (party age, card, badges), the timeline of events, the candidates board's columns.
Pure shaping of what the selectors read; no query, no rule of its own."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
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
        (_("Họ và tên"), person.full_name),
        (_("Tên gọi khác"), person.other_names),
        (_("Ngày sinh"), birth_display(person)),
        (_("Giới tính"), person.get_sex_display()),
        (_("Dân tộc"), person.get_ethnicity_display()),
        (_("Tôn giáo"), RELIGION_LABELS.get(person.religion, "")),
        (_("Số CCCD"), person.citizen_id or ""),
        (_("Điện thoại"), person.phone),
    ]
    places = [
        (_("Quê quán"), person.hometown),
        (_("Nơi sinh"), person.birthplace),
        (_("Nơi thường trú"), _place(person.permanent_residence, person.permanent_province_code)),
        (_("Nơi ở hiện nay"), _place(person.current_residence, person.current_province_code)),
    ]
    levels = [
        (_("Giáo dục phổ thông"), person.general_education),
        (_("Chuyên môn, nghiệp vụ"), person.qualification),
        (_("Lý luận chính trị"), THEORY_LABELS.get(person.political_theory, "")),
        (_("Quản lý nhà nước"), person.state_management),
        (_("Ngoại ngữ"), person.foreign_language),
    ]
    work = [
        (_("Nghề nghiệp"), person.occupation),
        (_("Đơn vị công tác"), person.work_unit),
        (_("Chức vụ"), person.job_position),
    ]
    sections = [
        (_("Sơ yếu lý lịch"), identity),
        (_("Quê quán, nơi ở"), places),
        (_("Trình độ"), levels),
        (_("Công tác"), work),
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
    rows.append((_("Tình trạng"), person.get_status_display()))
    rows.append((_("Chi bộ"), person.organization.name))
    if person.exempt:
        rows.append((_("Miễn công tác và sinh hoạt"), _("Có")))
    if person.transfer_to_id:
        to = {"to": person.transfer_to.name}
        if person.transfer_left_on:
            to["date"] = f"{person.transfer_left_on:%d/%m/%Y}"
            moving = _("%(to)s (từ ngày %(date)s), chờ tiếp nhận") % to
        else:
            moving = _("%(to)s, chờ tiếp nhận") % to
        rows.append((_("Đang chuyển đến"), moving))
    if person.temporary_at_id:
        at = person.temporary_at.name
        if person.temporary_until:
            at = _("%(at)s đến ngày %(date)s") % {
                "at": at,
                "date": f"{person.temporary_until:%d/%m/%Y}",
            }
        rows.append((_("Sinh hoạt tạm thời tại"), at))
    if person.admission_decision_date:
        rows.append((_("Ngày quyết định kết nạp"), f"{person.admission_decision_date:%d/%m/%Y}"))
    if person.ceremony_date:
        rows.append((_("Ngày lễ kết nạp"), f"{person.ceremony_date:%d/%m/%Y}"))
    first = next((e for e in events if e.kind == E.ADMISSION), None)
    if first and person.ceremony_date and first.effective_date != person.ceremony_date:
        rows.append((_("Kết nạp lần đầu"), f"{first.effective_date:%d/%m/%Y}"))
    if person.full_member_date:
        rows.append((_("Ngày chính thức"), f"{person.full_member_date:%d/%m/%Y}"))
    if person.card_number:
        rows.append((_("Số thẻ đảng viên"), person.card_number))
    if person.left_on:
        rows.append((_("Ngày ra khỏi Đảng"), f"{person.left_on:%d/%m/%Y}"))
    if person.party_age_from and person.full_member_date:
        age = rules.party_age(person.party_age_from, _party_age_until(person, today))
        years = ngettext("%(n)d năm", "%(n)d năm", age.years) % {"n": age.years}
        months = ngettext("%(n)d tháng", "%(n)d tháng", age.months) % {"n": age.months}
        info.party_age = f"{years} {months}"
        rows.append((_("Tuổi đảng"), info.party_age))
    return info


def badges(events: list[MemberEvent]) -> list[str]:
    lines = []
    for event in events:
        if event.kind in BADGE_KINDS:
            if event.kind == E.BADGE_PROPOSAL:
                line = _("Đề nghị tặng Huy hiệu %(years)s năm tuổi đảng (%(date)s)")
            else:
                line = _("Được tặng Huy hiệu %(years)s năm tuổi đảng (%(date)s)")
            values = {"years": event.details.get("milestone"), "date": _dmy(event.effective_date)}
            lines.append(line % values)
    return lines


def _dmy(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


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
        facts.append(_("Đến: %(name)s") % {"name": d["to_name"]})
    if d.get("until"):
        facts.append(_("Đến ngày %(date)s") % {"date": _iso(d["until"])})
    if d.get("for_study"):
        facts.append(_("Đi học tập trung"))
    if d.get("vote_date"):
        facts.append(_("Chi bộ xét ngày %(date)s") % {"date": _iso(d["vote_date"])})
    if d.get("form") in DisciplineForm.values:
        facts.append(_("Hình thức: %(form)s") % {"form": DisciplineForm(d["form"]).label})
    if d.get("cleared_on"):
        facts.append(_("Chấm dứt hiệu lực ngày %(date)s") % {"date": _iso(d["cleared_on"])})
    if d.get("milestone"):
        facts.append(_("Mốc %(years)s năm tuổi đảng") % {"years": d["milestone"]})
    if d.get("seriously_ill"):
        facts.append(_("Đảng viên ốm nặng"))
    if d.get("card_number"):
        facts.append(_("Số thẻ %(number)s") % {"number": d["card_number"]})
    if d.get("exit_reason") in ExitReason.values:
        facts.append(_("Lý do: %(reason)s") % {"reason": ExitReason(d["exit_reason"]).label})
    if d.get("requested_on"):
        facts.append(_("Đơn đề nghị ngày %(date)s") % {"date": _iso(d["requested_on"])})
    grounds = [
        ExemptionGround(g).label for g in d.get("grounds") or () if g in ExemptionGround.values
    ]
    if grounds:
        facts.append(_("Lý do miễn: %(grounds)s") % {"grounds": ", ".join(grounds).lower()})
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
    (gettext_lazy("Lớp bồi dưỡng nhận thức về Đảng"), {L.CERTIFICATE, L.CERTIFICATE_EXPIRED}),
    (gettext_lazy("Người giới thiệu"), {L.SPONSORS}),
    (gettext_lazy("Thẩm tra lý lịch, đơn xin vào Đảng"), {L.BACKGROUND_CHECK, L.BACKGROUND_CHECK_FAILED, L.APPLICATION}),
    (gettext_lazy("Chi bộ xét kết nạp"), {L.VOTE, L.VOTE_FAILED}),
    (gettext_lazy("Chờ quyết định kết nạp"), set()),
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
