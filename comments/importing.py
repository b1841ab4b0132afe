"""Reading threads from files (and writing them back): parsing only, no database writes.

Two formats:

* Seed text: a news article page saved as plain text. The first non-empty line is the title (a
  repeat of it right after is dropped), then the article's paragraphs, then the comment thread as
  an indented list: a line ``•`` + author opens a comment whose paragraphs follow, indented deeper
  than the bullet; a bullet with nothing under it is an anonymous comment whose text is on the
  bullet line. Deeper bullets are replies. Page chrome (``CHROME_LINES``) is dropped, and so are
  photo credits (``© Name/Agency`` lines): the photo is not imported, and a credit standing alone
  would read as the article's first paragraph.
* JSON: ``{"article": {"title", "slug", "body", "published_at"?}, "comments": [{"id", "parent",
  "author", "body", "created"?, "status"?}]}``, which is also what ``export_thread`` writes, so a
  thread round-trips.

Every problem with the input is an ``ImportFormatError`` naming the line (seed text) or the
comment id (JSON); the walks are iterative, so a 10,000-deep reply chain is fine.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

from django.utils.text import slugify

from articles.models import Article

from .models import Comment


@dataclass(frozen=True)
class ImportedComment:
    key: str
    parent_key: str | None
    author: str
    body: str
    created: dt.datetime | None = None
    status: str = Comment.Status.PUBLISHED


@dataclass(frozen=True)
class ImportedThread:
    """A parsed article and its comments, parents listed before their replies."""

    title: str
    slug: str
    body: str
    comments: tuple[ImportedComment, ...]
    published_at: dt.datetime | None = None


BULLET = "•"
ANONYMOUS = "Anonymous"
DELETED_USER = "[deleted user]"

# Lines of page furniture that are never part of an article or a comment (compared casefolded,
# whitespace-collapsed).
CHROME_LINES = frozenset(
    line.casefold()
    for line in (
        "Do you like this content? Consider helping us!",
        "Support SouthFront",
        "Share this:",
        "Like this:",
        "Related",
        "Leave a Reply",
        "Load more comments",
    )
)
_CREDIT = re.compile(r"^(©|\(c\)|photo:)\s*\S.{0,150}$", re.IGNORECASE)

# Field limits of the models the service writes (checked here so every database refuses alike).
MAX_TITLE = Article._meta.get_field("title").max_length
MAX_SLUG = Article._meta.get_field("slug").max_length
MAX_AUTHOR = Comment._meta.get_field("author_name").max_length
_CONTROL = re.compile(r"[\x01-\x1f\x7f]")  # in one-line fields; NUL is refused outright
_SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
STATUSES = frozenset(Comment.Status.values)


class ImportFormatError(ValueError):
    """The file cannot be imported; the message says where (line or comment id) and why."""


# --- shared checks ---------------------------------------------------------------------------


def _check_text(value: str, where: str, what: str) -> None:
    if "\x00" in value:
        raise ImportFormatError(f"{where}: the {what} contains a NUL character.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ImportFormatError(
            f"{where}: the {what} contains an unpaired surrogate (not valid Unicode text)."
        ) from None


def _clean_title(title: str, where: str) -> str:
    _check_text(title, where, "title")
    title = " ".join(_CONTROL.sub(" ", title).split())
    if not title:
        raise ImportFormatError(f"{where}: the article has no title.")
    if len(title) > MAX_TITLE:
        raise ImportFormatError(
            f"{where}: the title is {len(title)} characters long; the limit is {MAX_TITLE}."
        )
    return title


def _resolve_slug(slug: str | None, title: str, where: str) -> str:
    if slug is not None:
        if not isinstance(slug, str) or not _SLUG_RE.match(slug):
            raise ImportFormatError(
                f"{where}: the slug {slug!r} may only contain letters, digits, '-' and '_'."
            )
        if len(slug) > MAX_SLUG:
            raise ImportFormatError(f"{where}: the slug is longer than {MAX_SLUG} characters.")
        return slug
    derived = slugify(title)[:MAX_SLUG].strip("-_")
    if not derived:
        raise ImportFormatError(
            f"{where}: no slug can be made from the title {title!r}; pass --slug."
        )
    return derived


def _clean_author(author: str, where: str) -> str:
    _check_text(author, where, "author name")
    author = " ".join(_CONTROL.sub(" ", author).split())
    if len(author) > MAX_AUTHOR:
        raise ImportFormatError(
            f"{where}: the author name is {len(author)} characters long; the limit is {MAX_AUTHOR}."
        )
    return author


# --- seed text -------------------------------------------------------------------------------


def _is_chrome(stripped: str) -> bool:
    return " ".join(stripped.split()).casefold() in CHROME_LINES


def _paragraphs(lines: list[str]) -> str:
    """Join stripped lines: consecutive lines form a paragraph, blank lines separate them."""
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line:
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return "\n\n".join("\n".join(p) for p in paragraphs if p)


def parse_seed_text(text: str, *, slug: str | None = None) -> ImportedThread:
    """Parse a plain-text article page with its bulleted, indented comment thread."""
    if not isinstance(text, str):
        raise ImportFormatError("The input is not text.")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    for number, line in enumerate(lines, 1):
        _check_text(line, f"Line {number}", "line")
    if not text.strip():
        raise ImportFormatError("The file is empty.")

    # Title: the first non-empty line; a repeat right after it (page header + headline) is dropped.
    i = 0
    while not lines[i].strip():
        i += 1
    title_line = i + 1
    title = _clean_title(lines[i], f"Line {title_line}")
    if title.lstrip().startswith(BULLET):
        raise ImportFormatError(f"Line {title_line}: the file starts with a comment, not a title.")
    i += 1
    j = i
    while j < len(lines) and not lines[j].strip():
        j += 1
    if j < len(lines) and " ".join(lines[j].split()) == title:
        i = j + 1

    # Article body: everything up to the first bullet.
    body_lines: list[str] = []
    while i < len(lines) and not lines[i].lstrip(" \t").startswith(BULLET):
        stripped = lines[i].strip()
        if stripped and (_is_chrome(stripped) or _CREDIT.match(stripped)):
            stripped = ""
        body_lines.append(stripped)
        i += 1
    body = _paragraphs(body_lines)

    # The thread. Each entry: [line number, indent, bullet text, body lines, parent key].
    comments: list[list] = []
    stack: list[tuple[int, int]] = []  # (indent, index into comments) of the open ancestors
    root_indent: int | None = None
    for number in range(i + 1, len(lines) + 1):
        line = lines[number - 1]
        stripped = line.strip()
        if not stripped:
            if comments:
                comments[-1][3].append("")
            continue
        if _is_chrome(stripped):
            continue
        raw_indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in raw_indent:
            raise ImportFormatError(f"Line {number}: tab in the indentation; indent with spaces.")
        indent = len(raw_indent)
        if stripped.startswith(BULLET):
            bullet_text = stripped[len(BULLET) :].strip()
            if not bullet_text:
                raise ImportFormatError(f"Line {number}: a bullet with no author or text.")
            if root_indent is None:
                root_indent = indent
            if indent < root_indent:
                raise ImportFormatError(
                    f"Line {number}: this comment is indented less ({indent} spaces) than the "
                    f"first comment ({root_indent} spaces)."
                )
            while stack and stack[-1][0] > indent:
                stack.pop()
            if stack and stack[-1][0] == indent:
                stack.pop()  # a sibling
            if not stack and indent != root_indent:
                raise ImportFormatError(
                    f"Line {number}: indentation of {indent} spaces matches no enclosing comment."
                )
            parent = stack[-1][1] if stack else None
            stack.append((indent, len(comments)))
            comments.append([number, indent, bullet_text, [], parent])
            continue
        if indent <= comments[-1][1]:
            raise ImportFormatError(
                f"Line {number}: text in the comment thread that is not indented deeper than "
                f"the comment above it (line {comments[-1][0]}): {stripped[:60]!r}."
            )
        comments[-1][3].append(stripped)

    # All replies to one comment must share a column: a dedent that lands between two columns
    # (bullets at 2, 6, then 4) has no unambiguous parent.
    child_column: dict[int | None, int] = {}
    for number, indent, _, _, parent in comments:
        column = child_column.setdefault(parent, indent)
        if column != indent:
            raise ImportFormatError(
                f"Line {number}: indentation of {indent} spaces does not match the earlier "
                f"replies at this level ({column} spaces)."
            )

    imported = []
    for index, (number, _, bullet_text, lines_under, parent) in enumerate(comments):
        key = str(index + 1)
        comment_body = _paragraphs(lines_under)
        if comment_body:
            author = _clean_author(bullet_text, f"Line {number}")
            if not author:
                raise ImportFormatError(f"Line {number}: empty author name.")
        else:
            author, comment_body = ANONYMOUS, bullet_text
        imported.append(
            ImportedComment(
                key=key,
                parent_key=None if parent is None else str(parent + 1),
                author=author,
                body=comment_body,
                created=None,
            )
        )
    return ImportedThread(
        title=title,
        slug=_resolve_slug(slug, title, f"Line {title_line}"),
        body=body,
        comments=tuple(imported),
    )


# --- JSON ------------------------------------------------------------------------------------


def _parse_time(value, where: str, what: str) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ImportFormatError(f"{where}: {what} must be an ISO 8601 string or null.")
    try:
        moment = dt.datetime.fromisoformat(value.strip())
        if moment.tzinfo is None:
            return moment.replace(tzinfo=dt.UTC)
        return moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise ImportFormatError(
            f"{where}: {what} {value[:40]!r} is not an ISO 8601 date and time."
        ) from None


def _key(value, where: str, what: str) -> str:
    # bool is an int subclass; floats would make 1 and 1.0 the same comment.
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ImportFormatError(f"{where}: {what} must be an integer or a string.")
    key = str(value)
    if not key.strip():
        raise ImportFormatError(f"{where}: {what} is empty.")
    _check_text(key, where, what)
    return key


def _label(key: str) -> str:
    return f"Comment {key[:40]}"


def parse_json_thread(text: str, *, slug: str | None = None) -> ImportedThread:
    """Parse the JSON thread format (what export_thread writes); parents may come after replies."""
    if not isinstance(text, str):
        raise ImportFormatError("The input is not text.")
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ImportFormatError("The file is empty.")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"Malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}."
        ) from None
    except RecursionError:
        raise ImportFormatError("Malformed JSON: nested too deeply.") from None
    except ValueError as exc:  # e.g. an integer with more digits than Python will convert
        raise ImportFormatError(f"Malformed JSON: {exc}.") from None

    if isinstance(data, list):
        raise ImportFormatError(
            'The file is a JSON list; expected an object {"article": {...}, "comments": [...]} '
            "(wrap a bare list of comments in that object)."
        )
    if not isinstance(data, dict):
        raise ImportFormatError('Expected a JSON object with "article" and "comments".')
    article = data.get("article")
    if not isinstance(article, dict):
        raise ImportFormatError('"article" is missing or is not an object.')
    raw_title = article.get("title")
    if not isinstance(raw_title, str):
        raise ImportFormatError('article: "title" is missing or is not a string.')
    title = _clean_title(raw_title, "article")
    body = article.get("body", "")
    if body is None:
        body = ""
    if not isinstance(body, str):
        raise ImportFormatError('article: "body" must be a string.')
    _check_text(body, "article", "body")
    file_slug = article.get("slug")
    if file_slug is not None and not isinstance(file_slug, str):
        raise ImportFormatError('article: "slug" must be a string.')
    chosen = slug if slug is not None else (file_slug or None)
    resolved_slug = _resolve_slug(chosen, title, "article")
    published_at = _parse_time(article.get("published_at"), "article", '"published_at"')

    raw_comments = data.get("comments")
    if not isinstance(raw_comments, list):
        raise ImportFormatError('"comments" is missing or is not a list.')

    by_key: dict[str, ImportedComment] = {}
    order: list[str] = []
    first_index: dict[str, int] = {}
    for index, item in enumerate(raw_comments):
        at = f"comments[{index}]"
        if not isinstance(item, dict):
            raise ImportFormatError(f"{at}: each comment must be an object.")
        if "id" not in item:
            raise ImportFormatError(f'{at}: "id" is missing.')
        key = _key(item["id"], at, '"id"')
        where = _label(key)
        if key in first_index:
            raise ImportFormatError(
                f"{where}: duplicate id (comments[{first_index[key]}] and {at})."
            )
        first_index[key] = index
        parent = item.get("parent")
        parent_key = None if parent is None else _key(parent, where, '"parent"')
        for field in ("author", "body"):
            if field not in item:
                raise ImportFormatError(f'{where}: "{field}" is missing.')
        author = item["author"]
        if author is None:
            author = ""
        if not isinstance(author, str):
            raise ImportFormatError(f'{where}: "author" must be a string.')
        author = _clean_author(author, where) or ANONYMOUS
        comment_body = item["body"]
        if not isinstance(comment_body, str):
            raise ImportFormatError(f'{where}: "body" must be a string.')
        _check_text(comment_body, where, "body")
        if not comment_body.strip():
            raise ImportFormatError(f"{where}: the body is empty.")
        status = item.get("status", Comment.Status.PUBLISHED)
        if status is None:
            status = Comment.Status.PUBLISHED
        if not isinstance(status, str) or status not in STATUSES:
            raise ImportFormatError(
                f'{where}: "status" must be one of {", ".join(sorted(STATUSES))}.'
            )
        by_key[key] = ImportedComment(
            key=key,
            parent_key=parent_key,
            author=author,
            body=comment_body,
            created=_parse_time(item.get("created"), where, '"created"'),
            status=status,
        )
        order.append(key)

    return ImportedThread(
        title=title,
        slug=resolved_slug,
        body=body,
        comments=tuple(by_key[k] for k in _tree_order(order, by_key)),
        published_at=published_at,
    )


def _tree_order(order: list[str], by_key: dict[str, ImportedComment]) -> list[str]:
    """Keys in depth-first order (siblings keep file order); refuse unknown parents and cycles."""
    children: dict[str | None, list[str]] = {}
    for key in order:
        parent = by_key[key].parent_key
        if parent is not None:
            if parent == key:
                raise ImportFormatError(f"{_label(key)} is its own parent.")
            if parent not in by_key:
                raise ImportFormatError(
                    f"{_label(key)}: parent {parent[:40]} is not a comment in this file."
                )
        children.setdefault(parent, []).append(key)
    result: list[str] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        key = stack.pop()
        result.append(key)
        stack.extend(reversed(children.get(key, [])))
    if len(result) != len(order):
        # Every comment not reached from a top-level one leads, parent by parent, into a cycle.
        reached = set(result)
        start = next(k for k in order if k not in reached)
        path, seen = [start], {start}
        while (parent := by_key[path[-1]].parent_key) not in seen:
            path.append(parent)
            seen.add(parent)
        cycle = path[path.index(parent) :] + [parent]
        shown = " → ".join(k[:40] for k in cycle[:10]) + (" → …" if len(cycle) > 10 else "")
        raise ImportFormatError(f"Comments form a cycle of replies: {shown}.")
    return result


def parse_thread(text: str, *, slug: str | None = None) -> ImportedThread:
    """JSON if the text starts with '{' (after whitespace), else the seed text format."""
    start = text.removeprefix("\ufeff").lstrip()
    if start.startswith("{"):
        return parse_json_thread(text, slug=slug)
    if start.startswith("["):
        # A bare JSON list of comments (make_thread.py's output) would otherwise import as an
        # article titled "[{...". A title like "[Video] ..." is not JSON, so it stays text.
        try:
            is_json = isinstance(json.loads(start), list)
        except (ValueError, RecursionError):
            is_json = False
        if is_json:
            return parse_json_thread(text, slug=slug)
    return parse_seed_text(text, slug=slug)


def decode_file(data: bytes, name: str = "the file") -> str:
    """UTF-8 (an optional BOM is dropped); invalid bytes are an ImportFormatError with the line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportFormatError(
            f"{name} is not valid UTF-8 (line {line}, byte offset {exc.start}); "
            "save it as UTF-8 and retry."
        ) from None


# --- export ----------------------------------------------------------------------------------


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat() if moment is not None else None


def export_thread(article) -> dict:
    """The article and all its comments (every status) in tree order, as parse_json_thread reads."""
    comments = (
        Comment.objects.filter(article=article).select_related("author").order_by("tree_id", "lft")
    )
    return {
        "article": {
            "title": article.title,
            "slug": article.slug,
            "body": article.body,
            "published_at": _iso(article.published_at),
        },
        "comments": [
            {
                "id": c.pk,
                "parent": c.parent_id,
                "author": c.display_author or DELETED_USER,
                "body": c.body_raw,
                "created": _iso(c.created_at),
                "status": c.status,
            }
            for c in comments.iterator(chunk_size=2000)
        ],
    }
