"""The regulations the benchmarks build: one home for every bench (``--corpus``).

- ``realistic`` (the default): N distinct regulations made up from a seed number — titles,
  3–12 steps, actions with nested items, where/result, criteria (terms) and tables in the
  content, special cases, examples, templates with fields of every type, FAQ, typical errors,
  checklists, monitoring, departments, tags, review dates and references between them. The prose
  draws on a Russian vocabulary (Debian's ``hunspell-ru``, ``/usr/share/hunspell/ru_RU.dic``,
  or any word list given with ``--dictionary``), a few common endings applied to its stems, mixed
  with the support domain's phrases (пропуск, КПП, шлагбаум, эскалация, клиент…), so that the
  search queries of the benches still find things. The same seed gives byte-identical files.
- ``copies``: N copies of the seed regulation (``tests/fixtures/seed/``) with their own title,
  slug, department, tags, summary and review dates — a vocabulary of ~1,500 words.

Either kind gives the YAML files of our site and the same regulations as Markdown for stock
Material (``bench_build.py``).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from kb import links  # noqa: E402
from kb.markdown.blocks import Ids, slugify  # noqa: E402
from kb.markdown.write import export_markdown  # noqa: E402
from kb.search import DEFAULT_SEPARATOR, words  # noqa: E402

DICTIONARY = Path("/usr/share/hunspell/ru_RU.dic")
KINDS = ("realistic", "copies")
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/regulation.schema.json\n"
DEPARTMENTS = ["Тех. поддержка", "Отдел внедрения", "Отдел по работе с клиентами", "Биллинг"]


@dataclass
class Corpus:
    """N regulations: ``files`` — file name → YAML text of our site; ``markdown`` — file name
    → the same regulation as a Markdown page for stock Material (with tags front matter)."""

    files: dict[str, str]
    titles: dict[str, str]  # slug → title
    markdown: dict[str, str] = field(default_factory=dict)

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in self.files.items():
            (folder / name).write_text(text, encoding="utf-8")

    def vocabulary(self) -> set[str]:
        """The distinct words of every text of the corpus (as the search splits them)."""
        found: set[str] = set()
        for text in self.files.values():
            for value in strings(yaml.safe_load(text)):
                found.update(w.casefold() for w in words(value, DEFAULT_SEPARATOR) if w.isalpha())
        return found


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The corpus options every bench takes."""
    parser.add_argument(
        "--corpus",
        choices=KINDS,
        default="realistic",
        help="realistic — разные регламенты из словаря (по умолчанию); copies — копии образца",
    )
    parser.add_argument("--seed", type=int, default=1, help="зерно генератора (1)")
    parser.add_argument(
        "--dictionary",
        type=Path,
        default=DICTIONARY,
        help=f"словарь: .dic hunspell или слово в строке ({DICTIONARY})",
    )


def from_arguments(args: argparse.Namespace, count: int, markdown: bool = False) -> Corpus:
    """The corpus the options name; ``markdown``: with the stock Material pages too."""
    if args.corpus == "copies":
        return copies(count)
    if not args.dictionary.is_file():
        sys.exit(
            f"нет словаря {args.dictionary}: его ставит make bench-corpus (пакет hunspell-ru); "
            "или укажите --dictionary ФАЙЛ, или --corpus copies"
        )
    return realistic(count, args.seed, args.dictionary, markdown)


# --- copies of the seed --------------------------------------------------------------------

SEED_YAML = ROOT / "tests" / "fixtures" / "seed" / "escalation-to-development.yml"
SEED_MD = ROOT / "tests" / "fixtures" / "seed" / "escalation-to-development.md"
SEED_TITLE = "Эскалация в отдел разработки"
SEED_SLUG = "escalation-to-development"
SEED_DEPARTMENT = "Тех. поддержка"
SEED_TAGS = "эскалация, разработка, ошибка продукта, передача вопроса"
SEED_SUMMARY_END = "передачи вопросов разработчикам."


def variant(i: int) -> dict:
    """What differs between copy ``i`` and the seed (same for both projects)."""
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


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, f"seed has no {old!r}"
    return text.replace(old, new, 1)


