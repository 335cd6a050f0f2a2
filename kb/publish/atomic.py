"""``make build``: build with ``--strict`` into a fresh folder beside the site, then swap.

Whatever fails — YAML, schema, a template, a strict warning — MkDocs stops with a non-zero
exit and its own message, the new folder is deleted and the published folder is left exactly
as it was. Only a complete build replaces it, by one ``rename`` on the same filesystem: where
Linux allows, an atomic exchange of the two folders (a reader — nginx — sees the old site or
the new one, never none and never a mix), otherwise two renames a moment apart.

A site that is a symlink (``site -> releases/v1``, the release-folder deploy pattern) keeps
being one: the build becomes a new release beside the link's target and the link is replaced
by a new one in one ``rename``; the previous release is left as it was (for a rollback).

Each build holds its new folder locked while it runs; it first removes the unlocked ones —
what builds killed mid-way left behind — so they never pile up beside the site.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kb.publish.csp import SNIPPET

_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def build(project: Path, site: Path, mkdocs_args: tuple[str, ...] = ()) -> int:
    """Build ``project`` into ``site`` atomically; return the exit code (0 on success)."""
    site = site if site.is_absolute() else project / site
    linked = site.is_symlink()
    if linked and not site.is_dir():
        print(
            f"{_shown(site, project)} — ссылка на {os.readlink(site)}, а такой папки нет: "
            "исправьте или удалите ссылку; ничего не собрано.",
            file=sys.stderr,
        )
        return 1
    previous = site.resolve()
    home = previous.parent if linked else site.parent  # where the new folder is made
    home.mkdir(parents=True, exist_ok=True)
    prefix = f".{site.name}-new-"
    _remove_stale(home, prefix)
    fresh, lock = _locked_folder(home, prefix)
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
        if linked:
            release = retarget(fresh, site)
            where = (
                f"{_shown(site, project)}/ (ссылка на {_shown(release, project)}/); "
                f"прежняя сборка осталась в {_shown(previous, project)}/"
            )
        else:
            swap(fresh, site)
            where = f"{_shown(site, project)}/"
    finally:
        shutil.rmtree(fresh, ignore_errors=True)  # after the swap: the previous site
        os.close(lock)
    print(f"Сайт опубликован в {where}.")
    if policy_changed:
        print(
            f"Изменились хэши встроенных скриптов ({SNIPPET}): перезагрузите nginx "
            "(nginx -s reload), иначе браузеры заблокируют их по старой политике CSP."
        )
    return 0


# A running build is told from a dead one by an flock on its folder, not by a pid in its name:
# the kernel drops the lock however the build ends (SIGKILL, OOM, a crash), a lock cannot be
# mistaken for another process the way a reused pid can, and it works for builds in other pid
# namespaces (containers) sharing the folder, where a pid means nothing.


def _locked_folder(home: Path, prefix: str) -> tuple[Path, int]:
    """A new empty folder ``home/prefix…`` and the descriptor that holds its flock."""
    while True:
        path = Path(tempfile.mkdtemp(prefix=prefix, dir=home))
        # Until it is locked, another build's _remove_stale may take the folder for a dead
        # one; our flock then waits for that removal to end, and we make another folder.
        try:
            lock = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        except FileNotFoundError:
            continue
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _still_at(lock, path):
            path.chmod(0o755)  # mkdtemp makes it private; a site is read by the web server
            return path, lock
        os.close(lock)


def _still_at(descriptor: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(descriptor), os.stat(path))
    except FileNotFoundError:
        return False


def _remove_stale(home: Path, prefix: str) -> None:
    """Remove the ``prefix…`` folders of builds that no longer run (nobody holds their lock)."""
    for path in home.glob(f"{glob.escape(prefix)}*"):
        try:
            lock = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        except OSError:
            continue  # removed meanwhile, or not a folder
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            shutil.rmtree(path, ignore_errors=True)
        except BlockingIOError:
            pass  # a build that is running now
        finally:
            os.close(lock)


def swap(fresh: Path, site: Path) -> None:
    """Put ``fresh`` in place of ``site``; afterwards ``fresh`` holds the previous site (if any)."""
    if not site.exists():
        fresh.rename(site)
        return
    if not _exchange(fresh, site):
        parked = fresh.with_name(fresh.name + "-old")
        site.rename(parked)
        fresh.rename(site)
        # Unlocked, the parked old site may already be gone: another build's _remove_stale.
        with contextlib.suppress(FileNotFoundError):
            parked.rename(fresh)


def retarget(fresh: Path, link: Path) -> Path:
    """Make ``fresh`` a release beside it and point the symlink ``link`` at it; return it.

    The release is named after the link, the time (UTC) and the folder's unique suffix. The link
    keeps its style (relative or absolute); a new link made beside it replaces it by one
    ``rename``, so a reader follows the old release or the new one, never none.
    """
    suffix = fresh.name.rpartition("-new-")[2]
    moment = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    release = fresh.rename(fresh.with_name(f"{link.name}-{moment}-{suffix}"))
    relative = not os.path.isabs(os.readlink(link))
    # (A build killed between these two steps leaves only this small link behind.)
    staged = link.with_name(f".{link.name}-link-{suffix}")
    staged.symlink_to(os.path.relpath(release, link.parent.resolve()) if relative else release)
    staged.replace(link)
    return release


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
