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
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 48
"""Below this many items forking costs more than it saves."""
WORKERS_VARIABLE = "KB_WORKERS"


def default_workers() -> int:
    """``KB_WORKERS`` if set (``1`` turns parallel work off), else the cores that are idle.

    Workers on cores that other processes keep busy only wait for each other, so while other
    programs are running (tests, a browser) the build stays in one process.
    """
    value = os.environ.get(WORKERS_VARIABLE, "").strip()
    if value.isdigit():
        return max(1, int(value))
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, cores - _busy_elsewhere()))


def _busy_elsewhere() -> int:
    """Processes running right now besides this one (Linux), else the load average."""
    try:
        running = Path("/proc/loadavg").read_text().split()[3].split("/")[0]
        return max(0, int(running) - 1)
    except (OSError, IndexError, ValueError):
        try:
            return round(os.getloadavg()[0])
        except OSError:
            return 0


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
