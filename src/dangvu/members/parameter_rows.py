"""The operation that inserts a migration's rule-parameter rows (and removes them on the way
back). Each migration keeps its own frozen list of rows; this only writes them."""

import datetime as dt
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
