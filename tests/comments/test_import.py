"""import_thread: the seed page and JSON threads become valid comment trees, or nothing at all."""

import json
import os
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from articles.models import Article
from comments.importing import (
    ImportFormatError,
    parse_json_thread,
    parse_seed_text,
    parse_thread,
)
from comments.models import Comment
from moderation.models import ModerationEvent

SEED_TITLE = "Lavrov: Russia And US Have No Plans To Cooperate In Syria’s Idlib Governorate"
SEED_SLUG = "lavrov-russia-and-us-have-no-plans-to-cooperate-in-syrias-idlib-governorate"


def seed_file() -> Path:
    folder = Path(settings.BASE_DIR) / "demo" / "seeds"
    files = sorted(folder.glob("000_*.txt"))
    assert files, f"seed thread not found in {folder}"
    return files[0]


def run_import(path, *args) -> tuple[dict, str]:
    out = StringIO()
    call_command("import_thread", str(path), *args, stdout=out)
    text = out.getvalue()
    return json.loads(text.strip().splitlines()[-1]), text


def write(tmp_path, content, name="thread.json") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_text(json.dumps(content), encoding="utf-8")
    return path


def thread_json(comments, title="A thread", slug="a-thread", **article):
    return {
        "article": {"title": title, "slug": slug, "body": "Body.", **article},
        "comments": comments,
    }


def assert_valid_tree(article) -> None:
    """Nested-set invariants for every tree of the article: what django-mptt relies on."""
    nodes = {c.pk: c for c in Comment.objects.filter(article=article)}
    trees: dict[int, list[Comment]] = {}
    for c in nodes.values():
        trees.setdefault(c.tree_id, []).append(c)
    for tree_id, members in trees.items():
        assert Comment.objects.filter(tree_id=tree_id).exclude(article=article).count() == 0
        bounds = sorted(v for c in members for v in (c.lft, c.rght))
        assert bounds == list(range(1, 2 * len(members) + 1)), f"tree {tree_id} not contiguous"
        roots = [c for c in members if c.parent_id is None]
        assert len(roots) == 1 and roots[0].lft == 1 and roots[0].level == 0
        for c in members:
            assert c.lft < c.rght
            if c.parent_id is not None:
                p = nodes[c.parent_id]
                assert p.tree_id == c.tree_id
                assert p.lft < c.lft and c.rght < p.rght
                assert c.level == p.level + 1
    # django-mptt's own reading of the tree agrees.
    for root in Comment.objects.filter(article=article, parent=None):
        assert root.get_descendant_count() == len(trees[root.tree_id]) - 1


def row_counts() -> tuple[int, int, int]:
    return Article.objects.count(), Comment.objects.count(), ModerationEvent.objects.count()


# --- the seed page -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_imports_article_and_whole_thread():
    result, output = run_import(seed_file())
    article = Article.objects.get(slug=SEED_SLUG)
    assert article.title == SEED_TITLE
    assert result == {
        "url": article.get_absolute_url(),
        "imported": 17,
        "seconds": result["seconds"],
    }
    assert isinstance(result["seconds"], float)
    assert article.body.startswith("On December 8, Russia’s Foreign Minister")
    assert "Do you like this content" not in article.body
    assert SEED_TITLE not in article.body  # the page repeats its title; it is not body text
    assert "©" not in article.body  # photo credits go with the (unimported) photo
    assert len(article.paragraphs) == 9
    assert article.paragraphs[-1].endswith("deployment of the US troops in Syria.")
    assert Comment.objects.filter(article=article).count() == 17
    assert_valid_tree(article)
    assert ModerationEvent.objects.filter(action="import", article=article).count() == 1


