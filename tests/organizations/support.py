"""Helpers shared by the organisation tests: snapshots that prove a refusal wrote nothing."""

import contextlib
import datetime as dt

import pytest

from dangvu.access.models import AuditEntry
from dangvu.core.errors import DomainError
from dangvu.core.models import Decision
from dangvu.organizations import services
from dangvu.organizations.models import (
    CommitteeConsolidation,
    CommitteeSeat,
    CommitteeTerm,
    Organization,
    OrganizationEvent,
    OrganizationVersion,
)
from tests.conftest import decision

D = dt.date


def snapshot() -> dict:
    """Every row a restructuring or committee service may write, in a comparable form."""
    return {
        "events": OrganizationEvent.objects.count(),
        "versions": sorted(
            OrganizationVersion.objects.values_list(
                "organization_id",
                "valid_from",
                "valid_to",
                "name",
                "type",
                "parent_id",
                "path",
                "depth",
                "sector",
                "province_code",
                "address",
            )
        ),
        "audit": AuditEntry.objects.count(),
        "organizations": sorted(
            Organization.objects.values_list(
                "id", "code", "name", "type", "parent_id", "established_on", "dissolved_on"
            )
        ),
        "decisions": Decision.objects.count(),
        "terms": sorted(CommitteeTerm.objects.values_list("id", "start_date", "end_date")),
        "seats": sorted(CommitteeSeat.objects.values_list("id", "start_date", "end_date")),
        "consolidations": CommitteeConsolidation.objects.count(),
    }


@contextlib.contextmanager
def refused(code: str, *fragments: str):
    """The block raises DomainError `code` (its message naming each fragment) and writes nothing."""
    before = snapshot()
    with pytest.raises(DomainError) as info:
        yield info
    assert info.value.code == code, info.value
    for fragment in fragments:
        assert fragment in info.value.message, info.value.message
    after = snapshot()
    assert after == before, "a refused service wrote rows"


def version_on(organization: Organization, day: dt.date) -> OrganizationVersion | None:
    return OrganizationVersion.objects.filter(
        organization=organization, valid_from__lte=day, valid_to__gt=day
    ).first()


def counts() -> tuple[int, int, int]:
    return (
        OrganizationEvent.objects.count(),
        OrganizationVersion.objects.count(),
        AuditEntry.objects.count(),
    )


def move(scope, organization, parent, day, **extra):
    return services.organization_move(
        scope=scope,
        organization=organization,
        parent=parent,
        effective_date=day,
        decision=decision(day),
        **extra,
    )


def rename(scope, organization, name, day):
    return services.organization_rename(
        scope=scope,
        organization=organization,
        name=name,
        effective_date=day,
        decision=decision(day),
    )


def convert(scope, organization, type_, day, **extra):
    return services.organization_convert(
        scope=scope,
        organization=organization,
        type=type_,
        effective_date=day,
        decision=decision(day),
        **extra,
    )


def dissolve(scope, organization, day):
    return services.organization_dissolve(
        scope=scope, organization=organization, effective_date=day, decision=decision(day)
    )
