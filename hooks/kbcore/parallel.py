"""Spread per-regulation work (loading, validation, rendering) over the machine's cores.

Used only by a one-shot build: forked workers see the parent's memory as it was at the call
(loaded modules, the compiled schema validator, Jinja templates), so they start instantly. A
long-lived process with threads (``mkdocs serve``) must keep ``workers=1``.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 48
"""Below this many items forking costs more than it saves."""
WORKERS_VARIABLE = "KB_WORKERS"


def default_workers() -> int:
    """``KB_WORKERS`` if set (``1`` turns parallel work off), else the number of usable cores."""
    value = os.environ.get(WORKERS_VARIABLE, "").strip()
    if value.isdigit():
        return max(1, int(value))
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def parallel_map(fn: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    """``list(map(fn, items))``, computed by up to ``workers`` forked processes when worth it.

    ``fn`` must be a module-level function and its results picklable; results keep the order
    of ``items``.
    """
    workers = min(workers, len(items))
    if workers < 2 or len(items) < MIN_ITEMS or "fork" not in _start_methods():
        return list(map(fn, items))
    chunk = max(1, math.ceil(len(items) / (workers * 4)))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(fn, items, chunksize=chunk))


def _start_methods() -> list[str]:
    return multiprocessing.get_all_start_methods()
