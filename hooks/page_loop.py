"""MkDocs' loop over the pages, run over the cores: a speed path of the adapter (kb_hooks.py).

MkDocs 1.6 builds the pages one after the other (``mkdocs.commands.build._build_page``: the
template context, ``on_page_context``, the theme's templates, ``on_post_page``, the write): a
third of the build at 300 regulations, on one core. :func:`install` puts a loop of its own in
its place for one build. At the build's first page it builds them all with MkDocs' own function,
this process every n-th page and forked copies of it the others (kb.parallel); MkDocs' later
calls find their page built.

What a page leaves behind in a plugin's state comes back from the copies (:data:`CARRIED`: the
search entries, the CSP hashes) and is given here in the pages' order, as MkDocs' loop would
have left it; what a copy logs is logged again here, so that ``--strict`` counts its warnings;
the first page to fail, in page order, fails the build. The exact path — MkDocs' own loop —
with ``KB_EXACT``, in `mkdocs serve` and on one core; tests/test_kb_speed.py builds the same
site both ways.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TypeVar

import mkdocs.commands.build as mkdocs_build
from material_speed import exact

from kb.parallel import mapped

T = TypeVar("T")

LOGGER = "mkdocs"
"""The logger MkDocs counts warnings on (``--strict``) and prints from; plugins log below it."""
BUILT = "страницы собраны параллельно, процессов: {}"
"""Logged (DEBUG, ``mkdocs build -v``) when a build's pages were built by this loop."""

log = logging.getLogger("mkdocs.plugins.kb.speed")


@dataclass(frozen=True)
class Carried:
    """State that building a page adds to, in a plugin or hook, carried back from a copy."""

    take: Callable[[], object]
    """What the pages built so far in this process added (forgotten here, if it is a list)."""
    give: Callable[[object], None]
    """Add what :attr:`take` returned (here, in the pages' order)."""


CARRIED: dict[str, Carried] = {}
"""By name; each hook registers its own (:func:`carry`), anew every build."""

_mkdocs_page = mkdocs_build._build_page


def carry(name: str, take: Callable[[], object], give: Callable[[object], None]) -> None:
    CARRIED[name] = Carried(take, give)


def install(workers: int) -> None:
    """MkDocs' next build builds its pages over ``workers`` processes (one: its own loop)."""
    mkdocs_build._build_page = _Loop(workers) if workers > 1 and not exact() else _mkdocs_page


def uninstall() -> None:
    mkdocs_build._build_page = _mkdocs_page


class _Loop:
    def __init__(self, workers: int):
        self.workers = workers
        self.built: set[int] | None = None  # id() of the pages built by the first call

    def __call__(self, page, config, doc_files, nav, env, dirty=False, excluded=False):
        if self.built is None:
            self.built = {id(file.page) for file in doc_files}

            def one(file) -> None:  # as MkDocs' loop calls it for each file
                draft = file.inclusion.is_excluded()
                _mkdocs_page(file.page, config, doc_files, nav, env, dirty, draft)

            build_all(one, list(doc_files), self.workers)
            log.debug(BUILT.format(self.workers))
        if id(page) not in self.built:  # not a page of the first call's list: never seen
            _mkdocs_page(page, config, doc_files, nav, env, dirty, excluded)


def build_all(build: Callable[[T], None], items: Sequence[T], workers: int) -> None:
    """``build`` every item over ``workers`` processes, with the effects of building them one
    by one here: :data:`CARRIED` state given in order, records logged, the first error raised."""
    before = {name: carried.take() for name, carried in CARRIED.items()}
    done = mapped(partial(_one, build, os.getpid()), items, workers)
    for name, value in before.items():
        CARRIED[name].give(value)
    for records, taken, error in done:
        for name, level, message in records:
            logging.getLogger(name).log(level, message)
        for name, value in taken.items():
            CARRIED[name].give(value)
        if error is not None:
            raise error


_records: list[tuple[str, int, str]] | None = None  # a copy's log, kept for this process


class _Keep(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        _records.append((record.name, record.levelno, record.getMessage()))


def _one(build: Callable[[T], None], parent: int, item: T):
    global _records
    if _records is None and os.getpid() != parent:  # a copy: its log goes to the parent
        _records = []
        logging.getLogger(LOGGER).handlers[:] = [_Keep()]
    error = None
    try:
        build(item)
    except Exception as exc:
        error = exc if _picklable(exc) else RuntimeError(f"{type(exc).__name__}: {exc}")
    records = []
    if _records is not None:  # a copy: its records so far, and anew for its next page
        records, _records = _records, []
    return records, {name: carried.take() for name, carried in CARRIED.items()}, error


def _picklable(value) -> bool:
    try:
        pickle.dumps(value)
    except Exception:
        return False
    return True
