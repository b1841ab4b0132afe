"""The demo `make run` shows, built through the same services readers and moderators use.

Comments are posted with comments.services.comment_create (so the detector files its findings,
flags and holds as it does for a reader), flags, decisions, featuring, locks, article modes and
users' standing go through moderation.services, reactions through comments.services. The one
thing no service can do is set a time in the past: once an article's thread is built, its
comments' times are moved back over the days after its publication, here and nowhere else.

Everything random comes from random.Random seeded with a fixed value: the same demo every run.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from articles.models import Article
from comments import services
from comments.importing import ImportedThread
from comments.models import Comment, Reason
from moderation import services as moderation

from . import texts

Status = Comment.Status

SEED_DAYS_AGO = 6.0  # the seed article is shown as published this long before the demo was built
DEFAULT_BUSY_COMMENTS = 1200


# --- times -----------------------------------------------------------------------------------


def plausible_times(
    nodes: Sequence[tuple[object, object | None]],
    *,
    start: dt.datetime,
    end: dt.datetime,
    rng: random.Random,
) -> dict[object, dt.datetime]:
    """A time for each (key, parent key) in tree order, between start and end.

    Top-level comments arrive quickly after publication, then ever more slowly; a reply comes
    minutes to hours after its parent, and after the sibling above it, so every order a page
    can sort by agrees with the tree. Everything is squeezed into the window if it overflows.
    """
    span = (end - start).total_seconds()
    roots = sum(1 for _, parent in nodes if parent is None) or 1
    times: dict[object, float] = {}  # seconds after start
    last_child: dict[object | None, float] = {}
    seen_roots = 0
    for key, parent in nodes:
        if parent is None:
            # Gaps grow along the thread: most top-level comments come in the first hours.
            mean = span * 0.75 / roots * (0.2 + 2 * seen_roots / roots)
            seen_roots += 1
            base = 0.0
        else:
            mean = rng.choice((4, 15, 40, 120)) * 60
            base = times[parent]
        after = max(base, last_child.get(parent, base))
        times[key] = after + 20 + rng.expovariate(1 / mean)
        last_child[parent] = times[key]
    latest = max(times.values(), default=0.0)
    limit = span - 120  # the newest comment a couple of minutes old
    scale = limit / latest if latest > limit > 0 else 1.0
    return {key: start + dt.timedelta(seconds=s * scale) for key, s in times.items()}


def spread_seed_times(thread: ImportedThread, *, now: dt.datetime) -> ImportedThread:
    """The seed with a publication time and comment times over the days after it.

    A seed page carries no times, and the importer would stamp every comment with the moment
    of import; a thread that has its own times (a JSON export) is left as it is.
    """
    if thread.published_at is not None or any(c.created for c in thread.comments):
        return thread
    published = now - dt.timedelta(days=SEED_DAYS_AGO)
    times = plausible_times(
        [(c.key, c.parent_key) for c in thread.comments],
        start=published,
        end=now,
        rng=random.Random(f"seed:{thread.slug}"),
    )
    return replace(
        thread,
        published_at=published,
        comments=tuple(replace(c, created=times[c.key]) for c in thread.comments),
    )


def backdate_thread(article: Article, *, edited: set[int], rng: random.Random) -> None:
    """Move an article's comments to plausible times after its publication (demo only).

    Edits keep their place a few minutes after their comment. The thread version is bumped as
    for any other change, so no cached rendering shows the old times.
    """
    comments = list(Comment.objects.filter(article=article).order_by("tree_id", "lft"))
    times = plausible_times(
        [(c.pk, c.parent_id) for c in comments],
        start=article.published_at,
        end=timezone.now(),
        rng=rng,
    )
    for c in comments:
        c.created_at = times[c.pk]
        if c.pk in edited:
            c.edited_at = c.created_at + dt.timedelta(minutes=rng.uniform(2, 14))
    Comment.objects.bulk_update(comments, ["created_at", "edited_at"], batch_size=500)
    Article.objects.bump_thread_version(article.pk)


# --- people ----------------------------------------------------------------------------------


@dataclass
class People:
    moderator: User
    readers: list[User]  # the demo readers whose logins are printed: they report comments
    commenters: dict[str, User]  # username -> user

    @property
    def everyone(self) -> list:
        """Who may turn up anywhere: not the spammer, who is suspended in the busy thread."""
        crowd = [u for name, u in self.commenters.items() if name != texts.SPAMMER]
        return [*crowd, *self.readers]


def commenters(*, now: dt.datetime) -> dict[str, User]:
    """The demo's crowd: accounts without a usable password (nobody signs in as them)."""
    crowd = {}
    for index, (username, display_name) in enumerate(texts.COMMENTERS):
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, display_name=display_name)
            user.set_unusable_password()
            # Members for a while: readers' reports count in full only from grown accounts.
            user.date_joined = now - dt.timedelta(days=40 + 17 * index)
            user.full_clean()
            user.save()
        crowd[username] = user
    return crowd


