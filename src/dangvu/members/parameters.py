"""The numbers of the Party's member rules, versioned by effective date.

Every number the member rules use lives in the RuleParameter table (key, effective_from, value),
because the Party changes them (29-QĐ/TW 2016 → 24-QĐ/TW 2021 → 232-QĐ/TW 2025 → 294-QĐ/TW
2025). `parameters_on` builds the set in force on a day from such rows, purely;
`load_parameters` reads the rows with the ORM. The dataclass defaults are the values of the
governing texts in late 2026 and are used only for a key that has no row in force on the day
(the data migration 0002 inserts a row for every key).
"""

import bisect
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from .models import RuleParameter

KEY_PREFIX = "members."

# No holiday calendar is kept yet: working days are Monday to Friday.
HOLIDAYS: frozenset[dt.date] = frozenset()

PARTY_AGE_FROM_CHOICES = ("decision", "ceremony")
BADGE_COUNTED_BY_CHOICES = ("proposal", "award")


@dataclass(frozen=True)
class Parameters:
    """The member rules' numbers in force on one day. Field names are the keys, prefixed
    with ``members.`` in the RuleParameter table."""

    # Admission (Điều lệ Đảng 2011, Điều 1 and 4; 294-QĐ/TW)
    admission_min_age_years: int = 18
    admission_max_age_years: int = 60
    admission_decision_working_days: int = 60
    admission_decision_extension_working_days: int = 30
    ceremony_working_days: int = 30
    # Readmission (294-QĐ/TW)
    readmission_min_months_out: int = 36
    readmission_after_record_cleared_months: int = 60
    readmission_max_times: int = 1
    # Probation and recognition (Điều lệ Đảng 2011, Điều 5; 294-QĐ/TW)
    probation_months: int = 12
    recognition_cell_working_days: int = 30
    recognition_committee_working_days: int = 30
    recognition_extension_working_days: int = 30
    # Party age and badge (HD 01-HD/TW 2021 mục 18, carried into 06-HD/TW 2025)
    party_age_from: str = "decision"
    badge_counted_by: str = "proposal"
    badge_milestones: tuple[int, ...] = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
    badge_award_days: tuple[tuple[int, int], ...] = ((2, 3), (5, 19), (9, 2), (11, 7))
    badge_early_ill_threshold_years: int = 70
    badge_early_ill_months: int = 12
    badge_early_ill_months_from_threshold: int = 24
    badge_early_posthumous_months: int = 12
    # Transfer of membership (294-QĐ/TW)
    transfer_start_working_days: int = 60
    transfer_present_working_days: int = 30
    temporary_transfer_min_months: int = 3
    temporary_transfer_max_months: int = 12  # exclusive: "under one year"
    temporary_transfer_study_max_months: int = 24  # inclusive: "up to two years"
    # Discipline limitation (102-QĐ/TW 2017; uncertain under 69-QĐ/TW 2022)
    limitation_reprimand_years: int = 5
    limitation_warning_years: int = 10
    # Exemption on the ground of old age: past the working age (27-HD/BTCTW 2009; uncertain)
    exemption_old_age_male_years: int = 60
    exemption_old_age_female_years: int = 55
    # Candidates (Điều lệ Đảng 2011, Điều 4; 294-QĐ/TW; Hướng dẫn 06-HD/TW 2025): two full
    # members sponsor (a Youth Union or trade-union resolution may stand for one), each having
    # worked with the candidate for 12 months; the cell needs two thirds of its full members.
    sponsors_required: int = 2
    sponsor_min_months_together: int = 12
    admission_vote_numerator: int = 2
    admission_vote_denominator: int = 3
    # Uncertain: the texts found give no validity period for the awareness-course certificate
    # (research notes §1, "not found"); 60 months is an installation default.
    awareness_certificate_valid_months: int = 60

    def __post_init__(self) -> None:
        if self.party_age_from not in PARTY_AGE_FROM_CHOICES:
            raise ValueError(f"party_age_from must be one of {PARTY_AGE_FROM_CHOICES}")
        if self.badge_counted_by not in BADGE_COUNTED_BY_CHOICES:
            raise ValueError(f"badge_counted_by must be one of {BADGE_COUNTED_BY_CHOICES}")
        if list(self.badge_milestones) != sorted(set(self.badge_milestones)):
            raise ValueError("badge_milestones must be increasing")


FIELDS: dict[str, dataclasses.Field[Any]] = {f.name: f for f in dataclasses.fields(Parameters)}


class ParameterRow(NamedTuple):
    key: str
    effective_from: dt.date
    value: Any


class RowLike(Protocol):
    key: str
    effective_from: dt.date
    value: Any


def _award_day(text: Any) -> tuple[int, int]:
    """'MM-DD' (as stored) or a [month, day] pair → (month, day), validated."""
    if isinstance(text, str):
        month, day = (int(part) for part in text.split("-"))
    else:
        month, day = (int(part) for part in text)
    dt.date(2000, month, day)  # raises ValueError for an impossible day (29/02 is allowed)
    return month, day


def coerce(name: str, value: Any) -> Any:
    """Turn a JSON value from the table into the field's Python type."""
    if name == "badge_milestones":
        return tuple(int(v) for v in value)
    if name == "badge_award_days":
        return tuple(sorted(_award_day(v) for v in value))
    if name in ("party_age_from", "badge_counted_by"):
        return str(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{KEY_PREFIX}{name} must be an integer, got {value!r}")
    return value


def parameters_on(day: dt.date, rows: Iterable[RowLike]) -> Parameters:
    """The parameters in force on `day`: for each key, the row with the latest
    `effective_from` on or before `day`. Rows of other apps (keys without the ``members.``
    prefix) are ignored; an unknown ``members.`` key is an error (a typo would otherwise be
    silently ignored). Keys with no row in force keep the dataclass default."""
    chosen: dict[str, tuple[dt.date, Any]] = {}
    for row in rows:
        if not row.key.startswith(KEY_PREFIX):
            continue
        name = row.key.removeprefix(KEY_PREFIX)
        if name not in FIELDS:
            raise ValueError(f"unknown rule parameter {row.key!r}")
        if row.effective_from > day:
            continue
        if name not in chosen or row.effective_from > chosen[name][0]:
            chosen[name] = (row.effective_from, row.value)
    return Parameters(**{name: coerce(name, value) for name, (_, value) in chosen.items()})


def load_parameters(day: dt.date) -> Parameters:
    """The parameters in force on `day`, read from the RuleParameter table."""
    rows = RuleParameter.objects.filter(key__startswith=KEY_PREFIX, effective_from__lte=day)
    return parameters_on(day, rows.only("key", "effective_from", "value"))


def parameters_reader() -> Callable[[dt.date], Parameters]:
    """`parameters_on` over the rule rows read once: one Parameters per change of the rows (for
    loads that judge many events of many dates)."""
    rows = list(
        RuleParameter.objects.filter(key__startswith=KEY_PREFIX).only(
            "key", "effective_from", "value"
        )
    )
    starts = sorted({row.effective_from for row in rows})
    sets = [parameters_on(dt.date(1900, 1, 1), rows)] + [parameters_on(day, rows) for day in starts]

    def parameters(day: dt.date) -> Parameters:
        return sets[bisect.bisect_right(starts, day)]

    return parameters
