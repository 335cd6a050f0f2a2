"""Build time: our knowledge base with N regulations vs stock Material with the same content.

    .venv/bin/python bench/bench_build.py [--count 300] [--runs 3] [--keep DIR]
        [--corpus realistic|copies] [--seed 1] [--dictionary FILE]

The regulations come from ``bench/corpus.py``: by default N distinct regulations made up from a
Russian dictionary (``--corpus realistic``), or N copies of the seed (``--corpus copies``).

(a) our site: the N regulations as YAML, built with ``mkdocs build --strict`` (hooks,
    templates, KB pages, tags index);
(b) stock Material: the same N regulations as plain Markdown (the seed's Markdown text for the
    copies, ``python -m kb export``'s for the others, tags as front matter), built by
    ``mkdocs build`` with the same theme, search, language, tags and Markdown settings but
    without our hooks, templates or CSS.

Both projects live in temporary folders; each build runs in a fresh process. Prints the median
wall time of ``--runs`` builds of each and the ratio; exits 1 if ours is slower than 1.2x stock.
With ``--phases`` both projects also get ``bench/phase_clock.py`` as a hook and the median time
of each phase of the build is printed beside stock's (a Markdown table).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from project import add_hook, make_project  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
import corpus as corpora  # noqa: E402
from corpus import Corpus  # noqa: E402

LIMIT = 1.2
CLOCK = ROOT / "bench" / "phase_clock.py"
PHASES = {  # phase: the stamps (phase_clock.py) at its start and end
    "запуск Python, импорт, mkdocs.yml": ("launch", "config"),
    "on_config (у нас: загрузка и страницы регламентов)": ("config", "pre_build"),
    "файлы, навигация, окружение Jinja": ("pre_build", "markdown"),
    "Markdown всех страниц": ("markdown", "theme"),
    "тема: шаблоны всех страниц": ("theme", "post_build"),
    "после сборки (индекс поиска, публикация)": ("post_build", "end"),
    "выход процесса": ("end", "exit"),
}


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml; ``!ENV [NAME, default]`` becomes its value, as MkDocs would."""


def _env(loader: yaml.SafeLoader, node: yaml.Node):
    names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else []
    if not names:
        return os.environ.get(loader.construct_scalar(node))
    *variables, default = names if len(names) > 1 else (*names, None)
    return next((os.environ[v] for v in variables if v in os.environ), default)


_ConfigLoader.add_constructor("!ENV", _env)


def make_ours(where: Path, corpus: Corpus) -> Path:
    return make_project(where, corpus.files)