@pytest.mark.django_db
def test_seed_thread_structure_follows_indentation():
    run_import(seed_file())
    ordered = list(Comment.objects.filter(article__slug=SEED_SLUG).order_by("tree_id", "lft"))
    shape = [(c.level, c.author_name, c.body_raw[:20]) for c in ordered]
    assert shape == [
        (0, "Serious", "As usual, Sunnis wil"),
        (1, "John Ballantine", "Yup, death to all Sa"),
        (1, "Christopher Simpson", "Asma al Assad is Sun"),
        (2, "Serious", "I mean those sunnis "),
        (3, "Joe", "Yes they are crazy i"),
        (3, "Brother Ma", "They have a goal all"),
        (4, "Serious", "They have no goal. O"),
        (2, "Mortal", "Add peace, and now a"),
        (2, "Anonymous", "Who knows? Maybe a r"),
        (1, "Joe", "Syrians are the winn"),
        (0, "SFC Steven M Barry USA RET", "When will Russia wak"),
        (1, "Mortal", "The only way to lowe"),
        (2, "Joe", "I don’t think US dar"),
        (0, "gustavo", "Please, stop pseudo-"),
        (0, "Emmanuel Moyana", "Thats too bad. These"),
        (0, "Langaniso Mhlobo", "Not all Sunnis are t"),
        (1, "Sadde", "I understand what yo"),
    ]
    by_body = {c.body_raw[:20]: c for c in ordered}
    anonymous = by_body["Who knows? Maybe a r"]
    assert anonymous.parent.author_name == "Christopher Simpson"
    assert anonymous.body_raw.endswith("having Damascus as its center.")
    # Joe's three paragraphs stay three paragraphs.
    assert by_body["Yes they are crazy i"].body_raw.count("\n\n") == 2
    assert by_body["Yes they are crazy i"].body_html.count("<p>") == 3
    # Published as on the page, but for what the detector holds on import, as at posting.
    held = [c for c in ordered if c.status != Comment.Status.PUBLISHED]
    assert all(
        c.status == Comment.Status.PENDING and c.held_because == "detector" and c.findings.exists()
        for c in held
    )
    assert len(held) < len(ordered) // 4


@pytest.mark.django_db
def test_second_import_is_refused_and_writes_nothing():
    path = seed_file()
    run_import(path)
    before = row_counts()
    with pytest.raises(CommandError, match="already exists; use --replace"):
        run_import(path)
    assert row_counts() == before


@pytest.mark.django_db
def test_replace_moves_old_article_aside_and_keeps_its_comments():
    path = seed_file()
    run_import(path)
    old = Article.objects.get(slug=SEED_SLUG)
    result, _ = run_import(path, "--replace")
    new = Article.objects.get(slug=SEED_SLUG)
    assert new.pk != old.pk
    old.refresh_from_db()
    assert old.slug.startswith(f"{SEED_SLUG}-replaced-")
    assert old.is_closed
    assert Comment.objects.filter(article=old).count() == 17
    assert Comment.objects.filter(article=new).count() == 17
    assert result["url"] == new.get_absolute_url()
    assert_valid_tree(old)
    assert_valid_tree(new)


@pytest.mark.django_db
def test_slug_and_base_url_options():
    result, _ = run_import(
        seed_file(), "--slug", "lavrov-idlib", "--base-url", "https://news.example/"
    )
    assert result["url"] == "https://news.example/articles/lavrov-idlib/"
    assert Article.objects.get(slug="lavrov-idlib").title == SEED_TITLE


@pytest.mark.django_db
def test_imported_thread_accepts_replies_through_the_service(reader):
    from comments import services

    run_import(seed_file())
    article = Article.objects.get(slug=SEED_SLUG)
    deepest = Comment.objects.filter(article=article).order_by("-level").first()
    services.comment_create(article=article, author=reader, body="A later reply.", parent=deepest)
    services.comment_create(article=article, author=reader, body="A new top-level comment.")
    assert_valid_tree(article)


# --- JSON ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_json_out_of_order_with_statuses_and_times(tmp_path):
    data = thread_json(
        [
            {
                "id": "c",
                "parent": "b",
                "author": "Cy",
                "body": "Third.",
                "created": "2024-05-01T10:02:00+02:00",
                "status": "rejected",
            },
            {
                "id": "b",
                "parent": "a",
                "author": "Bo",
                "body": "Second.",
                "created": "2024-05-01T08:01:00",
                "status": "pending",
            },
            {
                "id": "a",
                "parent": None,
                "author": "",
                "body": "First.",
                "created": "2024-05-01T08:00:00Z",
            },
            {"id": "d", "parent": "a", "author": "Di", "body": "Fourth.", "status": "deleted"},
        ],
        published_at="2024-05-01T07:00:00+00:00",
    )
    result, _ = run_import(write(tmp_path, data))
    assert result["imported"] == 4
    article = Article.objects.get(slug="a-thread")
    assert article.published_at.isoformat() == "2024-05-01T07:00:00+00:00"
    rows = [
        (
            c.level,
            c.author_name,
            c.status,
            c.created_at.isoformat() if c.body_raw != "Fourth." else "now",
        )
        for c in Comment.objects.filter(article=article).order_by("tree_id", "lft")
    ]
    assert rows == [
        (0, "Anonymous", "published", "2024-05-01T08:00:00+00:00"),
        (1, "Bo", "pending", "2024-05-01T08:01:00+00:00"),
        (2, "Cy", "rejected", "2024-05-01T08:02:00+00:00"),
        (1, "Di", "deleted", "now"),
    ]
    assert Comment.objects.get(body_raw="Third.").decision == Comment.Decision.REJECTED
    assert_valid_tree(article)


