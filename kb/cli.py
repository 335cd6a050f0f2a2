"""Maintainer commands for the knowledge base: ``python -m kb COMMAND``.

  import FILE.md... [-o FILE.yml]  regulations in the Markdown template → YAML
  export FILE.yml [-o FILE.md]   YAML → the Markdown template
  validate [FILE.yml ...]        the build's checks (default: every docs/regulations/*.yml)
  new "Название" [-o FILE.yml]   a new regulation with every section, ready to fill

Exit codes: 0 — done, 1 — the input has problems (one line each: file:line: what), 2 — usage
(including a call that would overwrite its own source). Every file is written whole or not at
all (a temporary file and a rename), so a failed write leaves the old file as it was.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import stat
import sys
import tempfile
from pathlib import Path

from kb import links
from kb.check.schema import validate
from kb.load.regulation import SLUG, Regulation, display_name, load_folder, problems_of
from kb.load.yaml_exact import LoadProblem, load_yaml
from kb.markdown.read import import_markdown
from kb.markdown.write import export_markdown
from kb.problems import Problem, RegulationError, format_path, not_utf8
from kb.scaffold import new_regulation, slug_for, to_yaml
from kb.status import CURRENT, DRAFT

# Maintainers run the commands from the project folder (where mkdocs.yml is).
REGULATIONS = Path("docs/regulations")
SCHEMA = Path("schema/regulation.schema.json")


class Failure(Exception):
    """Stops a command with one-line messages and exit code 1."""

    code = 1

    def __init__(self, *lines: str):
        self.lines = lines


class Misuse(Failure):
    """A call that would destroy a file (say, an output onto its own input): exit code 2."""

    code = 2


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except Failure as exc:
        for line in exc.lines:
            print(line, file=sys.stderr)
        return exc.code
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
    if args.output and args.output != "-":
        target = Path(args.output)
        if _same_file(args.sources[0], target):
            raise Misuse(
                f"{display_name(target)}: -o указывает на сам импортируемый файл — Markdown "
                "был бы заменён YAML; укажите файл регламента .yml"
            )
        _check_regulation_name(target, "import")
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
        write_file(target, to_yaml(data, target, SCHEMA))
        print(f"{source} → {display_name(target)}")
        if target.parent.resolve() == REGULATIONS.resolve():
            links.add_name(known, target.stem, data["title"])
        problems = problems_of(target, SCHEMA)[1]
    lines += [str(problem) for problem in problems]
    if lines:
        raise Failure(*lines)


def run_export(args) -> int:
    target = Path(args.output) if args.output and args.output != "-" else None
    if target and _same_file(args.source, target):
        raise Misuse(
            f"{display_name(target)}: -o указывает на сам экспортируемый файл — регламент был "
            "бы заменён Markdown; укажите другой файл, .md"
        )
    if target and target.suffix.lower() in (".yml", ".yaml"):
        raise Misuse(
            f"{display_name(target)}: export пишет Markdown, а файл YAML — это регламент; "
            "укажите файл .md"
        )
    regulation, _ = _load(args.source)
    known = known_regulations(REGULATIONS)
    markdown = export_markdown(regulation, known)
    # The exporter checks itself, before writing anything: importing its Markdown must give
    # the same data back.
    lost = differences(regulation, import_markdown(markdown, known)[0])
    if lost:
        raise Failure(
            f"{display_name(args.source)}: Markdown не передаёт поля {', '.join(lost)} — "
            "импорт этого файла их потеряет"
        )
    if target:
        write_file(target, markdown)
        print(f"{display_name(args.source)} → {display_name(target)}")
    else:
        sys.stdout.write(markdown)
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
    notes: list[Problem] = []
    # A file is checked with its folder, as it is built.
    folders: dict[Path, tuple[list[Regulation], list[Problem]]] = {}
    for path in files:
        if not (path.is_symlink() or path.exists()):
            missing.append(_not_found(path))
        elif path.suffix == ".yml":  # a link or a folder too: problems_of says why not
            if path.parent not in folders:
                folders[path.parent] = load_folder(path.parent, SCHEMA)
            regulations, found = folders[path.parent]
            problems += [p for p in found if p.file == display_name(path)]
            for regulation in regulations:
                if regulation.source == display_name(path):
                    notes += regulation.step_notes
        else:
            problems += problems_of(path, SCHEMA)[1]
    if missing or problems:
        # Sorted and worded exactly as when the build stops (before it notes anything).
        raise Failure(*missing, *(str(p) for p in RegulationError(problems).problems))
    for note in notes:  # what the build logs as INFO: not an error, the check passes
        print(f"INFO - {note}")
    print(f"Проверено регламентов: {len(files)}, ошибок нет.")
    return 0


def run_new(args) -> int:
    title = " ".join(args.title.split())
    if not title:
        raise Failure("Название регламента не может быть пустым")
    target = args.output or REGULATIONS / f"{slug_for(title)}.yml"
    _check_regulation_name(target, "new")
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
    header, body = to_yaml(new_regulation(title), target, SCHEMA).split("\n", 1)
    guide = (
        "# Новый регламент: замените тексты-подсказки своими, лишние пункты удалите.\n"
        "# id — постоянные адреса пунктов: после публикации их не меняйте.\n"
        f"# Статус «{DRAFT}»: make serve его показывает, make build не публикует;\n"
        f"# когда регламент готов, поставьте status: {CURRENT}.\n"
    )
    write_file(target, f"{header}\n{guide}{body}")
    problems = problems_of(target, SCHEMA)[1]
    if problems:  # never expected: the scaffold is checked by the tests
        raise Failure(*(str(problem) for problem in problems))
    print(
        f"Создан {display_name(target)} со статусом «{DRAFT}» (виден в make serve, make build "
        f"его не публикует) — заполните разделы, проверьте (make validate) и поставьте статус "
        f"«{CURRENT}»"
    )
    return 0


# --- helpers ----------------------------------------------------------------------------------


def write_file(target: Path, text: str) -> None:
    """Write ``text`` to ``target`` (every command's only way to write a file) through a
    temporary file in the same folder and a rename: a write that fails (a full disk, Ctrl+C)
    leaves the old file whole and no new one half-written."""
    where = Path(os.path.realpath(target))  # through a symlink, as editors save: the link stays
    existed = where.exists()
    temp = None
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{where.name}.", suffix=".tmp", dir=where.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, _mode_of(where))
        os.replace(temp, where)
    except BaseException as exc:
        if temp:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        if isinstance(exc, OSError):
            kept = "файл не изменён" if existed else "файл не создан"
            raise Failure(
                f"{display_name(target)}: не удалось записать файл ({exc.strerror}) — {kept}"
            ) from None
        raise


def _mode_of(path: Path) -> int:
    """The permissions a plain write leaves: the file's own, or the default for a new file."""
    with contextlib.suppress(FileNotFoundError):
        return stat.S_IMODE(path.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _same_file(source: Path, target: Path) -> bool:
    """``target`` is ``source`` under another name (a symlink, a hard link, ``./``, ``..``)."""
    try:
        return os.path.samefile(source, target)
    except OSError:  # one of them does not exist: nothing would be overwritten
        return False


def _check_regulation_name(target: Path, command: str) -> None:
    """A regulation is written only into a ``.yml`` file, never over Markdown or a note."""
    if target.suffix != ".yml":
        raise Misuse(
            f"{display_name(target)}: {command} пишет регламент — YAML-файл с расширением .yml; "
            "укажите такой файл"
        )


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
