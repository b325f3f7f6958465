"""The full-fidelity exchange format (`dangvu export`, `dangvu import` of a `.jsonl.gz`): what
each row type holds and how a value is written. Documented in docs/exchange.md.

A file is gzip-compressed JSON Lines: a header, then one line per row
`{"type": ..., "key": ..., "data": {...}}`. Rows name each other by natural keys (an
organisation's code, a person's citizen ID or card number, a decision's symbol, date and
issuing body), never by database ids, so a file can be merged into any installation.
"""

import base64
import datetime as dt
import json
from typing import Any

from django.db import models

from dangvu.core.models import Decision
from dangvu.members.models import (
    Candidate,
    MemberEvent,
    MembershipPeriod,
    Person,
    PersonPhoto,
    RuleParameter,
    Sponsor,
)
from dangvu.organizations.models import (
    CommitteeConsolidation,
    CommitteeSeat,
    CommitteeTerm,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
)
from dangvu.planning.models import Target
from dangvu.reports.models import IssuedReport

FORMAT = "dangvu-exchange"
VERSION = 1
SUFFIX = ".jsonl.gz"

# How a value is written: as it is, an ISO date, an ISO date-time in UTC, a JSON value with
# sorted keys, base64 bytes, or a reference by natural key (organisation, decision, account).
PLAIN, DATE, DATETIME, JSON, BINARY, ORG, DECISION, USER = (
    "plain",
    "date",
    "datetime",
    "json",
    "binary",
    "org",
    "decision",
    "user",
)

