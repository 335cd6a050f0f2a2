"""Print how much our own JS and CSS add to every page, raw and gzipped (budget: 10 KB gzipped).

Usage: .venv/bin/python bench/tools_size.py [--site site --page work/index.html]
Without --page: counts the files mkdocs.yml lists in extra_css and extra_javascript (served
from overrides/), as the build serves them (kb.publish.minify). With --page: what that page of a built site loads
of ours, its ES modules' whole import graph included (:func:`own_assets`).
"""

from __future__ import annotations

import argparse
import gzip
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup
from mkdocs.utils.yaml import yaml_load

from kb.publish.minify import minifiable, minify
from kb.publish.modules import SUFFIX, imports, resolve

ROOT = Path(__file__).resolve().parents[1]
BUDGET = 10 * 1024
OWN = "kb/"
"""Where our assets live in a built site (Material's are under assets/)."""
LOADED = {
    "link[rel=stylesheet][href]": "href",
    "link[rel=modulepreload][href]": "href",
    "script[src]": "src",
    # A page of ES modules (the work page; «Мои обращения» on the home page): workspace.js
    # imports its main module at once.
    "[data-kb-tool=module][data-kb-src]": "data-kb-src",
    # A tool not on every page (the checklist, «С вашего прошлого визита»): kb.js loads its
    # script when the page has the tool.
    "[data-kb-tool][data-kb-script]": "data-kb-script",
}
"""What in a page's HTML loads a style sheet or a script at once (selector → its URL)."""


def own_assets(site: Path, page: str) -> list[Path]:
    """Our style sheets and scripts that ``page`` (a site path) of the built ``site`` loads:
    those its HTML names (``LOADED``, under ``OWN``) and every module they import, statically
    or by ``import()``, followed through the built files — a page's module graph."""
    html = BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    queue = [
        _site_path(page, tag[attribute])
        for selector, attribute in LOADED.items()
        for tag in html.select(selector)
    ]
    found: list[str] = []
    while queue:
        path = queue.pop(0)
        if path in found or not path.startswith(OWN):
            continue
        found.append(path)
        if path.endswith(SUFFIX):
            source = (site / path).read_text(encoding="utf-8")
            queue += [resolve(path, at.url) for at in imports(source, path)]
    return [site / path for path in found]


def gzipped(files: list[Path]) -> int:
    """Bytes of the files gzipped one by one (level 9), as a browser receives them."""
    return sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)


def own_gzipped(site: Path, page: str) -> int:
    """Gzipped bytes of our JS and CSS that ``page`` loads, its module graph included."""
    return gzipped(own_assets(site, page))


def _site_path(page: str, url: str) -> str:
    path = urlsplit(url).path
    return path.removeprefix("/") if path.startswith("/") else resolve(page, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="built site (site)")
    parser.add_argument("--page", help="a page of it, e.g. work/index.html")
    args = parser.parse_args()
    if args.page:
        return print_page(args.site, args.page)
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


def print_page(site: Path, page: str) -> None:
    files = own_assets(site, page)
    for path in files:
        print(f"{str(path.relative_to(site)):50} {gzipped([path]) / 1024:6.2f} KB gzip")
    print(f"{'own JS + CSS of ' + page:50} {gzipped(files) / 1024:6.2f} KB gzip")


def served(name: str) -> bytes:
    text = (ROOT / "overrides" / name).read_text(encoding="utf-8")
    return (minify(text, name) if minifiable(name) else text).encode("utf-8")


if __name__ == "__main__":
    main()
