"""Lighthouse on a regulation page (or its work page) served by nginx with the production rules.

    make lighthouse        (installs the pinned lighthouse into .lighthouse/, builds site/)
    .venv/bin/python bench/lighthouse.py --lighthouse .lighthouse/node_modules/.bin/lighthouse
        [--page reading|work] [--preset mobile|desktop]

Runs Debian's Chromium (CHROME_PATH) headless on the first regulation of the built site/
(its reading page, or its work page ``…/work/``),
prints the scores of the median of three runs (Lighthouse's advice: scores vary from run to
run) and exits 1 below performance 95, accessibility 100, best practices 100.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
from kb.publish.nginx import Nginx  # noqa: E402

LIMITS = {"performance": 95, "accessibility": 100, "best-practices": 100}
CHROME_FLAGS = "--headless --no-sandbox --disable-background-networking"
# Which page of the first regulation: its file in the built site.
PAGES = {"reading": "*/index.html", "work": "*/work/index.html"}


def lighthouse(binary: Path, url: str, preset: str, report: Path, chromium: str) -> dict:
    """One Lighthouse run: its JSON report."""
    command = [
        str(binary),
        url,
        "--output=json",
        f"--output-path={report}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=" + ",".join(LIMITS),
        "--quiet",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": chromium})
    return json.loads(report.read_text(encoding="utf-8"))


def scores(result: dict) -> dict[str, int]:
    return {name: round(result["categories"][name]["score"] * 100) for name in LIMITS}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lighthouse", type=Path, required=True, help="путь к lighthouse")
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="собранный сайт")
    parser.add_argument("--preset", choices=["mobile", "desktop"], default="mobile")
    parser.add_argument("--page", choices=list(PAGES), default="reading")
    parser.add_argument("--runs", type=int, default=3, help="прогонов; оценка — медианный")
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("chromium не найден (make browser)")
    regulation = min((args.site / "regulations").glob(PAGES[args.page]))
    path = regulation.parent.relative_to(args.site).as_posix() + "/"
    with (
        tempfile.TemporaryDirectory(prefix="kb-lighthouse-") as tmp,
        Nginx(ROOT, args.site, Path(tmp) / "run", access_log=False) as nginx,
    ):
        runs = [
            lighthouse(
                args.lighthouse, nginx.url + path, args.preset, Path(tmp) / "r.json", chromium
            )
            for _ in range(args.runs)
        ]
    # Lighthouse's own advice: scores vary from run to run, report the median run.
    runs.sort(key=lambda r: r["categories"]["performance"]["score"])
    result = runs[len(runs) // 2]
    print(f"Lighthouse {result['lighthouseVersion']}, {args.preset}, {nginx.url}{path}")
    print("  прогоны: " + "; ".join(" / ".join(map(str, scores(r).values())) for r in runs))
    failed = False
    for name, limit in LIMITS.items():
        category = result["categories"][name]
        score = scores(result)[name]
        verdict = "ok" if score >= limit else "НИЖЕ ПРЕДЕЛА"
        failed |= score < limit
        print(f"  {category['title']:15} {score:3d} (предел {limit}) {verdict}")
        if score < 100:
            for ref in category["auditRefs"]:
                audit = result["audits"][ref["id"]]
                if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                    print(
                        f"    - {audit['id']}: {audit['title']} ({audit.get('displayValue', '')})"
                    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
