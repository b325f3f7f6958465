"""The member lifecycle: events replayed with the rules of their dates, cached on the file."""

import datetime as dt

import pytest

from dangvu.access.models import AuditEntry, Role
from dangvu.core.errors import DomainError, Forbidden
from dangvu.members import lifecycle
from dangvu.members.events import MemberEventKind as E
from dangvu.members.models import MemberEvent, MemberStatus, Person
from tests.conftest import decision

from .people import add_person

D = dt.date


@pytest.fixture
def lan(system, tree):
    return add_person(
        system, tree["office"], "Nguyễn Thị Lan", birth_year=1995, birth_month=4, birth_day=12,
        sex="female",
    )  # fmt: skip


CEREMONY, DECIDED = D(2020, 3, 15), D(2020, 3, 1)


def admit(scope, person, ceremony=CEREMONY, decided=DECIDED, **extra):
    return lifecycle.member_admit(
        scope=scope,
        person=person,
        ceremony_date=ceremony,
        decision=decision(decided, "12-QĐ/ĐU", "Ban Thường vụ Đảng ủy Sở Y tế"),
        **extra,
    )


def recognize(scope, person, decided):
    return lifecycle.member_recognize(
        scope=scope, person=person, decision=decision(decided, "40-QĐ/ĐU", "Đảng ủy Sở Y tế")
    )


def rows():
    return MemberEvent.objects.count(), AuditEntry.objects.count()


def test_admission_makes_a_probationary_member_from_the_ceremony(system, lan):
    admit(system, lan)
    lan.refresh_from_db()
    assert lan.status == MemberStatus.PROBATIONARY
    assert lan.ceremony_date == D(2020, 3, 15)
    assert lan.admission_decision_date == D(2020, 3, 1)
    assert AuditEntry.objects.filter(action="member.admission", object_id=str(lan.pk)).count() == 1


def test_recognition_the_day_before_the_twelve_month_mark_is_refused_dieu_le_dieu_5(system, lan):
    admit(system, lan)
    before = rows()
    with pytest.raises(DomainError) as info:
        recognize(system, lan, D(2021, 3, 14))
    assert info.value.code == "members.RECOGNITION_BEFORE_PROBATION_END"
    assert "15/03/2021" in info.value.message
    assert not info.value.message.startswith("Mâu thuẫn")  # its own fault, not a conflict
    assert rows() == before
    lan.refresh_from_db()
    assert lan.status == MemberStatus.PROBATIONARY


def test_recognition_on_the_twelve_month_mark_makes_a_full_member_from_that_day(system, lan):
    admit(system, lan)
    event = recognize(system, lan, D(2021, 3, 15))
    lan.refresh_from_db()
    assert event.effective_date == D(2021, 3, 15)
    assert (lan.status, lan.full_member_date) == (MemberStatus.FULL, D(2021, 3, 15))


def test_a_late_recognition_still_counts_from_the_end_of_probation(system, lan):
    admit(system, lan)
    recognize(system, lan, D(2021, 6, 30))
    lan.refresh_from_db()
    assert lan.full_member_date == D(2021, 3, 15)


def test_admission_under_eighteen_is_refused_dieu_le_dieu_1(system, tree):
    young = add_person(
        system, tree["office"], "Trần Văn Minh", birth_year=2003, birth_month=3, birth_day=2
    )
    with pytest.raises(DomainError) as info:
        admit(system, young, decided=D(2021, 3, 1), ceremony=D(2021, 3, 10))
    assert info.value.code == "members.ADMISSION_UNDER_AGE"
    assert MemberEvent.objects.count() == 0


def test_admission_over_sixty_needs_an_approver_and_a_reason(system, tree, make_user, scope_of):
    elder = add_person(system, tree["office"], "Lê Văn Tư", birth_year=1958, birth_month=1)
    editor = scope_of(make_user("bithu", tree["office"], Role.EDITOR))
    with pytest.raises(DomainError) as info:
        admit(editor, elder, decided=D(2020, 3, 1))
    assert info.value.code == "members.ADMISSION_OVER_AGE"
    with pytest.raises(Forbidden):
        admit(editor, elder, decided=D(2020, 3, 1), override_reason="Tỉnh ủy đồng ý")
    approver = scope_of(make_user("pheduyet", tree["health"], Role.APPROVER))
    event = admit(approver, elder, decided=D(2020, 3, 1), override_reason="Tỉnh ủy đồng ý")
    assert event.override_reason == "Tỉnh ủy đồng ý"


