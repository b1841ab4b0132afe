"""Make moderation events append-only in the database itself, not only in the model."""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION newsroom_events_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'moderation events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER comments_moderationevent_append_only
    BEFORE UPDATE OR DELETE ON comments_moderationevent
    FOR EACH ROW EXECUTE FUNCTION newsroom_events_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS comments_moderationevent_append_only ON comments_moderationevent;
DROP FUNCTION IF EXISTS newsroom_events_append_only();
"""
SQLITE_UP = [
    """CREATE TRIGGER comments_moderationevent_no_update BEFORE UPDATE ON comments_moderationevent
       BEGIN SELECT RAISE(ABORT, 'moderation events are append-only'); END;""",
    """CREATE TRIGGER comments_moderationevent_no_delete BEFORE DELETE ON comments_moderationevent
       BEGIN SELECT RAISE(ABORT, 'moderation events are append-only'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS comments_moderationevent_no_update;",
    "DROP TRIGGER IF EXISTS comments_moderationevent_no_delete;",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_UP)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_DOWN)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("comments", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
