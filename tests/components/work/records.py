"""The ticket record writer (overrides/kb/components/work/record.mjs) run in Node.

One Node process serves the whole session (``run_record.mjs``: a JSON job per line in, a JSON
answer per line out), so the golden cases and every drawn property example cost no start-up.
Records are written in a fixed time zone, as a browser there would write them.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import subprocess
from datetime import date
from pathlib import Path

from conftest import tool

from kb import vocabulary

HERE = Path(__file__).resolve().parent
RUNNER = HERE / "run_record.mjs"
WORDS = vocabulary.WORK
"""The core's one word table, as work.json hands it to the page (kb.site.work)."""
TIME_ZONE = "Europe/Moscow"
"""The specialist's local time in every test: UTC+3 all year (no daylight saving)."""

FORMATS = {"md": "md", "txt": "text"}
"""A golden output's name ends with the format's extension: ``done.md``, ``done.txt``."""


@functools.cache
def _node() -> subprocess.Popen:
    # Node writes to stderr only when it stops (every error of a job is answered on stdout),
    # so the pipe never fills while the session runs.
    process = subprocess.Popen(
        [tool("node", "nodejs"), str(RUNNER)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env={**os.environ, "TZ": TIME_ZONE},
    )
    atexit.register(process.stdin.close)
    return process


def _json(value) -> str:
    # YAML reads an unquoted 2026-12-05T10:05:00Z as a datetime: back to ISO, as the store has it.
    return value.isoformat() if isinstance(value, date) else str(value)


def record(model: dict, ticket: dict, format: str, words: dict = WORDS) -> str:
    """The record of ``ticket``'s run of ``model`` in ``format`` ("md" or "text")."""
    process = _node()
    job = {"model": model, "ticket": ticket, "format": format, "words": words}
    process.stdin.write(json.dumps(job, ensure_ascii=False, default=_json) + "\n")
    process.stdin.flush()
    line = process.stdout.readline()
    if not line:
        raise AssertionError(f"node stopped: {process.stderr.read()}")
    answer = json.loads(line)
    assert "error" not in answer, answer.get("error")
    return answer["record"]


def records_of(case: dict) -> dict[str, str]:
    """A golden case of tests/golden/work-records/: each output named in ``records`` (its
    extension says the format) is that ticket's record of the case's ``model``."""
    return {
        name: record(case["model"], ticket, FORMATS[name.rsplit(".", 1)[-1]])
        for name, ticket in case["records"].items()
    }