@contextmanager
def scripted_crowd() -> Iterator[None]:
    """Without the rate limits (one script posts for everyone, faster than any reader would)
    and the new-account hold, which would put the whole crowd in Pending."""
    rules = settings.NEWSROOM
    relaxed = {
        **rules,
        "RATE_LIMITS": {**rules["RATE_LIMITS"], "ENABLED": False},
        "PREMODERATE_FIRST_N": 0,
    }
    with override_settings(NEWSROOM=relaxed):
        yield


# --- what readers write ----------------------------------------------------------------------


def remark(rng: random.Random, article: texts.DemoArticle) -> str:
    def fill(s: str) -> str:
        text = s.format(thing=article.thing, who=article.who, place=article.place)
        return text[0].upper() + text[1:]

    parts = []
    if rng.random() < 0.3:
        parts.append(rng.choice(texts.OPENERS))
    remarks = rng.sample(texts.REMARKS, rng.choice((1, 1, 2, 2, 3)))
    body = " ".join(fill(r) for r in remarks)
    if parts and not parts[0].endswith((".", ":")) and not body.startswith(("I ", "I'")):
        body = body[0].lower() + body[1:]  # "Honestly, the negotiators ..."
    parts.append(body)
    if rng.random() < 0.25:
        parts.append(rng.choice(texts.CLOSERS))
    text = " ".join(parts)
    if rng.random() < 0.1:  # now and then a second paragraph
        text += "\n\n" + fill(rng.choice(texts.REMARKS))
    return text


def reply(rng: random.Random, article: texts.DemoArticle) -> str:
    text = rng.choice(texts.REPLIES)
    if rng.random() < 0.6:
        text += " " + remark(rng, article)
    return text


# --- building a thread -----------------------------------------------------------------------


@dataclass
class Thread:
    """One article being built: what was posted, what can still be answered."""

    article: Article
    story: texts.DemoArticle
    people: People
    rng: random.Random
    posted: list[Comment] = field(default_factory=list)
    answerable: list[Comment] = field(default_factory=list)  # published, so replies are allowed
    edited: set[int] = field(default_factory=set)

    def post(self, author, body: str, parent: Comment | None = None) -> Comment:
        comment = services.comment_create(
            article=self.article, author=author, body=body, parent=parent
        )
        self.posted.append(comment)
        if comment.status == Status.PUBLISHED:
            self.answerable.append(comment)
        return comment

    def someone(self, *, besides=None):
        return self.rng.choice([u for u in self.people.everyone if u != besides])

    def hothead(self, *, mostly: bool = False):
        if mostly and self.rng.random() < 0.7:
            return self.people.commenters[texts.HOTHEAD]
        return self.people.commenters[self.rng.choice(texts.HOTHEADS)]

    def pick_parent(self) -> Comment:
        # Most replies answer a top-level comment or a reply to one, fewer go deeper (the
        # deep branches come from chain()); mostly the conversation going on at the moment,
        # sometimes an older comment someone scrolled back to.
        levels = sorted({c.level for c in self.answerable[-200:]})
        level = levels[min(int(self.rng.expovariate(0.8)), len(levels) - 1)]
        at_level = [c for c in self.answerable if c.level == level]
        if self.rng.random() < 0.7:
            return self.rng.choice(at_level[-15:])
        return self.rng.choice(at_level)

    def crowd(self, count: int, *, top_level_share: float, hot: float = 0.02) -> None:
        """`count` comments by the crowd: remarks, replies, hedges and a few generalisations."""
        rng = self.rng
        for _ in range(count):
            parent = None
            if self.answerable and rng.random() > top_level_share:
                parent = self.pick_parent()
            author = self.someone(besides=parent.author if parent else None)
            roll = rng.random()
            if roll < hot * 1.25:
                # Generalisations come from a few of the crowd (mostly one of them), never
                # from the demo readers whose logins are printed.
                author = self.hothead(mostly=roll < hot)
                if parent is not None and parent.author == author:
                    parent = None  # nobody answers himself
                body = rng.choice(texts.REPORTED if roll < hot else texts.HELD)
                if rng.random() < 0.5:
                    body = remark(rng, self.story) + " " + body
            elif roll < hot * 2.5:
                body = rng.choice(texts.NOT_GENERALISATIONS)
            else:
                body = reply(rng, self.story) if parent else remark(rng, self.story)
            self.post(author, body, parent)

    def chain(self, under: Comment, authors: Sequence, length: int) -> list[Comment]:
        """Two readers answering each other, one level deeper every time."""
        parent, chain = under, []
        for i in range(length):
            parent = self.post(authors[i % len(authors)], reply(self.rng, self.story), parent)
            chain.append(parent)
        return chain

    def react(self, share: float, *, most: int = 9) -> None:
        """Readers give Respect to about `share` of the published comments."""
        rng = self.rng
        for comment in self.posted:
            if comment.status != Status.PUBLISHED or rng.random() > share:
                continue
            self.give_respect(comment, min(most, 1 + int(rng.expovariate(0.5))))

    def give_respect(self, comment: Comment, count: int) -> None:
        others = [u for u in self.people.everyone if u.pk != comment.author_id]
        for user in self.rng.sample(others, min(count, len(others))):
            services.reaction_set(comment=comment, acting_user=user, pressed=True)

    def edit_some(self, share: float) -> None:
        for comment in self.rng.sample(self.posted, int(len(self.posted) * share)):
            if comment.status == Status.PUBLISHED:
                services.comment_edit(
                    comment=comment,
                    body=comment.body_raw + "\n\nEdit: " + self.rng.choice(texts.CLOSERS),
                    acting_user=comment.author,
                )
                self.edited.add(comment.pk)

    def delete_some(self, share: float, *, keep: Sequence[Comment] = ()) -> None:
        """Authors withdraw a few comments, one with replies (which stay in place)."""
        answered = {c.parent_id for c in self.posted}
        kept = {c.pk for c in keep}
        candidates = [c for c in self.posted if c.status == Status.PUBLISHED and c.pk not in kept]
        withdrawn = self.rng.sample(candidates, int(len(self.posted) * share))
        withdrawn += [c for c in candidates if c.pk in answered and c not in withdrawn][:1]
        for comment in withdrawn:
            services.comment_delete_own(comment=comment, acting_user=comment.author)

    def flag(self, comment: Comment, reason: str, readers: Sequence, note: str = "") -> None:
        for reader in readers:
            if reader.pk != comment.author_id:  # nobody may report their own comment
                moderation.comment_flag(comment=comment, reporter=reader, reason=reason, note=note)

    def findings(self, *, held: bool) -> list[Comment]:
        """Comments the detector reported (still published) or held (in Pending)."""
        ids = [c.pk for c in self.posted]
        qs = Comment.objects.filter(pk__in=ids, findings__is_current=True).distinct()
        qs = qs.filter(status=Status.PENDING) if held else qs.filter(status=Status.PUBLISHED)
        return list(qs.order_by("pk"))

    def finish(self) -> None:
        backdate_thread(self.article, edited=self.edited, rng=self.rng)