@pytest.mark.django_db
def test_deep_json_chain_imports(tmp_path):
    depth = 500
    comments = [
        {
            "id": i,
            "parent": i - 1 if i > 1 else None,
            "author": f"A{i % 7}",
            "body": f"Reply number {i}.",
        }
        for i in range(depth, 0, -1)
    ]  # children first
    result, _ = run_import(write(tmp_path, thread_json(comments)))
    assert result["imported"] == depth
    article = Article.objects.get(slug="a-thread")
    assert Comment.objects.filter(article=article).order_by("-level").first().level == depth - 1
    assert_valid_tree(article)


def test_ten_thousand_deep_chain_parses_without_recursion():
    n = 10_000
    comments = [
        {"id": i, "parent": i - 1 if i > 1 else None, "author": "A", "body": "x"}
        for i in range(n, 0, -1)
    ]
    thread = parse_json_thread(json.dumps(thread_json(comments)))
    assert [c.key for c in thread.comments] == [str(i) for i in range(1, n + 1)]
    text = "Title\n\n" + "\n".join(f"{' ' * (2 * i)}• reply {i}" for i in range(n))
    seed = parse_seed_text(text)
    assert seed.comments[-1].parent_key == str(n - 1)
    with pytest.raises(ImportFormatError, match="cycle"):
        comments[-1]["parent"] = n  # the chain's root now answers its last reply
        parse_json_thread(json.dumps(thread_json(comments)))


# --- refusals: a clear CommandError naming the line or id, and nothing written ----------------

SEED_HEAD = "Title\n\nA paragraph.\n\n"

