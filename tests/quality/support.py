"""What the data-quality tests share: real people, admitted and recognised by the services."""

import datetime as dt

from dangvu.members import lifecycle
from tests.conftest import decision
from tests.members.people import add_person

D = dt.date


def admit(scope, person, ceremony: dt.date, decided: dt.date | None = None, **extra):
    return lifecycle.member_admit(
        scope=scope,
        person=person,
        ceremony_date=ceremony,
        decision=decision(decided or ceremony - dt.timedelta(days=14), "12-QĐ/ĐU", "Đảng ủy Khối"),
        **extra,
    )


def recognize(scope, person, decided: dt.date):
    return lifecycle.member_recognize(
        scope=scope, person=person, decision=decision(decided, "40-QĐ/ĐU", "Đảng ủy Khối")
    )


def member(scope, cell, name: str, ceremony: dt.date, *, full: bool = True, **extra):
    """A member admitted on `ceremony` (and recognised after the 12 months when `full`)."""
    person = add_person(scope, cell, name, **extra)
    admit(scope, person, ceremony)
    if full:
        recognize(scope, person, ceremony + dt.timedelta(days=385))
    person.refresh_from_db()
    return person


PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 20
