"""The operation that inserts a migration's rule-parameter rows (and removes them on the way
back). Each migration keeps its own frozen list of rows; this only writes them."""

import datetime as dt
import importlib
from typing import Any

from django.db import migrations

Row = tuple[str, dt.date, Any, str, str]  # key (without "members."), effective_from, value,
# source, note


def insert_parameter_rows(rows: list[Row]) -> migrations.RunPython:
    def insert(apps, schema_editor):
        RuleParameter = apps.get_model("members", "RuleParameter")
        for key, effective_from, value, source, note in rows:
            RuleParameter.objects.get_or_create(
                key=f"members.{key}",
                effective_from=effective_from,
                defaults={"value": value, "source": source, "note": note},
            )

    def remove(apps, schema_editor):
        RuleParameter = apps.get_model("members", "RuleParameter")
        for key, effective_from, *_ in rows:
            RuleParameter.objects.filter(
                key=f"members.{key}", effective_from=effective_from
            ).delete()

    return migrations.RunPython(insert, remove)


# every migration that inserts rule parameters, in order
PARAMETER_MIGRATIONS = (
    "0002_rule_parameter_defaults",
    "0005_candidates",
    "0006_temporary_transfer_party_age",
)


def migration_rows() -> list[Row]:
    """The rows the migrations insert, for putting them back after a flush (`dangvu demo`)."""
    return [
        row
        for name in PARAMETER_MIGRATIONS
        for row in importlib.import_module(f"dangvu.members.migrations.{name}").DEFAULTS
    ]


def restore_parameter_rows() -> int:
    """Writes the migrations' rule-parameter rows that are missing; the number written."""
    from dangvu.members.models import RuleParameter

    written = 0
    for key, effective_from, value, source, note in migration_rows():
        _, created = RuleParameter.objects.get_or_create(
            key=f"members.{key}",
            effective_from=effective_from,
            defaults={"value": value, "source": source, "note": note},
        )
        written += created
    return written