# (name in the file, model attribute, codec), per row type; references to rows of the file
# (a person, an event, a term ...) are handled by each type and listed in REFERENCES.
FIELDS: dict[str, list[tuple[str, str, str]]] = {
    "rule_parameter": [
        ("value", "value", JSON),
        ("source", "source", PLAIN),
        ("note", "note", PLAIN),
    ],
    "decision": [("summary", "summary", PLAIN), ("created_at", "created_at", DATETIME)],
    "organization": [
        ("name", "name", PLAIN),
        ("type", "type", PLAIN),
        ("parent", "parent_id", ORG),
        ("sector", "sector", PLAIN),
        ("province_code", "province_code", PLAIN),
        ("address", "address", PLAIN),
        ("established_on", "established_on", DATE),
        ("dissolved_on", "dissolved_on", DATE),
    ],
    "organization_version": [
        ("valid_to", "valid_to", DATE),
        ("name", "name", PLAIN),
        ("type", "type", PLAIN),
        ("parent", "parent_id", ORG),
        ("sector", "sector", PLAIN),
        ("province_code", "province_code", PLAIN),
        ("address", "address", PLAIN),
        ("depth", "depth", PLAIN),
    ],
    "organization_event": [
        ("kind", "kind", PLAIN),
        ("effective_date", "effective_date", DATE),
        ("decision", "decision_id", DECISION),
        ("changes", "changes", JSON),
        ("previous", "previous", JSON),
        ("note", "note", PLAIN),
        ("recorded_by", "recorded_by_id", USER),
        ("recorded_at", "recorded_at", DATETIME),
    ],
    "committee_term": [
        ("name", "name", PLAIN),
        ("end_date", "end_date", DATE),
        ("decision", "decision_id", DECISION),
    ],
    "committee_consolidation": [
        ("effective_date", "effective_date", DATE),
        ("decision", "decision_id", DECISION),
        ("note", "note", PLAIN),
        ("recorded_by", "recorded_by_id", USER),
        ("recorded_at", "recorded_at", DATETIME),
    ],
    "committee_seat": [
        ("full_name", "full_name", PLAIN),
        ("position", "position", PLAIN),
        ("start_date", "start_date", DATE),
        ("end_date", "end_date", DATE),
        ("decision", "decision_id", DECISION),
        ("end_decision", "end_decision_id", DECISION),
    ],
    "person": [
        *(
            (name, name, PLAIN)
            for name in (
                "full_name",
                "family_name",
                "middle_name",
                "given_name",
                "other_names",
                "birth_year",
                "birth_month",
                "birth_day",
                "sex",
                "ethnicity",
                "religion",
                "hometown",
                "birthplace",
                "permanent_residence",
                "permanent_province_code",
                "current_residence",
                "current_province_code",
                "citizen_id",
                "phone",
                "general_education",
                "qualification",
                "political_theory",
                "state_management",
                "foreign_language",
                "occupation",
                "work_unit",
                "job_position",
                "card_number",
                "status",
            )
        ),
        ("organization", "organization_id", ORG),
        ("admission_decision_date", "admission_decision_date", DATE),
        ("ceremony_date", "ceremony_date", DATE),
        ("full_member_date", "full_member_date", DATE),
        ("exempt", "exempt", PLAIN),
        ("left_on", "left_on", DATE),
        ("transfer_to", "transfer_to_id", ORG),
        ("transfer_left_on", "transfer_left_on", DATE),
        ("temporary_at", "temporary_at_id", ORG),
        ("temporary_until", "temporary_until", DATE),
        ("party_age_from", "party_age_from", DATE),
        ("created_at", "created_at", DATETIME),
        ("updated_at", "updated_at", DATETIME),
    ],
    "person_photo": [
        ("content", "content", BINARY),
        ("content_type", "content_type", PLAIN),
        ("uploaded_at", "uploaded_at", DATETIME),
    ],
    "member_event": [
        ("kind", "kind", PLAIN),
        ("effective_date", "effective_date", DATE),
        ("organization", "organization_id", ORG),
        ("decision", "decision_id", DECISION),
        ("details", "details", JSON),
        ("override_reason", "override_reason", PLAIN),
        ("recorded_by", "recorded_by_id", USER),
        ("recorded_at", "recorded_at", DATETIME),
    ],
    "membership_period": [
        ("organization", "organization_id", ORG),
        ("status", "status", PLAIN),
        ("exempt", "exempt", PLAIN),
        ("valid_from", "valid_from", DATE),
        ("valid_to", "valid_to", DATE),
        ("start_reason", "start_reason", PLAIN),
        ("end_reason", "end_reason", PLAIN),
    ],
    "candidate": [
        ("organization", "organization_id", ORG),
        ("status", "status", PLAIN),
        ("registered_on", "registered_on", DATE),
        ("certificate_number", "certificate_number", PLAIN),
        ("certificate_date", "certificate_date", DATE),
        ("certificate_issuer", "certificate_issuer", PLAIN),
        ("application_date", "application_date", DATE),
        ("background_check_date", "background_check_date", DATE),
        ("background_check_result", "background_check_result", PLAIN),
        ("background_check_note", "background_check_note", PLAIN),
        ("vote_date", "vote_date", DATE),
        ("votes_in_favour", "votes_in_favour", PLAIN),
        ("full_members_count", "full_members_count", PLAIN),
        ("withdrawn_on", "withdrawn_on", DATE),
        ("withdrawal_reason", "withdrawal_reason", PLAIN),
        ("created_at", "created_at", DATETIME),
        ("updated_at", "updated_at", DATETIME),
    ],
    "sponsor": [
        ("kind", "kind", PLAIN),
        ("worked_with_since", "worked_with_since", DATE),
        ("sponsored_on", "sponsored_on", DATE),
        ("resolution_symbol", "resolution_symbol", PLAIN),
        ("issuing_body", "issuing_body", PLAIN),
        ("created_at", "created_at", DATETIME),
    ],
    "target": [
        ("value", "value", PLAIN),
        ("decision", "decision_id", DECISION),
        ("note", "note", PLAIN),
        ("recorded_by", "recorded_by_id", USER),
        ("recorded_at", "recorded_at", DATETIME),
    ],
    "issued_report": [
        ("period_start", "period_start", DATE),
        ("period_end", "period_end", DATE),
        ("number_symbol", "number_symbol", PLAIN),
        ("issued_on", "issued_on", DATE),
        ("place", "place", PLAIN),
        ("signer", "signer", PLAIN),
        ("content", "content", JSON),
        ("docx", "docx", BINARY),
        ("xlsx", "xlsx", BINARY),
        ("pdf", "pdf", BINARY),
        ("issued_by", "issued_by_id", USER),
        ("issued_at", "issued_at", DATETIME),
    ],
}

# The model of each row type, in the order of the file (and of the import: a row only names
# rows of the types before it, or of its own type before it, but for the exceptions below).
MODELS: dict[str, type[models.Model]] = {
    "rule_parameter": RuleParameter,
    "decision": Decision,
    "organization": Organization,
    "organization_version": OrganizationVersion,
    "organization_event": OrganizationEvent,
    "committee_term": CommitteeTerm,
    "committee_consolidation": CommitteeConsolidation,
    "committee_seat": CommitteeSeat,
    "person": Person,
    "person_photo": PersonPhoto,
    "member_event": MemberEvent,
    "membership_period": MembershipPeriod,
    "candidate": Candidate,
    "sponsor": Sponsor,
    "target": Target,
    "issued_report": IssuedReport,
}
TYPES = tuple(MODELS)

