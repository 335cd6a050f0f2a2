"""Load on nginx with the production rules: requests/s and p99 latency (not a test).

    make bench-load        (installs wrk from Debian if missing)
    .venv/bin/python bench/bench_load.py [--count 300] [--seconds 10] [--connections 32]
        [--corpus realistic|copies] [--seed 1] [--dictionary FILE]

Builds N regulations (``bench/corpus.py``: distinct ones by default, or copies of the seed)
into a temporary folder, serves them with deploy/nginx/kb.conf on 127.0.0.1 (2 workers, access
log on, as in production) and drives wrk against a regulation page and the search index, gzip accepted like a browser.
Every run is bounded: fixed duration, fixed connections, then nginx is stopped.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
import corpus as corpora  # noqa: E402
from bench_build import make_ours  # noqa: E402

from kb.publish import atomic  # noqa: E402
from kb.publish.nginx import Nginx  # noqa: E402

SEARCH_INDEX = "search/search_index.json"
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(url: str, seconds: int, connections: int, threads: int) -> dict:
    command = [
        shutil.which("wrk") or sys.exit("wrk не найден: make bench-load ставит пакет wrk"),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        "-H",
        "Accept-Encoding: gzip",
        url,
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    if p99 is None:
        sys.exit(f"не понял вывод wrk:\n{out}")
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p99_ms": float(p99[1]) * _UNITS[p99[2]],
        "requests": int(re.search(r"(\d+) requests in", out)[1]),
        "errors": "Non-2xx" in out or "Socket errors" in out,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="сколько регламентов (300)")
    parser.add_argument("--seconds", type=int, default=10, help="длительность каждого замера")
    parser.add_argument("--connections", type=int, default=32, help="одновременных соединений")
    corpora.add_arguments(parser)
    args = parser.parse_args()
    corpus = corpora.from_arguments(args, args.count)
    first = next(iter(corpus.titles))
    targets = {"страница регламента": f"regulations/{first}/", "индекс поиска": SEARCH_INDEX}
    with tempfile.TemporaryDirectory(prefix="kb-load-") as tmp:
        project = make_ours(Path(tmp) / "project", corpus)
        os.environ.setdefault("KB_TODAY", "2025-06-01")
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        if atomic.build(project, Path("site")) != 0:
            return 1
        site = project / "site"
        with Nginx(ROOT, site, Path(tmp) / "run", workers=2) as nginx:
            print(
                f"nginx, 2 рабочих процесса, {args.count} регламентов ({args.corpus}), "
                f"{args.connections} "
                f"соединений, {args.seconds} с на замер, gzip; ядер: {os.cpu_count()}, "
                f"load average: {os.getloadavg()[0]:.1f}"
            )
            for label, path in targets.items():
                size = (site / path / ("index.html" if path.endswith("/") else "")).stat().st_size
                r = wrk(nginx.url + path, args.seconds, args.connections, threads=2)
                errors = " (ЕСТЬ ОШИБКИ)" if r["errors"] else ""
                print(
                    f"  {label:20} {size / 1024:8.1f} КБ: {r['rps']:9.0f} запросов/с, "
                    f"p99 {r['p99_ms']:7.2f} мс ({r['requests']} запросов){errors}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
