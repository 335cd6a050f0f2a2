"""A regulation's versions, read from its file's git history.

Each commit that changes a file's ``meta.version`` starts a version; the version's content is
the last commit that still has that number (a fix committed without a new number belongs to
the version it was made in). The file as it is now, committed or not, is the newest content
of its number. Two git processes for the whole folder: one ``git log`` and one
``git cat-file --batch``. No git, or a folder outside a repository: no history (``None``).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kb.load.yaml_exact import LoadProblem, load_yaml

_COMMIT = "\x01"  # starts a commit's line in the log below: no file name holds it


@dataclass(frozen=True)
class Snapshot:
    """One version of a regulation: its number, the day it first appeared, its data."""

    version: str
    date: date
    data: dict


@dataclass(frozen=True)
class FileHistory:
    versions: list[Snapshot]
    """Oldest first; the last one is the file as it is now."""
    committed: dict | None
    """The file's data in its newest commit (``None``: never committed)."""


def _git(folder: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=folder, input=stdin, capture_output=True, check=False
        )
    except OSError:  # no git on this machine
        return None
    return done.stdout if done.returncode == 0 else None


def _commits(folder: Path) -> dict[str, list[tuple[str, date]]]:
    """File name in ``folder`` → the commits that changed it, oldest first, with their day."""
    log = _git(folder, "log", f"--format={_COMMIT}%H %cs", "--name-only", "--relative", "--", ".")
    files: dict[str, list[tuple[str, date]]] = {}
    commit: tuple[str, date] | None = None
    for line in (log or b"").decode("utf-8", "replace").splitlines():
        if line.startswith(_COMMIT):
            sha, day = line[1:].split()
            commit = (sha, date.fromisoformat(day))
        elif line and commit:
            files.setdefault(line, []).insert(0, commit)
    return files


def _blobs(folder: Path, names: list[str]) -> list[bytes | None]:
    """The content of each ``commit:path`` in ``names`` (``None`` where there is none)."""
    out = _git(folder, "cat-file", "--batch", stdin="".join(n + "\n" for n in names).encode())
    if out is None:
        return [None] * len(names)
    blobs: list[bytes | None] = []
    at = 0
    for _ in names:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        if header[-1] == b"missing":
            blobs.append(None)
            at = end + 1
            continue
        size = int(header[2])
        blobs.append(out[end + 1 : end + 1 + size])
        at = end + 1 + size + 1
    return blobs


def _data(raw: bytes | None) -> dict | None:
    """A committed file's data, if it parses and has a version (an old or broken commit may not)."""
    if raw is None:
        return None
    try:
        data = load_yaml(raw, "").data
    except LoadProblem:
        return None
    meta = data.get("meta") if isinstance(data, dict) else None
    return data if isinstance(meta, dict) and isinstance(meta.get("version"), str) else None


def read_history(
    folder: Path, current: dict[str, dict], today: date
) -> dict[str, FileHistory] | None:
    """Each regulation of ``folder`` (slug → its data now) with its versions; ``None`` when the
    folder has no git history to read."""
    prefix = _git(folder, "rev-parse", "--show-prefix")
    if prefix is None:
        return None
    prefix = prefix.decode().strip()
    commits = _commits(folder)
    wanted = [(slug, sha, day) for slug in current for sha, day in commits.get(f"{slug}.yml", [])]
    blobs = (
        _blobs(folder, [f"{sha}:{prefix}{slug}.yml" for slug, sha, _ in wanted]) if wanted else []
    )
    snapshots: dict[str, list[tuple[date, dict]]] = {slug: [] for slug in current}
    for (slug, _, day), raw in zip(wanted, blobs, strict=True):
        if (data := _data(raw)) is not None:
            snapshots[slug].append((day, data))
    return {slug: _versions(snapshots[slug], data, today) for slug, data in current.items()}


def _versions(committed: list[tuple[date, dict]], now: dict, today: date) -> FileHistory:
    versions: list[Snapshot] = []
    for day, data in [*committed, (today, now)]:
        number = data["meta"]["version"]
        if versions and versions[-1].version == number:
            versions[-1] = Snapshot(number, versions[-1].date, data)
        else:
            versions.append(Snapshot(number, day, data))
    return FileHistory(versions, committed[-1][1] if committed else None)