def _copy_yaml(seed: str, v: dict) -> str:
    text = _replace_once(seed, f"title: {SEED_TITLE}\n", f"title: {v['title']}\n")
    text = _replace_once(
        text, f"department: {SEED_DEPARTMENT}\n", f"department: {v['department']}\n"
    )
    text = _replace_once(text, f"tags: [{SEED_TAGS}]\n", f"tags: [{v['tags']}]\n")
    text = _replace_once(text, f"  {SEED_SUMMARY_END}\n", f"  {v['summary']}\n")
    return _replace_once(text, "  department:", v["review"] + "  department:")


def _copy_markdown(seed: str, v: dict) -> str:
    text = _replace_once(seed, f"# {SEED_TITLE}\n", f"# {v['title']}\n")
    text = _replace_once(text, f"| {SEED_DEPARTMENT} |", f"| {v['department']} |")
    text = _replace_once(text, f"| {SEED_TAGS} |", f"| {v['tags']} |")
    text = _replace_once(text, SEED_SUMMARY_END, v["summary"])
    return _front_matter(v["tags"].split(", ")) + text


def copies(count: int) -> Corpus:
    seed_yaml = SEED_YAML.read_text(encoding="utf-8")
    seed_md = SEED_MD.read_text(encoding="utf-8")
    corpus = Corpus({}, {})
    for i in range(1, count + 1):
        v = variant(i)
        corpus.files[f"{v['slug']}.yml"] = _copy_yaml(seed_yaml, v)
        corpus.markdown[f"{v['slug']}.md"] = _copy_markdown(seed_md, v)
        corpus.titles[v["slug"]] = v["title"]
    return corpus


def _front_matter(tags: list[str]) -> str:
    return "---\n" + yaml.safe_dump({"tags": tags}, allow_unicode=True) + "---\n\n"


# --- realistic regulations -----------------------------------------------------------------

_WORD = re.compile(r"[а-яё]{3,14}")
_VERB_ENDINGS = ("ать", "ять", "ить", "еть", "уть", "ыть", "оть")
# Words a verb form ends with: left out of the nouns (the dictionary also lists such forms).
_VERB_FORMS = ("ся", "сь", "шь", "ет", "ит", "ем", "ут", "ют", "ат", "ят", "ал", "ил", "ел")

# The support domain, as the seed and the bench queries speak of it.
DOMAIN = [
    "эскалация в отдел разработки",
    "эскалировать вопрос",
    "передать вопрос разработчикам",
    "логи системы",
    "сбор логов",
    "приоритет обращения",
    "приоритеты задач",
    "критическая ошибка",
    "ошибка программного продукта",
    "выпуск обновления",
    "установка обновлений",
    "диагностика проблемы",
    "при диагностике",
    "разовый пропуск",
    "гостевой пропуск",
    "постоянный пропуск на въезд",
    "КПП",
    "пост охраны на КПП",
    "шлагбаум",
    "открытие шлагбаума",
    "клиент",
    "обращение клиента",
    "уведомить клиента",
    "мобильное приложение PASS24",
    "личный кабинет",
    "управляющая компания",
    "жилой комплекс",
    "считыватель карт",
    "контроллер доступа",
    "распознавание номеров",
    "номер автомобиля",
    "система обработки обращений",
    "техническая поддержка",
    "отдел разработки",
    "разработчику",
    "скриншоты ошибок",
    "версия продукта",
]
PLACES = [
    "Система обработки обращений",
    "Личный кабинет PASS24.online",
    "Мобильное приложение PASS24",
    "Панель администратора объекта",
    "Система эскалации",
    "Журнал событий КПП",
    "Коммуникация с клиентом",
    "Битрикс24",
]
TITLE_HEADS = [
    "Настройка",
    "Оформление",
    "Обработка",
    "Проверка",
    "Подключение",
    "Восстановление",
    "Диагностика",
    "Эскалация",
    "Регистрация",
    "Замена",
    "Блокировка",
    "Выдача",
    "Согласование",
    "Перенос",
    "Обновление",
    "Учёт",
    "Отмена",
    "Контроль",
]
TITLE_OBJECTS = [
    "гостевого пропуска",
    "постоянного пропуска",
    "шлагбаума",
    "КПП",
    "обращения клиента",
    "доступа к объекту",
    "номера автомобиля",
    "личного кабинета",
    "ошибки продукта",
    "считывателя карт",
    "мобильного приложения",
    "объекта охраны",
]
DONE = [
    "подтверждён",
    "передан",
    "зафиксирован",
    "проверен",
    "настроен",
    "согласован",
    "обновлён",
    "закрыт",
    "восстановлен",
    "выполнен",
]
PREPOSITIONS = ["в", "на", "для", "при", "после", "по", "с", "без", "через", "до", "из-за"]
QUESTIONS = [
    "Что делать, если {a}?",
    "Как {v} {n}?",
    "Можно ли {v} {n} без {n2}?",
    "Кто отвечает за {n}?",
    "Почему {a}?",
    "Сколько времени занимает {n}?",
]
STATUSES = ["Актуально"] * 7 + ["На пересмотре", "Устарело"]
FIELD_TYPES = ["text", "text", "textarea", "select", "date", "list"]


