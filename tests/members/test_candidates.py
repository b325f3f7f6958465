"""The candidates pipeline: its services (one transaction each, audited, scoped), its reads and
the work list of expiring certificates (Điều lệ Đảng 2011, Điều 4; Quy định 294-QĐ/TW;
Hướng dẫn 06-HD/TW 2025)."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from dangvu.access.models import AuditEntry, Role
from dangvu.access.scopes import Scope
from dangvu.core.errors import Conflict, DomainError, Forbidden, NotFound
from dangvu.members import candidates, worklists
from dangvu.members.events import MemberEventKind as E
from dangvu.members.models import (
    Candidate,
    CandidateStatus,
    MemberEvent,
    MemberStatus,
    Person,
    Sponsor,
)
from dangvu.members.rules import CandidateLack as L
from tests.conftest import decision

from .people import add_person
from .pipeline import (
    APPLIED,
    CEREMONY,
    CERTIFIED,
    CHECKED,
    DECIDED,
    REGISTERED,
    SPONSORED,
    VOTED,
    WORKED_SINCE,
    candidate_at,
    full_member,
    two_sponsors,
)

D = dt.date


def admission_decision(day=DECIDED):
    return decision(day, "52-QĐ/ĐUK", "Ban Thường vụ Đảng ủy Khối")


def lacks(candidate, today=CEREMONY):
    candidate = candidates.candidate_get(scope=Scope.system(), pk=candidate.pk)
    return candidates.with_missing([candidate], today=today)[0].missing


def rows():
    return (
        MemberEvent.objects.count(),
        AuditEntry.objects.count(),
        list(Candidate.objects.order_by("pk").values()),
        Sponsor.objects.count(),
    )


def error_of(call) -> DomainError:
    with pytest.raises(DomainError) as info:
        call()
    return info.value


@pytest.fixture
def editor(tree, make_user, scope_of):
    return scope_of(make_user("bithu", tree["office"], Role.EDITOR))


@pytest.fixture
def sponsors(system, tree):
    return two_sponsors(system, tree["office"])


# the journey ----------------------------------------------------------------------------------
def test_the_whole_pipeline_admits_with_an_admission_event(system, tree, editor, sponsors):
    """Registration → certificate → two sponsors → background check → application → the cell's
    vote → the committee's decision: a probationary member, from the ceremony."""
    ha = add_person(system, tree["office"], "Võ Thị Thu Hà", birth_year=1996, sex="female")
    candidate = candidates.candidate_register(scope=editor, person=ha, registered_on=REGISTERED)
    assert lacks(candidate) == [
        L.CERTIFICATE,
        L.SPONSORS,
        L.BACKGROUND_CHECK,
        L.APPLICATION,
        L.VOTE,
    ]

    candidates.candidate_record_certificate(
        scope=editor, candidate=candidate, number="125/GCN-TTCT", issued_on=CERTIFIED
    )
    for sponsor in sponsors:
        candidates.candidate_add_sponsor(
            scope=editor,
            candidate=candidate,
            sponsored_on=SPONSORED,
            sponsor=sponsor,
            worked_with_since=WORKED_SINCE,
        )
    assert lacks(candidate) == [L.BACKGROUND_CHECK, L.APPLICATION, L.VOTE]
    candidates.candidate_record_background_check(
        scope=editor, candidate=candidate, checked_on=CHECKED, result="passed"
    )
    candidates.candidate_record_application(scope=editor, candidate=candidate, applied_on=APPLIED)
    assert lacks(candidate) == [L.VOTE]
    candidates.candidate_record_vote(
        scope=editor, candidate=candidate, vote_date=VOTED, votes_in_favour=6, full_members=9
    )
    assert lacks(candidate) == []

    admitted = candidates.candidate_admit(
        scope=editor, candidate=candidate, ceremony_date=CEREMONY, decision=admission_decision()
    )
    ha.refresh_from_db()
    event = MemberEvent.objects.get(person=ha)
    assert (event.kind, event.effective_date) == (E.ADMISSION, CEREMONY)
    assert event.details["vote_date"] == "2024-05-10"
    assert (admitted.status, admitted.admission) == (CandidateStatus.ADMITTED, event)
    assert (ha.status, ha.ceremony_date, ha.admission_decision_date) == (
        MemberStatus.PROBATIONARY,
        CEREMONY,
        DECIDED,
    )
    assert lacks(candidate) == []  # admitted: nothing more to ask
    actions = list(
        AuditEntry.objects.filter(object_type="members.candidate", object_id=str(candidate.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "candidate.register",
        "candidate.certificate",
        "candidate.sponsor_add",
        "candidate.sponsor_add",
        "candidate.background_check",
        "candidate.application",
        "candidate.vote",
        "candidate.admit",
    ]
    assert AuditEntry.objects.filter(action="member.admission", object_id=str(ha.pk)).exists()
    assert AuditEntry.objects.filter(action="candidate.vote").get().after["passed"] is True


def test_a_failed_vote_leaves_no_event_and_no_status_change_294_qd_tw(system, tree, editor):
    """5 of 8 full members is short of two thirds: the admission is refused, nothing written."""
    candidate = candidate_at("voted", tree["office"], votes=(5, 8))
    before = rows()
    error = error_of(
        lambda: candidates.candidate_admit(
            scope=editor, candidate=candidate, ceremony_date=CEREMONY, decision=admission_decision()
        )
    )
    assert error.code == "members.CANDIDATE_NOT_READY"
    assert error.details["missing"] == ["vote_failed"]
    assert "hai phần ba" in error.message and "Võ Thị Thu Hà" in error.message
    assert rows() == before
    assert Person.objects.get(pk=candidate.person_id).status == MemberStatus.NONE


def test_an_admission_refused_inside_the_lifecycle_rolls_everything_back(system, tree, editor):
    """The ceremony before the decision fails in member_admit, after the pipeline's own
    checks: the candidate stays active and no event, decision or audit row remains."""
    candidate = candidate_at("voted", tree["office"])
    before = rows()
    error = error_of(
        lambda: candidates.candidate_admit(
            scope=editor,
            candidate=candidate,
            ceremony_date=D(2024, 5, 15),
            decision=admission_decision(D(2024, 5, 20)),
        )
    )
    assert error.code == "members.CEREMONY_BEFORE_DECISION"
    assert rows() == before
    candidate.refresh_from_db()
    assert (candidate.status, candidate.admission) == (CandidateStatus.ACTIVE, None)
    from dangvu.core.models import Decision

    assert not Decision.objects.filter(symbol="52-QĐ/ĐUK").exists()


def test_over_sixty_at_the_vote_needs_the_approvers_reason_dieu_le_dieu_1(
    system, tree, editor, make_user, scope_of
):
    elder = candidate_at("voted", tree["office"], "Lê Văn Thọ", birth_year=1962, sex="male")
    error = error_of(
        lambda: candidates.candidate_admit(
            scope=editor, candidate=elder, ceremony_date=CEREMONY, decision=admission_decision()
        )
    )
    assert error.code == "members.ADMISSION_OVER_AGE"
    assert Candidate.objects.get(pk=elder.pk).status == CandidateStatus.ACTIVE
    approver = scope_of(make_user("pheduyet", tree["health"], Role.APPROVER))
    candidates.candidate_admit(
        scope=approver,
        candidate=elder,
        ceremony_date=CEREMONY,
        decision=admission_decision(),
        override_reason="Ban Thường vụ Tỉnh ủy đồng ý bằng văn bản",
    )
    assert Candidate.objects.get(pk=elder.pk).status == CandidateStatus.ADMITTED


def test_the_decision_cannot_precede_the_cells_vote(tree, editor):
    candidate = candidate_at("voted", tree["office"])
    error = error_of(
        lambda: candidates.candidate_admit(
            scope=editor,
            candidate=candidate,
            ceremony_date=CEREMONY,
            decision=admission_decision(D(2024, 5, 9)),
        )
    )
    assert error.code == "members.CANDIDATE_DECISION_BEFORE_VOTE"


def test_admission_without_a_vote_names_what_is_missing(tree, editor):
    candidate = candidate_at("certified", tree["office"], sponsors=[])
    error = error_of(
        lambda: candidates.candidate_admit(
            scope=editor, candidate=candidate, ceremony_date=CEREMONY, decision=admission_decision()
        )
    )
    assert error.details["missing"] == ["sponsors", "background_check", "application", "vote"]
    assert "thiếu người giới thiệu" in error.message


# the vote -------------------------------------------------------------------------------------
def test_the_cell_votes_only_on_a_complete_dossier(tree, editor):
    candidate = candidate_at("sponsored", tree["office"])
    before = rows()
    error = error_of(
        lambda: candidates.candidate_record_vote(
            scope=editor, candidate=candidate, vote_date=VOTED, votes_in_favour=9, full_members=9
        )
    )
    assert error.code == "members.CANDIDATE_DOSSIER_INCOMPLETE"
    assert error.details["missing"] == ["background_check", "application"]
    assert rows() == before


def test_a_certificate_expired_on_the_vote_date_blocks_the_vote(tree, editor):
    """Issued 15/10/2023, valid to 14/10/2028 (60 months): a vote on 15/10/2028 is too late."""
    candidate = candidate_at("dossier", tree["office"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("dangvu.core.clock.today", lambda: D(2028, 12, 1))
        error = error_of(
            lambda: candidates.candidate_record_vote(
                scope=editor,
                candidate=candidate,
                vote_date=D(2028, 10, 15),
                votes_in_favour=9,
                full_members=9,
            )
        )
        assert error.details["missing"] == ["certificate_expired"]
        candidates.candidate_record_vote(
            scope=editor,
            candidate=candidate,
            vote_date=D(2028, 10, 14),
            votes_in_favour=9,
            full_members=9,
        )


def test_a_vote_on_an_under_age_candidate_is_refused_dieu_le_dieu_1(tree, editor):
    young = candidate_at(
        "dossier", tree["office"], "Đặng Minh Khôi", birth_year=2006, birth_month=5, birth_day=11
    )
    error = error_of(
        lambda: candidates.candidate_record_vote(
            scope=editor, candidate=young, vote_date=VOTED, votes_in_favour=9, full_members=9
        )
    )
    assert error.code == "members.ADMISSION_UNDER_AGE"


@pytest.mark.parametrize(("in_favour", "full"), [(10, 9), (0, 0)])
def test_impossible_vote_counts_are_refused(tree, editor, in_favour, full):
    candidate = candidate_at("dossier", tree["office"])
    error = error_of(
        lambda: candidates.candidate_record_vote(
            scope=editor,
            candidate=candidate,
            vote_date=VOTED,
            votes_in_favour=in_favour,
            full_members=full,
        )
    )
    assert error.code == "members.CANDIDATE_VOTE_INVALID"


def test_a_new_vote_replaces_a_failed_one(tree, editor):
    candidate = candidate_at("voted", tree["office"], votes=(5, 8))
    assert lacks(candidate) == [L.VOTE_FAILED]
    candidates.candidate_record_vote(
        scope=editor,
        candidate=candidate,
        vote_date=D(2024, 6, 10),
        votes_in_favour=6,
        full_members=8,
    )
    assert lacks(candidate, today=D(2024, 7, 1)) == []
    audit = AuditEntry.objects.filter(action="candidate.vote").order_by("id").last()
    assert audit.before["votes_in_favour"] == 5 and audit.after["votes_in_favour"] == 6


# sponsors -------------------------------------------------------------------------------------
def add(scope, candidate, sponsor=None, *, since=WORKED_SINCE, on=SPONSORED, **extra):
    return candidates.candidate_add_sponsor(
        scope=scope,
        candidate=candidate,
        sponsored_on=on,
        sponsor=sponsor,
        worked_with_since=since,
        **extra,
    )


def test_a_sponsor_with_eleven_months_together_is_refused_dieu_le_dieu_4(tree, editor, sponsors):
    candidate = candidate_at("certified", tree["office"])
    before = rows()
    error = error_of(lambda: add(editor, candidate, sponsors[0], since=D(2023, 3, 2)))
    assert error.code == "members.CANDIDATE_SPONSOR_TOO_SHORT"
    assert "Trần Văn Hùng" in error.message
    assert rows() == before
    add(editor, candidate, sponsors[0], since=D(2023, 3, 1))  # twelve months to 01/03/2024


def test_a_probationary_member_cannot_sponsor_dieu_le_dieu_4(system, tree, editor):
    from dangvu.members import lifecycle

    new = add_person(system, tree["office"], "Huỳnh Thị Mỹ Linh", sex="female", birth_year=1990)
    lifecycle.member_admit(
        scope=system, person=new, ceremony_date=D(2023, 12, 1), decision=decision(D(2023, 11, 20))
    )
    candidate = candidate_at("certified", tree["office"])
    error = error_of(lambda: add(editor, candidate, new))
    assert error.code == "members.CANDIDATE_SPONSOR_NOT_FULL_MEMBER"


def test_a_third_member_or_a_second_resolution_is_refused(system, tree, editor, sponsors):
    candidate = candidate_at("sponsored", tree["office"], sponsors=sponsors)
    third = full_member(system, tree["office"], "Bùi Quang Vinh")
    assert error_of(lambda: add(editor, candidate, third)).code == (
        "members.CANDIDATE_SPONSORS_COMPLETE"
    )


def test_one_member_and_the_youth_union_resolution_complete_the_sponsors(tree, editor, sponsors):
    candidate = candidate_at("certified", tree["office"])
    add(editor, candidate, sponsors[0])
    assert L.SPONSORS in lacks(candidate)
    add(
        editor,
        candidate,
        kind="youth_union",
        since=None,
        resolution_symbol="05-NQ/ĐTN",
        issuing_body="Ban Chấp hành Đoàn cơ sở Sở Y tế",
    )
    assert L.SPONSORS not in lacks(candidate)
    assert error_of(lambda: add(editor, candidate, sponsors[1])).code == (
        "members.CANDIDATE_SPONSORS_COMPLETE"
    )


def test_a_resolution_needs_its_number_and_issuing_body(tree, editor):
    candidate = candidate_at("certified", tree["office"])
    error = error_of(lambda: add(editor, candidate, kind="trade_union", since=None))
    assert error.code == "members.CANDIDATE_RESOLUTION_REQUIRED"


def test_the_same_sponsor_twice_or_the_candidate_themself_is_refused(tree, editor, sponsors):
    candidate = candidate_at("certified", tree["office"])
    add(editor, candidate, sponsors[0])
    assert error_of(lambda: add(editor, candidate, sponsors[0])).code == (
        "members.CANDIDATE_SPONSOR_DUPLICATE"
    )
    assert error_of(lambda: add(editor, candidate, candidate.person)).code == (
        "members.CANDIDATE_SPONSOR_IS_CANDIDATE"
    )
    assert error_of(lambda: add(editor, candidate, None)).code == (
        "members.CANDIDATE_SPONSOR_REQUIRED"
    )


def test_removing_a_sponsor_makes_room_for_another(system, tree, editor, sponsors):
    candidate = candidate_at("sponsored", tree["office"], sponsors=sponsors)
    first = candidate.sponsors.order_by("id").first()
    candidates.candidate_remove_sponsor(scope=editor, candidate=candidate, sponsor_id=first.pk)
    assert L.SPONSORS in lacks(candidate)
    add(editor, candidate, full_member(system, tree["office"], "Bùi Quang Vinh"))
    assert L.SPONSORS not in lacks(candidate)
    removal = AuditEntry.objects.get(action="candidate.sponsor_remove")
    assert removal.before["sponsor"]["person"] == "Trần Văn Hùng"
    with pytest.raises(NotFound):
        candidates.candidate_remove_sponsor(scope=editor, candidate=candidate, sponsor_id=first.pk)


def test_a_sponsor_outside_the_scope_is_not_found(system, tree, editor):
    stranger = full_member(system, tree["justice"], "Đoàn Văn Sơn")
    candidate = candidate_at("certified", tree["office"])
    with pytest.raises(NotFound):
        add(editor, candidate, stranger)
    assert not candidate.sponsors.exists()


def test_a_sponsor_struck_off_before_the_vote_blocks_it(system, tree, editor, sponsors):
    from dangvu.members import lifecycle

    candidate = candidate_at("dossier", tree["office"], sponsors=sponsors)
    lifecycle.member_strike_off(
        scope=system,
        person=sponsors[1],
        effective_date=D(2024, 5, 1),
        decision=decision(D(2024, 5, 1)),
    )
    error = error_of(
        lambda: candidates.candidate_record_vote(
            scope=editor, candidate=candidate, vote_date=VOTED, votes_in_favour=9, full_members=9
        )
    )
    assert error.details["missing"] == ["sponsors"]


# registration, withdrawal, dates --------------------------------------------------------------
def test_a_member_cannot_be_registered_as_a_candidate(system, tree, editor):
    member = full_member(system, tree["office"], "Trần Văn Hùng")
    error = error_of(
        lambda: candidates.candidate_register(scope=editor, person=member, registered_on=REGISTERED)
    )
    assert error.code == "members.CANDIDATE_ALREADY_MEMBER"


def test_one_active_pipeline_per_person_and_again_after_a_withdrawal(tree, editor):
    candidate = candidate_at("registered", tree["office"])
    person = candidate.person
    with pytest.raises(Conflict) as info:
        candidates.candidate_register(scope=editor, person=person, registered_on=D(2024, 1, 1))
    assert info.value.code == "members.CANDIDATE_ALREADY_REGISTERED"
    candidates.candidate_withdraw(
        scope=editor, candidate=candidate, withdrawn_on=D(2024, 2, 1), reason="Xin dừng phấn đấu"
    )
    again = candidates.candidate_register(scope=editor, person=person, registered_on=D(2025, 1, 1))
    assert again.pk != candidate.pk
    assert person.candidacies.count() == 2


def test_the_database_keeps_one_active_pipeline_and_unique_sponsors(tree, sponsors):
    candidate = candidate_at("sponsored", tree["office"], sponsors=sponsors)
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.create(
            person=candidate.person, organization=tree["office"], registered_on=REGISTERED
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Sponsor.objects.create(
            candidate=candidate,
            person=sponsors[0],
            worked_with_since=WORKED_SINCE,
            sponsored_on=SPONSORED,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.filter(pk=candidate.pk).update(votes_in_favour=3)  # without a vote


def test_a_withdrawn_candidate_takes_no_more_steps(tree, editor):
    candidate = candidate_at("registered", tree["office"])
    assert error_of(
        lambda: candidates.candidate_withdraw(
            scope=editor, candidate=candidate, withdrawn_on=D(2024, 2, 1), reason="  "
        )
    ).code == ("members.CANDIDATE_REASON_REQUIRED")
    candidates.candidate_withdraw(
        scope=editor, candidate=candidate, withdrawn_on=D(2024, 2, 1), reason="Chuyển vùng"
    )
    error = error_of(
        lambda: candidates.candidate_record_application(
            scope=editor, candidate=candidate, applied_on=APPLIED
        )
    )
    assert error.code == "members.CANDIDATE_NOT_ACTIVE"
    assert "dừng xem xét" in error.message
    assert lacks(candidate) == []


def test_dates_in_the_future_or_before_registration_are_refused(tree, editor):
    from dangvu.core import clock

    candidate = candidate_at("registered", tree["office"])
    tomorrow = clock.today() + dt.timedelta(days=1)
    error = error_of(
        lambda: candidates.candidate_record_application(
            scope=editor, candidate=candidate, applied_on=tomorrow
        )
    )
    assert error.code == "members.CANDIDATE_DATE_IN_FUTURE"
    error = error_of(
        lambda: candidates.candidate_withdraw(
            scope=editor, candidate=candidate, withdrawn_on=D(2023, 8, 31), reason="Nhầm"
        )
    )
    assert error.code == "members.CANDIDATE_DATE_BEFORE_REGISTRATION"


def test_a_certificate_needs_its_number(tree, editor):
    candidate = candidate_at("registered", tree["office"])
    error = error_of(
        lambda: candidates.candidate_record_certificate(
            scope=editor, candidate=candidate, number="  ", issued_on=CERTIFIED
        )
    )
    assert error.code == "members.CANDIDATE_CERTIFICATE_REQUIRED"


# scope and roles ------------------------------------------------------------------------------
def every_step(scope, candidate, sponsor):
    return {
        "certificate": lambda: candidates.candidate_record_certificate(
            scope=scope, candidate=candidate, number="9/GCN", issued_on=CERTIFIED
        ),
        "sponsor": lambda: add(scope, candidate, sponsor),
        "remove sponsor": lambda: candidates.candidate_remove_sponsor(
            scope=scope, candidate=candidate, sponsor_id=candidate.sponsors.first().pk
        ),
        "background": lambda: candidates.candidate_record_background_check(
            scope=scope, candidate=candidate, checked_on=CHECKED, result="passed"
        ),
        "application": lambda: candidates.candidate_record_application(
            scope=scope, candidate=candidate, applied_on=APPLIED
        ),
        "vote": lambda: candidates.candidate_record_vote(
            scope=scope, candidate=candidate, vote_date=VOTED, votes_in_favour=3, full_members=3
        ),
        "admit": lambda: candidates.candidate_admit(
            scope=scope, candidate=candidate, ceremony_date=CEREMONY, decision=admission_decision()
        ),
        "withdraw": lambda: candidates.candidate_withdraw(
            scope=scope, candidate=candidate, withdrawn_on=D(2024, 6, 1), reason="Chuyển công tác"
        ),
        "register": lambda: candidates.candidate_register(
            scope=scope, person=candidate.person, registered_on=REGISTERED
        ),
    }


@pytest.mark.parametrize(
    ("grant", "role", "error"),
    [
        ("justice", Role.ADMINISTRATOR, NotFound),  # another cell
        ("inspect", Role.ADMINISTRATOR, NotFound),  # a sibling cell
        ("office", Role.VIEWER, Forbidden),  # the cell itself, read-only
    ],
)
def test_every_step_is_scoped_and_needs_an_editor(
    system, tree, make_user, scope_of, sponsors, grant, role, error
):
    candidate = candidate_at("voted", tree["office"], sponsors=sponsors, votes=(3, 3))
    third = full_member(system, tree["office"], "Bùi Quang Vinh")
    scope = scope_of(make_user("khac", tree[grant], role))
    before = rows()
    for step, call in every_step(scope, candidate, third).items():
        with pytest.raises(error):
            call()
        assert rows() == before, step


# reads ----------------------------------------------------------------------------------------
def test_the_list_shows_the_scope_with_what_each_lacks(system, tree, make_user, scope_of):
    candidate_at("voted", tree["office"])
    candidate_at("registered", tree["office"], "Ngô Bảo Châu", sex="male")
    candidate_at("certified", tree["justice"], "Lý Thị Hồng Nhung", sponsors=[])
    cell = scope_of(make_user("vanphong", tree["office"], Role.VIEWER))
    listed = candidates.with_missing(
        list(candidates.candidate_list(scope=cell)), today=D(2024, 6, 1)
    )
    assert [(c.person.full_name, [lack.value for lack in c.missing]) for c in listed] == [
        ("Ngô Bảo Châu", ["certificate", "sponsors", "background_check", "application", "vote"]),
        ("Võ Thị Thu Hà", []),
    ]
    assert listed[1].certificate_expires_on == D(2028, 10, 14)
    committee = scope_of(make_user("yte", tree["health"], Role.VIEWER))
    assert candidates.candidate_list(scope=committee, organization=tree["inspect"]).count() == 0
    assert candidates.candidate_list(scope=system, status=CandidateStatus.ACTIVE).count() == 3
    with pytest.raises(NotFound):
        candidates.candidate_list(scope=cell, organization=tree["justice"])


def test_one_candidate_outside_the_scope_is_not_found(tree, make_user, scope_of):
    other = candidate_at("registered", tree["justice"])
    cell = scope_of(make_user("vanphong", tree["office"], Role.ADMINISTRATOR))
    with pytest.raises(NotFound) as info:
        candidates.candidate_get(scope=cell, pk=other.pk)
    assert "Chi bộ Sở Tư pháp" not in info.value.message


def test_the_rows_of_a_page_cost_the_same_queries_however_many(
    system, tree, sponsors, django_assert_max_num_queries
):
    def page():
        rows_ = candidates.candidate_rows(
            candidates.candidate_list(scope=system), today=D(2024, 6, 1)
        )
        with CaptureQueriesContext(connection) as captured:
            assert all(hasattr(c, "missing") for c in rows_[0:100])
            len(rows_)
        return len(captured)

    candidate_at("voted", tree["office"], sponsors=sponsors)
    few = page()
    for n, name in enumerate(("Đinh Công Tráng", "Hà Thị Mai", "Kiều Văn Lực", "Mạc Thị Bưởi")):
        candidate_at(
            ("registered", "voted", "dossier", "sponsored")[n],
            tree["office"],
            name,
            sponsors=sponsors,
        )
    with django_assert_max_num_queries(few):
        page()


# the work list --------------------------------------------------------------------------------
TODAY = D(2026, 11, 23)


def certified_on(cell, name, issued):
    candidate = candidate_at("registered", cell, name)
    candidates.candidate_record_certificate(
        scope=Scope.system(), candidate=candidate, number="7/GCN", issued_on=issued
    )
    return candidate


def names(queryset):
    return [c.person.full_name for c in queryset]


def test_certificates_expiring_within_sixty_days_expired_ones_first(system, tree):
    """Valid 60 months (to the day before): issued 23/11/2021 expires 22/11/2026 (yesterday)."""
    cell = tree["office"]
    certified_on(cell, "Nguyễn Văn Hết Hạn", D(2021, 11, 23))  # expired yesterday: listed
    certified_on(cell, "Trần Thị Hôm Nay", D(2021, 11, 24))  # last valid day is today
    certified_on(cell, "Lê Văn Sáu Mươi", D(2022, 1, 23))  # ends on 22/01/2027, 60 days on
    certified_on(cell, "Phạm Thị Còn Lâu", D(2022, 1, 24))  # 61 days on: not yet
    candidate_at("registered", cell, "Hoàng Văn Chưa Có")  # no certificate: not listed
    listed = names(worklists.certificates_expiring(scope=system, today=TODAY))
    assert listed == ["Nguyễn Văn Hết Hạn", "Trần Thị Hôm Nay", "Lê Văn Sáu Mươi"]
    assert names(worklists.certificates_expiring(scope=system, today=TODAY, within_days=0)) == [
        "Nguyễn Văn Hết Hạn",
        "Trần Thị Hôm Nay",
    ]


def test_candidates_voted_in_or_withdrawn_leave_the_work_list(system, tree):
    cell = tree["office"]
    old = D(2021, 12, 1)
    voted = candidate_at("voted", cell, "Đỗ Thị Đã Đạt")  # the cell voted: no longer needed
    Candidate.objects.filter(pk=voted.pk).update(certificate_date=old)
    failed = certified_on(cell, "Vũ Văn Chưa Đạt", old)
    Candidate.objects.filter(pk=failed.pk).update(
        vote_date=D(2024, 5, 10), votes_in_favour=5, full_members_count=8
    )
    gone = certified_on(cell, "Mai Thị Đã Dừng", old)
    candidates.candidate_withdraw(
        scope=system, candidate=gone, withdrawn_on=D(2024, 1, 1), reason="Chuyển công tác"
    )
    assert names(worklists.certificates_expiring(scope=system, today=TODAY)) == ["Vũ Văn Chưa Đạt"]


def test_the_work_list_stays_inside_the_scope(system, tree, make_user, scope_of):
    certified_on(tree["office"], "Nguyễn Văn Văn Phòng", D(2021, 12, 1))
    certified_on(tree["justice"], "Trần Văn Tư Pháp", D(2021, 12, 1))
    cell = scope_of(make_user("vanphong", tree["office"], Role.VIEWER))
    assert names(worklists.certificates_expiring(scope=cell, today=TODAY)) == [
        "Nguyễn Văn Văn Phòng"
    ]
    committee = scope_of(make_user("yte", tree["health"], Role.VIEWER))
    assert (
        names(
            worklists.certificates_expiring(
                scope=committee, today=TODAY, organization=tree["inspect"]
            )
        )
        == []
    )


# admin ----------------------------------------------------------------------------------------
def test_the_admin_shows_the_scope_read_only_with_what_is_missing(tree, make_user, client_for):
    mine = candidate_at("certified", tree["justice"], "Lý Thị Hồng Nhung", sponsors=[])
    candidate_at("registered", tree["office"], "Ngô Bảo Châu", sex="male")
    staff = client_for(make_user("canbo", tree["justice"], Role.EDITOR, is_staff=True))
    url = "/admin/members/candidate/"
    html = staff.get(url).content.decode()
    assert "Lý Thị Hồng Nhung" in html and "Ngô Bảo Châu" not in html
    detail = staff.get(f"{url}{mine.pk}/change/").content.decode()
    assert "Thiếu người giới thiệu" in detail and "Chưa thẩm tra lý lịch" in detail
    assert staff.get(f"{url}add/").status_code == 403
    assert staff.get(url, {"q": "ly thi hong"}).content.decode().count("Lý Thị Hồng Nhung") >= 1
