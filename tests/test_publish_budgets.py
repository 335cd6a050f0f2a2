"""Budgets of a regulation page: our JS + CSS at load, and its HTML against stock Material.

Both projects come from bench/bench_build.py with one copy of the seed (bench/corpus.py: ours
from the fixture seed YAML, stock Material from the seed Markdown with the same content), built
here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import bench_build  # noqa: E402
import corpus  # noqa: E402
from tools_size import own_assets, own_gzipped  # noqa: E402

OWN_BUDGET = 10 * 1024
"""Our JS + CSS a page loads, gzipped."""
WORK_BUDGET = 30 * 1024
"""The work page's own JS + CSS in all (at load, its modules and its style), gzipped."""
HTML_RATIO = 1.5
"""A regulation page's HTML against stock Material's page of the same content (issue 11)."""
PAGE = f"regulations/{corpus.variant(1)['slug']}/index.html"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    where = tmp_path_factory.mktemp("budgets")
    seed = corpus.copies(1)
    sites = {
        "ours": bench_build.make_ours(where / "ours", seed),
        "stock": bench_build.make_stock(where / "stock", seed),
    }
    for name, project in sites.items():
        bench_build.build(project, strict=name == "ours")
    return {name: project / "site" for name, project in sites.items()}


def test_own_js_and_css_at_load_are_within_10_kb_gzipped(built):
    assets = own_assets(built["ours"], PAGE)
    names = sorted(f.suffix for f in assets)
    assert names.count(".css") >= 2 and names.count(".js") >= 2, assets
    total = own_gzipped(built["ours"], PAGE)
    print(f"own JS + CSS at load: {total / 1024:.2f} KB gzipped")
    assert total <= OWN_BUDGET


def test_work_page_own_js_and_css_are_within_30_kb_gzipped(built):
    page = PAGE.replace("index.html", "work/index.html")
    assets = own_assets(built["ours"], page)
    names = {f.name.split(".")[0] for f in assets}
    assert {"main", "store", "record", "view", "work"} <= names, names
    total = own_gzipped(built["ours"], page)
    print(f"work page's own JS + CSS: {total / 1024:.2f} KB gzipped")
    assert total <= WORK_BUDGET


def test_regulation_page_html_is_within_1_5x_of_stock_material(built):
    ours, stock = (len((built[name] / PAGE).read_bytes()) for name in ("ours", "stock"))
    print(f"regulation page HTML: {ours} B, stock Material {stock} B, {ours / stock:.3f}x")
    assert ours <= HTML_RATIO * stock