def _new_article(story: texts.DemoArticle, *, now: dt.datetime) -> Article:
    # Articles have no service: staff make them in the admin, which saves them like this.
    article = Article(
        title=story.title,
        slug=story.slug,
        body=story.body,
        published_at=now - dt.timedelta(days=story.days_ago),
    )
    article.full_clean()
    article.save()
    return article


# --- the articles ----------------------------------------------------------------------------


def _busy(t: Thread, size: int) -> None:
    """The busy thread: `size` comments, deep branches, every moderation state."""
    people, rng, mod = t.people, t.rng, t.people.moderator
    first, second, third, *_ = people.readers * 3
    featured = t.post(people.commenters["grace-o"], texts.THOUGHTFUL)
    t.chain(featured, [people.commenters["omar-h"], people.commenters["grace-o"]], 3)
    # An argument between two readers, eleven levels deep: past the depth at which the page
    # stops indenting ("Continue this thread"), and locked by a moderator further down.
    heated = t.post(people.commenters["dmitri"], remark(rng, t.story))
    argument = t.chain(heated, [people.commenters[texts.HOTHEAD], people.commenters["leyla"]], 11)
    spam = t.post(people.commenters[texts.SPAMMER], texts.SPAM)
    rude = t.post(people.commenters["mike-t"], texts.RUDE, parent=featured)
    harmless = t.post(people.commenters["hannah-l"], remark(rng, t.story), parent=heated)
    t.crowd(max(0, size - len(t.posted) - 1), top_level_share=0.12)  # one more at the end

    t.react(0.25)
    t.give_respect(featured, 18)
    t.edit_some(0.02)
    t.delete_some(0.012, keep=[featured, heated, spam, rude, harmless, *argument])

    # Readers' reports: the rude reply three times (enough to hide it until a moderator
    # decides), the spam twice, a harmless remark once, and a few of the detector's findings.
    t.flag(rude, Reason.ABUSE, [first, second, third])
    t.flag(spam, Reason.SPAM, [second, third], note="Same link on three articles.")
    t.flag(harmless, Reason.MISINFORMATION, [first], note="The numbers are wrong.")
    for comment, reader in zip(t.findings(held=False)[:4], people.readers * 2, strict=False):
        t.flag(comment, Reason.SECTARIAN, [reader])

    # The moderator's decisions, as in the audit log.
    moderation.comment_set_featured(comment=featured, acting_user=mod)
    moderation.comment_set_locked(comment=argument[6], acting_user=mod)
    moderation.comment_reject(comment=spam, acting_user=mod, reason=Reason.SPAM)
    moderation.comment_approve(comment=harmless, acting_user=mod)
    reported = t.findings(held=False)
    if len(reported) > 4:  # one the readers did not report
        moderation.comment_reject(comment=reported[-1], acting_user=mod, reason=Reason.SECTARIAN)
    held = t.findings(held=True)
    if held:
        moderation.comment_reject(
            comment=held[0], acting_user=mod, reason=Reason.SECTARIAN, note="Call for violence."
        )
    hothead = people.commenters[texts.HOTHEAD]
    moderation.user_add_note(
        user=hothead, acting_user=mod, body="Repeated generalisations about whole groups."
    )
    moderation.user_set_premoderation(user=hothead, acting_user=mod, premoderated=True)
    # His newest comment, posted since, waits in Pending.
    t.post(hothead, texts.REPORTED[0] + " " + remark(rng, t.story))
    moderation.user_suspend(
        user=people.commenters[texts.SPAMMER],
        acting_user=mod,
        duration=dt.timedelta(days=3),
        reason="Spam links.",
    )


