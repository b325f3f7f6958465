"""Writes of the data-quality app: the folded keys of the duplicate search, and the merge of
two personal files of the same person into one."""

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from dangvu.access.audit import audit_record
from dangvu.access.models import Role
from dangvu.access.scopes import Scope
from dangvu.core.errors import Conflict, DomainError
from dangvu.members import lifecycle
from dangvu.members.identity import check_citizen_id
from dangvu.members.models import MembershipPeriod, Person, PersonPhoto, Sponsor
from dangvu.members.selectors import person_get
from dangvu.members.services import FIELDS, search_text, unique_numbers

from . import rules
from .models import PersonKey

BATCH = 2000


def key_values(person: dict[str, Any]) -> dict[str, Any]:
    """The columns of a file's PersonKey but its time stamp, from its Person columns (and
    "pk"); the bulk import writes its new files' keys with these."""
    facts = rules.PersonFacts(
        key=person["pk"],
        full_name=person["full_name"],
        birth_year=person["birth_year"],
        hometown=person["hometown"],
    )
    return {
        "person_id": person["pk"],
        "name_key": facts.name_key[:128],
        "family_key": facts.family_key[:32],
        "given_key": facts.given_key[:32],
        "birth_year": person["birth_year"],
        "birth_month": person["birth_month"],
        "birth_day": person["birth_day"],
        "hometown_key": facts.hometown_key[:255],
    }


def _key_row(person: dict[str, Any]) -> PersonKey:
    return PersonKey(**key_values(person), source_updated_at=person["updated_at"])


@transaction.atomic
def person_keys_refresh() -> int:
    """Fold again the files written since their key was made (or never keyed); returns how
    many. The others are not read: one indexed anti-join finds the stale ones."""
    stale = (
        Person.objects.filter(
            Q(quality_key__isnull=True) | Q(updated_at__gt=F("quality_key__source_updated_at"))
        )
        .order_by("pk")
        .values(
            "pk", "full_name", "birth_year", "birth_month", "birth_day", "hometown", "updated_at"
        )
    )
    done = 0
    batch: list[PersonKey] = []
    for person in stale.iterator(chunk_size=BATCH):
        batch.append(_key_row(person))
        if len(batch) >= BATCH:
            done += _save_keys(batch)
            batch = []
    return done + _save_keys(batch)


def _save_keys(batch: list[PersonKey]) -> int:
    if batch:
        PersonKey.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["person"],
            update_fields=[
                "name_key",
                "family_key",
                "given_key",
                "birth_year",
                "birth_month",
                "birth_day",
                "hometown_key",
                "source_updated_at",
            ],
        )
    return len(batch)


# --- merge ----------------------------------------------------------------------------------

# The relations to Person the merge knows how to carry over; any other one found on the model
# is moved as a plain foreign key (and a test lists them, so a new one is looked at).
PROJECTIONS = {MembershipPeriod, PersonKey}  # rewritten from the kept file's events
IDENTITY = ("full_name", "other_names", "citizen_id", "card_number", "birth_year", "birth_month",
            "birth_day", "sex", "hometown", "organization_id", "status")  # fmt: skip
# Fields of the kept file filled from the removed one when the kept one leaves them blank.
FILLABLE = tuple(
    name
    for name in FIELDS
    if name
    not in ("full_name", "other_names", "birth_year", "birth_month", "birth_day", "sex",
            "ethnicity", "citizen_id", "card_number")
)  # fmt: skip


def _snapshot(person: Person) -> dict[str, Any]:
    return {name: getattr(person, name) for name in (*FIELDS, "organization_id", "status")}


def _identity(person: Person) -> dict[str, Any]:
    return {"id": person.pk, **{name: getattr(person, name) for name in IDENTITY}}


def _require(scope: Scope, pk: int) -> Person:
    """The file, seen by the actor, whose organisation the actor approves for."""
    person = person_get(scope=scope, pk=pk)
    scope.require(person.organization, role=Role.APPROVER)
    return person


def person_relations() -> list[Any]:
    """Every foreign key and one-to-one field of any model that points at Person, the hidden
    ones (related_name="+") included."""
    return [
        field
        for field in Person._meta.get_fields(include_hidden=True)
        if field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one)
    ]


def _move_relations(keep: Person, remove: Person) -> dict[str, int]:
    """Point every row that refers to `remove` at `keep`; returns the rows moved per relation."""
    moved: dict[str, int] = {}
    for relation in person_relations():
        model = relation.related_model
        name = f"{model._meta.app_label}.{model._meta.model_name}.{relation.field.name}"
        rows = model._default_manager.filter(**{relation.field.name: remove})
        if model in PROJECTIONS:
            rows.delete()
            continue
        if model is PersonPhoto and PersonPhoto.objects.filter(person=keep).exists():
            moved[f"{name}:discarded"] = rows.delete()[0]  # the kept file's photo stays
            continue
        if model is Sponsor:
            # the same member vouching twice for one candidate: the second letter is the same
            twice = rows.filter(
                candidate__in=Sponsor.objects.filter(person=keep).values("candidate")
            )
            moved[f"{name}:duplicates_dropped"] = twice.delete()[0]
        count = rows.update(**{relation.field.name: keep})
        if count:
            moved[name] = count
    return moved


