"""Nested-set numbering of one tree from its parent links (for import and tree repair)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def number_tree(root: Any, children: Mapping[Any, Sequence]) -> dict:
    """node -> (lft, rght, level) for the tree under `root`, children in the order given.

    Iterative depth-first walk: deep reply chains must not hit the recursion limit.
    """
    positions: dict = {}
    lefts: dict = {}
    counter = 1
    stack: list[tuple[Any, int, bool]] = [(root, 0, False)]
    while stack:
        node, level, done = stack.pop()
        if done:
            positions[node] = (lefts[node], counter, level)
            counter += 1
            continue
        lefts[node] = counter
        counter += 1
        stack.append((node, level, True))
        stack.extend((child, level + 1, False) for child in reversed(children.get(node, ())))
    return positions