# Fields each type carries besides FIELDS (references to other rows of the file, the key's
# parts), and the model fields deliberately not written (derived, or of this installation).
REFERENCES = {
    "rule_parameter": ["key", "effective_from"],
    "decision": ["symbol", "date", "issuing_body"],
    "organization": ["code"],
    "organization_version": ["organization", "valid_from", "path"],
    "organization_event": ["organization", "cause"],
    "committee_term": ["organization", "start_date"],
    "committee_consolidation": ["organization", "term"],
    "committee_seat": ["term", "consolidation"],
    "person": [],
    "person_photo": ["person"],
    "member_event": ["person"],
    "membership_period": ["person"],
    "candidate": ["person", "admission"],
    "sponsor": ["candidate", "person"],
    "target": ["organization", "year", "indicator"],
    "issued_report": ["organization", "period_code", "version", "amends"],
}
NOT_WRITTEN = {
    "person": ["name_sort_key", "search_text"],  # derived from the name on import
}

# Bookkeeping that may differ between two installations holding the same history: not
# compared when a row of the file is already present.
NOT_COMPARED = frozenset(
    {"created_at", "updated_at", "recorded_at", "recorded_by", "uploaded_at", "issued_by"}
)

# Vietnamese names of the row types, for the report.
LABELS = {
    "rule_parameter": "tham số quy định",
    "decision": "quyết định",
    "organization": "tổ chức đảng",
    "organization_version": "phiên bản tổ chức",
    "organization_event": "sự kiện tổ chức",
    "committee_term": "nhiệm kỳ cấp ủy",
    "committee_consolidation": "kiện toàn cấp ủy",
    "committee_seat": "cấp ủy viên",
    "person": "lý lịch",
    "person_photo": "ảnh lý lịch",
    "member_event": "sự kiện đảng viên",
    "membership_period": "thời gian sinh hoạt",
    "candidate": "quần chúng ưu tú",
    "sponsor": "người giới thiệu",
    "target": "chỉ tiêu",
    "issued_report": "báo cáo đã ban hành",
}


def field_label(row_type: str, name: str) -> str:
    """The Vietnamese name of a field of a row type (the model's verbose name)."""
    attribute = {n: a for n, a, _ in FIELDS[row_type]}.get(name, name)
    model = MODELS[row_type]
    try:
        field = model._meta.get_field(attribute.removesuffix("_id"))
    except Exception:  # noqa: BLE001 - a reference of the file, not a model field
        return name
    return str(field.verbose_name) if field.verbose_name != field.name.replace("_", " ") else name


# values ---------------------------------------------------------------------------------------


def sorted_json(value: Any) -> Any:
    """A JSON value with the keys of every object sorted (the same bytes on both databases)."""
    if isinstance(value, dict):
        return {k: sorted_json(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [sorted_json(v) for v in value]
    return value


def write_date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def write_datetime(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat()


def write_binary(value: bytes | memoryview | None) -> str | None:
    return None if value is None else base64.b64encode(bytes(value)).decode("ascii")


def read_date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def read_datetime(value: str | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(value)


def read_binary(value: str | None) -> bytes | None:
    return None if value is None else base64.b64decode(value, validate=True)


def freeze(key: Any) -> Any:
    """A key as a dictionary key: lists become tuples."""
    if isinstance(key, list):
        return tuple(freeze(part) for part in key)
    return key


def thaw(key: Any) -> Any:
    if isinstance(key, tuple):
        return [thaw(part) for part in key]
    return key


def dumps(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"))


def header(*, exported_at: str, source: str, root: str | None) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": exported_at,
        "source": source,
        "root": root,
    }


def is_exchange_file(head: bytes) -> bool:
    """Whether the first bytes of a file are those of a gzip file whose first line is our
    header (how `dangvu import` and the API tell this format from a workbook)."""
    import gzip
    import io

    if not head.startswith(b"\x1f\x8b"):
        return False
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(head)) as stream:
            start = stream.read(200)
    except (OSError, EOFError):
        return False
    return start.startswith(b'{"format":"' + FORMAT.encode() + b'"') or (
        b'"format"' in start and FORMAT.encode() in start
    )