def read_words(path: Path) -> list[str]:
    """The lowercase Russian words of a hunspell ``.dic`` (affix flags after ``/`` dropped) or
    a word list, one a line; proper names, abbreviations and the count line are left out."""
    found = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        word = line.split("/", 1)[0].strip()
        if _WORD.fullmatch(word):
            found.add(word)
    return sorted(found)


class Words:
    """The vocabulary split by part of speech (guessed from the ending), in a seeded order that
    stands for frequency: :meth:`common` prefers the first words, as real texts do."""

    def __init__(self, lemmas: list[str], draw: random.Random):
        order = list(lemmas)
        draw.shuffle(order)
        self.verbs = [w for w in order if w.endswith(_VERB_ENDINGS) and not w.endswith("ость")]
        self.adjectives = [w for w in order if w.endswith(("ый", "ий", "ой"))]
        taken = set(self.verbs) | set(self.adjectives)
        self.nouns = [w for w in order if w not in taken and not w.endswith(_VERB_FORMS)]
        if not (self.verbs and self.adjectives and self.nouns):
            raise ValueError(
                "в словаре нужны глаголы (-ть), прилагательные (-ый) и существительные"
            )

    @staticmethod
    def common(pool: list[str], draw: random.Random) -> str:
        return pool[int(len(pool) * draw.random() ** 8)]


