"""A trigram index on the folded search text, for the member list's "contains" search.

The search filters `search_text LIKE '%word%'` for each folded word: a B-tree cannot serve a
pattern with a leading wildcard, a GIN index of trigrams (pg_trgm) can. PostgreSQL only: the
index is not declared on the model (SQLite has no GIN), so the migration state is unchanged and
SQLite does nothing here.
"""

from django.db import migrations

INDEX = "person_search_trgm_idx"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("members", "Person")._meta.db_table)
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin (search_text gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # the extension stays: other objects of the database may use it
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0009_person_list_order_index"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
