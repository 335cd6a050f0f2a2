"""Search: index size against stock Material's and query time, with N regulations indexed.

    .venv/bin/python bench/bench_search.py [--count 300] [--repeat 5] [--keep DIR]
        [--corpus realistic|copies] [--seed 1] [--dictionary FILE]

Writes N regulations (``bench/corpus.py``: distinct ones made up from a Russian dictionary by
default, or copies of the seed with ``--corpus copies``) into a temporary project with the
glossary (``tests/fixtures/seed/glossary.yml``), builds it with
``mkdocs build --strict`` and prints:

- the machine's load average before and after;
- the size of ``search/search_index.json`` as Material writes it (captured by a bench-only hook
  that runs just before ours) and of what we ship: ``search_index.json`` (the sections, the
  glossary) and ``kb_index.json`` (the prebuilt index: kb/search.py), raw and gzipped, in all
  and per regulation;
- in Chromium, the time to the first answer after page load: the site's home page is opened
  ``--loads`` times, each in a fresh context; the query «эскалация» is sent to the worker as
  soon as the page's script has sent SETUP; printed: the median of RESULT − the page's load
  event (and of RESULT − navigation start, READY − load event);
- in Chromium, for our worker and for Material's stock worker, the time to build the index
  (SETUP → READY; ours includes fetching and reading the prebuilt index) and the time of each
  query (QUERY → RESULT, median and maximum of ``--repeat`` runs after one warm-up round),
  measured in the page with ``performance.now()``, so it includes passing the results between
  threads.

Not a test: figures only. The requirements with 300 regulations: the first answer within
300 ms of page load, every query under 50 ms.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))
import corpus as corpora  # noqa: E402
from corpus import Corpus  # noqa: E402
from project import add_hook, make_project  # noqa: E402

from kb.publish.nginx import Nginx  # noqa: E402
from kb.search import INDEX_FILE  # noqa: E402

GLOSSARY = ROOT / "tests" / "fixtures" / "seed" / "glossary.yml"
QUERIES = [
    "эскалировать",
    "разработчику",
    "логов",
    "приоритеты",
    "обновлений",
    "диагностике",
    "баг",
    "тикет",
    "эскал",
    "критическая ошибка приоритет",
    "как передать вопрос разработчикам",
    "эскалацыя",
    "ескалация",
    "клент",
    "разроботка",
    "передать вопрос разроботчикам",
]
CAPTURE_HOOK = '''
"""Bench only: keep Material's own search index before kb_hooks rewrites it."""
import shutil
from pathlib import Path


def on_post_build(config):
    index = Path(config.site_dir) / "search" / "search_index.json"
    shutil.copy(index, index.with_name("search_index.stock.json"))
