"""Maintainer commands for the knowledge base: ``python -m kb COMMAND``.

  import FILE.md... [-o FILE.yml]  regulations in the Markdown template → YAML
  export FILE.yml [-o FILE.md]   YAML → the Markdown template
  validate [FILE.yml ...]        the build's checks (default: every docs/regulations/*.yml)
  new "Название" [-o FILE.yml]   a new regulation with every section, ready to fill

Exit codes: 0 — done, 1 — the input has problems (one line each: file:line: what), 2 — usage.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from kb import links
from kb.check.schema import validate
from kb.load.regulation import SLUG, display_name, problems_of
from kb.load.yaml_exact import LoadProblem, load_yaml
from kb.markdown.read import import_markdown
from kb.markdown.write import export_markdown
from kb.problems import Problem, RegulationError, format_path, not_utf8
from kb.scaffold import new_regulation, slug_for, to_yaml

# Maintainers run the commands from the project folder (where mkdocs.yml is).
REGULATIONS = Path("docs/regulations")
SCHEMA = Path("schema/regulation.schema.json")


class Failure(Exception):
    """Stops a command with one-line messages and exit code 1."""

    def __init__(self, *lines: str):
        self.lines = lines


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except Failure as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return 1
    except OSError as exc:
        name = exc.filename or ""
        print(f"{name}: не удалось прочитать или записать файл ({exc.strerror})", file=sys.stderr)
        return 1


_USAGE_ERRORS = [
    (r"the following arguments are required: (.*)", r"не хватает аргументов: \1"),
    (r"argument (\S+): invalid choice: '([^']*)'.*", r"неизвестная команда «\2»"),
    (r"unrecognized arguments: (.*)", r"лишние аргументы: \1"),
    (r"argument (\S+): expected one argument", r"после \1 укажите значение"),
]


class _Parser(argparse.ArgumentParser):
    """argparse with usage errors in Russian (exit code 2, as usual)."""

    def error(self, message: str):
        for pattern, russian in _USAGE_ERRORS:
            message = re.sub(f"^{pattern}$", russian, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: ошибка: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m kb",
        description="Работа с регламентами базы знаний PASS24.online.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="КОМАНДА")

    command = commands.add_parser("import", help="Markdown → YAML")
    command.add_argument("sources", metavar="FILE.md", type=Path, nargs="+")
    command.add_argument(
        "-o",
        dest="output",
        metavar="FILE.yml",
        help="куда записать (по умолчанию docs/regulations/<адрес>.yml; «-» — на экран)",
    )
    command.set_defaults(run=run_import, parser=command)

    command = commands.add_parser("export", help="YAML → Markdown")
    command.add_argument("source", metavar="FILE.yml", type=Path)
    command.add_argument(
        "-o", dest="output", metavar="FILE.md", help="куда записать (по умолчанию — на экран)"
    )
    command.set_defaults(run=run_export)

    command = commands.add_parser("validate", help="проверить регламенты, как при сборке")
    command.add_argument("files", metavar="FILE.yml", nargs="*", type=Path)
    command.set_defaults(run=run_validate)

    command = commands.add_parser("new", help="создать регламент со всеми разделами")
    command.add_argument("title", metavar="Название")
    command.add_argument("-o", dest="output", metavar="FILE.yml", type=Path)
    command.set_defaults(run=run_new)
    return parser


# --- commands ---------------------------------------------------------------------------------


def run_import(args) -> int:
    if args.output and len(args.sources) > 1:
        args.parser.error("-o можно указать, только когда импортируется один файл")
    known = known_regulations(REGULATIONS)
    failed: list[str] = []
    for path in args.sources:
        try:
            import_one(path, args.output, known)
        except Failure as exc:
            failed += exc.lines
    if failed:
        raise Failure(*failed)
    return 0


def import_one(path: Path, output: str | None, known: dict[str, str]) -> None:
    """Import one Markdown file; raise ``Failure`` with every note and problem (file written)."""
    source = display_name(path)
    data, notes = import_markdown(_read_text(path), known)
    lines = [f"{source}:{line}: {message}" for line, message in notes]
    if "title" not in data:
        raise Failure(*lines)
    if output == "-":
        text = to_yaml(data, REGULATIONS / "x.yml", SCHEMA)
        sys.stdout.write(text)
        problems = _check_text(text, "<stdout>")
    else:
        target = Path(output) if output else REGULATIONS / f"{slug_for(data['title'])}.yml"
        if not output and target.exists():
            raise Failure(
                f"{source}: файл {display_name(target)} уже есть — "
                "чтобы заменить его, укажите его явно: -o " + display_name(target)
            )
        same = known.get(links.key(data["title"]))
        if not output and same:
            existing = display_name(REGULATIONS / f"{same}.yml")
            raise Failure(
                f"{source}: регламент «{data['title']}» уже есть: {existing} — "
                f"чтобы заменить его, укажите его явно: -o {existing}"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(to_yaml(data, target, SCHEMA), encoding="utf-8")
        print(f"{source} → {display_name(target)}")
        if target.parent.resolve() == REGULATIONS.resolve():
            links.add_name(known, target.stem, data["title"])
        problems = problems_of(target, SCHEMA)[1]
    lines += [str(problem) for problem in problems]
    if lines:
        raise Failure(*lines)


def run_export(args) -> int:
    regulation, _ = _load(args.source)
    known = known_regulations(REGULATIONS)
    markdown = export_markdown(regulation, known)
    if args.output and args.output != "-":
        target = Path(args.output)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8")
        print(f"{display_name(args.source)} → {display_name(target)}")
    else:
        sys.stdout.write(markdown)
    # The exporter checks itself: importing its Markdown must give the same data back.
    lost = differences(regulation, import_markdown(markdown, known)[0])
    if lost:
        raise Failure(
            f"{display_name(args.source)}: Markdown не передаёт поля {', '.join(lost)} — "
            "импорт этого файла их потеряет"
        )
    return 0


def differences(before, after, path: tuple = ()) -> list[str]:
    """Field paths whose values differ (at most five), e.g. ``steps[0].tool``."""
    if isinstance(before, dict) and isinstance(after, dict):
        found = []
        for key in [*before, *(k for k in after if k not in before)]:
            found += differences(before.get(key), after.get(key), (*path, key))
        return found[:5]
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        found = []
        for index, (one, other) in enumerate(zip(before, after, strict=True)):
            found += differences(one, other, (*path, index))
        return found[:5]
    return [] if before == after else [format_path(path) or "(весь документ)"]


def run_validate(args) -> int:
    files = args.files or sorted(REGULATIONS.glob("*.yml"))
    missing: list[str] = []
    problems: list[Problem] = []
    for path in files:
        if path.is_symlink() or path.exists():  # a link or a folder: problems_of says why not
            problems += problems_of(path, SCHEMA)[1]
        else:
            missing.append(_not_found(path))
    if missing or problems:
        # Sorted and worded exactly as when the build stops.
        raise Failure(*missing, *(str(p) for p in RegulationError(problems).problems))
    print(f"Проверено регламентов: {len(files)}, ошибок нет.")
    return 0


def run_new(args) -> int:
    title = " ".join(args.title.split())
    if not title:
        raise Failure("Название регламента не может быть пустым")
    target = args.output or REGULATIONS / f"{slug_for(title)}.yml"
    if not SLUG.match(target.stem):
        raise Failure(
            f"{display_name(target)}: имя файла — адрес страницы: только латинские строчные "
            "буквы, цифры и дефисы"
        )
    if target.exists():
        raise Failure(
            f"{display_name(target)}: файл уже есть — выберите другое название или укажите "
            "файл через -o"
        )
    same = known_regulations(REGULATIONS).get(links.key(title))
    if same:
        raise Failure(
            f"{display_name(REGULATIONS / f'{same}.yml')}: регламент «{title}» уже есть — "
            "выберите другое название"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    header, body = to_yaml(new_regulation(title), target, SCHEMA).split("\n", 1)
    guide = (
        "# Новый регламент: замените тексты-подсказки своими, лишние пункты удалите.\n"
        "# id — постоянные адреса пунктов: после публикации их не меняйте.\n"
    )
    target.write_text(f"{header}\n{guide}{body}", encoding="utf-8")
    problems = problems_of(target, SCHEMA)[1]
    if problems:  # never expected: the scaffold is checked by the tests
        raise Failure(*(str(problem) for problem in problems))
    print(f"Создан {display_name(target)} — заполните разделы и проверьте: make validate")
    return 0


# --- helpers ----------------------------------------------------------------------------------


def _not_found(path: Path) -> str:
    return f"{display_name(path)}: файл не найден"


def _read_text(path: Path) -> str:
    name = display_name(path)
    if not path.is_file():
        raise Failure(_not_found(path))
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Failure(str(not_utf8(name, raw, exc))) from None


def _load(path: Path) -> tuple[dict, list]:
    if not path.is_file():
        raise Failure(_not_found(path))
    regulation, problems = problems_of(path, SCHEMA)
    if problems:
        raise Failure(*(str(problem) for problem in problems))
    return regulation.data, problems


def _check_text(text: str, name: str) -> list[Problem]:
    try:
        doc = load_yaml(text.encode("utf-8"), name)
    except LoadProblem as exc:
        return [exc.problem]
    return validate(doc, name, SCHEMA)


def known_regulations(directory: Path) -> dict[str, str]:
    """The names (``kb.links``) of the regulations already in ``directory``; a file that does
    not load yet is known by its slug."""
    known: dict[str, str] = {}
    for path in sorted(directory.glob("*.yml")):
        if not SLUG.match(path.stem):
            continue
        try:
            title = load_yaml(path.read_bytes(), path.name).data.get("title")
        except (LoadProblem, OSError, AttributeError):
            title = None
        links.add_name(known, path.stem, title if isinstance(title, str) else path.stem)
    return known
