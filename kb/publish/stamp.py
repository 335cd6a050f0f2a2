"""Which build a published site is: its time and commit, for the footer and ``build.json``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

UNKNOWN = "неизвестно"
"""Shown for the commit when the project is not a git checkout (a tarball) or git is absent."""
FILE = "build.json"


@dataclass(frozen=True)
class Stamp:
    built: str
    """UTC, ISO 8601 to the second (``2026-12-02T08:15:00Z``)."""
    commit: str | None
    """Full hash of HEAD, or None outside git."""
    dirty: bool = False
    """The working tree had uncommitted changes."""

    @property
    def footer(self) -> str:
        """The line in every page's footer."""
        when = self.built.replace("T", " ").removesuffix("Z") + " UTC"
        commit = UNKNOWN if self.commit is None else self.commit[:12]
        dirty = " (с незафиксированными правками)" if self.dirty else ""
        return f"Сборка {when}, коммит {commit}{dirty}"

    def json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1) + "\n"


def stamp_of(project: Path, environ: dict[str, str] | None = None) -> Stamp:
    """The stamp for a build of ``project`` now.

    ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) fixes the time, so that two
    builds of one commit can be compared byte for byte.
    """
    environ = os.environ if environ is None else environ
    epoch = environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch else datetime.now(UTC)
    built = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    commit, dirty = _git_head(project)
    return Stamp(built=built, commit=commit, dirty=dirty)


def _git_head(project: Path) -> tuple[str | None, bool]:
    git = shutil.which("git")
    if git is None:
        return None, False

    def run(*args: str) -> str | None:
        try:
            result = subprocess.run(
                [git, "-C", str(project), *args], capture_output=True, text=True, timeout=10
            )
        except (OSError, subprocess.SubprocessError):
            return None
        return result.stdout.strip() if result.returncode == 0 else None

    # Only a checkout whose top is the project itself counts: a tarball unpacked inside
    # some other repository must not borrow that repository's commit.
    top = run("rev-parse", "--show-toplevel")
    if top is None or Path(top).resolve() != project.resolve():
        return None, False
    head = run("rev-parse", "--verify", "-q", "HEAD")
    if not head:
        return None, False
    status = run("status", "--porcelain", "--untracked-files=no")
    return head, bool(status)
