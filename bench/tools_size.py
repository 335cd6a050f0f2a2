"""Print how much our own JS and CSS add to every page, raw and gzipped (budget: 10 KB gzipped).

Usage: .venv/bin/python bench/tools_size.py
Counts the files mkdocs.yml lists in extra_css and extra_javascript (served from overrides/),
as the build serves them (kb.publish.minify), and the ticket workspace's run, which a page
loads on first use only.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from mkdocs.utils.yaml import yaml_load

from kb.publish.minify import minifiable, minify

ROOT = Path(__file__).resolve().parents[1]
LAZY = ["kb/components/workspace/run.js", "kb/components/workspace/workspace.css"]
BUDGET = 10 * 1024


def main() -> None:
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))  # knows !ENV
    names = [*config.get("extra_css", []), *config.get("extra_javascript", [])]
    raw_total = gz_total = 0
    for name in names:
        name = name if isinstance(name, str) else name["path"]
        data = served(name)
        packed = len(gzip.compress(data, 9))
        raw_total += len(data)
        gz_total += packed
        print(f"{name:40} {len(data) / 1024:6.2f} KB raw {packed / 1024:6.2f} KB gzip")
    verdict = "within" if gz_total <= BUDGET else "OVER"
    print(
        f"{'total per page':40} {raw_total / 1024:6.2f} KB raw {gz_total / 1024:6.2f} KB gzip "
        f"({verdict} the 10 KB budget)"
    )
    lazy = 0
    for name in LAZY:
        packed = len(gzip.compress(served(name), 9))
        lazy += packed
        print(f"{name + ' (first use)':40} {packed / 1024:6.2f} KB gzip")
    print(f"{'loaded on first use':40} {lazy / 1024:6.2f} KB gzip")


def served(name: str) -> bytes:
    text = (ROOT / "overrides" / name).read_text(encoding="utf-8")
    return (minify(text) if minifiable(name) else text).encode("utf-8")


if __name__ == "__main__":
    main()