BAD_INPUTS = [
    # (file content, file name, expected message fragment)
    (
        thread_json(
            [
                {"id": 1, "parent": None, "author": "a", "body": "x"},
                {"id": 2, "parent": 99, "author": "b", "body": "y"},
            ]
        ),
        "t.json",
        "Comment 2: parent 99 is not a comment in this file",
    ),
    (
        thread_json(
            [
                {"id": "a", "parent": "b", "author": "a", "body": "x"},
                {"id": "b", "parent": "a", "author": "b", "body": "y"},
                {"id": "r", "parent": None, "author": "c", "body": "z"},
            ]
        ),
        "t.json",
        "cycle of replies: a → b → a",
    ),
    (
        thread_json([{"id": 5, "parent": 5, "author": "a", "body": "x"}]),
        "t.json",
        "Comment 5 is its own parent",
    ),
    (
        thread_json(
            [
                {"id": 1, "parent": None, "author": "a", "body": "x"},
                {"id": 1, "parent": None, "author": "b", "body": "y"},
            ]
        ),
        "t.json",
        "Comment 1: duplicate id (comments[0] and comments[1])",
    ),
    (
        thread_json([{"id": 3, "parent": None, "author": "a"}]),
        "t.json",
        'Comment 3: "body" is missing',
    ),
    (
        thread_json([{"parent": None, "author": "a", "body": "x"}]),
        "t.json",
        'comments[0]: "id" is missing',
    ),
    (
        thread_json([{"id": 4, "parent": None, "author": 7, "body": "x"}]),
        "t.json",
        'Comment 4: "author" must be a string',
    ),
    (
        thread_json([{"id": True, "parent": None, "author": "a", "body": "x"}]),
        "t.json",
        '"id" must be an integer or a string',
    ),
    (
        thread_json([{"id": 6, "parent": None, "author": "a", "body": "x", "status": "spam"}]),
        "t.json",
        'Comment 6: "status" must be one of',
    ),
    (
        thread_json(
            [{"id": 7, "parent": None, "author": "a", "body": "x", "created": "yesterday"}]
        ),
        "t.json",
        "Comment 7: \"created\" 'yesterday' is not an ISO 8601",
    ),
    (
        thread_json([{"id": 8, "parent": None, "author": "a", "body": "x\u0000y"}]),
        "t.json",
        "Comment 8: the body contains a NUL character",
    ),
    (
        thread_json([{"id": 9, "parent": None, "author": "a", "body": "   "}]),
        "t.json",
        "Comment 9: the body is empty",
    ),
    (
        thread_json([{"id": 10, "parent": None, "author": "a", "body": "x" * 10_001}]),
        "t.json",
        "Comment 10: Comments are limited to 10,000 characters",
    ),
    (
        thread_json([{"id": 11, "parent": None, "author": "a" * 101, "body": "x"}]),
        "t.json",
        "Comment 11: the author name is 101 characters long",
    ),
    ({"article": {"slug": "x"}, "comments": []}, "t.json", '"title" is missing'),
    ({"article": {"title": "T"}}, "t.json", '"comments" is missing'),
    ([{"id": 1, "parent": None, "author": "a", "body": "x"}], "t.json", "is a JSON list"),
    (
        '{"article": {"title": "T"},\n "comments": [,]}',
        "t.json",
        "Malformed JSON at line 2, column 15",
    ),
    ("", "t.json", "The file is empty"),
    ("  \n\n \n", "t.txt", "The file is empty"),
    (b"Title\n\n\xff\xfe broken", "t.txt", "is not valid UTF-8 (line 3"),
    (SEED_HEAD + "  • A\n\n    Body \x00 with NUL\n", "t.txt", "Line 7: the line contains a NUL"),
    ("  • Someone\n\n    No title above.\n", "t.txt", "Line 1: the file starts with a comment"),
    (
        SEED_HEAD + "  • A\n\n    Body.\n\nStray footer text\n",
        "t.txt",
        "Line 9: text in the comment thread that is not indented",
    ),
    (
        SEED_HEAD + "  • A\n\n      • B\n\n    • C\n",
        "t.txt",
        "Line 9: indentation of 4 spaces does not match the earlier replies",
    ),
    (SEED_HEAD + "    • A\n\n  • B\n", "t.txt", "Line 7: this comment is indented less"),
    (SEED_HEAD + "  • A\n\n\t  Body with a tab.\n", "t.txt", "Line 7: tab in the indentation"),
    (SEED_HEAD + "  •\n", "t.txt", "Line 5: a bullet with no author or text"),
    ("!!!\n\nBody.\n", "t.txt", "no slug can be made from the title"),
    ("T" * 301 + "\n", "t.txt", "Line 1: the title is 301 characters long"),
    (SEED_HEAD + "  • <b></b>\n", "t.txt", "Comment 1: Nothing would be left to show"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "name", "message"), BAD_INPUTS, ids=[m for _, _, m in BAD_INPUTS]
)
def test_bad_input_is_refused_with_location_and_writes_nothing(tmp_path, content, name, message):
    path = write(tmp_path, content, name)
    before = row_counts()
    with pytest.raises(CommandError) as info:
        run_import(path)
    assert message in str(info.value)
    assert row_counts() == before


