"""The audit log: one row per elementary write with actor, action, object, before and after;
read through the scope; refused UPDATE by the database itself."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from dangvu.access import services as access_services
from dangvu.access.audit import object_label
from dangvu.access.models import AuditEntry, Grant, Role
from dangvu.access.tokens import token_create
from dangvu.organizations import services
from dangvu.organizations.models import EventKind, OrganizationEvent
from dangvu.organizations.models import OrganizationType as T
from tests.conftest import decision, establish

D = dt.date
DAY = D(2024, 6, 1)


@pytest.fixture
def editor(tree, make_user):
    return make_user("bientap", tree["bloc"], Role.EDITOR)


@pytest.fixture
def scope(editor, scope_of):
    return scope_of(editor)


def new_entries(since: int):
    return AuditEntry.objects.filter(pk__gt=since).order_by("pk")


def last_id() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def restructure_everything(scope, tree):
    """One of each restructuring service, as the editor of the bloc."""
    day, dec = DAY, decision(DAY)
    bloc = tree["bloc"]
    services.organization_rename(
        scope=scope,
        organization=tree["justice"],
        name="Chi bộ Sở Tư pháp tỉnh",
        effective_date=day,
        decision=dec,
    )
    services.organization_update_details(
        scope=scope, organization=tree["justice"], effective_date=day, address="12 Lê Lợi"
    )
    services.organization_convert(
        scope=scope,
        organization=tree["justice"],
        type=T.GRASSROOTS_COMMITTEE,
        effective_date=day,
        decision=dec,
    )
    edu = establish(scope, "BD.GD", "Đảng bộ Sở Giáo dục", T.GRASSROOTS_COMMITTEE, bloc, day)
    services.organization_move(
        scope=scope, organization=tree["office"], parent=edu, effective_date=day, decision=dec
    )
    later, dec2 = D(2025, 1, 1), decision(D(2025, 1, 1), "2-QĐ/ĐUK")
    services.organization_merge(
        scope=scope,
        sources=[edu, tree["health"]],
        new=services.NewOrganization(
            code="BD.VX",
            name="Đảng bộ Sở Văn hóa – Xã hội",
            type=T.GRASSROOTS_COMMITTEE,
            parent=bloc,
        ),
        effective_date=later,
        decision=dec2,
    )
    services.organization_split(
        scope=scope,
        organization=tree["justice"],
        parts=[
            services.NewOrganization(code="BD.TP.A", name="Chi bộ A", type=T.GRASSROOTS_CELL),
            services.NewOrganization(code="BD.TP.B", name="Chi bộ B", type=T.GRASSROOTS_CELL),
        ],
        effective_date=later,
        decision=dec2,
        dissolve_source=True,
    )


def test_every_event_has_exactly_one_audit_row(tree, scope, editor):
    since_entry = last_id()
    since_event = OrganizationEvent.objects.order_by("-pk").first().pk
    restructure_everything(scope, tree)

    events = list(OrganizationEvent.objects.filter(pk__gt=since_event).order_by("pk"))
    entries = list(new_entries(since_entry))
    assert {e.kind for e in events} == set(EventKind.values)
    assert len(entries) == len(events)
    by_event = {}
    for entry in entries:
        by_event.setdefault(entry.after["event_id"], []).append(entry)
    for event in events:
        [entry] = by_event[event.pk]
        assert entry.actor == editor
        assert entry.action == f"organization.{event.kind}"
        assert entry.object_type == "organizations.organization"
        assert entry.object_id == str(event.organization_id)
        assert entry.object_repr
        assert entry.after["effective_date"] == event.effective_date.isoformat()
        assert entry.after["decision"] == (str(event.decision) if event.decision_id else None)
        for key, value in event.changes.items():
            assert entry.after[key] == value
        assert (entry.before or {}) == event.previous


def test_rename_audit_has_the_old_and_new_name(tree, scope, editor):
    since = last_id()
    services.organization_rename(
        scope=scope,
        organization=tree["justice"],
        name="Chi bộ Sở Tư pháp tỉnh",
        effective_date=DAY,
        decision=decision(DAY, "19-QĐ/ĐUK"),
    )
    [entry] = new_entries(since)
    assert entry.before == {"name": "Chi bộ Sở Tư pháp"}
    assert entry.after["name"] == "Chi bộ Sở Tư pháp tỉnh"
    assert entry.after["decision"].startswith("19-QĐ/ĐUK")
    assert entry.at is not None


def test_system_writes_are_audited_without_an_actor(tree, system):
    since = last_id()
    establish(system, "BD.X", "Chi bộ X", T.GRASSROOTS_CELL, tree["bloc"])
    [entry] = new_entries(since)
    assert entry.actor is None
    assert entry.action == "organization.establish"
    assert entry.before is None
    assert entry.after["name"] == "Chi bộ X"


def test_committee_writes_are_audited(tree, scope, editor):
    since = last_id()
    term = services.committee_term_open(
        scope=scope,
        organization=tree["health"],
        name="2020–2025",
        start_date=D(2020, 7, 1),
        decision=decision(D(2020, 7, 1)),
        seats=[services.SeatInput("Nguyễn Văn An", "secretary")],
    )
    seat = term.seats.get()
    services.committee_consolidate(
        scope=scope,
        organization=tree["health"],
        effective_date=DAY,
        decision=decision(DAY, "5-QĐ/ĐUK"),
        appoint=[services.SeatInput("Lê Thị Cúc", "secretary")],
        relieve=[seat.pk],
    )
    opened, consolidated = new_entries(since)
    assert (opened.action, consolidated.action) == ("committee.term_open", "committee.consolidate")
    assert {opened.actor, consolidated.actor} == {editor}
    assert opened.object_id == consolidated.object_id == str(tree["health"].pk)
    assert opened.after["seats"] == [["Nguyễn Văn An", "secretary"]]
    assert consolidated.before == {"seats": [["Nguyễn Văn An", "secretary"]]}
    assert consolidated.after["seats"] == [["Lê Thị Cúc", "secretary"]]


def test_token_and_grant_writes_are_audited(tree, editor, make_user, system):
    since = last_id()
    token, key = token_create(user=editor, name="Báo cáo")
    other = make_user("khach")
    grant = access_services.grant_assign(
        scope=system, user=other, organization=tree["justice"], role=Role.VIEWER
    )
    access_services.grant_revoke(scope=system, grant=grant)
    created, assigned, revoked = new_entries(since)
    assert (created.action, created.object_type, created.actor) == (
        "token.create",
        "access.apitoken",
        editor,
    )
    assert key not in str(created.after) and token.digest not in str(created.after)
    assert assigned.action == "grant.assign"
    assert assigned.after == {"user": "khach", "organization": "BD.TP", "role": "viewer"}
    assert revoked.action == "grant.revoke"
    assert revoked.before == assigned.after
    assert not Grant.objects.filter(user=other).exists()


def test_a_refused_write_leaves_no_audit_row(tree, scope):
    since = last_id()
    with pytest.raises(Exception):  # noqa: B017 - any refusal
        services.organization_rename(
            scope=scope,
            organization=tree["justice"],
            name="Chi bộ Sở Tư pháp",
            effective_date=DAY,
            decision=decision(DAY),
        )
    assert not new_entries(since).exists()


def test_object_label():
    assert object_label(AuditEntry()) == "access.auditentry"


# the database refuses UPDATE ----------------------------------------------------------------
@pytest.fixture
def entry(tree):
    return AuditEntry.objects.filter(object_id=str(tree["justice"].pk)).first()


def test_database_refuses_a_raw_update(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE access_auditentry SET action = %s WHERE id = %s", ["tampered", entry.pk]
        )
    entry.refresh_from_db()
    assert entry.action == "organization.establish"


def test_database_refuses_an_orm_update(entry):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="đã sửa")
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.after = {}
        entry.save()
    entry.refresh_from_db()
    assert entry.object_repr == "Chi bộ Sở Tư pháp"


def test_inserts_still_work_after_a_refused_update(entry, tree):
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.update(action="x")
    AuditEntry.objects.create(action="test", object_type="t", object_id="1", object_repr="t")
    assert AuditEntry.objects.filter(action="test").count() == 1


# reading through the API ----------------------------------------------------------------------
def audit_url(organization) -> str:
    return f"/api/audit/objects/organizations.organization/{organization.pk}"


def test_object_audit_is_readable_inside_the_scope(tree, scope, editor, client_for):
    services.organization_rename(
        scope=scope,
        organization=tree["office"],
        name="Chi bộ Văn phòng",
        effective_date=DAY,
        decision=decision(DAY),
    )
    viewer = client_for(editor)
    response = viewer.get(audit_url(tree["office"]))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    newest, oldest = body["items"]
    assert (newest["action"], newest["actor"]) == ("organization.rename", "bientap")
    assert newest["before"] == {"name": "Chi bộ Văn phòng Sở"}
    assert (oldest["action"], oldest["actor"]) == ("organization.establish", None)


def test_object_audit_outside_the_scope_is_not_found(tree, make_user, client_for):
    client = client_for(make_user("yte", tree["health"], Role.ADMINISTRATOR))
    assert client.get(audit_url(tree["office"])).status_code == 200
    for outside in ("justice", "bloc", "province"):
        response = client.get(audit_url(tree[outside]))
        assert response.status_code == 404
        assert response.json()["code"] == "core.NOT_FOUND"


def test_audit_of_other_objects_is_for_system_administrators_only(tree, make_user, client_for):
    owner = make_user("khoi", tree["bloc"], Role.ADMINISTRATOR)
    token, _ = token_create(user=owner, name="Khóa của khối")
    url = f"/api/audit/objects/access.apitoken/{token.pk}"
    cell_admin = client_for(make_user("tuphap", tree["justice"], Role.ADMINISTRATOR))
    assert cell_admin.get(url).status_code == 404
    editor = client_for(make_user("bientap", tree["bloc"], Role.EDITOR))
    assert editor.get(url).status_code == 404
    root = client_for(make_user("root", is_superuser=True, is_staff=True))
    assert [e["action"] for e in root.get(url).json()["items"]] == ["token.create"]


def test_user_audit_is_for_administrators_only(tree, scope, editor, make_user, client_for):
    services.organization_rename(
        scope=scope,
        organization=tree["justice"],
        name="Chi bộ Sở Tư pháp tỉnh",
        effective_date=DAY,
        decision=decision(DAY),
    )
    url = "/api/audit/users/bientap"
    response = client_for(editor).get(url)
    assert response.status_code == 403
    assert response.json()["code"] == "access.ADMINISTRATOR_REQUIRED"

    admin = client_for(make_user("quantri", tree["province"], Role.ADMINISTRATOR))
    body = admin.get(url).json()
    assert [e["action"] for e in body["items"]] == ["organization.rename"]
    assert body["items"][0]["object_id"] == str(tree["justice"].pk)


def test_user_audit_of_someone_outside_the_scope_is_not_found(tree, editor, make_user, client_for):
    admin = client_for(make_user("yte", tree["health"], Role.ADMINISTRATOR))
    for username in ("bientap", "khong-co-ai"):
        response = admin.get(f"/api/audit/users/{username}")
        assert response.status_code == 404, username
        assert response.json()["code"] == "core.NOT_FOUND"
    make_user("root", is_superuser=True)
    assert admin.get("/api/audit/users/root").status_code == 404


def test_user_audit_of_someone_without_grants_needs_a_system_administrator(
    tree, editor, make_user, client_for, system
):
    """A user whose grants were revoked is no longer inside anyone's scope."""
    token_create(user=editor, name="Khóa cũ")
    access_services.grant_revoke(scope=system, grant=editor.grants.get())
    cell_admin = client_for(make_user("tuphap", tree["justice"], Role.ADMINISTRATOR))
    assert cell_admin.get("/api/audit/users/bientap").status_code == 404
    root = client_for(make_user("root", is_superuser=True))
    assert root.get("/api/audit/users/bientap").json()["count"] == 1
