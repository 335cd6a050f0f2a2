"""Golden files: the one way expected outputs are kept, compared and regenerated.

Every case is a YAML file under ``tests/golden/<kind>/``: a comment saying what it shows, the
case's input (hand-written), and last the key ``expected``: each output by name (``html``,
``done.md``, ``done.txt``), as the code made it when the case was last recorded. HTML is
compared parsed and pretty-printed (one tag or text per line; ``pre`` and ``textarea``
verbatim), JSON parsed and indented, every other output as it is. After a deliberate change, regenerate every case:

    KB_GOLDEN_UPDATE=1 .venv/bin/pytest -m golden

which rewrites only the ``expected`` keys, and read the diff before committing it.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import yaml
from bs4 import BeautifulSoup

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("KB_GOLDEN_UPDATE") == "1"
KEY = "\nexpected:"


def pretty_html(html: str) -> str:
    return BeautifulSoup(html, "html.parser").prettify()


def pretty_json(text: str) -> str:
    return json.dumps(json.loads(text), ensure_ascii=False, indent=1) + "\n"


NORMALISE = {"html": pretty_html, "json": pretty_json}
"""How an output is compared, by the last dotted part of its name (anything else: as it is)."""


def normalised(name: str, text: str) -> str:
    return NORMALISE.get(name.rsplit(".", 1)[-1], str)(text)


def cases(kind: str) -> list[Path]:
    return sorted((GOLDEN / kind).glob("*.yml"))


def read(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper, value: str):
    return dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None
    )


_Dumper.add_representer(str, _text)


def _write(path: Path, outputs: dict[str, str]) -> None:
    """Replace the ``expected`` key (the file's last) and keep the hand-written rest."""
    text = path.read_text("utf-8") if path.is_file() else ""
    head = text[: text.index(KEY) + 1] if KEY in text else text.rstrip("\n") + "\n" * bool(text)
    block = yaml.dump(
        {"expected": outputs},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=math.inf,
    )
    path.write_text(head + block, "utf-8")


def check(path: Path, outputs: dict[str, str]) -> None:
    """Compare outputs with the case's ``expected``; ``KB_GOLDEN_UPDATE=1`` records them."""
    actual = {name: normalised(name, text) for name, text in outputs.items()}
    if UPDATE:
        _write(path, actual)
    assert path.is_file(), f"{path.name} is missing: run with KB_GOLDEN_UPDATE=1"
    expected = read(path).get("expected")
    assert expected is not None, f"{path.name}: nothing recorded; run with KB_GOLDEN_UPDATE=1"
    assert actual == {name: normalised(name, text) for name, text in expected.items()}