class Prose:
    """Sentences for one regulation: its own topic words, the common words and the domain."""

    def __init__(self, vocabulary: Words, draw: random.Random):
        self.w = vocabulary
        self.draw = draw
        self.topic = {
            "verbs": draw.sample(vocabulary.verbs, min(6, len(vocabulary.verbs))),
            "adjectives": draw.sample(vocabulary.adjectives, min(8, len(vocabulary.adjectives))),
            "nouns": draw.sample(vocabulary.nouns, min(14, len(vocabulary.nouns))),
        }
        self.domain = draw.sample(DOMAIN, 8)

    def _pick(self, kind: str) -> str:
        if self.draw.random() < 0.5:
            return self.draw.choice(self.topic[kind])
        return Words.common(getattr(self.w, kind), self.draw)

    def noun(self) -> str:
        return _noun_form(self._pick("nouns"), self.draw)

    def adjective(self) -> str:
        return _adjective_form(self._pick("adjectives"), self.draw)

    def verb(self) -> str:
        return self._pick("verbs")

    def verb_said(self) -> str:
        """A verb in the present or the past: «проверяет», «проверил»."""
        verb = self.verb()
        stem = verb[:-2]
        return self.draw.choice([stem + "л", stem + "ла", stem + "ли", stem + "ет", stem + "ют"])

    def domain_phrase(self) -> str:
        return self.draw.choice(self.domain if self.draw.random() < 0.7 else DOMAIN)

    def noun_phrase(self) -> str:
        parts = [self.noun()]
        if self.draw.random() < 0.6:
            parts.insert(0, self.adjective())
        if self.draw.random() < 0.4:
            parts.append(self.noun())
        if self.draw.random() < 0.3:
            parts.append(self.domain_phrase())
        return " ".join(parts)

    def clause(self) -> str:
        return (
            f"{self.noun_phrase()} {self.verb_said()} {self.draw.choice(PREPOSITIONS)} "
            f"{self.noun_phrase()}"
        )

    def sentence(self) -> str:
        text = self.clause()
        if self.draw.random() < 0.3:
            text += f", {self.draw.choice(['если', 'когда', 'пока', 'чтобы'])} {self.clause()}"
        if self.draw.random() < 0.1:
            word = self.noun()
            text = text.replace(word, f"**{word}**", 1)
        return _capital(text) + "."

    def paragraph(self, low: int = 1, high: int = 3) -> str:
        return " ".join(self.sentence() for _ in range(self.draw.randint(low, high)))

    def action(self) -> str:
        text = f"{self.verb()} {self.noun_phrase()}"
        if self.draw.random() < 0.25:
            text += f" {self.draw.choice(PREPOSITIONS)} {self.domain_phrase()}"
        if self.draw.random() < 0.1:
            text += " (если применимо)"
        return _capital(text)

    def item(self) -> str:
        return _capital(self.noun_phrase() if self.draw.random() < 0.6 else self.action())

    def label(self) -> str:
        return _capital(f"{self.adjective()} {self.noun()}")

    def done(self) -> str:
        return _capital(f"{self.noun_phrase()} {self.draw.choice(DONE)}")

    def question(self) -> str:
        pattern = self.draw.choice(QUESTIONS)
        return pattern.format(a=self.clause(), v=self.verb(), n=self.noun_phrase(), n2=self.noun())


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _noun_form(word: str, draw: random.Random) -> str:
    """The word or one of its common case forms (first and second declension)."""
    hard = "и" if word[-2] in "кгхжшчщ" else "ы"
    if word.endswith("ие"):
        endings = ["ие", "ия", "ию", "ием", "ий"]
        stem = word[:-2]
    elif word.endswith("а"):
        endings = ["а", hard, "е", "у", "ой"]
        stem = word[:-1]
    elif word.endswith("я"):
        endings = ["я", "и", "е", "ю", "ей"]
        stem = word[:-1]
    elif word.endswith("о"):
        endings = ["о", "а", "у", "ом"]
        stem = word[:-1]
    elif word[-1] in "бвгдзклмнпрстфхцжшчщ":
        endings = ["", "а", "у", "ом", "и" if word[-1] in "кгхжшчщ" else "ы", "ов"]
        stem = word
    else:
        return word
    return stem + draw.choice(endings)


def _adjective_form(word: str, draw: random.Random) -> str:
    """The word or one of its common forms: «критический» → «критического», «критическая»…"""
    stem, ending, last = word[:-2], word[-2:], word[-3:-2]
    if ending == "ий" and last in "жшчщ":  # «текущий»: «текущего», «текущая»
        endings = ["ий", "его", "ему", "им", "ая", "ей", "ую", "ие", "их", "ее"]
    elif ending == "ий" and last not in "кгх":  # «синий»: «синего», «синяя»
        endings = ["ий", "его", "ему", "им", "яя", "ей", "юю", "ие", "их", "ее"]
    else:  # «новый», «русский», «простой»
        plural = "и" if last in "кгхжшчщ" else "ы"
        first = "ий" if ending == "ий" else ending
        endings = [first, "ого", "ому", plural + "м", "ая", "ой", "ую", plural + "е", "ое"]
    return stem + draw.choice(endings)


