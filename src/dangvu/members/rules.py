"""The Party's rules on members: pure functions over plain values.

No ORM, no clock: callers pass `today` and the `Parameters` in force (parameters.py), since
every number here changes with the texts. Sources: Điều lệ Đảng (2011); Quy định 294-QĐ/TW
(26/05/2025) and its predecessors 29-QĐ/TW (2016), 24-QĐ/TW (2021), 232-QĐ/TW (2025);
Hướng dẫn 06-HD/TW (2025) and 01-HD/TW (2021); Quy định 69-QĐ/TW (2022) and 102-QĐ/TW (2017)
on discipline; domain notes `shared/domain/rules.md` and `research-notes.md` §1-8.

Violations raise `DomainError("members.CODE", message)`; rules that a competent body may bend
return a `RuleWarning` instead, which the service shows and an approver may override.
"""

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models

from dangvu.core.errors import DomainError

from .events import MemberEventKind as E
from .models import BackgroundCheckResult, SponsorKind
from .models import MemberStatus as S
from .parameters import Parameters

Gap = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class RuleWarning:
    """A rule a competent body may bend: shown to the user, overridable with a reason."""

    code: str
    message: str


def fmt(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


# --- calendar arithmetic ---------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; clamped to the month's last day (31/01 + 1 → 28 or 29/02)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def full_months(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end`: the largest n with add_months(start, n) <= end
    (negative when `end` is before `start`)."""
    n = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, n) > end:
        n -= 1
    return n


def add_working_days(start: dt.date, n: int, holidays: frozenset[dt.date]) -> dt.date:
    """The n-th working day after `start` (`start` itself not counted): Monday to Friday,
    minus `holidays` (public holidays and their compensatory days off, which the caller
    supplies). Deadlines "within n working days" (294-QĐ/TW) end on this day, inclusive."""
    if n < 0:
        raise ValueError("n must not be negative")
    day = start
    while n:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            n -= 1
    return day


# --- birth dates and age -----------------------------------------------------------------------


@dataclass(frozen=True)
class PartialDate:
    """A date as precise as the paper file: the year, maybe the month, maybe the day."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        self.earliest()  # validates

    def earliest(self) -> dt.date:
        """The earliest date consistent with what is known."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> dt.date:
        """The latest date consistent with what is known."""
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])


def age_in_months(birth: PartialDate, on: dt.date, *, assume_earliest: bool = False) -> int:
    """Full months of age on `on` (Điều lệ Đảng, Điều 1: age "tính theo tháng").

    When the file lacks the day or the month, the latest possible birth date is assumed (a
    person born "1990" is taken as born 31/12/1990), so a minimum age is never granted on a
    guess. `assume_earliest=True` takes the earliest possible date (01/01/1990), the
    conservative choice for a maximum age.
    """
    born = birth.earliest() if assume_earliest else birth.latest()
    return full_months(born, on)


def check_admission_age(
    birth: PartialDate, vote_date: dt.date, params: Parameters
) -> RuleWarning | None:
    """From a full 18 to a full 60 years old on the day the cell votes, counted in months
    (Điều lệ Đảng 2011, Điều 1; Quy định 294-QĐ/TW, thi hành Điều 1).

    Under 18 full years: refused (the 18th birthday is the first day allowed; with an incomplete
    birth date the latest possible one is assumed). Older than a full 60 years (from the day
    after the 60th birthday; the earliest possible birth date is assumed): a warning, since the
    provincial-level committee may still decide to admit.
    """
    minimum = params.admission_min_age_years
    if age_in_months(birth, vote_date) < minimum * 12:
        raise DomainError(
            "members.ADMISSION_UNDER_AGE",
            f"Người vào Đảng phải đủ {minimum} tuổi (tính theo tháng) vào ngày chi bộ xét "
            f"kết nạp {fmt(vote_date)}.",
        )
    maximum = params.admission_max_age_years
    limit = add_months(birth.earliest(), maximum * 12)
    if vote_date > limit:
        return RuleWarning(
            "members.ADMISSION_OVER_AGE",
            f"Người vào Đảng đã quá {maximum} tuổi vào ngày {fmt(vote_date)}: chỉ kết nạp khi "
            "tỉnh ủy hoặc cấp tương đương xem xét, quyết định.",
        )
    return None


# --- admission deadlines ------------------------------------------------------------------------


def admission_decision_deadline(
    cell_resolution: dt.date,
    params: Parameters,
    holidays: frozenset[dt.date],
    *,
    extended: bool = False,
) -> dt.date:
    """The committee decides within 60 working days of the cell's resolution, 30 more in
    special cases (Điều lệ Đảng, Điều 4; Quy định 294-QĐ/TW)."""
    days = params.admission_decision_working_days
    if extended:
        days += params.admission_decision_extension_working_days
    return add_working_days(cell_resolution, days, holidays)


def ceremony_deadline(
    decision_received: dt.date, params: Parameters, holidays: frozenset[dt.date]
) -> dt.date:
    """The admission ceremony is held within 30 working days of receiving the decision;
    later needs the direct superior's consent (Quy định 294-QĐ/TW; Hướng dẫn 06-HD/TW)."""
    return add_working_days(decision_received, params.ceremony_working_days, holidays)


def check_ceremony_date(
    decision_received: dt.date,
    ceremony: dt.date,
    params: Parameters,
    holidays: frozenset[dt.date],
) -> RuleWarning | None:
    """The ceremony follows the decision, within the deadline (294-QĐ/TW): before it is an
    error, late is a warning (the direct superior may consent)."""
    if ceremony < decision_received:
        raise DomainError(
            "members.CEREMONY_BEFORE_DECISION",
            f"Lễ kết nạp ({fmt(ceremony)}) không thể trước ngày nhận quyết định kết nạp "
            f"({fmt(decision_received)}).",
        )
    deadline = ceremony_deadline(decision_received, params, holidays)
    if ceremony > deadline:
        return RuleWarning(
            "members.CEREMONY_LATE",
            f"Lễ kết nạp quá hạn {params.ceremony_working_days} ngày làm việc (hạn "
            f"{fmt(deadline)}): cần báo cáo và được cấp ủy cấp trên trực tiếp đồng ý.",
        )
    return None


# --- probation and recognition -----------------------------------------------------------------


def probation_end(ceremony_date: dt.date, params: Parameters) -> dt.date:
    """Probation lasts 12 months from the admission ceremony; a recognised member is a full
    member from this day, however late the decision (Điều lệ Đảng 2011, Điều 5; 294-QĐ/TW)."""
    return add_months(ceremony_date, params.probation_months)


def check_recognition(
    ceremony_date: dt.date, recognition_effective: dt.date, params: Parameters
) -> RuleWarning | None:
    """Recognition takes effect at the exact end of probation (Điều lệ Đảng 2011, Điều 5;
    294-QĐ/TW): earlier is refused; a later date is a warning, since the rule puts it at the
    end of the 12 months whatever the date of the decision."""
    end = probation_end(ceremony_date, params)
    if recognition_effective < end:
        raise DomainError(
            "members.RECOGNITION_BEFORE_PROBATION_END",
            f"Chưa hết thời kỳ dự bị {params.probation_months} tháng: đảng viên chỉ được công "
            f"nhận chính thức từ ngày {fmt(end)}.",
        )
    if recognition_effective > end:
        return RuleWarning(
            "members.RECOGNITION_AFTER_PROBATION_END",
            f"Đảng viên được công nhận chính thức từ ngày hết thời kỳ dự bị ({fmt(end)}), "
            "dù quyết định ban hành muộn hơn.",
        )
    return None


@dataclass(frozen=True)
class RecognitionDeadlines:
    cell: dt.date  # the cell considers and proposes
    committee: dt.date  # the competent committee decides
    committee_extended: dt.date  # with the special-case extension


def recognition_deadline(
    ceremony_date: dt.date, params: Parameters, holidays: frozenset[dt.date]
) -> RecognitionDeadlines:
    """The cell considers recognition within 30 working days after probation ends; the
    committee decides within 30 more, extendable by 30 (Điều lệ Đảng, Điều 5; 294-QĐ/TW)."""
    cell = add_working_days(
        probation_end(ceremony_date, params), params.recognition_cell_working_days, holidays
    )
    committee = add_working_days(cell, params.recognition_committee_working_days, holidays)
    extended = add_working_days(committee, params.recognition_extension_working_days, holidays)
    return RecognitionDeadlines(cell, committee, extended)


def is_recognition_overdue(
    ceremony_date: dt.date,
    today: dt.date,
    params: Parameters,
    holidays: frozenset[dt.date],
    *,
    extended: bool = False,
) -> bool:
    """True when no decision on recognition was taken by the committee's deadline
    (294-QĐ/TW), to flag the probationary member; `extended` when the extension was granted."""
    deadlines = recognition_deadline(ceremony_date, params, holidays)
    return today > (deadlines.committee_extended if extended else deadlines.committee)


# --- party age and badge -----------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class PartyAge:
    years: int
    months: int

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months

    def __str__(self) -> str:
        return f"{self.years} năm {self.months} tháng"


def party_age_start(decision_date: dt.date, ceremony_date: dt.date, params: Parameters) -> dt.date:
    """Party age counts from the admission decision (Hướng dẫn 01-HD/TW 2021, 06-HD/TW 2025);
    installations may choose the ceremony date, as practice varies."""
    return ceremony_date if params.party_age_from == "ceremony" else decision_date


def gap_days(start: dt.date, end: dt.date, gaps: Iterable[Gap]) -> int:
    """Days of the gaps (merged where they overlap) inside [start, end)."""
    clipped = sorted((max(a, start), min(b, end)) for a, b in gaps)
    total = 0
    cursor = start
    for a, b in clipped:
        a = max(a, cursor)
        if b > a:
            total += (b - a).days
            cursor = b
    return total


def party_age(admission: dt.date, today: dt.date, gaps: Iterable[Gap] = ()) -> PartyAge:
    """Party age on `today` in full years and months (Hướng dẫn 01-HD/TW 2021 and 06-HD/TW
    2025, on tuổi đảng): from `admission` (the decision, or the ceremony per installation) of
    the first admission, minus the gaps that the rules do not count: time out of the Party
    (expelled, struck off, lost contact) and time between two cells during a transfer.

    Each gap is (left, came back) with the return day counted again. The caller passes only
    such gaps. The count is as if the member had joined later by the gaps' total days.
    """
    if today < admission:
        return PartyAge(0, 0)
    start = admission + dt.timedelta(days=gap_days(admission, today, gaps))
    months = max(0, full_months(start, today))
    return PartyAge(*divmod(months, 12))


def milestone_date(admission: dt.date, gaps: Iterable[Gap], years: int) -> dt.date:
    """The day the party age first reaches `years` full years."""
    gaps = list(gaps)
    day = add_months(admission, years * 12)
    while True:
        start = admission + dt.timedelta(days=gap_days(admission, day, gaps))
        reached = add_months(start, years * 12)
        if reached <= day:
            return day
        day = reached


def early_months(milestone: int, params: Parameters, *, ill: bool, posthumous: bool) -> int:
    """How early a badge may be given: seriously ill members up to 12 months (30-65 years) or
    24 months (70-90 years); posthumous award up to 12 months (Hướng dẫn 01-HD/TW 2021,
    mục 18; 06-HD/TW 2025 assumed to keep it)."""
    months = 0
    if ill:
        months = (
            params.badge_early_ill_months_from_threshold
            if milestone >= params.badge_early_ill_threshold_years
            else params.badge_early_ill_months
        )
    if posthumous:
        months = max(months, params.badge_early_posthumous_months)
    return months


def badge_milestone_reached(
    party_age_start: dt.date, gaps: Iterable[Gap], on: dt.date, params: Parameters
) -> int | None:
    """The highest badge milestone (30, 40, 45, ... 90 years of party age, Hướng dẫn
    01-HD/TW 2021, mục 18) the party age has reached on `on`, or None."""
    months = party_age(party_age_start, on, gaps).total_months
    reached = [m for m in params.badge_milestones if months >= m * 12]
    return reached[-1] if reached else None


def next_award_date(after: dt.date, params: Parameters, *, inclusive: bool = True) -> dt.date:
    """The first badge award day (03/02, 19/05, 02/09, 07/11 by default; Hướng dẫn 01-HD/TW
    2021, mục 18) on or after `after` (strictly after with `inclusive=False`)."""
    candidates = []
    for year in (after.year, after.year + 1):
        for month, day in params.badge_award_days:
            if month == 2 and day == 29 and not calendar.isleap(year):
                continue
            candidates.append(dt.date(year, month, day))
    return min(d for d in candidates if d > after or (inclusive and d == after))


def badge_due(
    party_age_start: dt.date,
    gaps: Iterable[Gap],
    award_date: dt.date,
    params: Parameters,
    *,
    already_awarded: int | None = None,
    seriously_ill: bool = False,
    posthumous: bool = False,
) -> int | None:
    """The badge due at `award_date`: the highest milestone above `already_awarded` reached
    on or before that day (a milestone reached exactly on an award day counts on that day),
    or reached up to the allowed months early for a seriously ill member or a posthumous
    award (Hướng dẫn 01-HD/TW 2021, mục 18). None when nothing is due."""
    gaps = list(gaps)
    due = None
    for milestone in params.badge_milestones:
        if already_awarded is not None and milestone <= already_awarded:
            continue
        early = early_months(milestone, params, ill=seriously_ill, posthumous=posthumous)
        reached = milestone_date(party_age_start, gaps, milestone)
        if add_months(reached, -early) <= award_date:
            due = milestone
    return due


# --- readmission -------------------------------------------------------------------------------


class ExitReason(models.TextChoices):
    """Why a member left the Party, as it matters for readmission (294-QĐ/TW)."""

    ABANDONED_ACTIVITY = "abandoned_activity", "Tự ý bỏ sinh hoạt đảng"
    RESIGNED = "resigned", "Xin ra khỏi Đảng"
    RESIGNED_FAMILY_HARDSHIP = (
        "resigned_family_hardship",
        "Xin ra khỏi Đảng vì hoàn cảnh gia đình đặc biệt khó khăn",
    )
    SERIOUS_DISUNITY = "serious_disunity", "Gây mất đoàn kết nghiêm trọng"
    CORRUPTION = "corruption", "Bị kết án về tội tham nhũng"
    SERIOUS_CRIME = "serious_crime", "Bị kết án về tội nghiêm trọng trở lên"
    MINOR_CRIME = "minor_crime", "Bị kết án về tội ít nghiêm trọng"
    OTHER = "other", "Lý do khác"


READMISSION_BARRED = frozenset(
    {
        ExitReason.ABANDONED_ACTIVITY,
        ExitReason.RESIGNED,
        ExitReason.SERIOUS_DISUNITY,
        ExitReason.CORRUPTION,
        ExitReason.SERIOUS_CRIME,
    }
)


def check_readmission(
    left_on: dt.date,
    reason: str,
    readmitted_before: int,
    vote_date: dt.date,
    params: Parameters,
    *,
    record_cleared_on: dt.date | None = None,
) -> None:
    """Readmission (Quy định 294-QĐ/TW, 232-QĐ/TW; research notes §1): once only; at least 36
    months after leaving; never for those who left by abandoning activity, resigning (unless
    for extreme family hardship), causing serious disunity, or were convicted of corruption or
    a serious crime; after a minor-offence conviction, at least 60 months after the record is
    cleared (uncertain: the sources give 60 months as an example). The readmitted member serves
    probation again."""
    if reason in READMISSION_BARRED:
        raise DomainError(
            "members.READMISSION_BARRED",
            f"Không xem xét kết nạp lại người đã ra khỏi Đảng với lý do: "
            f"{ExitReason(reason).label.lower()}.",
        )
    if readmitted_before >= params.readmission_max_times:
        raise DomainError(
            "members.READMISSION_ONCE_ONLY",
            "Chỉ được xem xét kết nạp lại vào Đảng một lần.",
        )
    earliest = add_months(left_on, params.readmission_min_months_out)
    if vote_date < earliest:
        raise DomainError(
            "members.READMISSION_TOO_SOON",
            f"Phải ra khỏi Đảng ít nhất {params.readmission_min_months_out} tháng mới được "
            f"xem xét kết nạp lại (sớm nhất {fmt(earliest)}).",
        )
    if reason == ExitReason.MINOR_CRIME:
        if record_cleared_on is None:
            raise DomainError(
                "members.READMISSION_RECORD_NOT_CLEARED",
                "Người bị kết án chỉ được xem xét kết nạp lại sau khi được xóa án tích.",
            )
        earliest = add_months(record_cleared_on, params.readmission_after_record_cleared_months)
        if vote_date < earliest:
            raise DomainError(
                "members.READMISSION_TOO_SOON",
                f"Phải sau {params.readmission_after_record_cleared_months} tháng kể từ khi "
                f"được xóa án tích mới được xem xét kết nạp lại (sớm nhất {fmt(earliest)}).",
            )


# --- transfer of membership --------------------------------------------------------------------


@dataclass(frozen=True)
class TransferDeadlines:
    start_by: dt.date  # ask for the transfer
    present_by: dt.date  # hand the introduction letter to the receiving cell


def transfer_deadlines(
    move_date: dt.date,
    params: Parameters,
    holidays: frozenset[dt.date],
    *,
    introduced_on: dt.date | None = None,
) -> TransferDeadlines:
    """An official transfer starts within 60 working days of the move (or of the decision
    taking effect); the letter is presented within 30 working days of being introduced
    (Quy định 294-QĐ/TW; Hướng dẫn 06-HD/TW). Without `introduced_on`, the latest possible
    day is assumed (introduced on the last day to start)."""
    start_by = add_working_days(move_date, params.transfer_start_working_days, holidays)
    present_by = add_working_days(
        introduced_on or start_by, params.transfer_present_working_days, holidays
    )
    return TransferDeadlines(start_by, present_by)


def check_transfer_on_time(
    move_date: dt.date,
    started_on: dt.date,
    presented_on: dt.date | None,
    introduced_on: dt.date,
    params: Parameters,
    holidays: frozenset[dt.date],
) -> list[RuleWarning]:
    """Late steps of a transfer are flagged for the competent committee to decide; they do not
    strike the member off by themselves (294-QĐ/TW; research notes §4)."""
    deadlines = transfer_deadlines(move_date, params, holidays, introduced_on=introduced_on)
    warnings = []
    if started_on > deadlines.start_by:
        warnings.append(
            RuleWarning(
                "members.TRANSFER_STARTED_LATE",
                f"Chuyển sinh hoạt đảng quá {params.transfer_start_working_days} ngày làm việc "
                f"(hạn {fmt(deadlines.start_by)}): cấp ủy có thẩm quyền xem xét, xử lý.",
            )
        )
    if presented_on is not None and presented_on > deadlines.present_by:
        warnings.append(
            RuleWarning(
                "members.TRANSFER_PRESENTED_LATE",
                f"Nộp giấy giới thiệu sinh hoạt đảng quá {params.transfer_present_working_days} "
                f"ngày làm việc (hạn {fmt(deadlines.present_by)}): cấp ủy có thẩm quyền xem "
                "xét, xử lý.",
            )
        )
    return warnings


def check_transfer_received(
    left_on: dt.date, received_on: dt.date, params: Parameters, holidays: frozenset[dt.date]
) -> RuleWarning | None:
    """The member presents the letter to the receiving cell within 30 working days of being
    introduced (Quy định 294-QĐ/TW): received later, the transfer is flagged for the
    competent committee to decide (a warning an approver records with the reason), never a
    strike-off by itself."""
    deadline = add_working_days(left_on, params.transfer_present_working_days, holidays)
    if received_on > deadline:
        return RuleWarning(
            "members.TRANSFER_PRESENTED_LATE",
            f"Tiếp nhận sau hạn {params.transfer_present_working_days} ngày làm việc kể từ ngày "
            f"chuyển đi (hạn {fmt(deadline)}): cấp ủy có thẩm quyền xem xét, xử lý.",
        )
    return None


def check_temporary_transfer(
    start: dt.date, end: dt.date, for_study: bool, params: Parameters
) -> None:
    """A temporary transfer lasts from 3 months to under 1 year; for full-time study, from 3
    months to 2 years (Quy định 29-QĐ/TW 2016; 294-QĐ/TW not verified)."""
    if end <= start:
        raise DomainError(
            "members.TEMPORARY_TRANSFER_END_BEFORE_START",
            "Ngày kết thúc sinh hoạt tạm thời phải sau ngày bắt đầu.",
        )
    minimum = params.temporary_transfer_min_months
    if full_months(start, end) < minimum:
        raise DomainError(
            "members.TEMPORARY_TRANSFER_TOO_SHORT",
            f"Sinh hoạt đảng tạm thời từ {minimum} tháng trở lên.",
        )
    if for_study:
        limit = params.temporary_transfer_study_max_months
        too_long = end > add_months(start, limit)
        message = f"Sinh hoạt tạm thời khi đi học tập trung không quá {limit} tháng."
    else:
        limit = params.temporary_transfer_max_months
        too_long = end >= add_months(start, limit)
        message = f"Sinh hoạt đảng tạm thời phải dưới {limit} tháng; dài hơn thì chuyển chính thức."
    if too_long:
        raise DomainError("members.TEMPORARY_TRANSFER_TOO_LONG", message)


class ExemptionGround(models.TextChoices):
    OLD_AGE = "old_age", "Tuổi cao"
    WEAK_HEALTH = "weak_health", "Sức khỏe yếu"


def is_past_working_age(birth: PartialDate, sex: str, on: dt.date, params: Parameters) -> bool:
    """Old age as a ground for exemption: past the working age of the labour code, taken as
    over 60 for men and over 55 for women (Hướng dẫn 27-HD/BTCTW 2009; whether the higher
    retirement ages after 2021 apply was not found, so both are parameters). With an
    incomplete birth date the latest possible one is assumed, so the ground is never granted
    on a guess."""
    years = (
        params.exemption_old_age_female_years
        if sex == "female"
        else params.exemption_old_age_male_years
    )
    return on > add_months(birth.latest(), years * 12)


def check_exemption(
    *, requested: bool, old_age: bool, weak_health: bool, past_working_age: bool = True
) -> None:
    """Exemption from work and activities (miễn công tác và sinh hoạt đảng) needs the member's
    own request and old age or weak health (illness needing 3+ months of treatment); old age
    alone is not enough. The cell decides by resolution (Hướng dẫn 27-HD/BTCTW 2009; the
    corresponding part of 294-QĐ/TW not verified). `past_working_age`: whether the member's
    age bears out the old-age ground (is_past_working_age)."""
    if not requested:
        raise DomainError(
            "members.EXEMPTION_NOT_REQUESTED",
            "Chỉ xem xét miễn công tác và sinh hoạt đảng khi đảng viên tự nguyện đề nghị.",
        )
    if not (old_age or weak_health):
        raise DomainError(
            "members.EXEMPTION_NO_GROUND",
            "Chỉ xem xét miễn công tác và sinh hoạt đảng cho đảng viên tuổi cao hoặc sức khỏe yếu.",
        )
    if old_age and not weak_health and not past_working_age:
        raise DomainError(
            "members.EXEMPTION_NOT_OLD",
            "Đảng viên chưa hết tuổi lao động: chỉ xem xét miễn vì tuổi cao cho người đã quá "
            "tuổi lao động, hoặc vì sức khỏe yếu.",
        )


def check_discipline_cleared(effective: dt.date, cleared_on: dt.date | None) -> None:
    """A discipline's effect ends after its decision (Quy định 69-QĐ/TW): the day it is
    cleared cannot come before the day it took effect."""
    if cleared_on is not None and cleared_on <= effective:
        raise DomainError(
            "members.DISCIPLINE_CLEARED_BEFORE",
            f"Ngày chấm dứt hiệu lực kỷ luật ({fmt(cleared_on)}) phải sau ngày kỷ luật có hiệu "
            f"lực ({fmt(effective)}).",
        )


# --- discipline --------------------------------------------------------------------------------


class DisciplineForm(models.TextChoices):
    REPRIMAND = "reprimand", "Khiển trách"
    WARNING = "warning", "Cảnh cáo"
    REMOVAL_FROM_POST = "removal_from_post", "Cách chức"
    EXPULSION = "expulsion", "Khai trừ"
    DISSOLUTION = "dissolution", "Giải tán"


ORGANIZATION = "organization"  # the subject of check_discipline_form when it is a party body
D = DisciplineForm
DISCIPLINE_FORMS: dict[str, frozenset[str]] = {
    S.PROBATIONARY: frozenset({D.REPRIMAND, D.WARNING}),
    S.FULL: frozenset({D.REPRIMAND, D.WARNING, D.REMOVAL_FROM_POST, D.EXPULSION}),
    ORGANIZATION: frozenset({D.REPRIMAND, D.WARNING, D.DISSOLUTION}),
}


def check_discipline_form(status: str, form: str) -> None:
    """Forms of discipline (Điều lệ Đảng 2011, Điều 35; Quy định 69-QĐ/TW): organisations —
    reprimand, warning, dissolution; full members — reprimand, warning, removal from post,
    expulsion; probationary members — reprimand or warning only (an unworthy probationary
    member is struck off, not expelled). `status` is a MemberStatus or ORGANIZATION."""
    if status not in DISCIPLINE_FORMS:
        raise DomainError(
            "members.DISCIPLINE_NOT_A_MEMBER",
            f"Không thể kỷ luật: {S(status).label.lower()}.",
        )
    if form not in DISCIPLINE_FORMS[status]:
        who = "tổ chức đảng" if status == ORGANIZATION else S(status).label.lower()
        raise DomainError(
            "members.DISCIPLINE_FORM_NOT_ALLOWED",
            f"Không áp dụng hình thức {D(form).label.lower()} đối với {who}.",
        )


def limitation_expires(violation: dt.date, form: str, params: Parameters) -> dt.date | None:
    """Last day a member's violation may be disciplined, by the form it warrants: 5 years for
    reprimand, 10 years for warning or removal from post, none for expulsion (Quy định
    102-QĐ/TW 2017; uncertain whether 69-QĐ/TW 2022 keeps these numbers). Counted from the
    violation; a new violation restarts the count, so pass the latest one."""
    if form == D.REPRIMAND:
        years = params.limitation_reprimand_years
    elif form in (D.WARNING, D.REMOVAL_FROM_POST):
        years = params.limitation_warning_years
    else:
        return None
    return add_months(violation, years * 12) - dt.timedelta(days=1)


def check_within_limitation(
    violation: dt.date, form: str, decision: dt.date, params: Parameters
) -> None:
    """Discipline after the limitation period is refused (102-QĐ/TW; 69-QĐ/TW uncertain)."""
    expires = limitation_expires(violation, form, params)
    if expires is not None and decision > expires:
        raise DomainError(
            "members.DISCIPLINE_TIME_BARRED",
            f"Đã hết thời hiệu xử lý kỷ luật hình thức {D(form).label.lower()} "
            f"(hết ngày {fmt(expires)}).",
        )


# --- the lifecycle state machine ---------------------------------------------------------------

_IN_THE_PARTY = frozenset(
    {
        E.TRANSFER_OUT,
        E.TRANSFER_IN,
        E.TEMPORARY_TRANSFER_OUT,
        E.TEMPORARY_RETURN,
        E.DISCIPLINE,
        E.STRUCK_OFF,
        E.WITHDRAWAL,
        E.DEATH,
    }
)
_OUT = frozenset({E.READMISSION})

ALLOWED_EVENTS: dict[str, frozenset[str]] = {
    S.NONE: frozenset({E.ADMISSION}),
    # Điều lệ Điều 5: recognised or struck off at the end of probation; discipline only
    # by reprimand or warning, so no expulsion; party cards go to full members only.
    S.PROBATIONARY: _IN_THE_PARTY | {E.RECOGNITION, E.RECOGNITION_REFUSED},
    S.FULL: _IN_THE_PARTY
    | {
        E.BADGE_PROPOSAL,
        E.BADGE_AWARD,
        E.EXEMPTION,
        E.EXEMPTION_END,
        E.EXPULSION,
        E.CARD_ISSUE,
        E.CARD_REPLACE,
    },
    S.STRUCK_OFF: _OUT,
    S.EXPELLED: _OUT,
    S.WITHDRAWN: _OUT,
    S.DECEASED: frozenset(),
}

NEXT_STATUS: dict[str, str] = {
    E.ADMISSION: S.PROBATIONARY,
    E.READMISSION: S.PROBATIONARY,
    E.RECOGNITION: S.FULL,
    E.RECOGNITION_REFUSED: S.STRUCK_OFF,
    E.STRUCK_OFF: S.STRUCK_OFF,
    E.EXPULSION: S.EXPELLED,
    E.WITHDRAWAL: S.WITHDRAWN,
    E.DEATH: S.DECEASED,
}


def check_transition(status: str, event_kind: str) -> str:
    """Whether a lifecycle event may happen to a person in `status` (Điều lệ Đảng 2011,
    Điều 1-8, 35; Quy định 294-QĐ/TW). Returns the status after the event."""
    if event_kind not in ALLOWED_EVENTS[status]:
        raise DomainError(
            "members.EVENT_NOT_ALLOWED",
            f"Không thể ghi nhận «{E(event_kind).label}» khi tình trạng là «{S(status).label}».",
            status=status,
            event_kind=event_kind,
        )
    return NEXT_STATUS.get(event_kind, status)


# --- candidates pipeline -----------------------------------------------------------------------


class CandidateLack(models.TextChoices):
    """What a candidate may still lack before the cell votes and the committee decides, in the
    order of the dossier (Điều lệ Đảng 2011, Điều 4; Quy định 294-QĐ/TW; Hướng dẫn 06-HD/TW
    2025)."""

    CERTIFICATE = "certificate", "Chưa có giấy chứng nhận lớp bồi dưỡng nhận thức về Đảng"
    CERTIFICATE_EXPIRED = "certificate_expired", "Giấy chứng nhận đã hết hạn"
    SPONSORS = "sponsors", "Thiếu người giới thiệu"
    BACKGROUND_CHECK = "background_check", "Chưa thẩm tra lý lịch"
    BACKGROUND_CHECK_FAILED = "background_check_failed", "Thẩm tra lý lịch không đạt yêu cầu"
    APPLICATION = "application", "Chưa có đơn xin vào Đảng"
    VOTE = "vote", "Chi bộ chưa biểu quyết"
    VOTE_FAILED = (
        "vote_failed",
        "Chi bộ biểu quyết chưa đủ hai phần ba số đảng viên chính thức tán thành",
    )


VOTE_LACKS = frozenset({CandidateLack.VOTE, CandidateLack.VOTE_FAILED})


@dataclass(frozen=True)
class SponsorFacts:
    """A sponsor as the rules see it: a member with the dates of their file (full member since,
    out of the Party since), or the resolution of the Youth Union or the trade union."""

    kind: str  # SponsorKind
    sponsored_on: dt.date
    full_member_date: dt.date | None = None
    left_on: dt.date | None = None
    worked_with_since: dt.date | None = None
    name: str = ""


def is_full_member_on(
    full_member_date: dt.date | None, left_on: dt.date | None, day: dt.date
) -> bool:
    """A full member on `day`: full from `full_member_date` on, and not out of the Party
    (struck off, expelled, withdrawn, deceased from `left_on`) by then (Điều lệ Đảng 2011,
    Điều 5)."""
    return (
        full_member_date is not None
        and full_member_date <= day
        and (left_on is None or day < left_on)
    )


def check_sponsor(sponsor: SponsorFacts, on: dt.date, params: Parameters) -> None:
    """A sponsoring member is a full member on the day of the recommendation and still one on
    `on` (the cell's vote), who has worked, studied or lived with the candidate for at least 12
    months by the day of the recommendation, counted in months (Điều lệ Đảng 2011, Điều 4;
    Quy định 294-QĐ/TW, as 24-QĐ/TW 2021 mục 3.2.1 before it). A recommendation, or a Youth
    Union / trade-union resolution, dated after `on` does not count for it."""
    who = f"Người giới thiệu {sponsor.name}" if sponsor.name else "Người giới thiệu"
    if sponsor.sponsored_on > on:
        raise DomainError(
            "members.CANDIDATE_SPONSOR_AFTER_VOTE",
            f"{who}: giới thiệu ngày {fmt(sponsor.sponsored_on)}, sau ngày chi bộ xét kết nạp "
            f"{fmt(on)}.",
        )
    if sponsor.kind != SponsorKind.MEMBER:
        return
    for day in dict.fromkeys((sponsor.sponsored_on, on)):
        if not is_full_member_on(sponsor.full_member_date, sponsor.left_on, day):
            raise DomainError(
                "members.CANDIDATE_SPONSOR_NOT_FULL_MEMBER",
                f"{who} phải là đảng viên chính thức vào ngày {fmt(day)}.",
            )
    needed = params.sponsor_min_months_together
    since = sponsor.worked_with_since
    months = max(0, full_months(since, sponsor.sponsored_on)) if since else 0
    if months < needed:
        raise DomainError(
            "members.CANDIDATE_SPONSOR_TOO_SHORT",
            f"{who} phải cùng công tác, học tập hoặc sinh hoạt với người vào Đảng ít nhất "
            f"{needed} tháng tính đến ngày giới thiệu {fmt(sponsor.sponsored_on)} "
            f"(mới được {months} tháng).",
        )


def sponsor_valid(sponsor: SponsorFacts, on: dt.date, params: Parameters) -> bool:
    """check_sponsor as a yes or no."""
    try:
        check_sponsor(sponsor, on, params)
    except DomainError:
        return False
    return True


def sponsors_sufficient(sponsors: Iterable[SponsorFacts], on: dt.date, params: Parameters) -> bool:
    """Two full members, each valid on `on`; or one of them and the resolution of the Youth
    Union (or of the trade union) recommending its member (Điều lệ Đảng 2011, Điều 4; Quy định
    294-QĐ/TW; Hướng dẫn 06-HD/TW 2025): `sponsors_required` in all, a resolution standing for
    one member at most and never for all of them."""
    valid = [s for s in sponsors if sponsor_valid(s, on, params)]
    members = sum(1 for s in valid if s.kind == SponsorKind.MEMBER)
    resolution = any(s.kind != SponsorKind.MEMBER for s in valid)
    return members >= 1 and members + int(resolution) >= params.sponsors_required


def certificate_expires(issued_on: dt.date, params: Parameters) -> dt.date:
    """The last day the awareness-course certificate (giấy chứng nhận học lớp bồi dưỡng nhận
    thức về Đảng, required in the dossier by Hướng dẫn 06-HD/TW 2025) counts.

    Uncertain: no text found sets the period; `awareness_certificate_valid_months` (default 60)
    is counted from the day of issue, so one issued 15/03/2021 counts up to 14/03/2026."""
    return add_months(issued_on, params.awareness_certificate_valid_months) - dt.timedelta(days=1)


def certificate_valid_on(issued_on: dt.date | None, day: dt.date, params: Parameters) -> bool:
    """Issued on or before `day` and not expired on it (certificate_expires)."""
    return issued_on is not None and issued_on <= day <= certificate_expires(issued_on, params)


def check_vote(votes_in_favour: int, full_members: int) -> None:
    """The counts of a cell's vote make sense: the cell has at least one full member, and no
    more of them vote in favour than there are."""
    if full_members < 1 or not 0 <= votes_in_favour <= full_members:
        raise DomainError(
            "members.CANDIDATE_VOTE_INVALID",
            f"Số đảng viên tán thành ({votes_in_favour}) phải từ 0 đến số đảng viên chính thức "
            f"của chi bộ ({full_members}); chi bộ phải có ít nhất một đảng viên chính thức.",
        )


def votes_needed(full_members: int, params: Parameters) -> int:
    """The fewest votes in favour that make two thirds of `full_members`, in integers:
    9 → 6, 8 → 6 (5 is 62.5 %), 7 → 5, 3 → 2."""
    numerator, denominator = params.admission_vote_numerator, params.admission_vote_denominator
    return -(-full_members * numerator // denominator)


def vote_passes(votes_in_favour: int, full_members: int, params: Parameters) -> bool:
    """The cell's resolution proposing admission needs at least two thirds of its full members
    in favour (Quy định 294-QĐ/TW, thi hành Điều 4 Điều lệ Đảng 2011; Hướng dẫn 06-HD/TW 2025).
    Compared in integers, never in floating point: 6 of 9 passes, 5 of 8 does not."""
    check_vote(votes_in_favour, full_members)
    return (
        votes_in_favour * params.admission_vote_denominator
        >= full_members * params.admission_vote_numerator
    )


def candidate_missing(
    *,
    on: dt.date,
    params: Parameters,
    certificate_date: dt.date | None,
    sponsors: Iterable[SponsorFacts],
    background_check_date: dt.date | None,
    background_check_result: str,
    application_date: dt.date | None,
    vote_date: dt.date | None,
    votes_in_favour: int | None,
    full_members: int | None,
) -> list[CandidateLack]:
    """What a candidate still lacks, in the order of the dossier (Điều lệ Đảng 2011, Điều 4;
    Quy định 294-QĐ/TW; Hướng dẫn 06-HD/TW 2025): the awareness-course certificate, valid on
    `on`; the sponsors (sponsors_sufficient); the background check, passed; the application;
    the cell's vote with two thirds of its full members in favour.

    `on` is the day the dossier is judged: the cell's vote date once it voted (what counts is
    the dossier it voted on), else today; `params` are those in force on that day. A paper
    dated after `on` is not there yet.
    """
    lacks = []
    if certificate_date is None or certificate_date > on:
        lacks.append(CandidateLack.CERTIFICATE)
    elif not certificate_valid_on(certificate_date, on, params):
        lacks.append(CandidateLack.CERTIFICATE_EXPIRED)
    if not sponsors_sufficient(sponsors, on, params):
        lacks.append(CandidateLack.SPONSORS)
    if background_check_date is None or background_check_date > on or not background_check_result:
        lacks.append(CandidateLack.BACKGROUND_CHECK)
    elif background_check_result != BackgroundCheckResult.PASSED:
        lacks.append(CandidateLack.BACKGROUND_CHECK_FAILED)
    if application_date is None or application_date > on:
        lacks.append(CandidateLack.APPLICATION)
    if vote_date is None or vote_date > on or votes_in_favour is None or full_members is None:
        lacks.append(CandidateLack.VOTE)
    elif not vote_passes(votes_in_favour, full_members, params):
        lacks.append(CandidateLack.VOTE_FAILED)
    return lacks
