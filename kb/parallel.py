"""The build's work per regulation, split over the cores the process may use.

Loading a file and rendering a regulation's pages depend on nothing the other regulations
compute, and a site of hundreds of them spends most of its build there. The items are split
into as many runs as there are cores: this process does the first, forked copies of it the
others (they inherit everything loaded so far; only the items' numbers go to them, and their
results come back pickled). The results are the same as one process's, in the same order
(tests/test_kb_speed.py).

Fork is safe only in a process of one thread: `mkdocs build` is one; `mkdocs serve` (its web
server's threads) asks for one worker, and so does every caller by default.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_PER_WORKER = 4
"""Fewer items than this per worker are not worth a fork."""


def cores() -> int:
    """How many cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


_job: Callable | None = None
_items: Sequence = ()


def _run(worker: int, runs: int) -> list:
    """Every ``runs``-th item from ``worker`` on: big and small items spread evenly."""
    if worker:  # a forked copy: its collections leave alone (and unshared) what it inherits
        gc.freeze()
    return [_job(_items[i]) for i in range(worker, len(_items), runs)]


def mapped(function: Callable[[T], R], items: Sequence[T], workers: int = 1) -> list[R]:
    """``[function(item) for item in items]``, over ``workers`` processes."""
    runs = min(workers, len(items) // MIN_PER_WORKER)
    if runs <= 1:
        return [function(item) for item in items]
    global _job, _items
    _job, _items = function, items
    results: list = [None] * len(items)
    try:
        with multiprocessing.get_context("fork").Pool(runs - 1) as pool:
            others = pool.starmap_async(_run, [(w, runs) for w in range(1, runs)], chunksize=1)
            results[0::runs] = _run(0, runs)
            for worker, part in enumerate(others.get(), 1):
                results[worker::runs] = part
    finally:
        _job, _items = None, ()
    return results