def realistic(count: int, seed: int = 1, words_path: Path = DICTIONARY, markdown: bool = False):
    """``count`` distinct regulations made up from ``seed`` with the words of ``words_path``."""
    draw = random.Random(seed)
    vocabulary = Words(read_words(words_path), draw)
    titles: dict[str, str] = {}
    seen: set[str] = set()
    for index in range(1, count + 1):
        prose = Prose(vocabulary, draw)
        while True:
            title = _title(prose, draw)
            if links.key(title) not in seen:
                break
        seen.add(links.key(title))
        slug = f"{slugify(title, 'regulation', 48)}-{index:03d}"
        titles[slug] = title
    corpus = Corpus({}, titles)
    known = links.names_of(titles.items())
    for slug in titles:
        prose = Prose(vocabulary, draw)
        others = {other: title for other, title in titles.items() if other != slug}
        data = _regulation(titles[slug], prose, draw, others)
        corpus.files[f"{slug}.yml"] = SCHEMA_LINE + yaml.safe_dump(
            data, allow_unicode=True, sort_keys=False, width=100
        )
        if markdown:
            corpus.markdown[f"{slug}.md"] = _front_matter(data["meta"]["tags"]) + export_markdown(
                data, known
            )
    return corpus


def _title(prose: Prose, draw: random.Random) -> str:
    head = draw.choice(TITLE_HEADS)
    shape = draw.random()
    if shape < 0.4:
        return f"{head} {draw.choice(TITLE_OBJECTS)}: {prose.noun_phrase()}"
    if shape < 0.7:
        return f"{head} {prose.adjective()} {prose.noun()}"
    return f"{head} {prose.noun_phrase()} {draw.choice(PREPOSITIONS)} {prose.noun()}"


def _date(draw: random.Random, low: int = 2022, high: int = 2025) -> str:
    year = draw.randint(low, high)
    month = draw.randint(1, 5 if year == 2025 else 12)
    return f"{year}-{month:02d}-{draw.randint(1, 28):02d}"


def _regulation(title: str, prose: Prose, draw: random.Random, others: dict[str, str]) -> dict:
    """One regulation; ``others``: slug → title of those its related materials may name."""
    ids = Ids()
    created = _date(draw, 2021, 2024)
    updated = max(created, _date(draw, 2023, 2025))
    meta = {
        "version": f"{draw.randint(1, 4)}.{draw.randint(0, 9)}",
        "created": created,
        "updated": updated,
        "author": draw.choice(["Система базы знаний", "Старший специалист", "Методист"]),
        "owner": "Руководитель " + draw.choice(["технической поддержки", "отдела внедрения"]),
        "status": draw.choice(STATUSES),
        "type": draw.choice(["Регламент", "Инструкция", "Процедура"]),
        "department": draw.choice(DEPARTMENTS + ["Отдел безопасности", "Служба охраны объекта"]),
        "tags": _tags(prose, draw),
    }
    review = draw.random()
    if review < 0.2:
        meta["review"] = {"by": _date(draw, 2024, 2025)}
    elif review < 0.5:
        meta["review"] = {"every_months": draw.choice([3, 6, 12, 24])}
    data: dict = {"format": 1, "title": title, "meta": meta}
    data["audience"] = {
        "who": "Специалисты " + draw.choice(["технической поддержки", "внедрения", "биллинга"]),
        "level": draw.choice(["Начальный", "Средний", "Средний / Продвинутый"]),
        "when": prose.sentence(),
    }
    data["summary"] = prose.paragraph(2, 3)
    if draw.random() < 0.4:
        data["keywords"] = [prose.noun() for _ in range(draw.randint(1, 4))]
    data["prerequisites"] = {
        "knowledge": [prose.item() for _ in range(draw.randint(1, 4))],
        "access": [f"Доступ к {prose.noun_phrase()}" for _ in range(draw.randint(1, 3))],
    }
    data["content"] = _content(prose, draw, ids)
    with_terms = [s["id"] for s in data["content"] if any("terms" in b for b in s["blocks"])]
    data["steps"] = _steps(prose, draw, ids, with_terms)
    step_ids = [step["id"] for step in data["steps"]]
    cases = [
        {
            "id": ids.take(title := prose.done()),
            "title": title,
            "step": draw.choice(step_ids),
            "actions": _actions(prose, draw, ids, draw.randint(1, 4)),
        }
        for _ in range(draw.randint(0, 3))
    ]
    if cases:
        data["special_cases"] = cases
        action = draw.choice(data["steps"])["actions"][0]
        if "items" not in action:
            action["text"] += f" (см. [особый случай](#case:{cases[0]['id']}))"
    examples = []
    for _ in range(draw.randint(0, 3)):
        example = {
            "id": ids.take(title := _capital(prose.noun_phrase())),
            "title": title,
            "situation": prose.paragraph(1, 2),
            "actions": [prose.action() for _ in range(draw.randint(2, 7))],
            "result": prose.done(),
        }
        if draw.random() < 0.6:
            example["conclusions"] = prose.sentence()
        examples.append(example)
    if examples:
        data["examples"] = examples
    templates = [_template(prose, draw, ids, step_ids) for _ in range(draw.randint(0, 3))]
    if templates:
        data["templates"] = templates
    data["faq"] = [
        {
            "id": ids.take(question := prose.question()),
            "question": question,
            "answer": (
                prose.paragraph()
                if draw.random() < 0.4
                else [prose.item() for _ in range(draw.randint(2, 5))]
            ),
        }
        for _ in range(draw.randint(1, 6))
    ]
    data["errors"] = [
        {
            "id": ids.take(error := prose.label()),
            "error": error,
            "cause": _capital(prose.clause()),
            "solution": prose.action(),
        }
        for _ in range(draw.randint(1, 6))
    ]
    data["checklist"] = [
        {"id": ids.take(text := prose.done()), "text": text, "step": step_id}
        for step_id in step_ids
        if draw.random() < 0.8
    ] or [{"id": ids.take(text := prose.done()), "text": text}]
    data["success"] = {
        "intro": "Успешное выполнение определяется следующими критериями:",
        "items": [prose.done() for _ in range(draw.randint(2, 5))],
    }
    related = draw.sample(list(others), min(len(others), draw.randint(0, 4)))
    if related:
        items = [{"title": others[slug], "regulation": slug} for slug in related]
        data["related"] = [{"title": "Связанные регламенты:", "items": items}]
    data["history"] = [
        {"version": meta["version"], "date": updated, "author": meta["author"], "changes": "Правки"}
    ]
    if created != updated:
        data["history"].append(
            {"version": "1.0", "date": created, "changes": "Первоначальная версия"}
        )
    data["feedback"] = {
        "questions": ["Нашли ошибку или неточность?", "Остались вопросы?"],
        "text": "Обратитесь к руководителю технической поддержки или создайте задачу в Битрикс24.",
    }
    return data


