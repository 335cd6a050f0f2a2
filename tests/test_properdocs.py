"""Insurance against MkDocs 1.x being abandoned: ProperDocs builds the same site.

ProperDocs (a maintained fork of MkDocs 1.6) runs our ``mkdocs.yml``, hook and Material
unchanged: its command aliases the ``mkdocs`` module and every ``mkdocs.*`` import to
``properdocs.*``, so ``hooks/kb_hooks.py`` runs as it is. The runtime stays on MkDocs; this test
says whether a switch would change a single page.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import BUILD_ENV, GLOSSARY, SEED_YAML, make_project


def files_of(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*")) if p.is_file()}


def page(path: Path) -> str:
    """The page parsed, without the generator tag (it names the generator and its version)."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for tag in soup.select('meta[name="generator"]'):
        tag.decompose()
    return str(soup)


@pytest.fixture(scope="module")
def properdocs_site(tmp_path_factory) -> Path:
    if importlib.util.find_spec("properdocs") is None:
        pytest.fail("properdocs не установлен: `make test` ставит его из requirements-dev.txt")
    where = tmp_path_factory.mktemp("properdocs")
    project = make_project(
        where / "project", {SEED_YAML.name: SEED_YAML.read_bytes()}, GLOSSARY.read_bytes()
    )
    site = where / "site"
    result = subprocess.run(
        [sys.executable, "-m", "properdocs", "build", "--strict", "-f", "mkdocs.yml"]
        + ["-d", str(site)],
        cwd=project,
        env={**os.environ, **BUILD_ENV, "DISABLE_MKDOCS_2_WARNING": "true"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    # Our hook ran, and its log went through ProperDocs' logger (counted by --strict).
    assert "INFO    -  kb: Регламентов в базе знаний: 1" in result.stderr.splitlines()
    return site


def test_properdocs_builds_the_same_files(site, properdocs_site):
    assert list(files_of(properdocs_site)) == list(files_of(site))


def test_properdocs_builds_the_same_pages(site, properdocs_site):
    ours, theirs = files_of(site), files_of(properdocs_site)
    pages = [name for name in ours if name.endswith(".html")]
    assert "regulations/escalation-to-development/index.html" in pages
    for name in pages:
        assert page(theirs[name]) == page(ours[name]), name
    generator = BeautifulSoup(theirs["index.html"].read_text(encoding="utf-8"), "html.parser")
    assert "ProperDocs" in generator.select_one('meta[name="generator"]')["content"]


def test_properdocs_builds_the_same_other_files(site, properdocs_site):
    ours, theirs = files_of(site), files_of(properdocs_site)
    different = [
        name
        for name in ours
        if not name.endswith(".html") and ours[name].read_bytes() != theirs[name].read_bytes()
    ]
    assert different == []
