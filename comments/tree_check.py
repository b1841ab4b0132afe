"""Validate and repair the comments' nested-set (MPTT) columns against the parent links.

The parent link is the truth; tree_id, lft, rght and level are derived from it. A tree is valid
when, for every node: its tree_id is its root's, its level is its parent's + 1 (0 for a root), its
lft/rght are unique within the tree and nested inside its parent's, and rght - lft - 1 is twice
its number of descendants. Each tree_id has exactly one root, and a tree belongs to one article.

Used by `manage.py check_trees [--fix]` and by the concurrency tests.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from .locks import lock_new_roots, lock_tree
from .models import Comment
from .nested_set import number_tree


@dataclass(frozen=True)
class TreeProblem:
    article_id: int
    tree_id: int
    comment_id: int | None
    message: str

    def __str__(self):
        where = f"comment #{self.comment_id}" if self.comment_id is not None else "tree"
        return f"article {self.article_id}, tree {self.tree_id}, {where}: {self.message}"


@dataclass
class _Node:
    pk: int
    article_id: int
    parent_id: int | None
    tree_id: int
    lft: int
    rght: int
    level: int


def _load(queryset=None) -> dict[int, _Node]:
    qs = queryset if queryset is not None else Comment.objects.all()
    rows = qs.order_by().values_list(
        "pk", "article_id", "parent_id", "tree_id", "lft", "rght", "level"
    )
    return {row[0]: _Node(*row) for row in rows.iterator(chunk_size=5000)}


def _children(nodes: dict[int, _Node]) -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for node in nodes.values():
        children[node.parent_id].append(node.pk)
    for kids in children.values():
        kids.sort()  # pk order is posting order: replies are appended last
    return children


def _descendant_counts(nodes, children) -> dict[int, int]:
    """Descendants of every node, following parent links (iteratively: chains can be deep)."""
    counts: dict[int, int] = {}
    for root in children.get(None, []):
        stack = [(root, False)]
        while stack:
            pk, done = stack.pop()
            if done:
                counts[pk] = sum(counts[c] + 1 for c in children.get(pk, ()))
                continue
            stack.append((pk, True))
            stack.extend((c, False) for c in children.get(pk, ()))
    return counts


def find_tree_problems(*, article=None) -> list[TreeProblem]:
    """Every inconsistency between the nested-set columns and the parent links."""
    qs = Comment.objects.all()
    if article is not None:
        # A whole tree must be checked even if a corrupted node claims another article.
        tree_ids = Comment.objects.filter(article=article).values("tree_id")
        qs = qs.filter(tree_id__in=tree_ids) | qs.filter(article=article)
    nodes = _load(qs)
    children = _children(nodes)
    counts = _descendant_counts(nodes, children)
    problems: list[TreeProblem] = []

    def report(node: _Node, message: str, *, tree: bool = False):
        problems.append(
            TreeProblem(node.article_id, node.tree_id, None if tree else node.pk, message)
        )

    by_tree: dict[int, list[_Node]] = defaultdict(list)
    for node in nodes.values():
        by_tree[node.tree_id].append(node)

    for tree_id, members in sorted(by_tree.items()):
        roots = [n for n in members if n.parent_id is None]
        if len(roots) > 1:
            report(
                roots[0],
                f"{len(roots)} top-level comments share tree_id {tree_id} "
                f"(#{', #'.join(str(r.pk) for r in sorted(roots, key=lambda r: r.pk))})",
                tree=True,
            )
        elif not roots:
            report(members[0], f"tree_id {tree_id} has no top-level comment", tree=True)
        articles = {n.article_id for n in members}
        if len(articles) > 1:
            report(members[0], f"tree spans several articles ({sorted(articles)})", tree=True)
        seen: dict[int, int] = {}
        for node in members:
            for value in (node.lft, node.rght):
                if value in seen and seen[value] != node.pk:
                    report(node, f"lft/rght value {value} also used by #{seen[value]}")
                seen.setdefault(value, node.pk)
        if len(roots) == 1:
            root = roots[0]
            if root.lft != 1:
                report(root, f"root lft is {root.lft}, expected 1")
            size = counts.get(root.pk, 0) + 1
            if root.rght != 2 * size:
                report(root, f"root rght is {root.rght}, expected {2 * size}")

    for node in nodes.values():
        if node.lft >= node.rght:
            report(node, f"lft {node.lft} is not below rght {node.rght}")
        if node.pk in counts and node.rght - node.lft - 1 != 2 * counts[node.pk]:
            report(
                node,
                f"rght - lft - 1 = {node.rght - node.lft - 1}, but it has "
                f"{counts[node.pk]} descendants",
            )
        if node.parent_id is None:
            if node.level != 0:
                report(node, f"top-level comment has level {node.level}")
            continue
        parent = nodes.get(node.parent_id)
        if parent is None:
            continue  # the parent is outside the checked set (only with article=...)
        if node.tree_id != parent.tree_id:
            report(node, f"tree_id {node.tree_id} differs from its parent's ({parent.tree_id})")
            continue
        if node.level != parent.level + 1:
            report(node, f"level {node.level}, expected {parent.level + 1}")
        if not (parent.lft < node.lft and node.rght < parent.rght):
            report(
                node,
                f"[{node.lft}, {node.rght}] is not inside its parent's "
                f"[{parent.lft}, {parent.rght}]",
            )
        if node.article_id != parent.article_id:
            report(
                node, f"article {node.article_id} differs from its parent's ({parent.article_id})"
            )
    return problems


def count_trees() -> int:
    return Comment.objects.filter(parent__isnull=True).count()


def fix_trees(problems: list[TreeProblem]) -> list[int]:
    """Rebuild every tree named in `problems` from the parent links; returns the tree_ids rebuilt.

    Rows are never deleted or re-parented: only tree_id, lft, rght and level are rewritten.
    This is the repair tool, so it writes those columns with queryset/bulk updates directly
    instead of going through the services (which never touch them by hand).
    """
    bad_tree_ids = sorted({p.tree_id for p in problems})
    if not bad_tree_ids:
        return []
    rebuilt: list[int] = []
    with transaction.atomic():
        lock_new_roots()
        for tree_id in bad_tree_ids:
            lock_tree(tree_id)
        nodes = _load()
        children = _children(nodes)
        next_tree_id = (Comment.objects.aggregate(m=Max("tree_id"))["m"] or 0) + 1
        roots_by_tree: dict[int, list[int]] = defaultdict(list)
        for pk in children.get(None, []):
            roots_by_tree[nodes[pk].tree_id].append(pk)
        # Roots that own the broken trees: those sharing a bad tree_id, plus the roots of any
        # node filed under a bad tree_id (e.g. a reply whose tree_id was overwritten).
        bad = set(bad_tree_ids)
        affected_roots = {_root_of(n.pk, nodes) for n in nodes.values() if n.tree_id in bad}
        assignment: dict[int, int] = {}  # root pk -> tree_id it keeps or gets
        claimed: set[int] = set()
        for root in sorted(affected_roots):
            tree_id = nodes[root].tree_id
            if tree_id in claimed or roots_by_tree.get(tree_id, [root])[0] != root:
                # A second root on one tree_id: the lowest pk keeps it, this one moves.
                tree_id, next_tree_id = next_tree_id, next_tree_id + 1
            claimed.add(tree_id)
            assignment[root] = tree_id
        updates: list[Comment] = []
        for root, tree_id in assignment.items():
            _number(root, tree_id, nodes, children, updates)
            rebuilt.append(tree_id)
        Comment.objects.bulk_update(updates, ["tree_id", "lft", "rght", "level"], batch_size=1000)
    return sorted(rebuilt)


def _root_of(pk: int, nodes: dict[int, _Node]) -> int:
    seen = set()
    while nodes[pk].parent_id is not None and pk not in seen:
        seen.add(pk)
        pk = nodes[pk].parent_id
    return pk


def _number(root: int, tree_id: int, nodes, children, out: list[Comment]) -> None:
    """Nested-set numbering of one tree from its parent links, siblings in posting (pk) order.

    The same walk as django-mptt's partial_rebuild, which cannot be used here: it gathers a
    tree's nodes by their (possibly corrupted) tree_id and orders siblings by the corrupted lft.
    """
    for pk, (lft, rght, level) in number_tree(root, children).items():
        out.append(Comment(pk=pk, tree_id=tree_id, lft=lft, rght=rght, level=level))
