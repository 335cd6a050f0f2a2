"""Whatever a regulation file holds, the outcome is a page or one located line per problem.

Hypothesis (derandomized: the same examples on every run) breaks the seed regulation the way a
clumsy maintainer or an attacker would — deletes, duplicates and swaps lines, re-indents them,
types control characters, brackets, quotes and tabs into them — and feeds random bytes. Most
examples go through the core (``problems_of``, and the pages of those that pass) in this
process; a few through the real ``python -m kb validate`` and the real atomic build, which must
exit with 1, say the same lines and leave the published ``site/`` byte for byte as it was.
"""

from __future__ import annotations

import re
import signal
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import FIXTURES, SEED_YAML, kb, make_project, publish
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kb.load.regulation import problems_of
from kb.load.yaml_exact import LoadProblem, load_yaml
from kb.problems import RegulationError
from kb.site.knowledge_base import KnowledgeBase

SEED_LINES = SEED_YAML.read_text(encoding="utf-8").splitlines(keepends=True)
NAME = "docs/regulations/fuzzed.yml"
MINIMAL = FIXTURES / "valid" / "minimal.yml"
LOCATED = re.compile(rf"{re.escape(NAME)}:[1-9][0-9]*: .*[а-яё].*", re.IGNORECASE)
"""``file:line: …`` with a Russian message (``поле path:`` is part of it when known)."""

# What breaks YAML, JSON Schema checks or pages: controls (NUL, escape, DEL, C1), direction
# controls, a byte order mark, line and paragraph separators, and YAML's indicators.
TRICKY = "\x00\x01\x08\x0b\x0c\x1b\x7f\x85\x9f\u202e\u2066\u200f\ufeff\u2028\ufffe"
TRICKY += "\t\r\n []{}'\"\\:-?#&*!|>%@`,"
INSERTED = st.text(
    st.sampled_from(TRICKY) | st.characters(exclude_categories=["Cs"]), min_size=1, max_size=6
)


def _delete(lines: list[str], i: int, draw) -> None:
    del lines[i]


def _duplicate(lines: list[str], i: int, draw) -> None:
    lines.insert(i, lines[i])


def _swap(lines: list[str], i: int, draw) -> None:
    j = draw(st.integers(0, len(lines) - 1))
    lines[i], lines[j] = lines[j], lines[i]


def _insert(lines: list[str], i: int, draw) -> None:
    at = draw(st.integers(0, len(lines[i])))
    lines[i] = lines[i][:at] + draw(INSERTED) + lines[i][at:]


def _indent(lines: list[str], i: int, draw) -> None:
    shift = draw(st.integers(-4, 4))
    line = lines[i]
    lines[i] = (
        " " * shift + line if shift > 0 else line[min(-shift, len(line) - len(line.lstrip(" "))) :]
    )


EDITS = [_delete, _duplicate, _swap, _insert, _indent]


@st.composite
def edited_seed(draw) -> bytes:
    """The seed regulation after one to four line edits."""
    lines = list(SEED_LINES)
    for _ in range(draw(st.integers(1, 4))):
        edit = draw(st.sampled_from(EDITS))
        edit(lines, draw(st.integers(0, len(lines) - 1)), draw)
    return "".join(lines).encode("utf-8")