def make_stock(where: Path, corpus: Corpus) -> Path:
    where.mkdir(parents=True)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), _ConfigLoader)
    for ours in ("hooks", "extra_css", "extra_javascript", "watch"):
        config.pop(ours, None)
    config["theme"].pop("custom_dir", None)
    (where / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    folder = where / "docs" / "regulations"
    folder.mkdir(parents=True)
    index = ["# База знаний технической поддержки PASS24.online", ""]
    for name, text in corpus.markdown.items():
        (folder / name).write_text(text, encoding="utf-8")
        slug = name.removesuffix(".md")
        index.append(f"- [{corpus.titles[slug]}](regulations/{name})")
    (where / "docs" / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    (where / "docs" / "tags.md").write_text("# Теги\n\n<!-- material/tags -->\n", encoding="utf-8")
    return where


def build(project: Path, strict: bool) -> tuple[float, float, dict[str, float]]:
    """One build in a fresh process: (wall seconds, CPU seconds of that process, seconds per
    phase when the project has the phase clock)."""
    site = project / "site"
    stamps = project / "phases.json"
    stamps.unlink(missing_ok=True)
    args = [sys.executable, "-m", "mkdocs", "build", "-d", str(site)]
    env = {
        **os.environ,
        "NO_MKDOCS_2_WARNING": "1",
        "KB_TODAY": "2025-06-01",
        "KB_BENCH_PHASES": str(stamps),
    }
    cpu_before = _children_cpu()
    launch = time.time()
    start = time.perf_counter()
    result = subprocess.run(
        args + (["--strict"] if strict else []),
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    cpu = _children_cpu() - cpu_before
    if result.returncode != 0:
        sys.exit(f"сборка {project} не удалась:\n{result.stderr}")
    if not stamps.exists():
        return elapsed, cpu, {}
    at = {**json.loads(stamps.read_text()), "launch": launch, "exit": launch + elapsed}
    return elapsed, cpu, {phase: at[end] - at[begin] for phase, (begin, end) in PHASES.items()}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="сколько регламентов (300)")
    parser.add_argument("--runs", type=int, default=3, help="сколько сборок каждого (3)")
    parser.add_argument("--keep", type=Path, help="оставить оба проекта в этой папке")
    parser.add_argument("--phases", action="store_true", help="время по этапам сборки")
    corpora.add_arguments(parser)
    args = parser.parse_args()
    corpus = corpora.from_arguments(args, args.count, markdown=True)

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        base = args.keep or Path(tmp)
        ours = make_ours(base / "ours", corpus)
        stock = make_stock(base / "stock", corpus)
        # Installed code runs compiled: pip compiles every package it installs (Material and
        # MkDocs included). Ours is an editable install and our hooks are copied into the
        # project: Python would compile them at every start where bytecode may not be written
        # (PYTHONDONTWRITEBYTECODE, as on this machine). Compiled here, as pip would.
        for folder in (ROOT / "kb", ours / "hooks"):
            compileall.compile_dir(folder, quiet=1)
        if args.phases:
            for project in (ours, stock):
                add_hook(project, CLOCK.name, CLOCK.read_text(encoding="utf-8"))
        wall: dict[str, list[float]] = {"ours": [], "stock": []}
        cpu: dict[str, list[float]] = {"ours": [], "stock": []}
        phases: dict[str, list[dict[str, float]]] = {"ours": [], "stock": []}
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            for name, project, strict in (("stock", stock, False), ("ours", ours, True)):
                seconds, used, spent = build(project, strict)
                wall[name].append(seconds)
                cpu[name].append(used)
                phases[name].append(spent)
        pages = {
            name: sum(1 for _ in (project / "site").rglob("index.html"))
            for name, project in (("ours", ours), ("stock", stock))
        }

    median = {name: statistics.median(values) for name, values in wall.items()}
    median_cpu = {name: statistics.median(values) for name, values in cpu.items()}
    ratio = median["ours"] / median["stock"]
    print(f"Регламентов: {args.count} ({args.corpus}), сборок каждого: {args.runs} (медиана)")
    print(
        f"  ядер: {os.cpu_count()}, load average до/после: "
        f"{load_before:.1f}/{os.getloadavg()[0]:.1f} (другие процессы искажают время)"
    )
    for name, label in (("stock", "Material из Markdown"), ("ours", "наша база знаний")):
        runs = ", ".join(f"{t:.2f}" for t in wall[name])
        print(
            f"  {label:20}: {median[name]:6.2f} с, процессор {median_cpu[name]:6.2f} с "
            f"(сборки: {runs}; страниц: {pages[name]})"
        )
    verdict = "в норме" if ratio <= LIMIT else "МЕДЛЕННЕЕ"
    print(f"  отношение: {ratio:.2f}× (предел {LIMIT}×) — {verdict}")
    print(f"  по процессорному времени: {median_cpu['ours'] / median_cpu['stock']:.2f}×")
    if args.phases:
        print("\n| этап | Material | наша |\n| --- | ---: | ---: |")
        for phase in PHASES:
            cells = [statistics.median(run[phase] for run in phases[n]) for n in ("stock", "ours")]
            print(
                f"| {phase} | " + " | ".join(f"{c:.2f} с".replace(".", ",") for c in cells) + " |"
            )
    return 0 if ratio <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
