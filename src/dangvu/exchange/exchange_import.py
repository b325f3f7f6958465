"""`dangvu import` of an exchange file (exchange_format, docs/exchange.md): merges another
installation's data (or a subtree of it) into this one.

One transaction, all or nothing. Rows are matched by their natural keys: a row already present
with the same content is skipped (so importing a file twice changes nothing); one present with
other content (an organisation code with another history, a citizen ID with other personal
data, a person whose events differ) is a conflict, reported with its line, key, a stable code
and a Vietnamese message, and nothing is written. New rows are written in bulk, type by type
in the order of the file, their references mapped from natural keys to this installation's
ids; the recording times are kept as they were. Then every imported person's history is
replayed with the rules (members.history.replay, as lifecycle.person_state does) and must
give the status, cell, dates and membership periods the file holds: any failure refuses the
file. A file that wrote anything leaves one audit row.

An organisation marked `partial` (named by the rows of a subtree, not part of it) that this
installation already holds is taken as it is here; one it lacks is written with its versions.
"""

import gzip
import hashlib
import io
import json
from collections.abc import Callable
from functools import lru_cache
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction

from dangvu.access.models import AuditEntry
from dangvu.access.scopes import Scope
from dangvu.core.errors import DomainError, Forbidden
from dangvu.core.models import Decision
from dangvu.core.names import NameParts, sort_key
from dangvu.members import services as member_services
from dangvu.members.history import replay
from dangvu.members.lifecycle import PROJECTION
from dangvu.members.models import (
    MemberEvent,
    MembershipPeriod,
    Person,
    RuleParameter,
)
from dangvu.members.parameters import load_parameters
from dangvu.members.rules import PartialDate
from dangvu.organizations import history as organization_history
from dangvu.organizations.models import (
    CommitteeConsolidation,
    CommitteeSeat,
    CommitteeTerm,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
)
from dangvu.organizations.paths import segment
from dangvu.planning.models import Target
from dangvu.reports.models import IssuedReport

from . import exchange_format as fmt
from .exchange_export import PERSON_KEY_COLUMNS, Exporter, person_key
from .report import ImportReport, RowError, SheetSummary

Progress = Callable[[str, int], None]
BATCH = 1000
PROGRESS_EVERY = 20000
ORG_CHILDREN = (
    "organization_version",
    "organization_event",
    "committee_term",
    "committee_consolidation",
    "committee_seat",
    "target",
    "issued_report",
)
PERSON_CHILDREN = ("person_photo", "member_event", "membership_period", "candidate", "sponsor")
ADMISSION_KINDS = ("admission", "readmission")


class ExchangeReport(ImportReport):
    """The report of an exchange import: a summary per row type (as `sheets`) and every
    conflict with its line in the file (as `row`) and its key (as `column`)."""

    def as_text(self) -> str:
        n = fmt_number
        lines = [f"Tệp: {self.filename}" + (" (chạy thử, không ghi)" if self.dry_run else "")]
        for summary in self.sheets:
            lines.append(
                f"{summary.name.capitalize()}: {n(summary.rows)} dòng; {n(summary.created)} thêm "
                f"mới, {n(summary.skipped)} đã có, {n(summary.rejected)} xung đột."
            )
        lines += [f"Lưu ý: {notice}" for notice in self.notices]
        if self.errors:
            lines.append(f"Xung đột, lỗi ({n(self.error_count)}):")
            for error in self.errors:
                where = f"Dòng {error.row} ({error.sheet}" + (
                    f", khóa {error.column})" if error.column else ")"
                )
                lines.append(f"  {where}: {error.message} [{error.code}]")
            if self.error_count > len(self.errors):
                lines.append(f"  … và {n(self.error_count - len(self.errors))} lỗi khác.")
        lines.append(self.summary())
        return "\n".join(lines)


def fmt_number(value: int) -> str:
    from dangvu.core.formatting import format_number

    return format_number(value)


def read_header(source: IO[bytes]) -> dict[str, Any]:
    """The header of an exchange file, checked (format and version)."""
    line = gzip.GzipFile(fileobj=source).readline()
    try:
        head = json.loads(line)
    except ValueError:
        head = None
    if not isinstance(head, dict) or head.get("format") != fmt.FORMAT:
        raise DomainError(
            "exchange.NOT_AN_EXCHANGE_FILE",
            "Tệp không phải tệp trao đổi dữ liệu của dangvu (dòng đầu không có tiêu đề).",
        )
    if head.get("version") != fmt.VERSION:
        raise DomainError(
            "exchange.UNSUPPORTED_VERSION",
            f"Tệp trao đổi dữ liệu phiên bản {head.get('version')}: phiên bản này của dangvu "
            f"chỉ đọc được phiên bản {fmt.VERSION}.",
        )
    return head


