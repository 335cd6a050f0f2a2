"""Bench only: the wall clock at the edges of a build's phases, for ``bench_build.py --phases``.

Added to a project's ``hooks:`` by the bench (ours and stock alike). Each event is stamped by its
first handler (priority 100) or, for the end of a phase, by its last (priority -100); the stamps
(``time.time()``) are written as JSON to the file named by ``KB_BENCH_PHASES`` when the build
ends. The bench subtracts them from the moment it started the process.
"""

import json
import os
import time

from mkdocs.plugins import event_priority

stamps: dict[str, float] = {}


def _first(name: str):
    def stamp(*args, **kwargs):
        stamps.setdefault(name, time.time())
        return args[0] if args else None

    return event_priority(100)(stamp)


on_config = _first("config")
on_pre_build = _first("pre_build")
on_page_markdown = _first("markdown")
on_page_context = _first("theme")
on_post_build = _first("post_build")


@event_priority(-100)
def on_shutdown() -> None:
    stamps["end"] = time.time()
    with open(os.environ["KB_BENCH_PHASES"], "w", encoding="utf-8") as out:
        json.dump(stamps, out)