'''
FIRST_QUERY = "эскалация"
# Before the page's scripts: note when the worker is made, when SETUP goes, READY and the first
# RESULT come; send FIRST_QUERY right after SETUP (what the UI would send once READY).
FIRST_ANSWER = """
(() => {
  const Original = window.Worker
  window.__bench = {}
  window.Worker = class extends Original {
    constructor(...args) {
      super(...args)
      __bench.created = performance.now()
      this.addEventListener("message", event => {
        if (event.data.type === 1 && !__bench.ready) __bench.ready = performance.now()
        if (event.data.type === 3 && !__bench.answer) {
          __bench.answer = performance.now()
          __bench.items = event.data.data.items.length
        }
      })
    }
    postMessage(message, ...rest) {
      super.postMessage(message, ...rest)
      if (message.type === 0) { __bench.setup = performance.now(); super.postMessage({ type: 2, data: %s }) }
    }
  }
})()
"""
MEASURE = """
async ({ worker, index, queries, repeat }) => {
  const data = await (await fetch(index)).json()
  const w = new Worker(worker)
  const ask = message => new Promise(resolve => {
    w.onmessage = event => resolve(event.data)
    w.postMessage(message)
  })
  let start = performance.now()
  await ask({ type: 0, data: { config: data.config, docs: data.docs, options: { suggest: true } } })
  const setup = performance.now() - start
  const times = {}, hits = {}
  for (const query of queries) await ask({ type: 2, data: query })  /* warm-up, not counted */
  for (const query of queries) {
    times[query] = []
    for (let i = 0; i < repeat; i++) {
      start = performance.now()
      const result = await ask({ type: 2, data: query })
      times[query].push(performance.now() - start)
      hits[query] = result.data.items.length
    }
  }
  w.terminate()
  return { setup, times, hits }
}
"""


def make_site(where: Path, corpus: Corpus) -> Path:
    project = make_project(where / "project", corpus.files, glossary=GLOSSARY.read_bytes())
    add_hook(project, "bench_capture.py", CAPTURE_HOOK)
    site = where / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(result.stderr)
    return site


def sizes(path: Path) -> tuple[int, int]:
    raw = path.read_bytes()
    return len(raw), len(gzip.compress(raw, 6))


def measure(site: Path, repeat: int, loads: int) -> dict:
    from playwright.sync_api import sync_playwright

    config = (site / "index.html").read_text(encoding="utf-8")
    ours = config.split('"search": "', 1)[1].split('"', 1)[0]
    stock = "assets/javascripts/workers/" + ours.split("material=", 1)[1]
    out = {}
    # Served as in production: nginx with deploy/nginx/kb.conf (gzip_static, CSP, caching)
    with (
        tempfile.TemporaryDirectory(prefix="kb-bench-nginx-") as run,
        Nginx(ROOT, site, Path(run), workers=2) as nginx,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=shutil.which("chromium"),
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        base = nginx.url.rstrip("/")
        out["loads"] = []
        for _ in range(loads):
            context = browser.new_context()
            page = context.new_page()
            page.add_init_script(FIRST_ANSWER % json.dumps(FIRST_QUERY))
            page.goto(f"{base}/")
            page.wait_for_function("() => window.__bench.answer", timeout=120_000)
            times = page.evaluate(
                """() => ({ ...__bench,
                  load: performance.getEntriesByType("navigation")[0].loadEventEnd })"""
            )
            out["loads"].append(times)
            context.close()
        page = browser.new_page()
        page.goto(f"{base}/404.html")
        for name, worker, index in [
            ("ours", ours, "search/search_index.json"),
            ("stock", stock, "search/search_index.stock.json"),
        ]:
            args = {"worker": worker, "index": index, "queries": QUERIES, "repeat": repeat}
            out[name] = page.evaluate(MEASURE, args)
        browser.close()
    return out


def median(values: list[float]) -> float:
    values = sorted(values)
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--loads", type=int, default=5, help="page loads for the first answer")
    parser.add_argument("--keep", type=Path, help="build here and keep the project and site")
    parser.add_argument(
        "--site",
        type=Path,
        help="measure this site, built before with --keep (an older version's, to compare)",
    )
    corpora.add_arguments(parser)
    args = parser.parse_args()
    corpus = corpora.from_arguments(args, args.count)

    where = args.keep or args.site or Path(tempfile.mkdtemp(prefix="kb-bench-search-"))
    try:
        before = os.getloadavg()
        site = args.site or make_site(where, corpus)
        search = site / "search"
        shipped = [n for n in ("search_index.json", INDEX_FILE) if (search / n).is_file()]
        ours = [sum(pair) for pair in zip(*(sizes(search / n) for n in shipped), strict=True)]
        stock = sizes(search / "search_index.stock.json")
        count = args.count
        print(f"Регламентов: {count} ({args.corpus}), разных слов: {len(corpus.vocabulary())}")
        print(
            f"Индекс поиска: наш {ours[0] / 1e6:.2f} МБ (gzip {ours[1] / 1e6:.2f} МБ; "
            f"на регламент {ours[0] / count / 1e3:.1f} КБ, gzip {ours[1] / count / 1e3:.2f} КБ), "
            f"Material {stock[0] / 1e6:.2f} МБ (gzip {stock[1] / 1e6:.2f} МБ), "
            f"отношение {ours[0] / stock[0]:.2f} (gzip {ours[1] / stock[1]:.2f})"
        )
        for name in shipped:
            raw, packed = sizes(search / name)
            print(f"  {name}: {raw / 1e6:.2f} МБ (gzip {packed / 1e6:.2f} МБ)")
        figures = measure(site, args.repeat, args.loads)
        loads = figures["loads"]
        print(
            f"\nПервый ответ («{FIRST_QUERY}») после загрузки страницы, медиана {len(loads)}: "
            f"{median([t['answer'] - t['load'] for t in loads]):.0f} мс после события load "
            f"({median([t['answer'] for t in loads]):.0f} мс от начала навигации; "
            f"READY {median([t['ready'] - t['load'] for t in loads]):+.0f} мс от load); "
            "по загрузкам: " + ", ".join(f"{t['answer'] - t['load']:.0f}" for t in loads)
        )
        for name in ("ours", "stock"):
            result = figures[name]
            label = "наш воркер" if name == "ours" else "Material"
            print(f"\n{label}: построение индекса {result['setup']:.0f} мс")
            worst = 0.0
            for query in QUERIES:
                times = result["times"][query]
                worst = max(worst, max(times))
                print(
                    f"  {query!r:40} медиана {median(times):6.1f} мс, "
                    f"максимум {max(times):6.1f} мс, найдено страниц {result['hits'][query]}"
                )
            medians = [median(result["times"][query]) for query in QUERIES]
            print(f"  медиана запросов {median(medians):.1f} мс, худший запрос: {worst:.1f} мс")
        after = os.getloadavg()
        print(f"\nload average: до {before[0]:.2f}, после {after[0]:.2f}")
        print(json.dumps({"index_bytes": ours[0], "stock_index_bytes": stock[0]}))
    finally:
        if not args.keep and not args.site:
            shutil.rmtree(where, ignore_errors=True)


if __name__ == "__main__":
    main()
