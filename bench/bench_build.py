"""Build time: our knowledge base with N regulations vs stock Material with the same content.

    .venv/bin/python bench/bench_build.py [--count 300] [--runs 3] [--keep DIR]

(a) our site: N regulations generated from the seed YAML (the fixture copy
    ``tests/fixtures/seed/escalation-to-development.yml``) with changed titles, slugs, departments, tags, summaries and
    review dates, built with ``mkdocs build --strict`` (hooks, templates, KB pages, tags index);
(b) stock Material: the same N regulations as plain Markdown, generated from the seed text
    (``tests/fixtures/seed/escalation-to-development.md``) with
    the same changes, built by ``mkdocs build`` with the same theme, search, language, tags and
    Markdown settings but without our hooks, templates or CSS.

Both projects live in temporary folders; each build runs in a fresh process. Prints the median
wall time of ``--runs`` builds of each and the ratio; exits 1 if ours is slower than 1.2x stock.
"""

from __future__ import annotations

import argparse
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
from project import make_project  # noqa: E402

# The seed regulation, as YAML and as its Markdown text (shared/seeds/000_bc0764cd31cc156b.txt):
# fixture copies, so that maintainers' edits of docs/ never change what is measured.
SEED_YAML = ROOT / "tests" / "fixtures" / "seed" / "escalation-to-development.yml"
SEED_MD = ROOT / "tests" / "fixtures" / "seed" / "escalation-to-development.md"
SEED_TITLE = "Эскалация в отдел разработки"
SEED_SLUG = "escalation-to-development"
SEED_DEPARTMENT = "Тех. поддержка"
SEED_TAGS = "эскалация, разработка, ошибка продукта, передача вопроса"
SEED_SUMMARY_END = "передачи вопросов разработчикам."
DEPARTMENTS = ["Тех. поддержка", "Отдел внедрения", "Отдел по работе с клиентами", "Биллинг"]
LIMIT = 1.2


def variant(i: int) -> dict:
    """What differs between generated regulation ``i`` and the seed (same for both projects)."""
    return {
        "title": f"{SEED_TITLE} {i:03d}",
        "slug": f"{SEED_SLUG}-{i:03d}",
        "department": DEPARTMENTS[i % len(DEPARTMENTS)],
        "tags": f"{SEED_TAGS}, группа {i % 12}",
        "summary": f"{SEED_SUMMARY_END} Вариант {i}: объект № {1000 + i * 7}.",
        # Every 5th regulation is overdue, every 5th has a period, the rest none.
        "review": (
            "  review:\n    by: 2025-01-01\n"
            if i % 5 == 0
            else "  review:\n    every_months: 12\n"
            if i % 5 == 1
            else ""
        ),
    }


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, f"seed has no {old!r}"
    return text.replace(old, new, 1)


def our_regulation(seed: str, v: dict) -> str:
    text = replace_once(seed, f"title: {SEED_TITLE}\n", f"title: {v['title']}\n")
    text = replace_once(
        text, f"department: {SEED_DEPARTMENT}\n", f"department: {v['department']}\n"
    )
    text = replace_once(text, f"tags: [{SEED_TAGS}]\n", f"tags: [{v['tags']}]\n")
    text = replace_once(text, f"  {SEED_SUMMARY_END}\n", f"  {v['summary']}\n")
    return replace_once(text, "  department:", v["review"] + "  department:")


def stock_page(seed: str, v: dict) -> str:
    text = replace_once(seed, f"# {SEED_TITLE}\n", f"# {v['title']}\n")
    text = replace_once(text, f"| {SEED_DEPARTMENT} |", f"| {v['department']} |")
    text = replace_once(text, f"| {SEED_TAGS} |", f"| {v['tags']} |")
    text = replace_once(text, SEED_SUMMARY_END, v["summary"])
    tags = yaml.safe_dump({"tags": v["tags"].split(", ")}, allow_unicode=True)
    return f"---\n{tags}---\n\n{text}"


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml; ``!ENV [NAME, default]`` becomes its value, as MkDocs would."""


def _env(loader: yaml.SafeLoader, node: yaml.Node):
    names = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else []
    if not names:
        return os.environ.get(loader.construct_scalar(node))
    *variables, default = names if len(names) > 1 else (*names, None)
    return next((os.environ[v] for v in variables if v in os.environ), default)


_ConfigLoader.add_constructor("!ENV", _env)


def make_ours(where: Path, count: int) -> Path:
    folder = make_project(where) / "docs" / "regulations"
    seed = SEED_YAML.read_text(encoding="utf-8")
    for i in range(1, count + 1):
        v = variant(i)
        (folder / f"{v['slug']}.yml").write_text(our_regulation(seed, v), encoding="utf-8")
    return where


def make_stock(where: Path, count: int) -> Path:
    where.mkdir(parents=True)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), _ConfigLoader)
    for ours in ("hooks", "extra_css", "extra_javascript", "watch"):
        config.pop(ours, None)
    config["theme"].pop("custom_dir", None)
    (where / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    folder = where / "docs" / "regulations"
    folder.mkdir(parents=True)
    seed = SEED_MD.read_text(encoding="utf-8")
    index = ["# База знаний технической поддержки PASS24.online", ""]
    for i in range(1, count + 1):
        v = variant(i)
        (folder / f"{v['slug']}.md").write_text(stock_page(seed, v), encoding="utf-8")
        index.append(f"- [{v['title']}](regulations/{v['slug']}.md)")
    (where / "docs" / "index.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    (where / "docs" / "tags.md").write_text("# Теги\n\n<!-- material/tags -->\n", encoding="utf-8")
    return where


def build(project: Path, strict: bool) -> tuple[float, float]:
    """One build in a fresh process: (wall seconds, CPU seconds of that process)."""
    site = project / "site"
    args = [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "KB_TODAY": "2025-06-01"}
    cpu_before = _children_cpu()
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
    return elapsed, cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="сколько регламентов (300)")
    parser.add_argument("--runs", type=int, default=3, help="сколько сборок каждого (3)")
    parser.add_argument("--keep", type=Path, help="оставить оба проекта в этой папке")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp:
        base = args.keep or Path(tmp)
        ours = make_ours(base / "ours", args.count)
        stock = make_stock(base / "stock", args.count)
        wall: dict[str, list[float]] = {"ours": [], "stock": []}
        cpu: dict[str, list[float]] = {"ours": [], "stock": []}
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            for name, project, strict in (("stock", stock, False), ("ours", ours, True)):
                seconds, used = build(project, strict)
                wall[name].append(seconds)
                cpu[name].append(used)
        pages = {
            name: sum(1 for _ in (project / "site").rglob("index.html"))
            for name, project in (("ours", ours), ("stock", stock))
        }

    median = {name: statistics.median(values) for name, values in wall.items()}
    median_cpu = {name: statistics.median(values) for name, values in cpu.items()}
    ratio = median["ours"] / median["stock"]
    print(f"Регламентов: {args.count}, сборок каждого: {args.runs} (медиана)")
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
    return 0 if ratio <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