def import_exchange(
    *,
    scope: Scope,
    source: IO[bytes],
    filename: str,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ExchangeReport:
    """Merge the file into this installation, or nothing (see the module's docstring)."""
    if not scope.unrestricted:
        raise Forbidden(
            "access.ROLE_REQUIRED",
            "Chỉ quản trị hệ thống mới nhập được tệp trao đổi dữ liệu đầy đủ.",
        )
    if not hasattr(source, "seek"):
        source = io.BytesIO(source.read())
    source.seek(0)
    head = read_header(source)
    source.seek(0)
    report = ExchangeReport(filename=filename, dry_run=dry_run)
    digest = hashlib.sha256()
    with transaction.atomic():
        merge = _Merge(report, progress)
        with gzip.GzipFile(fileobj=source) as stream:
            stream.readline()
            for number, line in enumerate(stream, start=2):
                digest.update(line)
                if not line.strip():
                    continue
                merge.row(number, line)
        merge.finish()
        if report.ok and merge.written:
            AuditEntry.objects.create(
                actor=scope.user if scope.user_id else None,
                action="exchange.import",
                object_type="exchange.file",
                object_id=digest.hexdigest()[:16],
                object_repr=filename[:255],
                after={
                    "header": head,
                    "created": {s.kind: s.created for s in report.sheets if s.created},
                    "skipped": {s.kind: s.skipped for s in report.sheets if s.skipped},
                },
            )
        if dry_run or not report.ok:
            transaction.set_rollback(True)
    if merge.wrote_versions:
        organization_history.generation += 1
    report.applied = not dry_run and report.ok
    return report


class _Conflict(Exception):
    def __init__(self, code: str, message: str) -> None:
        self.code, self.message = code, message


def _differences(row_type: str, ours: dict, theirs: dict) -> list[str]:
    names = sorted((set(ours) | set(theirs)) - fmt.NOT_COMPARED - {"partial"})
    return [name for name in names if ours.get(name) != theirs.get(name)]


def _key_text(key: Any) -> str:
    return json.dumps(key, ensure_ascii=False, separators=(",", ":"))


class _Merge:
    def __init__(self, report: ExchangeReport, progress: Progress | None) -> None:
        self.report = report
        self.progress = progress
        self.summaries: dict[str, SheetSummary] = {}
        self.buffers: dict[str, list[tuple[int, Any, dict]]] = {t: [] for t in fmt.TYPES}
        self.position = -1  # the last type seen, as its index in fmt.TYPES
        self.finished: set[str] = set()
        self.exporter = Exporter()  # renders what this installation holds, to compare
        self.written = False
        self.wrote_versions = False
        self.rows = 0
        users = get_user_model()
        self.user_ids = dict(users.objects.values_list(users.USERNAME_FIELD, "id"))
        # natural key -> id here
        self.org_ids: dict[str, int] = dict(Organization.objects.values_list("code", "id"))
        self.decision_ids: dict[tuple, int] = {}
        self.person_ids: dict[tuple, int] = {}
        self.ids: dict[str, dict[tuple, int]] = {t: {} for t in fmt.TYPES}
        # parents present here with the same content: their rows are compared, not written
        self.matched_orgs: set[str] = set()
        self.partial_orgs: set[str] = set()  # partial in the file and present here: as here
        self.matched_persons: set[tuple] = set()
        self.rejected: set[Any] = set()  # keys of rows in conflict: their children are skipped
        self.ours: dict[str, dict[tuple, dict]] = {t: {} for t in fmt.TYPES}  # rows held here
        self.new_persons: dict[int, int] = {}  # id -> line
        self.pending_parents: list[tuple[Organization, str, int]] = []
        self.pending_causes: list[tuple[OrganizationEvent, tuple, int]] = []
        self.pending_amends: list[tuple[Any, tuple, int]] = []
        self.deferred: list[tuple[int, Any, dict]] = []  # sponsors naming a later person
        self.sponsors: list[Any] = []  # written last, when every person is known

    # reading --------------------------------------------------------------------------------

    def row(self, number: int, line: bytes) -> None:
        try:
            row = json.loads(line)
            row_type, key, data = row["type"], row["key"], row["data"]
            position = fmt.TYPES.index(row_type)
        except (ValueError, KeyError, TypeError):
            self.error("", number, None, "exchange.INVALID_LINE", "Dòng không đúng định dạng.")
            return
        summary = self._summary(row_type)
        summary.rows += 1
        if position != self.position:
            for earlier in fmt.TYPES[:position]:
                self.flush(earlier)
            if position > self.position:
                for done in fmt.TYPES[:position]:
                    self._finish_type(done)
            self.position = position
        buffer = self.buffers[row_type]
        buffer.append((number, key, data))
        if len(buffer) >= BATCH:
            self.flush(row_type)
        self.rows += 1
        if self.progress is not None and self.rows % PROGRESS_EVERY == 0:
            self.progress(fmt.LABELS[row_type], self.rows)

    def _summary(self, row_type: str) -> SheetSummary:
        if row_type not in self.summaries:
            self.summaries[row_type] = SheetSummary(
                name=fmt.LABELS[row_type], kind=row_type, header_row=1
            )
            self.report.sheets.append(self.summaries[row_type])
        return self.summaries[row_type]

    def error(self, row_type: str, number: int, key: Any, code: str, message: str) -> None:
        if row_type:
            self._summary(row_type).rejected += 1
        self.report.add_error(
            RowError(
                sheet=fmt.LABELS.get(row_type, ""),
                row=number,
                column="" if key is None else _key_text(key),
                cell="",
                code=code,
                message=message,
            )
        )

    def finish(self) -> None:
        for row_type in fmt.TYPES:
            self.flush(row_type)
            self._finish_type(row_type)
        for number, key, data in self.deferred:
            self._sponsor(number, key, data, final=True)
        self._insert(self.sponsors, "sponsor")
        for row_type, rows in self.ours.items():
            for key, _ in rows.items():
                self.error(
                    row_type,
                    0,
                    fmt.thaw(key),
                    "exchange.HISTORY_DIFFERS",
                    f"Cơ sở dữ liệu có {fmt.LABELS[row_type]} này mà tệp không có: lịch sử "
                    "trong tệp khác với lịch sử đã có.",
                )
        if self.report.ok:
            self.validate()

    # writing --------------------------------------------------------------------------------

    def flush(self, row_type: str) -> None:
        rows = self.buffers[row_type]
        if not rows:
            return
        self.buffers[row_type] = []
        getattr(self, f"_flush_{row_type}")(rows)

    def _insert(self, items: list, row_type: str) -> None:
        """Write new rows as they are (raw: the recording times of the file are kept)."""
        objs = [obj for obj in items if isinstance(obj, fmt.MODELS[row_type])]
        if not objs:
            return
        model = fmt.MODELS[row_type]
        opts = model._meta
        fields = [f for f in opts.concrete_fields if not f.primary_key]
        size = max(connection.ops.bulk_batch_size(fields, objs), 1)
        try:
            with transaction.atomic():
                for start in range(0, len(objs), size):
                    chunk = objs[start : start + size]
                    returned = model._base_manager._insert(
                        chunk, fields=fields, returning_fields=opts.db_returning_fields, raw=True
                    )
                    for obj, values in zip(chunk, returned, strict=True):
                        obj.pk = values[0]
                        obj._state.adding = False
        except DatabaseError as error:
            self.error(
                row_type,
                0,
                None,
                "exchange.ROWS_REFUSED",
                f"Cơ sở dữ liệu từ chối ghi {fmt.LABELS[row_type]}: {error}",
            )
            return
        self._summary(row_type).created += len(objs)
        self.written = True

    def _values(self, row_type: str, number: int, key: Any, data: dict) -> dict[str, Any]:
        """The model's attributes from a row's data (references mapped to ids here)."""
        values: dict[str, Any] = {}
        for name, attribute, codec in fmt.FIELDS[row_type]:
            value = data.get(name)
            if codec == fmt.DATE:
                value = fmt.read_date(value)
            elif codec == fmt.DATETIME:
                value = fmt.read_datetime(value)
            elif codec == fmt.BINARY:
                value = fmt.read_binary(value)
            elif codec == fmt.ORG:
                value = self.org(value)
            elif codec == fmt.DECISION:
                value = self.decision(value)
            elif codec == fmt.USER:
                value = self.user_ids.get(value) if value is not None else None
            values[attribute] = value
        return values

    def org(self, code: str | None) -> int | None:
        if code is None:
            return None
        if code not in self.org_ids:
            raise _Conflict(
                "exchange.UNKNOWN_ORGANIZATION",
                f"Tổ chức đảng mã «{code}» không có trong tệp và cơ sở dữ liệu.",
            )
        return self.org_ids[code]

    def decision(self, key: list | None) -> int | None:
        if key is None:
            return None
        found = self.decision_ids.get(fmt.freeze(key))
        if found is None:
            raise _Conflict(
                "exchange.UNKNOWN_DECISION",
                f"Quyết định «{key[0]}» ngày {key[1]} không có trong tệp.",
            )
        return found

    def _build(self, row_type: str, number: int, key: Any, data: dict, /, **extra: Any):
        try:
            values = self._values(row_type, number, key, data) | extra
        except _Conflict as conflict:
            self.error(row_type, number, key, conflict.code, conflict.message)
            return None
        return fmt.MODELS[row_type](**values)

    def _compare(self, row_type: str, number: int, key: Any, data: dict, what: str) -> bool:
        """A row whose parent is present here: it must be one of the rows held here."""
        ours = self.ours[row_type].pop(fmt.freeze(key), None)
        if ours is None:
            self.error(
                row_type,
                number,
                key,
                "exchange.HISTORY_DIFFERS",
                f"{what} đã có trong cơ sở dữ liệu với lịch sử khác: "
                f"cơ sở dữ liệu không có {fmt.LABELS[row_type]} này.",
            )
            return False
        different = _differences(row_type, ours, data)
        if different:
            labels = ", ".join(fmt.field_label(row_type, name) for name in different)
            self.error(
                row_type,
                number,
                key,
                "exchange.HISTORY_DIFFERS",
                f"{what} đã có trong cơ sở dữ liệu với {fmt.LABELS[row_type]} khác ({labels}).",
            )
            return False
        self._summary(row_type).skipped += 1
        return True

    def _hold(self, rows) -> None:
        """Keep what this installation holds under matched parents, to compare."""
        for row_type, key, data in rows:
            self.ours[row_type][fmt.freeze(key)] = data

    # root types -----------------------------------------------------------------------------

    def _flush_rule_parameter(self, rows) -> None:
        keys = {(k[0], k[1]) for _, k, _ in rows}
        here = {
            fmt.freeze(key): data
            for key, data in self.exporter.rule_parameters(
                RuleParameter.objects.filter(key__in={k for k, _ in keys})
            )
        }
        new = []
        for number, key, data in rows:
            ours = here.get(fmt.freeze(key))
            if ours is not None:
                if _differences("rule_parameter", ours, data):
                    self.error(
                        "rule_parameter",
                        number,
                        key,
                        "exchange.PARAMETER_DIFFERS",
                        f"Tham số «{key[0]}» từ ngày {key[1]} đã có với giá trị khác.",
                    )
                else:
                    self._summary("rule_parameter").skipped += 1
                continue
            obj = self._build(
                "rule_parameter",
                number,
                key,
                data,
                key=key[0],
                effective_from=fmt.read_date(key[1]),
            )
            new.append(obj)
        self._insert(new, "rule_parameter")

    def _flush_decision(self, rows) -> None:
        dates = {fmt.read_date(k[1]) for _, k, _ in rows}
        here = {
            (s, d.isoformat(), b): (i, summary)
            for i, s, d, b, summary in Decision.objects.filter(date__in=dates).values_list(
                "id", "symbol", "date", "issuing_body", "summary"
            )
        }
        new: list[tuple[tuple, Decision]] = []
        for number, key, data in rows:
            frozen = fmt.freeze(key)
            if frozen in here:
                found, summary = here[frozen]
                if summary and data.get("summary") and summary != data["summary"]:
                    self.error(
                        "decision",
                        number,
                        key,
                        "exchange.DECISION_DIFFERS",
                        f"Quyết định «{key[0]}» ngày {key[1]} của {key[2]} đã có với trích yếu "
                        "khác.",
                    )
                self.decision_ids[frozen] = found
                self._summary("decision").skipped += 1
                continue
            obj = self._build(
                "decision",
                number,
                key,
                data,
                symbol=key[0],
                date=fmt.read_date(key[1]),
                issuing_body=key[2],
            )
            new.append((frozen, obj))
        self._insert([obj for _, obj in new], "decision")
        for frozen, obj in new:
            if obj.pk is not None:
                self.decision_ids[frozen] = obj.pk

    def _flush_organization(self, rows) -> None:
        codes = [key for _, key, _ in rows]
        here = dict(self.exporter.organizations(Organization.objects.filter(code__in=codes), set()))
        new, matched = [], []
        for number, key, data in rows:
            if key in here:
                if data.get("partial"):
                    self.partial_orgs.add(key)
                    self._summary("organization").skipped += 1
                    continue
                different = _differences("organization", here[key], data)
                if different:
                    self.rejected.add(key)
                    labels = ", ".join(fmt.field_label("organization", n) for n in different)
                    self.error(
                        "organization",
                        number,
                        key,
                        "exchange.ORGANIZATION_DIFFERS",
                        f"Mã tổ chức «{key}» đã có trong cơ sở dữ liệu với thông tin khác "
                        f"({labels}).",
                    )
                    continue
                self.matched_orgs.add(key)
                matched.append(self.org_ids[key])
                self._summary("organization").skipped += 1
                continue
            values = {n: data.get(n) for n, _, _ in fmt.FIELDS["organization"]}
            obj = Organization(
                code=key,
                name=values["name"],
                type=values["type"],
                sector=values["sector"],
                province_code=values["province_code"],
                address=values["address"],
                established_on=fmt.read_date(values["established_on"]),
                dissolved_on=fmt.read_date(values["dissolved_on"]),
            )
            new.append(obj)
            if values["parent"] is not None:
                self.pending_parents.append((obj, values["parent"], number))
        self._insert(new, "organization")
        for obj in new:
            if obj.pk is not None:
                self.org_ids[obj.code] = obj.pk
        if matched:
            self._hold_organizations(matched)

    def _hold_organizations(self, ids: list[int]) -> None:
        e = self.exporter
        for row_type, rows in (
            ("organization_version", e.versions(_of(OrganizationVersion, ids))),
            ("organization_event", e.organization_events(_of(OrganizationEvent, ids))),
            ("committee_term", e.terms(_of(CommitteeTerm, ids))),
            ("committee_consolidation", e.consolidations(_of(CommitteeConsolidation, ids))),
            ("committee_seat", e.seats(_of(CommitteeSeat, ids, "term__organization_id"))),
            ("target", e.targets(_of(Target, ids))),
            ("issued_report", e.issued_reports(_of(IssuedReport, ids))),
        ):
            self._hold((row_type, key, data) for key, data in rows)

    def _finish_type(self, row_type: str) -> None:
        if row_type in self.finished:
            return
        self.finished.add(row_type)
        if row_type == "organization":
            changed = []
            for obj, code, number in self.pending_parents:
                try:
                    obj.parent_id = self.org(code)
                except _Conflict as conflict:
                    self.error("organization", number, obj.code, conflict.code, conflict.message)
                    continue
                changed.append(obj)
            Organization.objects.bulk_update(changed, ["parent"], batch_size=BATCH)
        elif row_type == "organization_event":
            changed = []
            for obj, key, number in self.pending_causes:
                found = self.ids["organization_event"].get(key) or self._event_here(key)
                if found is None:
                    self.report.notices.append(
                        f"Dòng {number}: sự kiện gây ra {_key_text(fmt.thaw(key))} không có trong "
                        "tệp, không ghi liên kết."
                    )
                    continue
                obj.cause_id = found
                changed.append(obj)
            OrganizationEvent.objects.bulk_update(changed, ["cause"], batch_size=BATCH)
        elif row_type == "issued_report":
            # issued reports refuse UPDATE: those amending others are written last, each after
            # the one it amends
            pending = self.pending_amends
            while pending:
                ready, waiting = [], []
                for obj, key, number in pending:
                    found = self.ids["issued_report"].get(key) or self._report_here(key)
                    if found is None:
                        waiting.append((obj, key, number))
                        continue
                    obj.amends_id = found
                    ready.append((fmt.freeze([obj_code(obj), obj.period_code, obj.version]), obj))
                if not ready:
                    for _, key, number in waiting:
                        self.error(
                            "issued_report",
                            number,
                            fmt.thaw(key),
                            "exchange.UNKNOWN_REFERENCE",
                            "Báo cáo được thay thế không có trong tệp.",
                        )
                    break
                self._insert([obj for _, obj in ready], "issued_report")
                self._remember("issued_report", ready)
                pending = waiting

    def _event_here(self, key: tuple) -> int | None:
        code, n = key
        if code not in self.org_ids:
            return None
        ids = OrganizationEvent.objects.filter(organization_id=self.org_ids[code]).order_by(
            "effective_date", "id"
        )
        found = list(ids.values_list("id", flat=True)[n - 1 : n])
        return found[0] if found else None

    def _report_here(self, key: tuple) -> int | None:
        code, period, version = key
        found = IssuedReport.objects.filter(
            organization__code=code, period_code=period, version=version
        ).values_list("id", flat=True)
        return next(iter(found), None)

    # organisation children ------------------------------------------------------------------

    def _org_rows(self, row_type: str, rows):
        """The rows to write: those of new organisations; those of matched ones are compared."""
        for number, key, data in rows:
            code = key if isinstance(key, str) else key[0]
            if code in self.rejected or code in self.partial_orgs:
                continue
            if code in self.matched_orgs:
                self._compare(row_type, number, key, data, f"Tổ chức đảng mã «{code}»")
                continue
            yield number, key, data

    def _flush_organization_version(self, rows) -> None:
        new = []
        for number, key, data in self._org_rows("organization_version", rows):
            try:
                path = "".join(segment(self.org(code)) for code in data["path"])
            except _Conflict as conflict:
                self.error("organization_version", number, key, conflict.code, conflict.message)
                continue
            obj = self._build(
                "organization_version",
                number,
                key,
                data,
                organization_id=self.org_ids.get(key[0]),
                valid_from=fmt.read_date(key[1]),
                path=path,
            )
            new.append(obj)
        self._insert(new, "organization_version")
        self.wrote_versions = self.wrote_versions or bool(new)

    def _org_json(self, value: dict) -> dict:
        value = dict(value)
        if "parent" in value:
            value["parent_id"] = self.org(value.pop("parent"))
        if "sources" in value:
            value["sources"] = sorted(self.org(code) for code in value["sources"])
        return value

    def _flush_organization_event(self, rows) -> None:
        new = []
        for number, key, data in self._org_rows("organization_event", rows):
            try:
                changes, previous = (
                    self._org_json(data["changes"]),
                    self._org_json(data["previous"]),
                )
            except _Conflict as conflict:
                self.error("organization_event", number, key, conflict.code, conflict.message)
                continue
            obj = self._build(
                "organization_event",
                number,
                key,
                data,
                organization_id=self.org_ids.get(key[0]),
                changes=changes,
                previous=previous,
            )
            if obj is not None:
                new.append((fmt.freeze(key), obj))
                if data.get("cause") is not None:
                    self.pending_causes.append((obj, fmt.freeze(data["cause"]), number))
        self._insert([obj for _, obj in new], "organization_event")
        self._remember("organization_event", new)

    def _remember(self, row_type: str, new: list[tuple[tuple, Any]]) -> None:
        for frozen, obj in new:
            if obj is not None and obj.pk is not None:
                self.ids[row_type][frozen] = obj.pk

    def _flush_committee_term(self, rows) -> None:
        new = []
        for number, key, data in self._org_rows("committee_term", rows):
            obj = self._build(
                "committee_term",
                number,
                key,
                data,
                organization_id=self.org_ids.get(key[0]),
                start_date=fmt.read_date(key[1]),
            )
            new.append((fmt.freeze(key), obj))
        self._insert([obj for _, obj in new], "committee_term")
        self._remember("committee_term", new)

    def _ref(self, row_type: str, key: Any, what: str) -> int | None:
        if key is None:
            return None
        found = self.ids[row_type].get(fmt.freeze(key))
        if found is None:
            raise _Conflict(
                "exchange.UNKNOWN_REFERENCE", f"{what} {_key_text(key)} không có trong tệp."
            )
        return found

    def _flush_committee_consolidation(self, rows) -> None:
        new = []
        for number, key, data in self._org_rows("committee_consolidation", rows):
            try:
                term = self._ref("committee_term", data["term"], "Nhiệm kỳ")
            except _Conflict as conflict:
                self.error("committee_consolidation", number, key, conflict.code, conflict.message)
                continue
            obj = self._build(
                "committee_consolidation",
                number,
                key,
                data,
                organization_id=self.org_ids.get(key[0]),
                term_id=term,
            )
            new.append((fmt.freeze(key), obj))
        self._insert([obj for _, obj in new], "committee_consolidation")
        self._remember("committee_consolidation", new)

    def _flush_committee_seat(self, rows) -> None:
        new = []
        for number, key, data in self._org_rows("committee_seat", rows):
            try:
                term = self._ref("committee_term", key[:2], "Nhiệm kỳ")
                consolidation = self._ref(
                    "committee_consolidation", data.get("consolidation"), "Lượt kiện toàn"
                )
            except _Conflict as conflict:
                self.error("committee_seat", number, key, conflict.code, conflict.message)
                continue
            new.append(
                self._build(
                    "committee_seat",
                    number,
                    key,
                    data,
                    term_id=term,
                    consolidation_id=consolidation,
                )
            )
        self._insert(new, "committee_seat")

    def _flush_target(self, rows) -> None:
        new = [
            self._build(
                "target",
                number,
                key,
                data,
                organization_id=self.org_ids.get(key[0]),
                year=key[1],
                indicator=key[2],
            )
            for number, key, data in self._org_rows("target", rows)
        ]
        self._insert(new, "target")

    def _flush_issued_report(self, rows) -> None:
        new = []
        for number, key, data in self._org_rows("issued_report", rows):
            obj = self._build(
                "issued_report",
                number,
                key,
                data,
                organization_id=self.org_ids.get(key[0]),
                period_code=key[1],
                version=key[2],
            )
            if obj is None:
                continue
            if data.get("amends") is not None:
                self.pending_amends.append((obj, fmt.freeze(data["amends"]), number))
                continue
            new.append((fmt.freeze(key), obj))
        self._insert([obj for _, obj in new], "issued_report")
        self._remember("issued_report", new)

    # persons ----------------------------------------------------------------------------------

    def _persons_here(self, keys: list[list]) -> dict[tuple, dict]:
        """The persons held here under the keys: id and the row as exported."""
        citizen = [k[1] for k in keys if k[0] == "cccd"]
        cards = [k[1] for k in keys if k[0] == "the"]
        codes = {k[1] for k in keys if k[0] == "ls"}
        found = Person.objects.none()
        if citizen:
            found |= Person.objects.filter(citizen_id__in=citizen)
        if cards:
            found |= Person.objects.filter(citizen_id=None, card_number__in=cards)
        if codes:
            found |= Person.objects.filter(
                citizen_id=None, card_number=None, organization__code__in=codes
            )
        rows = found.values(*self.exporter.columns("person", "id", *PERSON_KEY_COLUMNS))
        return {
            fmt.freeze(person_key(row[c] for c in PERSON_KEY_COLUMNS)): row
            for row in rows.iterator(chunk_size=BATCH)
        }

    def _flush_person(self, rows) -> None:
        here = self._persons_here([key for _, key, _ in rows])
        cards = {
            data["card_number"]: (number, key)
            for number, key, data in rows
            if data.get("card_number")
        }
        taken = dict(
            Person.objects.filter(card_number__in=list(cards)).values_list(
                "card_number", "citizen_id"
            )
        )
        new, matched = [], []
        for number, key, data in rows:
            frozen = fmt.freeze(key)
            if frozen in here:
                ours = self.exporter.data("person", here[frozen])
                different = _differences("person", ours, data)
                if different:
                    self.rejected.add(frozen)
                    labels = ", ".join(fmt.field_label("person", n) for n in different)
                    self.error(
                        "person",
                        number,
                        key,
                        "exchange.PERSON_DIFFERS",
                        f"{_person_text(key)} đã có trong cơ sở dữ liệu với thông tin khác "
                        f"({labels}): hãy đối chiếu hai lý lịch.",
                    )
                    continue
                self.person_ids[frozen] = here[frozen]["id"]
                self.matched_persons.add(frozen)
                matched.append(here[frozen])
                self._summary("person").skipped += 1
                continue
            card = data.get("card_number")
            if card and card in taken:
                self.rejected.add(frozen)
                self.error(
                    "person",
                    number,
                    key,
                    "exchange.CARD_NUMBER_TAKEN",
                    f"Số thẻ đảng viên {card} đã có trong một lý lịch khác của cơ sở dữ liệu.",
                )
                continue
            obj = self._build("person", number, key, data)
            if obj is None:
                self.rejected.add(frozen)
                continue
            parts = NameParts(obj.family_name, obj.middle_name, obj.given_name)
            obj.name_sort_key = sort_key(parts)
            obj.search_text = member_services.search_text(obj)
            new.append((frozen, number, obj))
        self._insert([obj for _, _, obj in new], "person")
        for frozen, number, obj in new:
            if obj.pk is not None:
                self.person_ids[frozen] = obj.pk
                self.new_persons[obj.pk] = number
        if matched:
            rendered = self.exporter.person_batch(matched)
            self._hold(row for row in rendered if row[0] != "person")

    def _person_rows(self, row_type: str, rows):
        for number, key, data in rows:
            person = fmt.freeze(key if row_type == "person_photo" else key[:-1])
            if row_type == "sponsor":
                person = fmt.freeze(key[:-2])
            if person in self.rejected:
                continue
            if person in self.matched_persons:
                self._compare(row_type, number, key, data, _person_text(fmt.thaw(person)))
                continue
            if person not in self.person_ids:
                self.error(
                    row_type,
                    number,
                    key,
                    "exchange.UNKNOWN_REFERENCE",
                    f"{_person_text(fmt.thaw(person))} không có trong tệp.",
                )
                continue
            yield number, key, data, self.person_ids[person]

    def _flush_person_photo(self, rows) -> None:
        new = [
            self._build("person_photo", number, key, data, person_id=person)
            for number, key, data, person in self._person_rows("person_photo", rows)
        ]
        self._insert(new, "person_photo")

    def _flush_member_event(self, rows) -> None:
        new = []
        for number, key, data, person in self._person_rows("member_event", rows):
            details = dict(data.get("details") or {})
            if isinstance(details.get("to"), str):
                try:
                    details["to"] = self.org(details["to"])
                except _Conflict as conflict:
                    self.error("member_event", number, key, conflict.code, conflict.message)
                    continue
            obj = self._build("member_event", number, key, data, person_id=person, details=details)
            new.append((fmt.freeze(key), obj))
        self._insert([obj for _, obj in new], "member_event")
        self._remember(
            "member_event", [(k, obj) for k, obj in new if obj and obj.kind in ADMISSION_KINDS]
        )

    def _flush_membership_period(self, rows) -> None:
        new = [
            self._build("membership_period", number, key, data, person_id=person)
            for number, key, data, person in self._person_rows("membership_period", rows)
        ]
        self._insert(new, "membership_period")

    def _flush_candidate(self, rows) -> None:
        new = []
        for number, key, data, person in self._person_rows("candidate", rows):
            try:
                admission = self._ref("member_event", data.get("admission"), "Sự kiện kết nạp")
            except _Conflict as conflict:
                self.error("candidate", number, key, conflict.code, conflict.message)
                continue
            obj = self._build(
                "candidate", number, key, data, person_id=person, admission_id=admission
            )
            new.append((fmt.freeze(key), obj))
        self._insert([obj for _, obj in new], "candidate")
        self._remember("candidate", new)

    def _flush_sponsor(self, rows) -> None:
        for number, key, data in rows:
            self._sponsor(number, key, data, final=False)

    def _sponsor(self, line: int, row_key: Any, row_data: dict, *, final: bool) -> None:
        for number, key, data, _person in self._person_rows("sponsor", [(line, row_key, row_data)]):
            sponsor = data.get("person")
            sponsor_id = None
            if sponsor is not None:
                sponsor_id = self.person_ids.get(fmt.freeze(sponsor))
                if sponsor_id is None and not final:
                    self.deferred.append((number, key, data))
                    return
                if sponsor_id is None:
                    self.error(
                        "sponsor",
                        number,
                        key,
                        "exchange.UNKNOWN_REFERENCE",
                        f"Người giới thiệu: {_person_text(sponsor)} không có trong tệp.",
                    )
                    return
            candidate = self.ids["candidate"].get(fmt.freeze(key[:-1]))
            obj = self._build(
                "sponsor", number, key, data, candidate_id=candidate, person_id=sponsor_id
            )
            self.sponsors.append(obj)

    # validation -------------------------------------------------------------------------------

    def validate(self) -> None:
        """Replay every imported person's history with the rules: it must give what the file
        says (status, cell, dates, membership periods)."""
        parameters = lru_cache(maxsize=None)(load_parameters)
        ids = list(self.new_persons)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            events: dict[int, list[MemberEvent]] = {}
            for event in MemberEvent.objects.filter(person_id__in=chunk).order_by(
                "effective_date", "id"
            ):
                events.setdefault(event.person_id, []).append(event)
            periods: dict[int, list[tuple]] = {}
            for row in (
                MembershipPeriod.objects.filter(person_id__in=chunk)
                .order_by("valid_from", "id")
                .values_list(
                    "person_id",
                    "organization_id",
                    "status",
                    "exempt",
                    "valid_from",
                    "start_reason",
                    "valid_to",
                    "end_reason",
                )
            ):
                periods.setdefault(row[0], []).append(row[1:])
            for person in Person.objects.filter(pk__in=chunk):
                self._check(
                    person, events.get(person.pk, []), periods.get(person.pk, []), parameters
                )

    def _check(self, person: Person, events, periods, parameters) -> None:
        number = self.new_persons[person.pk]
        try:
            state = replay(
                events,
                birth=PartialDate(person.birth_year, person.birth_month, person.birth_day),
                sex=person.sex,
                parameters=parameters,
            )
        except DomainError as error:
            key = _key_of(person)
            self.error("person", number, key, error.code, f"{_person_text(key)}: {error.message}")
            return
        wrong = [
            field
            for field in PROJECTION
            if getattr(state, field) != getattr(person, field)
            and not (field == "organization_id" and state.organization_id is None)
        ]
        if state.card_number is not None and state.card_number != person.card_number:
            wrong.append("card_number")
        replayed = [
            (
                p.organization_id,
                p.status,
                p.exempt,
                p.valid_from,
                p.start_reason,
                p.valid_to,
                p.end_reason,
            )
            for p in state.periods
        ]
        if replayed != list(periods):
            wrong.append("periods")
        if wrong:
            key = _key_of(person)
            labels = ", ".join(
                "thời gian sinh hoạt"
                if name == "periods"
                else fmt.field_label("person", name.removesuffix("_id"))
                for name in wrong
            )
            self.error(
                "person",
                number,
                key,
                "exchange.HISTORY_MISMATCH",
                f"{_person_text(key)}: các sự kiện trong tệp không cho ra {labels} như tệp ghi.",
            )


def _key_of(person: Person) -> list:
    code = Organization.objects.values_list("code", flat=True).get(pk=person.organization_id)
    return person_key(
        [
            person.citizen_id,
            person.card_number,
            code,
            person.full_name,
            person.birth_year,
            person.birth_month,
            person.birth_day,
            person.created_at,
        ]
    )


def obj_code(obj) -> str:
    return Organization.objects.values_list("code", flat=True).get(pk=obj.organization_id)


def _of(model, ids: list[int], field: str = "organization_id"):
    return model.objects.filter(**{f"{field}__in": ids})


def _person_text(key: Any) -> str:
    if isinstance(key, list | tuple) and key:
        if key[0] == "cccd":
            return f"Số CCCD {key[1]}"
        if key[0] == "the":
            return f"Số thẻ đảng viên {key[1]}"
        if key[0] == "ls" and len(key) > 2:
            return f"Lý lịch {key[2]} ({key[1]})"
    return f"Lý lịch {_key_text(key)}"