@pytest.mark.django_db
def test_missing_file_and_bad_slug_option(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run_import(tmp_path / "nope.json")
    path = write(tmp_path, SEED_HEAD + "  • A\n\n    Body.\n", "t.txt")
    with pytest.raises(CommandError, match="may only contain letters"):
        run_import(path, "--slug", "has spaces")
    assert row_counts() == (0, 0, 0)


def test_command_exits_with_status_1_on_error(tmp_path):
    """From the shell a refusal is one line on stderr and exit status 1, not a traceback."""
    import subprocess
    import sys

    path = write(tmp_path, "", "empty.txt")
    env = {
        **os.environ,
        "NEWSROOM_TESTING": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    proc = subprocess.run(  # noqa: S603 - our own manage.py with our own arguments
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "import_thread", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 1
    assert "The file is empty" in proc.stderr
    assert "Traceback" not in proc.stderr


@hsettings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        alphabet=st.sampled_from(list(' \n\t•{}[]":,01abc\u00a0\x00-')) | st.characters(),
        max_size=120,
    )
)
def test_arbitrary_text_parses_or_raises_import_format_error(text):
    for parse in (parse_thread, parse_seed_text, parse_json_thread):
        try:
            parse(text)
        except ImportFormatError:
            pass


@hsettings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "article",
                        "comments",
                        "title",
                        "slug",
                        "body",
                        "id",
                        "parent",
                        "author",
                        "created",
                        "status",
                        "published_at",
                    ]
                ),
                inner,
                max_size=6,
            )
        ),
        max_leaves=20,
    )
)
def test_arbitrary_json_structures_raise_only_import_format_error(value):
    try:
        parse_json_thread(json.dumps(value))
    except ImportFormatError:
        pass


# --- demo_setup ------------------------------------------------------------------------------


def logins(output: str) -> dict[str, str]:
    """username -> password from demo_setup's box."""
    pairs = (line.strip("| ").split(" / ") for line in output.splitlines() if " / " in line)
    return {user.strip(): password.strip() for user, password in pairs}


@pytest.mark.django_db
def test_demo_setup_imports_seeds_once_and_rotates_passwords(tmp_path, client):
    from accounts.models import User
    from accounts.roles import is_moderator

    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(SEED_HEAD + "  • Ann\n\n    Hello.\n", encoding="utf-8")
    (seeds / "b.json").write_text(
        json.dumps(
            thread_json(
                [{"id": 1, "parent": None, "author": "Bo", "body": "Hi."}], title="B", slug="b"
            )
        ),
        encoding="utf-8",
    )
    (seeds / "broken.json").write_text("{", encoding="utf-8")
    (seeds / "notes.md").write_text("ignored", encoding="utf-8")

    def run() -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        call_command(
            "demo_setup", "--force", "--no-generated", "--seeds", str(seeds), stdout=out, stderr=err
        )
        return out.getvalue(), err.getvalue()

    out, err = run()
    assert "broken.json: not imported" in err and "Malformed JSON" in err
    assert set(Article.objects.values_list("slug", flat=True)) == {"title", "b"}
    counts = row_counts()
    assert "Demo logins (new passwords every run):" in out
    assert f"http://127.0.0.1:{os.environ.get('PORT', '8000')}/" in out
    first = logins(out)
    assert set(first) == {"reader", "moderator", "editor", "amira", "tom", "lena"}

    out, _ = run()
    assert "exists, skipped" in out
    assert row_counts()[:2] == counts[:2]  # no article or comment duplicated
    second = logins(out)
    for username in first:
        assert first[username] != second[username]
        user = User.objects.get(username=username)
        assert not user.check_password(first[username])
        assert user.check_password(second[username])

    reader, moderator, editor = (
        User.objects.get(username=u) for u in ("reader", "moderator", "editor")
    )
    assert (reader.display_name, moderator.display_name) == ("Demo Reader", "Demo Moderator")
    assert not is_moderator(reader) and is_moderator(moderator)
    assert not moderator.is_staff
    assert editor.is_staff and editor.is_superuser


@pytest.mark.django_db
def test_demo_setup_without_seeds_folder_explains_and_still_creates_accounts(tmp_path):
    out, err = StringIO(), StringIO()
    call_command(
        "demo_setup",
        "--force",
        "--no-generated",
        "--seeds",
        str(tmp_path / "missing"),
        stdout=out,
        stderr=err,
    )
    assert "does not exist" in err.getvalue()
    assert "Demo logins" in out.getvalue()
    assert Article.objects.count() == 0


@pytest.mark.django_db
def test_demo_setup_by_default_imports_the_seed_in_the_repository(client):
    """`make run` in a fresh clone: the seed in demo/seeds, its whole thread, nothing beside."""
    out, err = StringIO(), StringIO()
    call_command("demo_setup", "--force", "--no-generated", stdout=out, stderr=err)
    assert err.getvalue() == ""
    article = Article.objects.get(slug=SEED_SLUG)
    assert article.title == SEED_TITLE
    assert Comment.objects.filter(article=article).count() == 17
    assert client.get(article.get_absolute_url()).status_code == 200
