"""A regulation: one validated YAML file in ``docs/regulations``."""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from kb.check.references import reference_problems
from kb.check.schema import SCHEMA_PATH, validate
from kb.check.step_refs import literal_step_notes
from kb.load.yaml_exact import Document, LoadProblem, load_yaml
from kb.parallel import mapped
from kb.problems import Problem, RegulationError, display_name

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")

# What may stand in docs/regulations under a regulation's name besides a file. A link would
# publish a file from elsewhere (or nothing: a dangling link, a loop); a pipe would hang the build.
_NOT_A_FILE = {
    stat.S_IFLNK: "символическая ссылка — положите в docs/regulations сам файл регламента",
    stat.S_IFDIR: "это папка, а не файл регламента — переименуйте или уберите её",
}
_SPECIAL = "не обычный файл (устройство или канал) — уберите его из docs/regulations"


@dataclass
class Regulation:
    slug: str
    """The file name without ``.yml``: the regulation's permanent id and page address."""
    source: str
    """The file as shown to maintainers (relative to the project when possible)."""
    data: dict
    lines: dict = field(default_factory=dict, repr=False, compare=False)
    """Field path → its line in the file (``kb.load.yaml_exact.Document.lines``)."""

    def line_of(self, path: tuple) -> int:
        """The line of a field (or of its nearest ancestor) in the file."""
        return Document(self.data, self.lines).line_of(path)

    @property
    def title(self) -> str:
        return self.data["title"]

    @property
    def meta(self) -> dict:
        return self.data["meta"]

    @cached_property
    def step_notes(self) -> list[Problem]:
        """A note for each step number written by hand in its prose (kb.check.step_refs)."""
        return literal_step_notes(self)


def problems_of(path: Path, schema: Path = SCHEMA_PATH) -> tuple[Regulation | None, list[Problem]]:
    """Load and validate one file; return the regulation or the problems that stop it."""
    source = display_name(path)
    if not SLUG.match(path.stem):
        return None, [
            Problem(
                source,
                None,
                "",
                "имя файла — адрес страницы: только латинские строчные буквы, цифры и дефисы "
                "(например, escalation-to-development.yml)",
            )
        ]
    try:
        kind = stat.S_IFMT(path.lstat().st_mode)
        if kind != stat.S_IFREG:
            return None, [Problem(source, None, "", _NOT_A_FILE.get(kind, _SPECIAL))]
        doc = load_yaml(path.read_bytes(), source)
    except LoadProblem as exc:
        return None, [exc.problem]
    except OSError as exc:  # e.g. no permission to read it
        return None, [Problem(source, None, "", f"не удалось прочитать файл ({exc.strerror})")]
    problems = validate(doc, source, schema)
    if problems:
        return None, problems
    regulation = Regulation(path.stem, source, doc.data, doc.lines)
    regulation.step_notes  # noqa: B018  (worked out by the process that reads the file)
    return regulation, problems


def load_folder(
    directory: Path, schema: Path = SCHEMA_PATH, workers: int = 1
) -> tuple[list[Regulation], list[Problem]]:
    """Every ``*.yml`` in ``directory`` that loads, sorted by title, and the problems of all of
    them: each file's own and those between files (``kb.check.references``). The files are
    read by ``workers`` processes (kb.parallel)."""
    regulations, problems, unloaded = [], [], []
    paths = sorted(directory.glob("*.yml"))
    for path, (regulation, found) in zip(
        paths, mapped(lambda path: problems_of(path, schema), paths, workers), strict=True
    ):
        problems += found
        if regulation:
            regulations.append(regulation)
        else:
            unloaded.append((path.stem, display_name(path)))
    problems += reference_problems(regulations, unloaded)
    return sorted(regulations, key=lambda r: r.title.casefold()), problems


def load_regulations(
    directory: Path, schema: Path = SCHEMA_PATH, workers: int = 1
) -> list[Regulation]:
    """Every ``*.yml`` in ``directory``, sorted by title; raise with all problems of all files."""
    regulations, problems = load_folder(directory, schema, workers)
    if problems:
        raise RegulationError(problems)
    return regulations