@st.composite
def damaged_bytes(draw) -> bytes:
    """The seed with a few bytes overwritten (broken UTF-8 included), or bytes at random."""
    if draw(st.booleans()):
        return draw(st.binary(min_size=1, max_size=300))
    data = bytearray(SEED_YAML.read_bytes())
    for _ in range(draw(st.integers(1, 3))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


ANY_FILE = edited_seed() | damaged_bytes()


@contextmanager
def at_most(seconds: int):
    """A hang fails the example: hypothesis's deadline is checked only once an example ends."""

    def stop(signum, frame):
        raise TimeoutError(f"дольше {seconds} с")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def outcome(project: Path, content: bytes) -> list[str]:
    """The lines the core reports for ``content`` (none: it can be published), each checked:
    located, Russian, one line."""
    path = project / NAME
    path.write_bytes(content)
    with at_most(60):
        regulation, problems = problems_of(path)
    assert (regulation is None) == bool(problems)
    lines = [str(problem) for problem in RegulationError(problems).problems]
    for line in lines:
        assert LOCATED.fullmatch(line), line
        assert line.splitlines() == [line]
    return lines


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A project with another regulation published in ``site/``; tests put their file beside
    it (not the seed: an unbroken copy would repeat its title, an error between files)."""
    project = make_project(tmp_path_factory.mktemp("fuzz"), {MINIMAL.name: MINIMAL.read_bytes()})
    result = publish(project)
    assert result.returncode == 0, result.stderr
    return project


@pytest.fixture
def cwd_project(project, monkeypatch) -> Path:
    monkeypatch.chdir(project)  # files are named as maintainers see them: docs/regulations/…
    return project


DETERMINISTIC = settings(
    derandomize=True,
    database=None,
    deadline=timedelta(seconds=10),  # a hang fails; one example takes about 0.1 s
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@settings(DETERMINISTIC, max_examples=200)
@given(ANY_FILE)
def test_any_file_gives_a_page_or_located_lines(cwd_project, content):
    if not outcome(cwd_project, content):  # the pages of what passed render (no MkDocs here)
        regulation, _ = problems_of(cwd_project / NAME)
        with at_most(60):
            KnowledgeBase([regulation], today=date(2025, 3, 1)).pages()


# Typical mistakes, each made on one line of the seed (None where the line has no room for it).
_KEY_LINE = re.compile(r"( *)((?:- )?)([a-z_]+):(?= |$)")


def _unclose_quote(line: str) -> str | None:
    body = line.rstrip("\n")
    return body[:-1] + "\n" if body.endswith('"') and body.count('"') == 2 else None


def _drop_colon(line: str) -> str | None:
    key = _KEY_LINE.match(line)
    return line[: key.end() - 1] + line[key.end() :] if key else None


def _glue_value(line: str) -> str | None:
    key = _KEY_LINE.match(line)
    return line[: key.end()] + line[key.end() + 1 :] if key and line[key.end()] == " " else None


def _shift(by: int):
    def shift(line: str) -> str | None:
        if not _KEY_LINE.match(line) or (by < 0 and not line.startswith(" " * -by)):
            return None
        return " " * by + line if by > 0 else line[-by:]

    return shift


def _add_dash(line: str) -> str | None:
    key = _KEY_LINE.match(line)
    return f"{key.group(1)}- {line[key.end(1) :]}" if key and not key.group(2) else None


def _drop_dash(line: str) -> str | None:
    dash = re.match(r" *- ", line)
    return line[: dash.end() - 2] + line[dash.end() :] if dash else None


_PLAIN_VALUE = re.compile(r" *(?:- )?[a-z_]+: (?=[^\s\"'\[{>|&*!#])")


def _colon_in_value(line: str) -> str | None:
    value = _PLAIN_VALUE.match(line)
    space = line.find(" ", value.end()) if value else -1
    return line[:space] + ":" + line[space:] if space > 0 else None


def _bold_value(line: str) -> str | None:
    value = _PLAIN_VALUE.match(line)
    return line[: value.end()] + "**" + line[value.end() :] if value else None


def _tab(line: str) -> str | None:
    return "\t" + line[2:] if _KEY_LINE.match(line) and line.startswith("  ") else None


MISTAKES = {
    "unclosed quote": _unclose_quote,
    "missing colon": _drop_colon,
    "no space after the colon": _glue_value,
    "dedented by 1": _shift(-1),
    "indented by 1": _shift(1),
    "indented by 2": _shift(2),
    "list item among keys": _add_dash,
    "list item without its dash": _drop_dash,
    "tab": _tab,
    "colon in a value": _colon_in_value,
    "value starting with **": _bold_value,
}


@st.composite
def a_mistake(draw) -> tuple[str, int]:
    """A typical mistake and the seed's line to make it on (1-based)."""
    name = draw(st.sampled_from(sorted(MISTAKES)))
    lines = [n for n, line in enumerate(SEED_LINES, 1) if MISTAKES[name](line)]
    return name, draw(st.sampled_from(lines))


@settings(DETERMINISTIC, max_examples=200)
@given(a_mistake())
def test_a_typical_mistake_is_reported_at_its_line_or_named(mistake):
    """The message stands at the line of the mistake, or, where two lines disagree and
    nothing tells which one is wrong (the first key of a block and the second), at the other
    one, naming it: never at a line elsewhere, as a quote closed 30 lines further down was."""
    name, line = mistake
    lines = list(SEED_LINES)
    lines[line - 1] = MISTAKES[name](lines[line - 1])
    try:
        load_yaml("".join(lines).encode(), NAME)
    except LoadProblem as exc:
        problem = exc.problem
    else:
        assume(False)  # still YAML, e.g. a list item that lost a colon: the schema speaks
    assert problem.line == line or re.search(rf"строк[аеи] {line}\)", problem.message), problem


@settings(DETERMINISTIC, max_examples=6, deadline=None)
@given(ANY_FILE)
def test_validate_command_says_the_same_lines(cwd_project, content):
    expected = outcome(cwd_project, content)
    result = kb(cwd_project, "validate", NAME)
    assert "Traceback" not in result.stdout + result.stderr
    assert (result.returncode, result.stderr.splitlines()) == (1 if expected else 0, expected)


def _snapshot(site: Path) -> dict[str, bytes | str]:
    """Every entry of ``site``: files by content, folders and links by kind."""
    return {
        str(path.relative_to(site)): path.read_bytes() if path.is_file() else "folder"
        for path in sorted(site.rglob("*"))
    }


@settings(DETERMINISTIC, max_examples=3, deadline=None)
@given(ANY_FILE)
def test_failed_build_says_the_lines_and_keeps_the_site(cwd_project, content):
    expected = outcome(cwd_project, content)
    assume(expected)  # a build that passes replaces site/: nothing to compare with
    before = _snapshot(cwd_project / "site")
    result = publish(cwd_project)
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert result.returncode == 1
    assert [line for line in output.splitlines() if line.startswith(NAME)] == expected
    assert _snapshot(cwd_project / "site") == before
