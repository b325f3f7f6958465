"""The bulk path writes what the per-row path writes: the same rows, projections, periods and
decisions (only the audit differs: one row for the whole import), the same report."""

import io

import pytest
from django.apps import apps
from django.db import models, transaction

from dangvu.access.models import AuditEntry
from dangvu.exchange.imports import import_file
from dangvu.members.events import MemberEventKind as E
from dangvu.members.models import MemberEvent, Person
from dangvu.organizations.models import Organization

from .histories import EVENTS, TREE, histories, workbook
from .workbooks import simple

SKIPPED_APPS = {"sessions", "contenttypes", "admin", "auth"}


def content() -> dict[str, list]:
    """Every row of every table but the audit, ids replaced by their rank in the table (the
    order the rows were written in; PostgreSQL's sequences do not roll back) and time stamps
    left out: what both paths must agree on."""
    tables = [
        model
        for model in apps.get_models()
        if model._meta.app_label not in SKIPPED_APPS and model is not AuditEntry
    ]
    ranks = {
        model: {
            pk: rank
            for rank, pk in enumerate(model.objects.order_by("pk").values_list("pk", flat=True))
        }
        for model in tables
    }
    state = {}
    for model in tables:
        fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.DateTimeField)]
        rows = []
        for row in model.objects.order_by("pk").values_list(*(f.attname for f in fields)):
            out = []
            for f, value in zip(fields, row, strict=True):
                if f.primary_key:
                    value = ranks[model][value]
                elif f.is_relation and value is not None and f.related_model in ranks:
                    value = ranks[f.related_model][value]
                elif f.name == "path":  # built of organisation ids: the parents say the same
                    value = None
                elif isinstance(value, dict):  # organisation ids in details (to, parent_id)
                    orgs = ranks[Organization]
                    value = {
                        key: orgs.get(item, item)
                        if (key == "to" or key.endswith("_id")) and isinstance(item, int)
                        else item
                        for key, item in value.items()
                    }
                out.append(value)
            rows.append(tuple(out))
        state[model._meta.label] = rows
    return state


def imported(data: bytes, *, bulk: bool, apply: bool = True):
    """The report and the content after importing `data`, then everything rolled back."""
    with transaction.atomic():
        report = import_file(
            scope=_system(), source=io.BytesIO(data), filename="lich-su.xlsx", bulk=bulk,
            dry_run=not apply,
        )  # fmt: skip
        state = content()
        audit = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
        transaction.set_rollback(True)
    return report, state, audit


def _system():
    from dangvu.access.scopes import Scope

    return Scope.system()


@pytest.mark.slow  # about 15 s on SQLite, 30 s on PostgreSQL (300 lives imported twice)
def test_the_bulk_path_writes_what_the_per_row_path_writes(db):
    data = workbook(300)
    rows_report, rows_state, rows_audit = imported(data, bulk=False)
    bulk_report, bulk_state, bulk_audit = imported(data, bulk=True)
    assert rows_report.ok, rows_report.as_text()
    assert bulk_report.as_text() == rows_report.as_text()
    assert [s.created for s in bulk_report.sheets] == [4, 300, rows_state_events(rows_state)]
    kinds = {row[2] for row in rows_state["members.MemberEvent"]}
    assert kinds == set(E.values), set(E.values) - kinds
    for table in rows_state:
        assert bulk_state[table] == rows_state[table], table
    # the audit: one row a change on one path, one row for the people and events on the other
    assert rows_audit.count("person.create") == 300
    assert bulk_audit.count("member.bulk_import") == 1
    assert not [action for action in bulk_audit if action.startswith(("person.", "member.b") ) and action != "member.bulk_import"]  # fmt: skip


def rows_state_events(state) -> int:
    return len(state["members.MemberEvent"])


@pytest.mark.parametrize("bulk", [False, True], ids=["rows", "bulk"])
def test_an_import_again_changes_nothing(db, system, bulk):
    data = workbook(120)
    first = import_file(scope=system, source=io.BytesIO(data), filename="a.xlsx", bulk=bulk)
    assert first.ok, first.as_text()
    before = content(), AuditEntry.objects.count()
    again = import_file(scope=system, source=io.BytesIO(data), filename="a.xlsx", bulk=bulk)
    assert again.ok, again.as_text()
    assert [s.created + s.updated for s in again.sheets] == [0, 0, 0]
    assert (content(), AuditEntry.objects.count()) == before
    if not bulk:
        return
    audit = AuditEntry.objects.get(action="member.bulk_import")
    assert audit.after["people"] == 120
    assert audit.after["events"] == MemberEvent.objects.count()


