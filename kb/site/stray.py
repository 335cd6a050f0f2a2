"""Files in the regulations' folder that are not regulations: never published, listed once.

Only the pages made from ``docs/regulations/*.yml`` (the files ``kb.load.regulation`` reads)
are published from that folder. A backup (``x.yml.bak``), an ``x.yaml`` or a note left there
would otherwise be copied into the site as is and served to anyone who guesses its name.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from kb.site.urls import REGULATIONS

# What the maintainer probably meant, by the file's extension (compared in lower case).
_HINTS = {
    ".yaml": "регламенты — файлы *.yml",
    ".yml": "регламенты — файлы *.yml прямо в docs/regulations",
    ".md": "Markdown переносится в регламент командой make import",
}


def in_regulations(src_uri: str) -> bool:
    """A file under the regulations' folder (``src_uri`` is relative to ``docs/``)."""
    return src_uri.startswith(f"{REGULATIONS}/")


def is_regulation(src_uri: str) -> bool:
    """A regulation's YAML: ``regulations/<name>.yml``, as the loader finds them."""
    path = PurePosixPath(src_uri)
    return path.parent == PurePosixPath(REGULATIONS) and path.suffix == ".yml"


def stray_note(src_uris: list[str]) -> str:
    """One line for the build log listing the files that are not published, with hints."""
    listed = []
    for src_uri in sorted(src_uris):
        name = src_uri.removeprefix(f"{REGULATIONS}/")
        hint = _HINTS.get(PurePosixPath(name).suffix.lower())
        listed.append(f"{name} ({hint})" if hint else name)
    return f"Не регламент, не опубликован (docs/{REGULATIONS}): " + "; ".join(listed)
