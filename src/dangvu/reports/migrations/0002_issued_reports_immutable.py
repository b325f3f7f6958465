"""Issued reports refuse UPDATE at the database level, on both backends: an amendment is a new
version, never an edit."""

from django.db import migrations

SQLITE_UP = """
CREATE TRIGGER reports_issuedreport_no_update BEFORE UPDATE ON reports_issuedreport
BEGIN SELECT RAISE(ABORT, 'issued reports are immutable'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS reports_issuedreport_no_update;"

POSTGRES_UP = """
CREATE FUNCTION reports_issuedreport_refuse_update() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'issued reports are immutable'; END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reports_issuedreport_no_update BEFORE UPDATE ON reports_issuedreport
FOR EACH ROW EXECUTE FUNCTION reports_issuedreport_refuse_update();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS reports_issuedreport_no_update ON reports_issuedreport;
DROP FUNCTION IF EXISTS reports_issuedreport_refuse_update();
"""


def _run(sql_by_vendor):
    def run(apps, schema_editor):
        sql = sql_by_vendor.get(schema_editor.connection.vendor)
        if sql:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_issued_reports")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
