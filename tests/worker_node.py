"""Our search worker in Node, loaded as the browser loads it: Material's search worker,
lunr.ru and ``overrides/kb/search/worker.js`` (which then exposes ``kbSearch`` instead of
starting). For the tests that compare it with kb.search, and for bench/bench_typos.py."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import material

ROOT = Path(__file__).resolve().parents[1]
THEME_JS = Path(material.__file__).parent / "templates" / "assets" / "javascripts"
MATERIAL_WORKER = next((THEME_JS / "workers").glob("search.*.min.js"))
WORKER = ROOT / "overrides" / "kb" / "search" / "worker.js"
SCRIPTS = (
    MATERIAL_WORKER,
    THEME_JS / "lunr" / "min" / "lunr.stemmer.support.min.js",
    THEME_JS / "lunr" / "min" / "lunr.ru.min.js",
    WORKER,
)

PRELUDE = r"""
const fs = require("fs"), vm = require("vm")
globalThis.exports = globalThis.module = undefined  // lunr-languages: attach to lunr, not a module
globalThis.self = globalThis
globalThis.addEventListener = () => {}
for (const file of process.argv.slice(1))
  vm.runInThisContext(fs.readFileSync(file, "utf8"), { filename: file })
const input = JSON.parse(fs.readFileSync(0, "utf8"))
"""
"""Loads :data:`SCRIPTS` (given as arguments) and reads the JSON on stdin as ``input``."""


def in_node(script: str, payload, node: str, timeout: int = 120):
    """What ``script`` prints (JSON), run after :data:`PRELUDE` with ``payload`` on stdin."""
    result = subprocess.run(
        [node, "-e", PRELUDE + script, *map(str, SCRIPTS)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr)
    return json.loads(result.stdout)