def test_a_dry_run_on_the_bulk_path_writes_nothing(db, system):
    before = content(), AuditEntry.objects.count()
    report = import_file(
        scope=system, source=io.BytesIO(workbook(60)), filename="a.xlsx", bulk=True, dry_run=True
    )
    assert report.ok and not report.applied
    assert (content(), AuditEntry.objects.count()) == before


def _bad_file() -> bytes:
    people, events = histories(80)
    header = {key: index for index, key in enumerate(EVENTS)}
    first, second = people[1], people[2]
    people += [
        ["Lê Văn Tám", "12/05/1980", "Nam", "052180000001", "", "", "NB.CB"],  # CCCD: century
        ["Lê Văn Tám", "12/05/1980", "Nam", "", "", "", "Chi bộ Không Có"],  # unknown cell
        [first[0], first[1], first[2], first[3], "", "", "NB.TC"],  # CCCD twice in the file
        ["Trần Thị Bé", "31/02/1990", "Nữ", "", "", "", "NB.CB"],  # no such day
        ["Phạm Văn Út", "1990", "Nam", "", "", "", "NB"],  # not a cell
    ]
    blank = [""] * len(EVENTS)

    def event(number, kind, day, **cells):
        row = list(blank)
        row[header["Số CCCD"]] = number
        row[header["Sự kiện"]] = E(kind).label
        row[header["Ngày"]] = day
        for key, value in cells.items():
            row[header[key]] = value
        return row

    decided = {"Số quyết định": "99-QĐ/ĐUK", "Ngày quyết định": "01/02/2020",
               "Cơ quan ban hành": "Ban Thường vụ Đảng ủy Khối"}  # fmt: skip
    events += [
        event(first[3], E.ADMISSION, "01/03/2020", **decided),  # admitted twice
        event("052090009999", E.DEATH, "01/03/2020"),  # nobody has this CCCD
        event(second[3], E.TRANSFER_OUT, "01/03/2019", **{"Chi bộ chuyển đến": "NB.XX"}),
        event(second[3], E.BADGE_PROPOSAL, "01/03/2019", **{"Mốc Huy hiệu": 30}),  # not due
        event(second[3], E.DISCIPLINE, "01/03/2019", **decided, **{"Hình thức kỷ luật": "Xử lý"}),
        event(second[3], E.CARD_ISSUE, "01/03/2023", **{"Số thẻ đảng viên": "52000003"}),  # taken
    ]
    return simple({"Tổ chức": TREE, "Đảng viên": people, "Sự kiện": events})


def test_a_file_with_bad_rows_gets_the_same_report_on_both_paths(db):
    data = _bad_file()
    rows_report, rows_state, _ = imported(data, bulk=False)
    bulk_report, bulk_state, _ = imported(data, bulk=True)
    assert not rows_report.ok
    assert rows_report.error_count >= 10
    assert bulk_report.as_dict() == rows_report.as_dict()
    assert bulk_state == rows_state  # nothing written on either
    assert not Person.objects.exists()


def test_large_files_take_the_bulk_path_by_themselves(db, system, monkeypatch):
    from dangvu.exchange import bulk

    monkeypatch.setattr(bulk, "BULK_THRESHOLD", 100)
    report = import_file(scope=system, source=io.BytesIO(workbook(40)), filename="a.xlsx")
    assert report.ok
    assert AuditEntry.objects.filter(action="member.bulk_import").exists()
    assert not AuditEntry.objects.filter(action="person.create").exists()


@pytest.mark.parametrize("bulk", [False, True], ids=["rows", "bulk"])
def test_progress_is_reported_on_both_paths(db, system, bulk, monkeypatch):
    from dangvu.exchange import imports

    monkeypatch.setattr(imports, "PROGRESS_EVERY", 50)
    seen = []
    import_file(
        scope=system, source=io.BytesIO(workbook(40)), filename="a.xlsx", bulk=bulk,
        progress=lambda sheet, done: seen.append(done),
    )  # fmt: skip
    assert seen and seen == sorted(seen)
