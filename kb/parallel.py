"""The build's work per regulation, split over the cores the process may use.

Loading a file and rendering a regulation's pages depend on nothing the other regulations
compute, and a site of hundreds of them spends most of its build there. The items are split
into as many runs as there are cores: this process does the first, forked copies of it the
others (they inherit everything loaded so far; only the items' numbers go to them). The results
are the same as one process's, in the same order (tests/test_kb_speed.py).

A forked copy writes its results, pickled, to a file and exits; this process reads them once
its own run is done. (Through a pipe, as multiprocessing's pool returns them, they came back
at the pace this busy process let its reading thread take the interpreter lock: 6 MB of search
data took half a second longer than the work itself.)

Fork is safe only in a process of one thread: `mkdocs build` is one; `mkdocs serve` (its web
server's threads) asks for one worker, and so does every caller by default.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_PER_WORKER = 4
"""Fewer items than this per worker are not worth a fork."""


def cores() -> int:
    """How many cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def mapped(function: Callable[[T], R], items: Sequence[T], workers: int = 1) -> list[R]:
    """``[function(item) for item in items]``, over ``workers`` processes: run ``w`` takes
    every ``runs``-th item from ``w`` on, so big and small items spread evenly. An exception
    in a forked copy is raised here, as in one process."""
    runs = min(workers, len(items) // MIN_PER_WORKER)
    if runs <= 1:
        return [function(item) for item in items]
    results: list = [None] * len(items)
    with tempfile.TemporaryDirectory(prefix="kb-parallel-") as folder:
        children = []
        try:
            for run in range(1, runs):
                path = Path(folder) / str(run)
                pid = os.fork()
                if pid == 0:
                    _child(function, items[run::runs], path)
                children.append((run, pid, path))
            results[0::runs] = [function(item) for item in items[0::runs]]
        finally:
            exits = [(run, os.waitpid(pid, 0)[1], path) for run, pid, path in children]
        for run, status, path in exits:
            if status != 0 or not path.exists():
                raise RuntimeError(f"kb.parallel: процесс {run} завершился с кодом {status}")
            failed, part = pickle.loads(path.read_bytes())
            if failed:
                raise part
            results[run::runs] = part
    return results


def _child(function: Callable, items: Sequence, path: Path) -> None:
    """A forked copy's run: the results (or the exception) pickled to ``path``; never returns
    (``os._exit``: nothing of the parent's, buffers or ``atexit``, runs twice)."""
    code = 1
    try:
        try:
            outcome: tuple = (False, [function(item) for item in items])
        except BaseException as exc:  # noqa: BLE001 - raised again in the parent
            outcome = (True, exc)
        try:
            data = pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - what does not pickle goes back as text
            what = traceback.format_exception(outcome[1]) if outcome[0] else traceback.format_exc()
            data = pickle.dumps((True, RuntimeError("".join(what))))
        path.write_bytes(data)
        code = 0
    except BaseException:  # noqa: BLE001 - the parent reports the exit code
        traceback.print_exc(file=sys.stderr)
    finally:
        os._exit(code)
