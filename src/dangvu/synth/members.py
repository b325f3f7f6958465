"""Synthetic members: persons, their lifecycle events and membership periods, as COPY text.

For each stretch in which an organisation of the synthetic tree is a cell (`Interval`), a
number of persons: members already there when the simulation starts (2012, or when the cell
was formed) and members admitted later. Each life is simulated one person at a time and
follows the rules that `dangvu.members.history.replay` checks:

- admission: the cell votes when the person is a full 18 years old (counted in months, from
  the latest birth date the file allows), under 60; the decision follows the vote and the
  ceremony the decision;
- probation: recognised exactly 12 months after the ceremony (or, for 3 % of the admitted,
  struck off then as unworthy);
- transfers: out of one cell and received by another within 30 working days (most the same
  day), and forced when the cell is dissolved or stops being a cell; never pending at the end;
- the Party badge: proposed once the party age (from the admission decision, minus the days
  between two cells) reaches a milestone, a few weeks before an award day, and awarded then;
- full members only: exemption (old age past the working age, or weak health, on request),
  expulsion, the party card (one unique number each); probationary members are disciplined
  by reprimand or warning only;
- deaths by age, strike-offs, withdrawals, discipline at yearly rates.

The periods and the cached columns of Person are computed here as the replay computes them
(`Life.place` is `history._place` over plain values), so a sample replayed by the services
gives the same rows (tests/synth). Members admitted before the organisation tree's recorded
history (the tree starts in 1976-2004) keep their admission, recognition and badges in the
cell or the province they were first counted in; those records lie before 2012.

Deterministic: one seeded `random.Random`, consumed in a fixed order.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import os
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from dangvu.members import rules
from dangvu.members.parameters import Parameters

from .tree import GCELL, HISTORY_END, SCELL, apportion

D = dt.date
SIM_START = D(2012, 1, 1)  # member histories are simulated from here (or the cell's start)
CELL_TYPES = (GCELL, SCELL)
KINH = "01"
YEAR = 365.25
# The rules' numbers through the generated years (the migrations' rows hold these values from
# 2011 on and the defaults before; tests/synth replays a sample with the rows themselves).
PARAMS = Parameters()
MILESTONES = PARAMS.badge_milestones
PROPOSAL_LEAD = dt.timedelta(days=21)  # proposed three weeks before the award day

PERSON = "members_person"
PERIOD = "members_membershipperiod"
MEVENT = "members_memberevent"
MEMBER_TABLES = (PERSON, PERIOD, MEVENT)

# fmt: off
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
          "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trương", "Mai", "Đoàn")
FAMILY_W = (38, 11, 9.5, 7, 5, 4, 4.5, 3.9, 2, 2.1, 2, 1.4, 1.3, 1.3, 1, 0.5, 0.8, 0.8, 0.5, 0.5)
MIDDLE_M = ("Văn", "Đức", "Minh", "Quốc", "Hữu", "Thành", "Công", "Xuân", "Đình", "Quang",
            "Ngọc", "Tấn", "Trọng", "Anh")
MIDDLE_M_W = (32, 7, 6, 5, 5, 4, 4, 3, 4, 3, 3, 3, 2, 2)
MIDDLE_F = ("Thị", "Thị Thu", "Thị Thanh", "Thị Kim", "Thị Hồng", "Ngọc", "Thu", "Thanh",
            "Kim", "Mai", "Hồng", "Phương")
MIDDLE_F_W = (45, 5, 5, 4, 3, 6, 5, 5, 3, 2, 3, 2)
GIVEN_M = ("An", "Anh", "Bảo", "Bình", "Chiến", "Cường", "Dũng", "Duy", "Đạt", "Định", "Giang",
           "Hải", "Hiếu", "Hòa", "Hoàng", "Hùng", "Huy", "Hưng", "Khánh", "Khoa", "Kiên", "Lâm",
           "Long", "Lộc", "Mạnh", "Minh", "Nam", "Nghĩa", "Nhân", "Phong", "Phúc", "Quân",
           "Quang", "Sơn", "Tài", "Tâm", "Thắng", "Thành", "Thịnh", "Tiến", "Toàn", "Trung",
           "Tuấn", "Tùng", "Việt", "Vinh")
GIVEN_F = ("Anh", "Châu", "Dung", "Duyên", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa",
           "Huyền", "Hương", "Lan", "Liên", "Linh", "Loan", "Ly", "Mai", "Nga", "Ngọc", "Nhung",
           "Oanh", "Phương", "Quyên", "Quỳnh", "Thảo", "Thu", "Thủy", "Thúy", "Trang", "Tuyết",
           "Uyên", "Vân", "Xuân", "Yến")
# ethnic minorities among members (GSO codes) with rough weights
MINORITIES = ("02", "03", "06", "05", "04", "07", "08", "09", "12", "10", "13", "17", "18")
MINORITY_W = (22, 18, 16, 8, 6, 8, 5, 4, 3, 3, 2, 2, 3)
RELIGIONS = ("buddhism", "catholicism", "protestantism", "cao_dai", "hoa_hao", "other")
RELIGION_W = (50, 30, 5, 6, 6, 3)
# age of an initial member when first counted (years): bands and weights
AGE_BANDS = ((20, 30), (31, 40), (41, 50), (51, 60), (61, 70), (71, 90))
AGE_W = (12, 24, 21, 17, 14, 12)
# the 34 provinces' codes (birth registration, for the citizen IDs of the unplaced)
PROVINCE_CODES = (1, 4, 8, 11, 12, 14, 15, 19, 20, 22, 24, 25, 31, 33, 37, 38, 40, 42, 44, 46,
                  48, 51, 52, 56, 66, 68, 75, 79, 80, 82, 86, 91, 92, 96)
# fmt: on
HAZARDS = {  # events per member-year (death and exemption by age below)
    "transfer": 0.035,
    "discipline": 0.006,
    "struck_off": 0.002,
    "expulsion": 0.0006,
    "withdrawal": 0.0005,
}
HAZARD_KINDS = (*HAZARDS, "death", "exemption")
LEAVING = {
    "death": "deceased",
    "struck_off": "struck_off",
    "expulsion": "expelled",
    "withdrawal": "withdrawn",
    "recognition_refused": "struck_off",
}
EXIT_REASONS = {
    "struck_off": ("abandoned_activity", "other", "other"),
    "expulsion": ("corruption", "other"),
    "withdrawal": ("resigned", "resigned_family_hardship"),
}
# the statistics' flows in and out of a cell (members.events.INTO_COUNT / OUT_OF_COUNT)
INTO = frozenset({"admission", "readmission", "transfer_in"})
OUT = frozenset(
    {"transfer_out", "death", "struck_off", "recognition_refused", "expulsion", "withdrawal"}
)
PROB, FULL = "probationary", "full"


def death_rate(age: float) -> float:
    if age < 40:
        return 0.001
    if age < 60:
        return 0.004
    if age < 70:
        return 0.012
    if age < 80:
        return 0.035
    return 0.09


@dataclass(frozen=True)
class Interval:
    """A stretch [start, end) in which an organisation was a cell (ordinals)."""

    org: int
    start: int
    end: int


def cell_intervals(versions: Sequence[tuple]) -> list[Interval]:
    """Maximal runs of consecutive versions of an organisation whose type is a cell type."""
    result: list[Interval] = []
    current: list | None = None
    for org, start, end, _path, state in versions:  # by organisation, then valid_from
        is_cell = state[1] in CELL_TYPES
        if current and current[0] == org and current[2] == start.toordinal() and is_cell:
            current[2] = end.toordinal()
            continue
        if current:
            result.append(Interval(*current))
            current = None
        if is_cell:
            current = [org, start.toordinal(), end.toordinal()]
    if current:
        result.append(Interval(*current))
    return result


@cache
def _next_award(day: dt.date) -> dt.date:
    return rules.next_award_date(day, PARAMS)


@cache
def _names(full_name: str) -> tuple[str, str]:
    """The Vietnamese sort key and the folded search text of a name (as the services derive
    them)."""
    from dangvu.core.names import fold, sort_key, split_name

    return sort_key(split_name(full_name)), fold(full_name)


class Life:
    """One person's events and periods while they are generated."""

    __slots__ = ("events", "periods", "status", "org", "exempt", "transit")

    def __init__(self) -> None:
        self.events: list[tuple[str, int, int, str]] = []  # kind, day, org, details
        self.periods: list[list] = []  # org, status, exempt, from, reason, to, end_reason
        self.status = ""
        self.org = 0
        self.exempt = False
        self.transit = False

    def record(self, kind: str, day: int, org: int, details: str = "{}") -> None:
        """An event; `details` is its JSON text (written as json.dumps would)."""
        self.events.append((kind, day, org, details))
        self.place(day, kind)

    def place(self, day: int, kind: str) -> None:
        """members.history._place: close the open period and open the next one when the event
        changed where or how the member is counted (a period begun and ended the same day is
        dropped, keeping a movement into or out of the count on the day's boundary)."""
        counted = self.status in (PROB, FULL) and not self.transit
        now = (self.org, self.status, self.exempt) if counted else None
        periods = self.periods
        current = periods[-1] if periods and periods[-1][5] is None else None
        was = (current[0], current[1], current[2]) if current else None
        if now == was:
            return
        start_reason = kind
        if current is not None:
            current[5], current[6] = day, kind
            if current[3] == day:
                periods.pop()
                if current[4] in INTO:
                    start_reason = current[4]
                before = periods[-1] if periods else None
                if before is not None and before[5] == day and kind in OUT:
                    before[6] = kind
        if now is not None:
            periods.append([*now, day, start_reason, None, ""])


