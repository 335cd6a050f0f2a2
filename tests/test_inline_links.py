"""Inline links lead only to web pages written with their protocol, mail, this site or anchors.

Every trick that makes a browser leave the site (or run a script) is refused in three places
with the same words: the renderer shows it as text (defence in depth), and ``validate``, the
build and ``import`` stop with the file, line and field.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, build, kb, make_project

from kb.load.regulation import problems_of
from kb.problems import RegulationError
from kb.text import inline, link_problem

MINIMAL = (FIXTURES / "valid" / "minimal.yml").read_text(encoding="utf-8")
SUMMARY = "summary: Короткий регламент — самое меньшее, что принимает схема.\n"
SUMMARY_LINE = MINIMAL.splitlines().index(SUMMARY.rstrip("\n")) + 1

NO_PROTOCOL = "ведёт на другой сайт без протокола — напишите https://…"
BACKSLASH = (
    "содержит обратную косую черту (\\ или %5C) — браузер читает её как «/», и ссылка может "
    "вести на другой сайт; разделяйте части пути знаком /"
)
ALLOWED = "ссылки ведут на https://…, http://…, mailto:…, страницы сайта или #якоря"

# target → what validation says after «ссылка «target»» (control characters shown as \xNN)
REFUSED = {
    "//host.example": f" {NO_PROTOCOL}",
    "///host.example": f" {NO_PROTOCOL}",
    "/%2F/host.example": f" {NO_PROTOCOL}",
    "/\\host.example": f" {BACKSLASH}",
    "\\\\host.example": f" {BACKSLASH}",
    "\\/host.example": f" {BACKSLASH}",
    "/%5Chost.example": f" {BACKSLASH}",
    "/%5chost.example": f" {BACKSLASH}",
    "https:/\\host.example": ": после «https:» нужны // и адрес сайта — напишите https://…",
    "http:host.example": ": после «http:» нужны // и адрес сайта — напишите https://…",
    "\x01javascript:alert(1": " содержит управляющий символ — удалите его",
    "java\x00script:alert(1": " содержит управляющий символ — удалите его",
    "javascript:alert(1": f": адреса «javascript:» не допускаются; {ALLOWED}",
    "JaVaScRiPt:alert(1": f": адреса «JaVaScRiPt:» не допускаются; {ALLOWED}",
    "%6Aavascript:alert(1": f": адреса «%6Aavascript:» не допускаются; {ALLOWED}",
    "data:text/html,<script>": f": адреса «data:» не допускаются; {ALLOWED}",
    "&#106;avascript:alert(1": f": недопустимый адрес; {ALLOWED}",
}
# Control characters anywhere in a file are refused before links are looked at (kb.check).
IN_FILES = [target for target in REFUSED if target.isprintable()]
# Browsers read each of these as a link to host.example (old renderer linked them all).
TO_HOST = ["/\\host.example", "/%5Chost.example", "https:/\\host.example", "http:host.example"]
ALLOWED_TARGETS = [
    "https://pass24.online/help",
    "HTTP://pass24.online",
    "mailto:support@pass24.online",
    "#step-escalate",
    "../faq/",
    "/regulations/escalation/#faq",
    "faq.html?from=kb#top",
]


def message(target: str) -> str:
    shown = "".join(f"\\x{ord(c):02x}" if ord(c) < 0x20 else c for c in target)
    return f"ссылка «{shown}»{REFUSED[target]}"


def hrefs(html: str) -> list[str]:
    return [a["href"] for a in BeautifulSoup(html, "html.parser").find_all("a")]


def with_summary_link(target: str) -> str:
    escaped = target.replace("\\", "\\\\")
    return MINIMAL.replace(SUMMARY, f'summary: "См. [инструкцию]({escaped})"\n')


@pytest.mark.parametrize("target", [t for t in REFUSED if NO_PROTOCOL in REFUSED[t]] + TO_HOST)
def test_renderer_never_links_another_host_without_protocol(target):
    """Defence in depth: even text that was never validated gets no such link."""
    assert hrefs(str(inline(f"**См.** [инструкцию]({target}) и *[здесь]({target})*"))) == []


@pytest.mark.parametrize("target", [*REFUSED, *ALLOWED_TARGETS])
def test_renderer_links_exactly_what_validation_accepts(target):
    expected = None if target in ALLOWED_TARGETS else message(target)
    assert link_problem(target) == expected
    assert hrefs(str(inline(f"[инструкцию]({target})"))) == ([] if expected else [target])


@pytest.mark.parametrize("target", IN_FILES)
def test_validation_refuses_each_trick_with_a_located_message(tmp_path, monkeypatch, target):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "docs" / "regulations"
    folder.mkdir(parents=True)
    path = folder / "x.yml"
    path.write_text(with_summary_link(target), encoding="utf-8")
    assert [str(p) for p in problems_of(path)[1]] == [
        f"docs/regulations/x.yml:{SUMMARY_LINE}: поле summary: {message(target)}"
    ]


def test_links_in_nested_markup_and_deep_fields_are_checked_but_not_in_code(tmp_path):
    written = "        text: '**Открыть [карточку](//host.example)**, а не `[x](//code.example)`'"
    text = MINIMAL.replace("        text: Открыть карточку пропуска", written)
    path = tmp_path / "x.yml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index(written) + 1
    assert [(p.line, p.path, p.message) for p in problems_of(path)[1]] == [
        (line, "steps[0].actions[0].text", message("//host.example"))
    ]


def test_several_links_of_one_field_are_reported_in_text_order(tmp_path):
    """One order, the text's, in every run (validate and the build share RegulationError)."""
    tricks = [f"//host{n}.example" for n in range(8)]
    links = " ".join(f"[{n}]({target})" for n, target in enumerate(tricks))
    text = MINIMAL.replace(SUMMARY, f"summary: 'См. {links}'\n")
    path = tmp_path / "x.yml"
    path.write_text(text, encoding="utf-8")
    problems = RegulationError(problems_of(path)[1]).problems
    assert [p.message for p in problems] == [f"ссылка «{t}» {NO_PROTOCOL}" for t in tricks]


def test_validate_and_the_build_stop_alike(tmp_path):
    """The build and `python -m kb validate` print the same located lines; nothing is built."""
    tricks = ["//host.example", "/\\host.example", "JaVaScRiPt:alert(1"]
    files = {f"trick-{n}.yml": with_summary_link(t) for n, t in enumerate(tricks)}
    project = make_project(tmp_path / "project", files)
    expected = [
        f"docs/regulations/trick-{n}.yml:{SUMMARY_LINE}: поле summary: {message(t)}"
        for n, t in enumerate(tricks)
    ]
    built = build(project, tmp_path / "site")
    assert built.returncode == 1
    output = built.stdout + built.stderr
    assert "Traceback" not in output
    assert [line for line in output.splitlines() if line.startswith("docs/")] == expected
    assert not (tmp_path / "site").exists()
    validated = kb(project, "validate")
    assert (validated.returncode, validated.stderr.splitlines()) == (1, expected)


def test_import_of_a_markdown_link_without_protocol_is_refused(tmp_path):
    project = make_project(tmp_path / "project")
    source = (FIXTURES / "markdown" / "diagnostika-problem.md").read_text(encoding="utf-8")
    assert "[документации](https://pass24.online/docs)" in source
    (project / "d.md").write_text(
        source.replace("https://pass24.online/docs", "//host.example"), encoding="utf-8"
    )
    result = kb(project, "import", "d.md")
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("docs/regulations/diagnostika-problem.yml:")
    assert line.endswith(": " + message("//host.example"))
    assert ": поле steps[2].actions[1].text: " in line