def _tags(prose: Prose, draw: random.Random) -> list[str]:
    domain = ["эскалация", "пропуск", "КПП", "шлагбаум", "клиент", "ошибка продукта", "доступ"]
    tags = draw.sample(domain, draw.randint(1, 3))
    tags += [prose.noun() for _ in range(draw.randint(0, 2))]
    return list(dict.fromkeys(tags))


def _content(prose: Prose, draw: random.Random, ids: Ids) -> list[dict]:
    sections = []
    for number in range(draw.randint(1, 3)):
        blocks: list[dict] = [{"text": prose.paragraph()}]
        if number == 0 and draw.random() < 0.5:
            blocks.append(
                {
                    "terms": [
                        {
                            "id": ids.take(term := prose.label()),
                            "term": term,
                            "text": prose.clause(),
                        }
                        for _ in range(draw.randint(2, 5))
                    ]
                }
            )
        kind = draw.random()
        if kind < 0.25:
            header = [prose.label() for _ in range(draw.randint(2, 4))]
            rows = [
                [_capital(prose.noun_phrase()) for _ in header] for _ in range(draw.randint(2, 6))
            ]
            blocks.append({"table": {"header": header, "rows": rows}})
        elif kind < 0.5:
            blocks.append({draw.choice(["list", "numbered"]): _items(prose, draw, 2, 5)})
        sections.append({"id": ids.take(title := prose.label()), "title": title, "blocks": blocks})
    return sections


def _items(prose: Prose, draw: random.Random, low: int, high: int, depth: int = 0) -> list:
    items: list = []
    for _ in range(draw.randint(low, high)):
        if depth == 0 and draw.random() < 0.15:
            items.append({"text": prose.item() + ":", "items": _items(prose, draw, 1, 3, 1)})
        else:
            items.append(prose.item())
    return items


