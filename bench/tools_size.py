"""Print how much our own JS and CSS add to every page, raw and gzipped (budget: 10 KB gzipped).

Usage: .venv/bin/python bench/tools_size.py
Counts the files mkdocs.yml lists in extra_css and extra_javascript (served from overrides/).
"""

from __future__ import annotations

import gzip
from pathlib import Path

from mkdocs.utils.yaml import yaml_load

ROOT = Path(__file__).resolve().parents[1]
BUDGET = 10 * 1024


def main() -> None:
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))  # knows !ENV
    names = [*config.get("extra_css", []), *config.get("extra_javascript", [])]
    raw_total = gz_total = 0
    for name in names:
        name = name if isinstance(name, str) else name["path"]
        data = (ROOT / "overrides" / name).read_bytes()
        packed = len(gzip.compress(data, 9))
        raw_total += len(data)
        gz_total += packed
        print(f"{name:32} {len(data) / 1024:6.2f} KB raw {packed / 1024:6.2f} KB gzip")
    verdict = "within" if gz_total <= BUDGET else "OVER"
    print(
        f"{'total per page':32} {raw_total / 1024:6.2f} KB raw {gz_total / 1024:6.2f} KB gzip "
        f"({verdict} the 10 KB budget)"
    )


if __name__ == "__main__":
    main()
