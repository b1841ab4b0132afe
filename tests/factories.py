"""Test data built through the same services readers and moderators use."""

import factory
from django.contrib.auth.models import Group
from django.core.cache import caches

from accounts.models import User
from accounts.roles import MODERATORS_GROUP
from articles.models import Article
from comments import importing, services


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"Reader {n}")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests-1")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    body = "First paragraph.\n\nSecond paragraph."


def make_moderator(**kwargs) -> User:
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])
    return User.objects.get(pk=user.pk)


def clear_caches() -> None:
    """Empty every cache (the shared one and this process's local page copies)."""
    from django.core.cache.backends.db import DatabaseCache

    for each in caches.all():
        # The database cache (rate limits without Redis) lives in the test's transaction, which
        # is rolled back after it; clearing it here would need database access in every test.
        if not isinstance(each, DatabaseCache):
            each.clear()


def make_staff(**kwargs) -> User:
    return UserFactory(is_staff=True, **kwargs)


def post(article, author=None, body="A perfectly ordinary comment.", parent=None):
    """Post through the service, as a reader would."""
    return services.comment_create(
        article=article, author=author or UserFactory(), body=body, parent=parent
    )


# --- Bulk threads and HTML inspection (appended for the thread/posting tests) ---------------


def import_thread(slug, *, roots=1, replies_per_root=0, depth=1, statuses=None, title=None):
    """An article with `roots` top-level comments, each carrying `replies_per_root` replies
    spread over chains `depth` levels deep; built in a handful of queries by thread_import.

    `statuses` maps a comment's index (in creation order) to a Comment.Status.
    Returns the Article.
    """
    from comments.models import Comment

    statuses = statuses or {}
    comments = []

    def add(key, parent_key):
        index = len(comments)
        comments.append(
            importing.ImportedComment(
                key=key,
                parent_key=parent_key,
                author=f"Imported {index}",
                body=f"Imported comment number {index}.",
                status=statuses.get(index, Comment.Status.PUBLISHED),
            )
        )

    for r in range(roots):
        root = f"r{r}"
        add(root, None)
        parent = root
        for n in range(replies_per_root):
            key = f"r{r}-{n}"
            # Chains of `depth` replies, then start again under the root.
            add(key, parent if n % depth else root)
            parent = key
    return services.thread_import(
        thread=importing.ImportedThread(
            title=title or f"Imported {slug}",
            slug=slug,
            body="Imported.",
            comments=tuple(comments),
        )
    )


class Element:
    """A parsed HTML element: tag, attrs (dict), children (Elements and str), parent."""

    def __init__(self, tag, attrs, parent=None):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def iter(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.iter()

    def find_all(self, tag=None, **attrs):
        """Descendants with this tag (any if None) whose attributes equal `attrs`
        (class_="x" matches when x is one of the element's classes)."""
        found = []
        for el in self.iter():
            if tag is not None and el.tag != tag:
                continue
            ok = True
            for name, value in attrs.items():
                if name == "class_":
                    ok = value in el.attrs.get("class", "").split()
                else:
                    ok = el.attrs.get(name.replace("_", "-")) == value
                if not ok:
                    break
            if ok:
                found.append(el)
        return found

    def find(self, tag=None, **attrs):
        found = self.find_all(tag, **attrs)
        return found[0] if found else None

    def by_id(self, element_id):
        return self.find(id=element_id)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def is_inside(self, other) -> bool:
        return any(a is other for a in self.ancestors())

    def __repr__(self):
        return f"<{self.tag} {self.attrs}>"


_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


def parse_html(html) -> Element:
    """Parse a page into Elements with the standard library's html.parser."""
    from html.parser import HTMLParser

    if isinstance(html, bytes):
        html = html.decode()
    root = Element("#document", {})

    class Builder(HTMLParser):
        current = root

        def handle_starttag(self, tag, attrs):
            el = Element(tag, [(k, v if v is not None else "") for k, v in attrs], self.current)
            self.current.children.append(el)
            if tag not in _VOID:
                self.current = el

        def handle_startendtag(self, tag, attrs):
            el = Element(tag, [(k, v if v is not None else "") for k, v in attrs], self.current)
            self.current.children.append(el)

        def handle_endtag(self, tag):
            node = self.current
            while node is not root and node.tag != tag:
                node = node.parent
            if node is not root:  # a stray end tag is ignored, like browsers do
                self.current = node.parent

        def handle_data(self, data):
            self.current.children.append(data)

    builder = Builder(convert_charrefs=True)
    builder.feed(html)
    builder.close()
    return root


def comment_elements(doc) -> dict[int, Element]:
    """pk -> the element of every comment on the page (id="c<pk>")."""
    return {
        int(el.attrs["id"][1:]): el
        for el in doc.iter()
        if el.attrs.get("id", "").startswith("c") and el.attrs["id"][1:].isdigit()
    }


def trusted_reader(**kwargs) -> User:
    """A reader whose reports count in full toward auto-hiding: a month-old account."""
    import datetime as dt

    from django.utils import timezone

    user = UserFactory(**kwargs)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - dt.timedelta(days=30))
    return User.objects.get(pk=user.pk)
