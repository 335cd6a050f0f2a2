"""The tickets store (``overrides/kb/components/work/store.mjs``) under Node's own test runner.

One ``node --test`` process runs ``store.test.mjs`` beside this file; when any Node test fails,
is skipped or left to do, this test fails with Node's report."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from conftest import tool

NODE_TESTS = Path(__file__).resolve().parent / "store.test.mjs"


def test_the_store_passes_its_node_tests():
    node = tool("node", "nodejs")
    done = subprocess.run(
        [node, "--test", "--test-reporter=tap", str(NODE_TESTS)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    report = done.stdout + done.stderr
    counts = {k: int(v) for k, v in re.findall(r"^# (\w+) (\d+)$", done.stdout, re.M)}
    assert done.returncode == 0, report
    assert counts.get("pass", 0) > 0, report
    assert [counts.get(k) for k in ("fail", "cancelled", "skipped", "todo")] == [0] * 4, report