@transaction.atomic
def person_merge(*, scope: Scope, keep: Person, remove: Person, reason: str) -> Person:
    """Hợp nhất hai lý lịch của cùng một người: every event, candidacy, sponsorship and the
    photo of `remove` are moved onto `keep`, the blank fields of `keep` filled from `remove`,
    `remove` deleted, and the kept file's whole history replayed with the rules of each date
    (members.lifecycle), so a combined history that contradicts itself (two admissions, two
    cards issued ...) is refused and nothing is written. Both files get an audit row; the
    removed one's holds its identity (name, citizen ID, card number) and every field.

    Needs the approver role over both files' organisations."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError("quality.MERGE_REASON_REQUIRED", "Cần ghi lý do hợp nhất hai lý lịch.")
    if keep.pk == remove.pk:
        raise DomainError("quality.MERGE_SAME_PERSON", "Hai lý lịch cần hợp nhất phải khác nhau.")
    _require(scope, keep.pk)
    _require(scope, remove.pk)
    # lock both, in the order of their ids (two merges at once never wait on each other)
    locked = {
        p.pk: p for p in Person.objects.select_for_update().filter(pk__in=[keep.pk, remove.pk])
    }
    keep, remove = locked[keep.pk], locked[remove.pk]
    if (
        keep.candidacies.filter(status="active").exists()
        and remove.candidacies.filter(status="active").exists()
    ):
        raise DomainError(
            "quality.MERGE_TWO_ACTIVE_CANDIDACIES",
            "Cả hai lý lịch đều đang là quần chúng ưu tú được xem xét kết nạp: dừng xem xét một "
            "hồ sơ trước khi hợp nhất.",
        )
    before, removed = _snapshot(keep), _snapshot(remove)
    identity = _identity(remove)
    events = list(remove.events.values_list("pk", flat=True))
    audit_record(
        actor=scope.user,
        action="person.merge_removed",
        obj=remove,
        before=removed,
        after={"merged_into": keep.pk, "reason": reason, "event_ids": events},
    )
    try:
        with transaction.atomic():
            moved = _move_relations(keep, remove)
            remove.delete()
    except IntegrityError as error:
        raise Conflict(
            "quality.MERGE_CONFLICT",
            "Không thể chuyển dữ liệu của lý lịch bị hợp nhất sang lý lịch được giữ lại.",
            error=str(error),
        ) from None
    filled = _fill_blanks(keep, removed)
    try:
        lifecycle.person_replay(keep)
    except DomainError as error:
        raise DomainError(
            "quality.MERGE_HISTORY_CONFLICT",
            "Không thể hợp nhất: lịch sử của hai lý lịch gộp lại mâu thuẫn với nhau. "
            + error.message,
            cause=error.code,
            **error.details,
        ) from None
    keep.refresh_from_db()
    audit_record(
        actor=scope.user,
        action="person.merge",
        obj=keep,
        before=before,
        after={
            **_snapshot(keep),
            "reason": reason,
            "removed": identity,
            "moved": moved,
            "filled": filled,
            "event_ids": events,
        },
    )
    return keep


def _fill_blanks(keep: Person, removed: dict[str, Any]) -> list[str]:
    """Copy the fields `keep` leaves blank from the removed file; the removed name, when it
    differs once folded, joins the other names, so the search still finds it."""
    filled = []
    for name in FILLABLE:
        if getattr(keep, name) in (None, "") and removed.get(name) not in (None, ""):
            setattr(keep, name, removed[name])
            filled.append(name)
    same_year = removed["birth_year"] == keep.birth_year
    if same_year and keep.birth_month is None and removed["birth_month"] is not None:
        keep.birth_month, keep.birth_day = removed["birth_month"], removed["birth_day"]
        filled.append("birth_date")
    elif (
        same_year
        and keep.birth_month == removed["birth_month"]
        and keep.birth_day is None
        and removed["birth_day"] is not None
    ):
        keep.birth_day = removed["birth_day"]
        filled.append("birth_date")
    if keep.citizen_id is None and removed["citizen_id"]:
        try:  # only a number that fits the kept file's birth year and sex
            keep.citizen_id = check_citizen_id(
                removed["citizen_id"], birth_year=keep.birth_year, sex=keep.sex
            )
            filled.append("citizen_id")
        except DomainError:
            pass
    if keep.card_number is None and removed["card_number"]:
        keep.card_number = removed["card_number"]
        filled.append("card_number")
    other = removed["full_name"]
    if rules.name_key(other) != rules.name_key(keep.full_name):
        names = [part for part in (keep.other_names, other) if part]
        combined = ", ".join(names)
        if len(combined) <= 128 and rules.name_key(other) not in rules.name_key(keep.other_names):
            keep.other_names = combined
            filled.append("other_names")
    keep.search_text = search_text(keep)
    with unique_numbers():
        keep.save()
    return filled
