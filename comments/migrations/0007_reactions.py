"""Reactions: one row per reader and comment, and the count kept on the comment.

On SQLite, adding a column with a default rebuilds the table with every index of the model
state, django-mptt's (tree_id, lft) index included, which 0004 dropped; drop it again (on
PostgreSQL the column is added in place and the index never comes back).
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0002_reactions'),
        ('comments', '0006_moderation_models_leave'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Reaction',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
            ],
        ),
        migrations.AddField(
            model_name='comment',
            name='reaction_count',
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.SeparateDatabaseAndState(database_operations=[
            migrations.RunSQL(
                'DROP INDEX IF EXISTS "comments_comment_tree_id_l4b1c"',
                reverse_sql=migrations.RunSQL.noop,
            ),
        ]),
        migrations.AddIndex(
            model_name='comment',
            index=models.Index(condition=models.Q(('reaction_count__gt', 0)), fields=['article', 'tree_id', 'reaction_count'], include=('id',), name='comment_reacted'),
        ),
        migrations.AddField(
            model_name='reaction',
            name='comment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reactions', to='comments.comment'),
        ),
        migrations.AddField(
            model_name='reaction',
            name='user',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='reactions', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='reaction',
            constraint=models.UniqueConstraint(fields=('user', 'comment'), name='reaction_once_per_reader'),
        ),
    ]