def _schools(t: Thread) -> None:
    mod = t.people.moderator
    t.crowd(140, top_level_share=0.25, hot=0.04)
    best = t.post(t.people.commenters["nadia-k"], remark(t.rng, t.story))
    t.react(0.3)
    t.give_respect(best, 12)
    moderation.comment_set_featured(comment=best, acting_user=mod)
    t.edit_some(0.02)
    t.delete_some(0.01, keep=[best])


def _trial(t: Thread) -> None:
    """A pre-moderated article: every comment waits for a moderator; a few were approved."""
    mod = t.people.moderator
    moderation.article_set_comment_mode(
        article=t.article, mode=Article.CommentMode.PREMODERATED, acting_user=mod
    )
    first = [t.post(t.someone(), remark(t.rng, t.story)) for _ in range(8)]
    for comment in first[:4]:
        moderation.comment_approve(comment=comment, acting_user=mod)
        comment.refresh_from_db()
        t.answerable.append(comment)
    t.post(t.hothead(), texts.HELD[0], parent=first[0])
    t.crowd(6, top_level_share=0.4)


def _buses(t: Thread) -> None:
    """An older, calmer thread, closed to new comments by a moderator."""
    t.crowd(40, top_level_share=0.4, hot=0)
    t.react(0.5)
    moderation.article_set_comment_mode(
        article=t.article, mode=Article.CommentMode.CLOSED, acting_user=t.people.moderator
    )


# In the order they are built (texts.ARTICLES has the same keys): the older threads first, as
# the moderator's decisions on the busy one (a reader put on pre-moderation, a suspension) came
# after them.
BUILDS: dict[str, Callable[..., None]] = {
    "buses": _buses,
    "schools": _schools,
    "busy": _busy,
    "trial": _trial,
}


def build_articles(
    *, moderator: User, readers: list[User], busy_comments: int = DEFAULT_BUSY_COMMENTS
) -> list[tuple[Article, bool]]:
    """Create each demo article whose slug is free, with its thread; (article, created) each.

    An article that exists is left alone, so running the demo again duplicates nothing. Each
    article is built in one transaction: it is there whole, or not at all.
    """
    now = timezone.now()
    built = []
    with scripted_crowd():
        people = People(moderator=moderator, readers=readers, commenters=commenters(now=now))
        for key in BUILDS:
            story = texts.ARTICLES[key]
            existing = Article.objects.filter(slug=story.slug).first()
            if existing is not None:
                built.append((existing, False))
                continue
            with transaction.atomic():
                article = _new_article(story, now=now)
                thread = Thread(article, story, people, random.Random(f"demo:{key}"))
                if key == "busy":
                    _busy(thread, busy_comments)
                else:
                    BUILDS[key](thread)
                thread.finish()
            built.append((article, True))
    return built


def flag_seed(article: Article, *, readers: list[User]) -> None:
    """Demo readers report a couple of the seed's comments the detector already flagged."""
    flagged = (
        Comment.objects.filter(article=article, status=Status.PUBLISHED, open_flag_count__gt=0)
        .select_related("article")
        .order_by("tree_id", "lft")
    )
    with scripted_crowd():
        for comment, reader in zip(flagged[:2], readers, strict=False):
            moderation.comment_flag(comment=comment, reporter=reader, reason=Reason.SECTARIAN)
