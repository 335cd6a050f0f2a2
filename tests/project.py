"""Throw-away copies of the site's machinery, for tests and benchmarks."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("mkdocs.yml", "hooks", "overrides", "schema")


def make_project(
    where: Path,
    regulations: dict[str, str | bytes] | None = None,
    glossary: str | bytes | None = None,
) -> Path:
    """Copy the site's machinery to ``where`` with the given regulation files (name → content)
    and, if given, the search glossary (``docs/glossary.yml``). Nothing is taken from ``docs/``."""
    where.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, where / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, where / part)
    folder = where / "docs" / "regulations"
    folder.mkdir(parents=True)
    for name, content in (regulations or {}).items():
        _write(folder / name, content)
    if glossary is not None:
        _write(where / "docs" / "glossary.yml", glossary)
    return where


def _write(path: Path, content: str | bytes) -> None:
    path.write_bytes(content.encode() if isinstance(content, str) else content)


def add_hook(project: Path, name: str, source: str) -> None:
    """Write ``source`` as ``name`` in the project and make it the first of its hooks (a line
    of ``mkdocs.yml``, so the rest of the file stays as written)."""
    (project / name).write_text(source, encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    line = f"  - {name}\n"
    text = (
        text.replace("\nhooks:\n", f"\nhooks:\n{line}", 1)
        if "\nhooks:\n" in text
        else f"{text}hooks:\n{line}"
    )
    config.write_text(text, encoding="utf-8")
