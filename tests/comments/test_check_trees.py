"""`manage.py check_trees [--fix]`: finds corrupted nested sets and rebuilds them losslessly."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from comments.models import Comment
from comments.tree_check import find_tree_problems
from tests.factories import ArticleFactory, comment_elements, parse_html, post

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("check_trees", *args, stdout=out)
    return out.getvalue()


def run_failing(*args):
    out = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("check_trees", *args, stdout=out)
    return out.getvalue(), str(exc.value)


@pytest.fixture
def forest(article):
    """Two articles: a branching tree and a chain in the first, one tree in the second."""
    a = post(article, body="A")
    a1 = post(article, body="A1", parent=a)
    a11 = post(article, body="A11", parent=a1)
    a2 = post(article, body="A2", parent=a)
    b = post(article, body="B")
    b1 = post(article, body="B1", parent=b)
    other = ArticleFactory()
    c = post(other, body="C")
    c1 = post(other, body="C1", parent=c)
    return {
        "a": a,
        "a1": a1,
        "a11": a11,
        "a2": a2,
        "b": b,
        "b1": b1,
        "c": c,
        "c1": c1,
        "other": other,
    }


def snapshot():
    return list(
        Comment.objects.order_by("pk").values_list(
            "pk", "parent_id", "article_id", "tree_id", "lft", "rght", "level"
        )
    )


def rows():
    """Everything but the nested-set columns: what a repair must never change."""
    return list(
        Comment.objects.order_by("pk").values_list(
            "pk", "parent_id", "article_id", "author_id", "body_raw", "status", "created_at"
        )
    )


def test_valid_trees_are_reported_valid(forest):
    assert find_tree_problems() == []
    assert run().strip() == "All 3 trees valid."


def test_no_comments_at_all(db):
    assert run().strip() == "All 0 trees valid."


def test_imported_threads_are_valid(db):
    from tests.factories import import_thread

    import_thread("imported", roots=5, replies_per_root=30, depth=7)
    assert find_tree_problems() == []


CORRUPTIONS = {
    # name: (comment key, field updates, expected words in the report)
    "duplicate-lft": ("a2", lambda f: {"lft": f["a1"].lft}, "also used by"),
    "overlapping": (
        "a2",
        lambda f: {"lft": f["a11"].lft + 0, "rght": f["a1"].rght + 1},
        "lft/rght",
    ),
    "wrong-level": ("a11", lambda f: {"level": 1}, "level 1, expected 2"),
    "wrong-tree-id": ("b1", lambda f: {"tree_id": f["a"].tree_id}, "differs from its parent"),
    "roots-share-tree-id": ("b", lambda f: {"tree_id": f["a"].tree_id}, "share tree_id"),
    "rght-too-small": ("a1", lambda f: {"rght": f["a11"].rght}, "descendants"),
    "root-rght-off": ("a", lambda f: {"rght": f["a"].rght + 2}, "root rght"),
}


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_corruption_is_reported_and_fixed(forest, name):
    key, updates, words = CORRUPTIONS[name]
    valid = snapshot()
    before = rows()
    Comment.objects.filter(pk=forest[key].pk).update(**updates(forest))

    problems = find_tree_problems()
    assert problems, name
    assert any(words in p.message or words in str(p) for p in problems), problems
    # The report names the article and counts the problems; the exit status is 1.
    output, error = run_failing()
    assert f"Article {forest['a'].article_id}: " in output
    assert "problem(s)" in output and "--fix" in error
    # The other article's tree is untouched and not reported.
    assert f"Article {forest['other'].pk}:" not in output

    output = run("--fix")
    assert "Rebuilt" in output
    assert output.strip().endswith("All 3 trees valid.")
    assert find_tree_problems() == []
    assert rows() == before  # no row lost, re-parented or rewritten
    assert Comment.objects.count() == len(valid)
    assert run().strip() == "All 3 trees valid."
    if name != "roots-share-tree-id":
        # Rebuilding from the parent links gives back exactly the original numbering.
        assert snapshot() == valid


def test_fixed_thread_renders_in_the_original_order(client, forest):
    article = forest["a"].article
    url = f"/articles/{article.slug}/"
    order = list(comment_elements(parse_html(client.get(url).content)))
    Comment.objects.filter(pk=forest["a2"].pk).update(lft=2, rght=3)  # now collides with a1
    Comment.objects.filter(pk=forest["b"].pk).update(tree_id=forest["a"].tree_id)
    run_failing()
    run("--fix")
    assert find_tree_problems() == []
    assert list(comment_elements(parse_html(client.get(url).content))) == order


def test_roots_sharing_a_tree_id_are_separated(forest):
    Comment.objects.filter(pk=forest["b"].pk).update(tree_id=forest["a"].tree_id)
    Comment.objects.filter(pk=forest["b1"].pk).update(tree_id=forest["a"].tree_id)
    output, _ = run_failing()
    assert "2 top-level comments share tree_id" in output
    run("--fix")
    a, b = (Comment.objects.get(pk=forest[k].pk) for k in ("a", "b"))
    assert a.tree_id != b.tree_id
    tree_ids = list(Comment.objects.filter(parent=None).values_list("tree_id", flat=True))
    assert len(tree_ids) == len(set(tree_ids))
    assert Comment.objects.get(pk=forest["b1"].pk).tree_id == b.tree_id
    # Replies keep working after the repair.
    reply = post(b.article, body="After repair", parent=b)
    assert reply.tree_id == b.tree_id
    assert find_tree_problems() == []


def test_many_corruptions_are_counted_per_article(forest):
    Comment.objects.filter(article=forest["a"].article).update(level=5)
    Comment.objects.filter(pk=forest["c1"].pk).update(level=0)
    output, error = run_failing()
    first, second = forest["a"].article_id, forest["other"].pk
    assert f"Article {first}: 6 problem(s) in 2 tree(s)" in output
    assert f"Article {second}: 1 problem(s) in 1 tree(s)" in output
    assert "7 problem(s) in 3 tree(s)" in error
    run("--fix")
    assert find_tree_problems() == []


def test_exit_status_is_1_from_the_command_line(forest):
    """What cron or CI sees: call_command raises, manage.py turns that into exit status 1."""
    from django.core.management import ManagementUtility

    Comment.objects.filter(pk=forest["a11"].pk).update(level=9)
    with pytest.raises(SystemExit) as exc:
        ManagementUtility(["manage.py", "check_trees"]).execute()
    assert exc.value.code == 1
