"""References to a step or a special case in prose, shown with the step's current number.

A text names a step by its id — ``переходите к [шагу](#step:escalate)`` — or a special case —
``см. [особый случай](#case:critical-error)``. The page reads «переходите к шагу 5», linked to
the step (``#step-escalate``): insert a step before it and the number follows. How the words
read (``kb.vocabulary.STEP_FORMS``, ``CASE_FORMS``): a reference written with a form of «шаг»
gets the number after it («шагу 5»), one written with a form of «особый случай» gets the case's
title («особый случай «Критическая ошибка»»), and a case's step number follows in brackets
(«(шаг 5)»), as does a step's number after any other text («Эскалация (шаг 5)»).

A reference is an ordinary inline link whose target is ``#step:<id>`` or ``#case:<id>``: it
needs no quoting in YAML (beyond what any link at the start of a value needs) and Markdown
export and import carry it as written. No page has such an anchor, so a reference is never
taken for a hand-made link. Before a page is rendered, :func:`resolved` rewrites each one into
the link a reader follows (``[шагу 5](#step-escalate)``): every renderer of inline Markdown (the
page, the index pages, the ticket workspace that reads the page) shows the same words, and the
data as written keeps the reference. Unknown ids are validation errors and step numbers written
by hand are notes (``kb.check.step_refs``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kb.text import plain, replace_links
from kb.vocabulary import CASE_FORMS, STEP_FORMS, STEP_WORD

REFERENCE = re.compile(r"#(?P<kind>step|case):(?P<id>.*)\Z", re.DOTALL)
"""A reference's target; its kind is also the prefix of the anchor it leads to (``step-…``)."""
_MARK = ("(#step:", "(#case:")  # a text without these holds no reference

VERBATIM = frozenset({"body", "filename", "placeholder", "value", "default"})
"""Keys whose texts are shown or used as written, not as inline Markdown: a template's text,
its file name and placeholders, a form's values. A reference there stays as written."""


@dataclass(frozen=True)
class Targets:
    """What references of one regulation can lead to, as the regulation stands now."""

    steps: dict[str, int]
    """Step id → its number on the page (1, 2, …)."""
    cases: dict[str, tuple[str, str | None]]
    """Special case id → its title and the id of its step, if it has one."""

    @classmethod
    def of(cls, data: dict) -> Targets:
        return cls(
            {step["id"]: number for number, step in enumerate(data["steps"], 1)},
            {
                case["id"]: (case["title"], case.get("step"))
                for case in data.get("special_cases", [])
            },
        )


def parse(href: str) -> tuple[str, str] | None:
    """``(kind, id)`` of a reference's target (``#step:escalate`` → ``("step", "escalate")``),
    ``None`` for any other link."""
    match = REFERENCE.match(href)
    return (match["kind"], match["id"]) if match else None


def is_form(label: str, forms: tuple[str, ...]) -> bool:
    """Whether a reference's text is one of ``forms`` (letter case and spaces do not count)."""
    return " ".join(label.casefold().split()) in forms


def shown(label: str, kind: str, ident: str, targets: Targets) -> str | None:
    """The words a reference reads as (see the module's docstring); ``None`` for an unknown id."""
    if kind == "step":
        number = targets.steps.get(ident)
        if number is None:
            return None
        if is_form(label, STEP_FORMS):
            return f"{label} {number}"
        return f"{label} ({STEP_WORD} {number})"
    if ident not in targets.cases:
        return None
    title, step = targets.cases[ident]
    # The title goes inside a link's brackets: a bracket of its own would end the link early.
    title = plain(title).replace("[", "(").replace("]", ")")
    text = f"{label} «{title}»" if is_form(label, CASE_FORMS) else label
    number = targets.steps.get(step or "")
    return f"{text} ({STEP_WORD} {number})" if number else text


def resolve_text(text: str, targets: Targets, page: str = "") -> str:
    """``text`` with its references written as the links a reader follows; ``page``: the way
    from the page that shows the text to the regulation's page (``""`` on that page)."""
    if not any(mark in text for mark in _MARK):
        return text

    def one(label: str, href: str) -> str | None:
        reference = parse(href)
        words = reference and shown(label, *reference, targets)
        if not reference or words is None:
            return None  # an unknown id stops validation; a page never shows one
        kind, ident = reference
        return f"[{words}]({page}#{kind}-{ident})"

    return replace_links(text, one)


def resolved(value, targets: Targets, page: str = ""):
    """``value`` (a regulation's data or a part of it) with every reference resolved
    (:func:`resolve_text`); what holds none is returned as it is, not copied."""
    if isinstance(value, str):
        return resolve_text(value, targets, page)
    if isinstance(value, dict):
        out = {k: v if k in VERBATIM else resolved(v, targets, page) for k, v in value.items()}
        return value if all(out[k] is v for k, v in value.items()) else out
    if isinstance(value, list):
        items = [resolved(item, targets, page) for item in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    return value


def texts(value, path: tuple = (), skip: frozenset[str] = VERBATIM) -> Iterator[tuple[tuple, str]]:
    """``(field path, text)`` of every text of ``value`` where a reference is resolved (not
    under a key of ``skip``)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in skip:
                yield from texts(item, (*path, key), skip)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from texts(item, (*path, index), skip)


def references(text: str) -> list[tuple[str, str, str]]:
    """``(label, kind, id)`` of every reference in ``text``, in order."""
    found: list[tuple[str, str, str]] = []
    if any(mark in text for mark in _MARK):

        def collect(label: str, href: str) -> None:
            if reference := parse(href):
                found.append((label, *reference))

        replace_links(text, collect)
    return found
