"""Inline links in a regulation's texts lead only where the renderer links them.

The renderer (``kb.text.inline``) shows a refused link as plain text; validation names it
with its file, line and field, in the renderer's words (``kb.text.link_problem``), so that
``validate``, the build and ``import`` all stop on it.
"""

from __future__ import annotations

from collections.abc import Iterator

from kb.text import link_problem, links_of


def link_problems(value, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """``(field path, message)`` for every refused link in every text of ``value``."""
    if isinstance(value, str):
        for target in links_of(value):
            if problem := link_problem(target):
                yield path, problem
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from link_problems(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from link_problems(item, (*path, index))