def _actions(prose: Prose, draw: random.Random, ids: Ids, count: int) -> list[dict]:
    actions = []
    for _ in range(count):
        text = prose.action()
        action = {"id": ids.take(text), "text": text}
        if draw.random() < 0.3:
            action["text"] += ":"
            action["items"] = _items(prose, draw, 2, 6)
        actions.append(action)
    return actions


def _steps(prose: Prose, draw: random.Random, ids: Ids, with_terms: list[str]) -> list[dict]:
    steps = []
    for _ in range(draw.randint(3, 12)):
        title = _capital(prose.noun_phrase())
        step = {
            "id": ids.take(title),
            "title": title,
            "actions": _actions(prose, draw, ids, draw.randint(1, 5)),
        }
        if draw.random() < 0.7:
            step["where"] = ", ".join(draw.sample(PLACES, draw.randint(1, 2)))
        if draw.random() < 0.8:
            step["result"] = prose.done()
        steps.append(step)
    if with_terms:
        steps[0]["criteria"] = with_terms[0]
    if draw.random() < 0.3:
        last = steps[-1]
        statuses = [{"id": ids.take(t := prose.label()), "title": t} for _ in range(3)]
        statuses[-1]["final"] = True
        last["monitoring"] = {
            "next_check_days": draw.choice([1, 3, 7]),
            "remind": [last["actions"][0]["id"]],
            "statuses": statuses,
        }
    if len(steps) > 3 and draw.random() < 0.5:
        target = draw.choice(steps[1:])
        action = steps[0]["actions"][-1]
        if "items" not in action:
            action["text"] += f", затем переходите к [шагу](#step:{target['id']})"
    return steps


def _template(prose: Prose, draw: random.Random, ids: Ids, step_ids: list[str]) -> dict:
    title = "Шаблон: " + prose.noun_phrase()
    fields: list[dict] = []
    lines = ["Здравствуйте, [Имя клиента]!", "", prose.paragraph(1, 2), ""]
    fields.append(
        {"id": ids.take("client-name"), "label": "Имя клиента", "type": "text", "required": True}
    )
    fields[-1]["placeholder"] = "Имя клиента"
    names = {"Имя клиента"}
    for _ in range(draw.randint(2, 6)):
        label = prose.label()
        if label in names:
            continue
        names.add(label)
        kind = draw.choice(FIELD_TYPES)
        entry: dict = {"id": ids.take(label), "label": label, "type": kind}
        if draw.random() < 0.5:
            entry["required"] = True
        if draw.random() < 0.4:
            entry["hint"] = prose.sentence()
        if kind == "list":
            rows = [f"{label} {n}" for n in (1, 2, 3)]
            entry["placeholder"] = rows
            lines += [f"{label}:", *(f"{n}. [{row}]" for n, row in enumerate(rows, 1)), ""]
        else:
            entry["placeholder"] = label
            lines.append(f"{label}: [{label}]")
            if kind == "select":
                entry["options"] = [
                    {"value": _capital(prose.adjective())} for _ in range(draw.randint(2, 4))
                ]
                entry["options"] = list({o["value"]: o for o in entry["options"]}.values())
                if draw.random() < 0.5:
                    entry["step"] = draw.choice(step_ids)
            elif kind == "date":
                entry["default"] = "today"
        fields.append(entry)
    lines += ["", prose.paragraph(1, 2), "", "С уважением,", "Служба технической поддержки"]
    template = {"id": ids.take(title), "title": title}
    if draw.random() < 0.6:
        template["when"] = _capital(prose.clause())
    if draw.random() < 0.6:
        template["step"] = draw.choice(step_ids)
    template["body_title"] = "Текст"
    template["body"] = "\n".join(lines)
    template["downloads"] = draw.choice([["txt"], ["txt", "md"]])
    template["fields"] = fields
    return template


def strings(node):
    """Every text in parsed YAML, in document order."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict | list):
        for value in node.values() if isinstance(node, dict) else node:
            yield from strings(value)