class Members:
    """Persons, their membership periods and member events, written as COPY text to files.

    Deterministic from the seed; holds only the cell intervals and one person at a time."""

    def __init__(
        self,
        intervals: list[Interval],
        members: int,
        seed: int,
        provinces: dict[int, int | None] | None = None,
    ) -> None:
        self.rng = random.Random(seed * 7919 + 17)
        self.intervals = intervals
        self.by_start = sorted(intervals, key=lambda i: (i.start, i.org))
        self.starts = [i.start for i in self.by_start]
        self.members = members
        self.provinces = provinces or {}
        self.person_id = self.period_id = self.event_id = 0
        self.counts = {"persons": 0, "periods": 0, "events": 0}
        self._iso: dict[int, str] = {}
        self.history_end = HISTORY_END.toordinal()
        self.sim_start = SIM_START.toordinal()
        self.citizen_serials: dict[tuple[int, int, int], int] = {}
        self.progress: Callable[[int], None] | None = None  # called every 250,000 persons

    def iso(self, day: int) -> str:
        text = self._iso.get(day)
        if text is None:
            text = self._iso[day] = D.fromordinal(day).isoformat()
        return text

    # cells ----------------------------------------------------------------------------------
    def destination(self, day: int, here: int, tries: int = 25) -> Interval | None:
        """A cell that exists on `day` and a while after it, other than `here`."""
        rng, intervals = self.rng, self.intervals
        for _ in range(tries):
            cell = intervals[rng.randrange(len(intervals))]
            if cell.start <= day and cell.end > day + 30 and cell.org != here:
                return cell
        return None

    def existing(self, since: int, until: int, here: int) -> Interval | None:
        """A cell that was one from `since` (or before) to after `until`, other than `here`."""
        n = bisect.bisect_right(self.starts, since)
        for _ in range(25 if n else 0):
            cell = self.by_start[self.rng.randrange(n)]
            if cell.end > until and cell.org != here:
                return cell
        return None

    def forced_destination(self, day: int, here: int) -> Interval:
        cell = self.destination(day, here, tries=400)
        if cell is None:
            cell = next(
                (c for c in self.intervals if c.start <= day < c.end and c.org != here), None
            )
        if cell is None:
            raise RuntimeError(f"no cell to receive the members of {here} on {D.fromordinal(day)}")
        return cell

    # the population -------------------------------------------------------------------------
    def write(self, persons, periods, events) -> None:
        rng = self.rng
        weights = [rng.uniform(0.3, 1.7) for _ in self.intervals]
        budget = apportion(self.members, weights)
        sim_start = self.sim_start
        for cell, n in zip(self.intervals, budget, strict=True):
            first = max(cell.start, sim_start)
            last = min(cell.end, self.history_end) - 2  # latest admission day in the cell
            initial_share = 0.7 if cell.start < sim_start else 0.55
            for _ in range(n):
                if rng.random() < initial_share or last <= first:
                    self.person(cell, first, False, persons, periods, events)
                else:
                    self.person(cell, rng.randint(first, last), True, persons, periods, events)
                if self.progress and self.person_id % 250_000 == 0:
                    self.progress(self.person_id)

    def citizen_id(self, province: int, birth_year: int, female: bool) -> str:
        """A valid and unique citizen ID (members.identity): province of birth registration,
        century and sex, year, and a serial per (province, century and sex, year) spread over
        the six digits (7919 is prime to 10**6, so distinct serials give distinct numbers)."""
        digit = 2 * (birth_year // 100 - 19) + (1 if female else 0)
        key = (province, digit, birth_year % 100)
        serial = self.citizen_serials.get(key, 0)
        self.citizen_serials[key] = serial + 1
        assert serial < 1_000_000
        return f"{province:03d}{digit}{birth_year % 100:02d}{(serial * 7919 + 4801) % 10**6:06d}"

    def person(self, cell: Interval, day: int, admitted: bool, persons, periods, events) -> None:
        """One person counted in `cell` from `day`: admitted that day, or already a member."""
        rng = self.rng
        self.person_id += 1
        pid = self.person_id
        female = rng.random() < (0.47 if admitted else 0.33)
        if admitted:
            age = rng.triangular(18, 45, 25)
        else:
            low, high = rng.choices(AGE_BANDS, AGE_W)[0]
            age = rng.uniform(low, high + 1)
        birth = day - int(age * YEAR)
        precision = rng.random()
        ethnicity = rng.choices(MINORITIES, MINORITY_W)[0] if rng.random() < 0.09 else KINH
        religion = rng.choices(RELIGIONS, RELIGION_W)[0] if rng.random() < 0.06 else ""
        family = rng.choices(FAMILY, FAMILY_W)[0]
        if female:
            middle = rng.choices(MIDDLE_F, MIDDLE_F_W)[0]
            given = rng.choice(GIVEN_F)
        else:
            middle = rng.choices(MIDDLE_M, MIDDLE_M_W)[0]
            given = rng.choice(GIVEN_M)

        # the admission: ceremony, decision 1-4 weeks before it, the cell's vote before that
        if admitted:
            ceremony = day
        else:  # joined at 18-40, at least a day before they were first counted here
            ceremony = min(birth + int(rng.uniform(18, 40) * YEAR), day - rng.randint(1, 700))
        decision = ceremony - rng.randint(7, 30)
        vote = decision - rng.randint(15, 50)
        while True:  # a full 18 years at the vote, from the latest birth date the file allows
            born = D.fromordinal(birth)
            month = born.month if precision > 0.03 else None
            mday = born.day if precision > 0.06 else None
            partial = rules.PartialDate(born.year, month, mday)
            adult = rules.add_months(partial.latest(), 12 * PARAMS.admission_min_age_years)
            if adult.toordinal() <= vote:
                break
            birth -= adult.toordinal() - vote

        # where the admission was recorded: the cell, or one that existed then (the member
        # came to this cell when it was formed), or, before the tree's history, the cell
        home, move_at = cell, None
        if not admitted and ceremony < cell.start:
            other = self.existing(ceremony, cell.start, cell.org)
            if other is None and cell.start >= self.sim_start:
                other = self.existing(self.sim_start - 1, cell.start, cell.org)
            if other is not None:
                home, move_at = other, cell.start

        life = Life()
        life.status, life.org = PROB, home.org
        cell_end = home.end
        life.record(
            "admission",
            ceremony,
            home.org,
            f'{{"decision_date": "{self.iso(decision)}", "vote_date": "{self.iso(vote)}"}}',
        )
        recognition = rules.probation_end(D.fromordinal(ceremony), PARAMS).toordinal()
        refused = recognition >= day and rng.random() < 0.03
        party_age_start = D.fromordinal(decision)
        gaps: list[tuple[dt.date, dt.date]] = []
        badge_index, badge_stage = 0, "proposal"
        badge_day = self.badge_day(party_age_start, gaps, 0)
        card_day = None
        card_number = None
        full_member_date = None
        left_on = None
        t = ceremony
        history_end = self.history_end
        while True:
            options = [(cell_end, 0, "cell_end")]
            if move_at is not None:
                options.append((move_at, 0, "move"))
            if life.status == PROB:
                options.append((recognition, 1, "recognition"))
            elif badge_day is not None:  # not before an arrival that came after it
                options.append((max(badge_day, t), 2, "badge"))
            if card_day is not None:
                options.append((max(card_day, t), 2, "card"))
            if t >= day:
                years = (t - birth) / YEAR
                old = years >= 60
                rates = [
                    *HAZARDS.values(),
                    death_rate(years),
                    0.05 if life.exempt else (0.03 if old else 0.002 if years >= 45 else 0.0),
                ]
                wait = max(1, int(rng.expovariate(sum(rates)) * YEAR))
                if wait <= 3 * 365:
                    options.append((t + wait, 3, rng.choices(HAZARD_KINDS, rates)[0]))
                else:
                    options.append((t + 3 * 365, 3, "tick"))
            else:
                options.append((day, 3, "tick"))  # nothing but the scheduled before `day`
            nxt, _, kind = min(options)
            if nxt >= history_end:
                break
            t = nxt
            if kind == "tick":
                continue
            if kind == "recognition":
                if refused:
                    life.status = LEAVING["recognition_refused"]
                    life.exempt = False
                    life.record("recognition_refused", t, life.org)
                    left_on = t
                    break
                decided = min(t + rng.randint(5, 40), history_end - 1)
                life.status = FULL
                life.record(
                    "recognition", t, life.org, f'{{"decision_date": "{self.iso(decided)}"}}'
                )
                full_member_date = t
                card_day = t + rng.randint(60, 400)
                continue
            if kind == "card":
                card_day = None
                province = self.provinces.get(life.org) or 0
                card_number = f"{province:02d}{pid:08d}"
                life.record("card_issue", t, life.org, f'{{"card_number": "{card_number}"}}')
                continue
            if kind == "badge":
                milestone = MILESTONES[badge_index]
                if badge_stage == "proposal":
                    life.record("badge_proposal", t, life.org, f'{{"milestone": {milestone}}}')
                    badge_stage = "award"
                else:
                    decided = self.iso(t - 7)
                    details = f'{{"milestone": {milestone}, "decision_date": "{decided}"}}'
                    life.record("badge_award", t, life.org, details)
                    badge_index, badge_stage = badge_index + 1, "proposal"
                badge_day = self.badge_day(party_age_start, gaps, badge_index, badge_stage)
                continue
            if kind == "discipline":
                forms = ("reprimand", "reprimand", "warning")
                if life.status == FULL:
                    forms += ("reprimand", "warning", "removal_from_post")
                life.record("discipline", t, life.org, f'{{"form": "{rng.choice(forms)}"}}')
                continue
            if kind == "exemption":
                if life.status != FULL:
                    continue
                if life.exempt:
                    life.exempt = False
                    life.record("exemption_end", t, life.org)
                    continue
                when = D.fromordinal(t)
                ground = (
                    "old_age"
                    if rules.is_past_working_age(
                        partial, "female" if female else "male", when, PARAMS
                    )
                    else "weak_health"
                )
                life.exempt = True
                requested = self.iso(t - rng.randint(10, 40))
                details = f'{{"requested_on": "{requested}", "grounds": ["{ground}"]}}'
                life.record("exemption", t, life.org, details)
                continue
            if kind in LEAVING:
                if kind == "expulsion" and life.status != FULL:
                    kind = "struck_off"  # an unworthy probationary member is struck off
                life.status = LEAVING[kind]
                life.exempt = False
                if kind in EXIT_REASONS:
                    life.record(
                        kind, t, life.org, f'{{"exit_reason": "{rng.choice(EXIT_REASONS[kind])}"}}'
                    )
                else:
                    life.record(kind, t, life.org)
                left_on = t
                break
            # a transfer: chosen, the member's move to this cell, or because the cell ends
            if kind == "move":
                target, arrive = cell, t
                move_at = None
            else:
                arrive = t if rng.random() < 0.6 else t + rng.randint(1, 40)
                if arrive >= history_end or (life.status == PROB and t <= recognition <= arrive):
                    arrive = t  # received before the end; not on the way when probation ends
                if kind == "cell_end":
                    target = self.forced_destination(arrive, life.org)
                else:
                    target = self.destination(arrive, life.org)
                    if target is None:
                        continue
            life.transit = True
            life.record("transfer_out", t, life.org, f'{{"to": {target.org}}}')
            life.org, cell_end = target.org, target.end
            life.transit = False
            life.record("transfer_in", arrive, target.org)
            if arrive > t:  # the days between two cells do not count in party age
                gaps.append((D.fromordinal(t), D.fromordinal(arrive)))
                badge_day = self.badge_day(party_age_start, gaps, badge_index, badge_stage)
            t = arrive

        for kind, when, org, details in life.events:
            self.event_id += 1
            events.write(f"{self.event_id}\t{pid}\t{kind}\t{self.iso(when)}\t{org}\t{details}\n")
        for org, status, exempt, start, reason, end, end_reason in life.periods:
            self.period_id += 1
            periods.write(
                f"{self.period_id}\t{pid}\t{org}\t{status}\t{'t' if exempt else 'f'}\t"
                f"{self.iso(start)}\t{'9999-12-31' if end is None else self.iso(end)}\t"
                f"{reason}\t{end_reason}\n"
            )
        self.counts["events"] += len(life.events)
        self.counts["periods"] += len(life.periods)

        full_name = f"{family} {middle} {given}"
        sort_key, folded = _names(full_name)
        province = self.provinces.get(cell.org) or PROVINCE_CODES[pid % len(PROVINCE_CODES)]
        if rng.random() < 0.15:  # born elsewhere
            province = rng.choice(PROVINCE_CODES)
        citizen = self.citizen_id(province, partial.year, female) if rng.random() < 0.97 else ""
        search = " ".join(p for p in (folded, card_number, citizen) if p)[:400]
        gap_days = sum((b - a).days for a, b in gaps)
        iso = self.iso
        persons.write(
            "\t".join(
                (
                    str(pid),
                    full_name,
                    family,
                    middle,
                    given,
                    sort_key,
                    search,
                    str(partial.year),
                    str(month) if month else r"\N",
                    str(mday) if mday else r"\N",
                    "female" if female else "male",
                    ethnicity,
                    religion,
                    life.status,
                    str(life.org),
                    iso(decision),
                    iso(ceremony),
                    iso(full_member_date) if full_member_date else r"\N",
                    "t" if life.exempt else "f",
                    iso(left_on) if left_on else r"\N",
                    iso(decision + gap_days),
                    citizen or r"\N",
                    card_number or r"\N",
                )
            )
            + "\n"
        )
        self.counts["persons"] += 1

    def badge_day(
        self,
        start: dt.date,
        gaps: list[tuple[dt.date, dt.date]],
        index: int,
        stage: str = "proposal",
    ) -> int | None:
        """The day of the next badge event: proposed three weeks before the first award day
        at least three weeks after the milestone is reached, awarded on that day."""
        if index >= len(MILESTONES):
            return None
        reached = rules.add_months(start, 12 * MILESTONES[index])  # the gaps only delay it
        if reached.toordinal() >= self.history_end:
            return None
        if gaps:
            reached = rules.milestone_date(start, gaps, MILESTONES[index])
        if reached.toordinal() >= self.history_end:
            return None
        award = _next_award(reached + PROPOSAL_LEAD)
        return (award - PROPOSAL_LEAD if stage == "proposal" else award).toordinal()


def generate_members(
    intervals: list[Interval],
    members: int,
    seed: int,
    directory: str,
    provinces: dict[int, int | None] | None = None,
) -> tuple[dict[str, int], dict[str, str]]:
    """Write the member rows as COPY text files in `directory`; (counts, file per table)."""
    files = {table: os.path.join(directory, f"{table}.copy") for table in MEMBER_TABLES}
    gen = Members(intervals, members, seed, provinces)
    with (
        open(files[PERSON], "w", encoding="utf-8") as persons,
        open(files[PERIOD], "w", encoding="utf-8") as periods,
        open(files[MEVENT], "w", encoding="utf-8") as events,
    ):
        gen.write(persons, periods, events)
    return gen.counts, files


def digest(files: dict[str, str]) -> str:
    """A hash of the generated rows (the determinism test)."""
    h = hashlib.sha256()
    for table in MEMBER_TABLES:
        with open(files[table], "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    return h.hexdigest()


PERSON_COLUMNS = (
    "id, full_name, family_name, middle_name, given_name, name_sort_key, search_text, "
    "birth_year, birth_month, birth_day, sex, ethnicity, religion, status, organization_id, "
    "admission_decision_date, ceremony_date, full_member_date, exempt, left_on, "
    "party_age_from, citizen_id, card_number"
)
COPY_COLUMNS = {
    PERSON: PERSON_COLUMNS,
    PERIOD: "id, person_id, organization_id, status, exempt, valid_from, valid_to, "
    "start_reason, end_reason",
    MEVENT: "id, person_id, kind, effective_date, organization_id, details",
}
