"""Precompressed copies for nginx's ``gzip_static``: the big files are compressed once per build.

Only what is large and asked for on every visit is worth it — the search index (megabytes at a
few hundred regulations, compressing it per request would cost nginx tens of milliseconds);
pages stay with nginx's on-the-fly gzip, which is cheap for them and keeps the build fast.
"""

from __future__ import annotations

import gzip
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PRECOMPRESSED = ("search/search_index.json", "search/kb_index.json")
"""Site paths that get a ``.gz`` beside them."""


def gzip_beside(path: Path) -> Path:
    """Write ``path.gz`` (level 9, no name or time inside, same mtime as ``path``)."""
    target = path.with_name(path.name + ".gz")
    data = path.read_bytes()
    with target.open("wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as out:
        out.write(data)
    stat = path.stat()
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    return target


def gzip_all(paths: list[Path]) -> list[Path]:
    """:func:`gzip_beside` of each path, side by side (zlib lets go of the interpreter lock
    while it compresses: one thread per file, on as many cores)."""
    with ThreadPoolExecutor(max(1, len(paths))) as pool:
        return list(pool.map(gzip_beside, paths))
