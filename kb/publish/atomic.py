"""``make build``: build with ``--strict`` into a fresh folder beside the site, then swap.

Whatever fails — YAML, schema, a template, a strict warning — MkDocs stops with a non-zero
exit and its own message, the new folder is deleted and the published folder is left exactly
as it was. Only a complete build replaces it, by one ``rename`` on the same filesystem: where
Linux allows, an atomic exchange of the two folders (a reader — nginx — sees the old site or
the new one, never none and never a mix), otherwise two renames a moment apart.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from kb.publish.csp import SNIPPET

_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def build(project: Path, site: Path, mkdocs_args: tuple[str, ...] = ()) -> int:
    """Build ``project`` into ``site`` atomically; return the exit code (0 on success)."""
    site = site if site.is_absolute() else project / site
    site.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{site.name}-new-", dir=site.parent))
    try:
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(fresh)]
        result = subprocess.run([*command, *mkdocs_args], cwd=project)
        if result.returncode != 0:
            print(
                f"Сборка не удалась (код {result.returncode}), причина — в сообщениях выше; "
                f"опубликованный сайт {_shown(site, project)}/ не изменён.",
                file=sys.stderr,
            )
            return result.returncode or 1
        policy_changed = _read(site / SNIPPET) not in (None, _read(fresh / SNIPPET))
        swap(fresh, site)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)  # after the swap: the previous site
    print(f"Сайт опубликован в {_shown(site, project)}/.")
    if policy_changed:
        print(
            f"Изменились хэши встроенных скриптов ({SNIPPET}): перезагрузите nginx "
            "(nginx -s reload), иначе браузеры заблокируют их по старой политике CSP."
        )
    return 0


def swap(fresh: Path, site: Path) -> None:
    """Put ``fresh`` in place of ``site``; afterwards ``fresh`` holds the previous site (if any)."""
    fresh.chmod(0o755)  # mkdtemp makes it private; a site is read by the web server's user
    if not site.exists():
        fresh.rename(site)
        return
    if not _exchange(fresh, site):
        parked = fresh.with_name(fresh.name + "-old")
        site.rename(parked)
        fresh.rename(site)
        parked.rename(fresh)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    libc_name = ctypes.util.find_library("c")
    renameat2 = getattr(ctypes.CDLL(libc_name, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return done == 0


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


def _shown(path: Path, project: Path) -> str:
    return str(path.relative_to(project)) if path.is_relative_to(project) else str(path)
