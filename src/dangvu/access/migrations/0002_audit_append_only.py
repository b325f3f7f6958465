"""The audit log refuses UPDATE at the database level, on both backends."""

from django.db import migrations

SQLITE_UP = """
CREATE TRIGGER access_auditentry_no_update BEFORE UPDATE ON access_auditentry
BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS access_auditentry_no_update;"

POSTGRES_UP = """
CREATE FUNCTION access_auditentry_refuse_update() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit log is append-only'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER access_auditentry_no_update BEFORE UPDATE ON access_auditentry
FOR EACH ROW EXECUTE FUNCTION access_auditentry_refuse_update();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS access_auditentry_no_update ON access_auditentry;
DROP FUNCTION IF EXISTS access_auditentry_refuse_update();
"""


def _run(sql_by_vendor):
    def run(apps, schema_editor):
        sql = sql_by_vendor.get(schema_editor.connection.vendor)
        if sql:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