def test_a_back_dated_event_that_breaks_a_later_one_is_refused_naming_it(system, lan):
    admit(system, lan)
    recognize(system, lan, D(2021, 3, 20))
    before = rows()
    with pytest.raises(DomainError) as info:
        lifecycle.member_death(
            scope=system, person=lan, effective_date=D(2020, 12, 1), decision=None
        )
    assert info.value.code == "members.EVENT_NOT_ALLOWED"
    assert "Công nhận đảng viên chính thức" in info.value.message
    assert "15/03/2021" in info.value.message
    assert rows() == before


def test_events_entered_out_of_order_give_the_same_state(system, lan):
    admit(system, lan)
    recognize(system, lan, D(2021, 4, 1))
    lifecycle.member_exempt(
        scope=system,
        person=lan,
        effective_date=D(2024, 1, 1),
        decision=decision(D(2024, 1, 1)),
        details={"requested_on": "2023-12-15", "grounds": ["weak_health"]},
    )
    lifecycle.member_discipline(
        scope=system,
        person=lan,
        effective_date=D(2022, 6, 1),
        decision=decision(D(2022, 6, 1)),
        details={"form": "reprimand"},
    )
    lan.refresh_from_db()
    state = lifecycle.person_state(lan)
    assert (lan.status, lan.exempt) == (MemberStatus.FULL, True)
    assert (state.status, state.exempt, state.full_member_date) == (
        lan.status,
        lan.exempt,
        lan.full_member_date,
    )


def test_a_probationary_member_cannot_be_expelled(system, lan):
    admit(system, lan)
    with pytest.raises(DomainError) as info:
        lifecycle.member_expel(
            scope=system, person=lan, effective_date=D(2020, 9, 1), decision=decision(D(2020, 9, 1))
        )
    assert info.value.code == "members.EVENT_NOT_ALLOWED"


def test_recognising_the_same_member_twice_records_one_event(system, lan):
    """Two approvers at once: the row lock serialises them and the second finds a full member."""
    admit(system, lan)
    recognize(system, lan, D(2021, 3, 20))
    with pytest.raises(DomainError) as info:
        recognize(system, lan, D(2021, 3, 21))
    assert info.value.code == "members.EVENT_NOT_ALLOWED"
    assert MemberEvent.objects.filter(person=lan, kind=E.RECOGNITION).count() == 1


def test_a_cell_user_cannot_record_events_of_another_cell(system, tree, lan, make_user, scope_of):
    other = scope_of(make_user("tuphap", tree["justice"], Role.APPROVER))
    with pytest.raises(DomainError) as info:
        admit(other, lan)
    assert info.value.code == "core.NOT_FOUND"
    assert Person.objects.get(pk=lan.pk).status == MemberStatus.NONE


def test_probation_is_as_long_as_the_rules_said_at_the_ceremony(system, lan):
    """A later change of the probation length does not reach a probation already running."""
    from dangvu.members.models import RuleParameter

    RuleParameter.objects.create(
        key="members.probation_months",
        effective_from=D(2021, 1, 1),
        value=18,
        source="thử nghiệm: quy định giả định",
    )
    admit(system, lan)  # ceremony 15/03/2020, under the 12 months
    event = recognize(system, lan, D(2021, 3, 15))
    assert event.effective_date == D(2021, 3, 15)


def test_a_viewer_recognising_is_forbidden_before_anything_else(system, tree, lan, make_user):
    from dangvu.access.scopes import scope_for

    viewer = scope_for(make_user("xem", tree["office"], Role.VIEWER))
    with pytest.raises(Forbidden):
        recognize(viewer, lan, D(2021, 3, 15))
