"""Make nested-set renumbering cheap on PostgreSQL: no index on lft/rght, room on every page.

A reply renumbers lft/rght of every later node in its tree. When no index contains a changed
column and the page has free space, PostgreSQL rewrites the row in place (a HOT update) without
touching any of the table's ten indexes, which on a large tree is most of the renumbering's
cost. django-mptt always declares a (tree_id, lft) index, so it stays in the
migration state (the model keeps declaring it) but is dropped from the database; `comment_tree`
serves the same tree_id lookups and lft ordering is a cheap in-memory sort within one tree.
"""

from django.db import migrations, models

MPTT_INDEX = "comments_comment_tree_id_l4b1c"
FILLFACTOR = 75  # % of each heap page filled on insert; the rest takes in-place updates


def set_fillfactor(apps, schema_editor, value=FILLFACTOR):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE comments_comment SET (fillfactor = {int(value)})")


def reset_fillfactor(apps, schema_editor):
    set_fillfactor(apps, schema_editor, value=100)


class Migration(migrations.Migration):

    dependencies = [
        ('comments', '0003_fewer_indexes'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='comment',
            name='comment_thread_order',
        ),
        migrations.AddIndex(
            model_name='comment',
            index=models.Index(fields=['article', 'tree_id'], name='comment_thread_order'),
        ),
        migrations.AddIndex(
            model_name='comment',
            index=models.Index(fields=['tree_id'], name='comment_tree'),
        ),
        migrations.SeparateDatabaseAndState(database_operations=[
            migrations.RunSQL(
                f'DROP INDEX "{MPTT_INDEX}"',
                reverse_sql=f'CREATE INDEX "{MPTT_INDEX}" ON "comments_comment" ("tree_id", "lft")',
            ),
        ]),
        migrations.RunPython(set_fillfactor, reset_fillfactor),
    ]
