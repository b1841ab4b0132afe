"""Live updates: the thread version at which each comment last became visible, and the index
that counts an article's published comments above a version.

Existing comments keep 0 (no reader's page is older than that). On SQLite, adding a column
rebuilds the table with every index of the model state, django-mptt's (tree_id, lft) index
included, which 0004 dropped: drop it again, as 0007 does.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('comments', '0007_reactions'),
    ]

    operations = [
        migrations.AddField(
            model_name='comment',
            name='published_version',
            field=models.PositiveBigIntegerField(default=0, editable=False),
        ),
        migrations.SeparateDatabaseAndState(database_operations=[
            migrations.RunSQL(
                'DROP INDEX IF EXISTS "comments_comment_tree_id_l4b1c"',
                reverse_sql=migrations.RunSQL.noop,
            ),
        ]),
        migrations.AddIndex(
            model_name='comment',
            index=models.Index(condition=models.Q(('status', 'published')), fields=['article', 'published_version'], name='comment_published_since'),
        ),
    ]
