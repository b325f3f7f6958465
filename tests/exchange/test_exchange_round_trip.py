"""The full-fidelity exchange (`dangvu export` / `dangvu import` of a .jsonl.gz): the round trip
gives the same file and the same figures, a second import changes nothing, conflicts are
reported and refuse the whole file, the replay of the rules refuses a broken history."""

import datetime as dt
import gzip
import io
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from dangvu.exchange import exchange_export, exchange_sql
from dangvu.exchange.exchange_export import export_to
from dangvu.exchange.exchange_format import FIELDS, MODELS, NOT_WRITTEN, REFERENCES
from dangvu.exchange.exchange_import import import_exchange
from dangvu.exchange.imports import import_file
from dangvu.members.candidates import candidate_register
from dangvu.members.models import MemberEvent, Person
from dangvu.organizations import services
from dangvu.organizations.models import Organization
from dangvu.organizations.models import OrganizationType as T
from dangvu.statistics import engine
from dangvu.statistics.periods import parse_period

from ..conftest import decision, establish
from .workbooks import messy_workbook

AT = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
AWKWARD = 'Quê "Bình Định" \\ \n\t\x01\x1f ✓ \u2028 \x7f'


def export(root=None, **options) -> bytes:
    buffer = io.BytesIO()
    export_to(buffer, root=root, exported_at=AT, source="kiem-thu", **options)
    return buffer.getvalue()


def lines(content: bytes) -> list[dict]:
    return [json.loads(line) for line in gzip.decompress(content).splitlines()]


def rewrite(content: bytes, change) -> bytes:
    head, *rows = lines(content)
    rows = [head, *(change(row) or row for row in rows)]
    text = "\n".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in rows)
    return gzip.compress((text + "\n").encode())


def load(system, content: bytes, **options):
    return import_exchange(
        scope=system, source=io.BytesIO(content), filename="du-lieu.jsonl.gz", **options
    )


def wipe() -> None:
    """Every row the format carries, deleted (the other installation, empty)."""
    from dangvu.access.models import Grant
    from dangvu.quality.models import PersonKey

    Organization.objects.update(parent=None)
    MODELS["organization_event"].objects.update(cause=None)
    PersonKey.objects.all().delete()
    Grant.objects.all().delete()
    for row_type in reversed(list(MODELS)):
        if row_type == "issued_report":
            continue  # none here: the table refuses to change its rows
        MODELS[row_type].objects.all().delete()


def figures(codes: list[str]) -> dict:
    out = {}
    for code in codes:
        root = Organization.objects.get(code=code)
        for period in ("2019", "2021-Q1", "2024-H1", "2025"):
            p = parse_period(period)
            out[code, period] = (engine.stocks(root, p.end), engine.flows(root, p))
    return out


@pytest.fixture
def province(tree, system):
    report = import_file(scope=system, source=io.BytesIO(messy_workbook()), filename="a.xlsx")
    assert report.ok, report.as_text()
    other = establish(
        system, "BD.DUK2", "Đảng bộ Khối doanh nghiệp", T.UPPER_COMMITTEE, tree["province"]
    )
    services.organization_move(
        scope=system,
        organization=tree["justice"],
        parent=other,
        effective_date=dt.date(2024, 7, 1),
        decision=decision(dt.date(2024, 6, 20), "45-QĐ/TU"),
    )
    candidate = Person.objects.filter(status="").first()
    if candidate is not None:
        candidate_register(scope=system, person=candidate, registered_on=dt.date(2025, 3, 1))
    return tree


def test_every_field_of_every_model_is_written_or_deliberately_left_out():
    for row_type, model in MODELS.items():
        written = {attribute for _, attribute, _ in FIELDS[row_type]}
        written |= {f"{name}_id" for name in REFERENCES[row_type]} | set(REFERENCES[row_type])
        written |= set(NOT_WRITTEN.get(row_type, ()))
        fields = {f.attname for f in model._meta.concrete_fields if not f.primary_key}
        assert fields <= written, (row_type, fields - written)


