from django.db import connection, models
from django.urls import reverse
from django.utils import timezone


class ArticleQuerySet(models.QuerySet):
    def bump_thread_version(self, article_id: int) -> int:
        """Invalidate every cached rendering of the article's thread; return the new version.

        Call it in the same transaction as the change. Every write makes this one-row UPDATE,
        and the ORM takes longer to build it than the database takes to run it, so the SQL is
        written out once. The row stays locked until the transaction ends, so versions are
        handed out in the order their changes commit: a comment that becomes visible is stamped
        with the one returned (Comment.published_version), which live updates count by.
        """
        with connection.cursor() as cursor:
            cursor.execute(_BUMP_THREAD_VERSION_SQL, [article_id])
            return cursor.fetchone()[0]

    def bump_reactions_version(self, article_id: int) -> None:
        """Invalidate the stored anonymous pages of the article, and nothing else.

        A reaction changes only counts, which every page patches in per request; the whole
        anonymous page, stored with its counts, is keyed by this as well as the thread version.
        Rendered comments (keyed by the thread version) stay valid.
        """
        with connection.cursor() as cursor:
            cursor.execute(_BUMP_REACTIONS_VERSION_SQL, [article_id])


class Article(models.Model):
    class CommentMode(models.TextChoices):
        OPEN = "open", "Open"
        PREMODERATED = "premoderated", "Pre-moderated"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    body = models.TextField(blank=True, help_text="Plain text; blank lines separate paragraphs.")
    published_at = models.DateTimeField(default=timezone.now, db_index=True)
    comment_mode = models.CharField(
        max_length=16, choices=CommentMode.choices, default=CommentMode.OPEN
    )
    # Bumped in the same transaction as any change to the thread; keys the rendered-thread cache.
    thread_version = models.PositiveBigIntegerField(default=0, editable=False)
    # Bumped with every reaction to one of its comments; keys the stored anonymous pages only.
    reactions_version = models.PositiveBigIntegerField(default=0, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("article", kwargs={"slug": self.slug})

    @property
    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.split("\n\n") if p.strip()]

    @property
    def is_closed(self) -> bool:
        return self.comment_mode == self.CommentMode.CLOSED


_BUMP_THREAD_VERSION_SQL = (  # names from the model, never from input
    f'UPDATE "{Article._meta.db_table}" SET "thread_version" = "thread_version" + 1 '  # noqa: S608
    f'WHERE "{Article._meta.pk.column}" = %s RETURNING "thread_version"'
)
_BUMP_REACTIONS_VERSION_SQL = (  # names from the model, never from input
    f'UPDATE "{Article._meta.db_table}" SET "reactions_version" = "reactions_version" + 1 '  # noqa: S608
    f'WHERE "{Article._meta.pk.column}" = %s'
)