def test_the_round_trip_gives_the_same_file_and_the_same_figures(province, system):
    first = export()
    head, *rows = lines(first)
    assert head == {
        "format": "dangvu-exchange",
        "version": 1,
        "exported_at": "2026-01-02T03:04:05+00:00",
        "source": "kiem-thu",
        "root": None,
    }
    assert {"organization", "organization_version", "person", "member_event"} <= {
        r["type"] for r in rows
    }
    assert export() == first  # deterministic: the same bytes
    before = figures(["BD", "BD.DUK", "BD.YT"])
    wipe()
    assert not Person.objects.exists()
    report = load(system, first)
    assert report.ok, report.as_text()
    assert report.applied
    assert gzip.decompress(export()) == gzip.decompress(first)
    assert figures(["BD", "BD.DUK", "BD.YT"]) == before


def test_the_database_writes_the_same_lines_as_python(province, system):
    """On PostgreSQL the lines of persons, member events and membership periods are written by
    the database's SQL (exchange_sql), the details by Python: the same bytes as Python's path,
    for awkward text, missing values, times with and without microseconds, nested details."""
    if connection.vendor != "postgresql":
        pytest.skip("the database's path is PostgreSQL's")
    persons = Person.objects.order_by("pk")
    first, second, third = persons[0], persons[1], persons[2]
    Person.objects.filter(pk=first.pk).update(
        hometown=AWKWARD,
        other_names="Tý'",
        birth_month=None,
        birth_day=None,
        created_at=dt.datetime(999, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        updated_at=dt.datetime(2024, 1, 2, 3, 4, 5, 120000, tzinfo=dt.UTC),
    )
    Person.objects.filter(pk=second.pk).update(citizen_id=None, card_number="")
    Person.objects.filter(pk=third.pk).update(
        citizen_id=None,
        card_number=None,
        created_at=dt.datetime(2020, 5, 6, 7, 8, 9, 10, tzinfo=dt.timezone(dt.timedelta(hours=7))),
    )
    events = MemberEvent.objects.filter(person__in=[first, second, third]).order_by("pk")
    assert events.count() >= 2
    MemberEvent.objects.filter(pk=events[0].pk).update(
        details={
            "z": [{"b": 1, "a": 2.5, "é": None}],
            "a": 'x"y',
            "to": Organization.objects.first().pk,
        },
        recorded_at=dt.datetime(2024, 1, 2, 3, 4, 5, 1, tzinfo=dt.UTC),
        override_reason="lý do\r\n",
    )
    MemberEvent.objects.filter(pk=events[1].pk).update(details={"to": 10**9, "ngày": "1/2"})
    python = gzip.decompress(export(in_database=False))
    assert gzip.decompress(export(in_database=True)) == python
    written = json.dumps({"hometown": AWKWARD}, ensure_ascii=False, separators=(",", ":"))
    assert written[1:-1].encode() in python
    root = Organization.objects.get(code="BD.YT")
    assert gzip.decompress(export(root, in_database=True)) == gzip.decompress(
        export(root, in_database=False)
    )


@pytest.mark.django_db(transaction=True)
def test_connections_sharing_the_snapshot_write_the_same_file(province, monkeypatch):
    """Outside a transaction of the caller's, the export copies the batches of persons with
    connections of their own that take its snapshot, several batches at a time: the same file,
    to the gzip bytes, and a change committed once the export has begun is not in it."""
    if connection.vendor != "postgresql":
        pytest.skip("the database's path is PostgreSQL's")
    monkeypatch.setattr(exchange_export, "PERSON_BATCH", 2)  # several batches in flight
    python = export(in_database=False)
    person = Person.objects.order_by("pk").first()
    opened = []
    open_worker = exchange_sql.PersonLines._worker_connection

    def commit_then_open(snapshot):
        if not opened:  # another session commits a change after the export's snapshot
            other = connection.get_new_connection(connection.get_connection_params())
            other.autocommit = True
            other.execute(
                "UPDATE members_person SET hometown = 'Nơi khác' WHERE id = %s", [person.pk]
            )
            other.close()
        opened.append(snapshot)
        return open_worker(snapshot)

    monkeypatch.setattr(
        exchange_sql.PersonLines, "_worker_connection", staticmethod(commit_then_open)
    )
    assert export(workers=3) == python
    assert len(opened) == 3
    assert Person.objects.get(pk=person.pk).hometown == "Nơi khác"
    assert gzip.decompress(export(in_database=False)) != gzip.decompress(python)


def test_importing_the_same_file_twice_changes_nothing(province, system, snapshot):
    content = export()
    before = snapshot()
    report = load(system, content)
    assert report.ok, report.as_text()
    assert sum(s.created for s in report.sheets) == 0
    assert snapshot() == before  # not even an audit row


def test_a_citizen_id_with_other_data_is_a_conflict_and_nothing_is_written(
    province, system, snapshot
):
    content = export()
    person = Person.objects.exclude(citizen_id=None).first()

    def rename(row):
        if row["type"] == "person" and row["key"] == ["cccd", person.citizen_id]:
            row["data"]["full_name"] = "Trần Thị Khác"

    before = snapshot()
    report = load(system, rewrite(content, rename))
    assert not report.ok
    codes = {(e.code, e.column) for e in report.errors}
    assert ("exchange.PERSON_DIFFERS", f'["cccd","{person.citizen_id}"]') in codes
    message = next(e.message for e in report.errors if e.code == "exchange.PERSON_DIFFERS")
    assert f"Số CCCD {person.citizen_id} đã có" in message
    assert "họ và tên" in message
    assert snapshot() == before


def test_an_organisation_code_with_another_history_is_a_conflict(province, system, snapshot):
    content = export()

    def other(row):
        if row["type"] == "organization_version" and row["key"][0] == "BD.TP":
            row["data"]["name"] = "Chi bộ khác"

    before = snapshot()
    report = load(system, rewrite(content, other))
    assert not report.ok
    assert {e.code for e in report.errors} == {"exchange.HISTORY_DIFFERS"}
    assert all("BD.TP" in e.column for e in report.errors)
    assert snapshot() == before


def test_a_history_the_rules_refuse_refuses_the_whole_file(province, system):
    content = export()
    wipe()

    def early(row):
        if row["type"] == "member_event" and row["data"]["kind"] == "recognition":
            row["data"]["effective_date"] = "1990-01-01"  # before the admission

    report = load(system, rewrite(content, early))
    assert not report.ok
    assert [(e.code, e.row > 1) for e in report.errors if e.sheet == "lý lịch"], report.as_text()
    assert any(e.sheet == "lý lịch" for e in report.errors), report.as_text()
    assert not Organization.objects.exists()


def test_a_subtree_carries_the_ancestors_it_names(province, system):
    content = export(root=Organization.objects.get(code="BD.YT"))
    rows = lines(content)
    assert rows[0]["root"] == "BD.YT"
    orgs = {r["key"]: r["data"]["partial"] for r in rows[1:] if r["type"] == "organization"}
    assert orgs["BD.YT"] is False
    assert orgs["BD"] is True  # an ancestor: its versions only
    assert not any(r["type"] == "organization_event" and r["key"][0] == "BD" for r in rows[1:])
    wipe()
    report = load(system, content)
    assert report.ok, report.as_text()
    assert gzip.decompress(export(root=Organization.objects.get(code="BD.YT"))) == (
        gzip.decompress(content)
    )


def test_the_commands_export_and_import(province, tmp_path):
    path = tmp_path / "toan-bo.jsonl.gz"
    out = StringIO()
    call_command("export", "-o", str(path), stdout=out)
    assert "Đã ghi" in out.getvalue()
    out = StringIO()
    call_command("import", str(path), stdout=out, stderr=StringIO())
    assert "Đã nhập toàn bộ tệp." in out.getvalue()
    assert "đã có" in out.getvalue()
    broken = tmp_path / "hong.jsonl.gz"
    broken.write_bytes(
        rewrite(
            path.read_bytes(), lambda r: r["data"].update(name="Khác") if r["key"] == "BD" else None
        )
    )
    with pytest.raises(CommandError):
        call_command("import", str(broken), stdout=StringIO(), stderr=StringIO())
