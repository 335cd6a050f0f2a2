"""Compiled code kept between builds: in Jinja's private per-user folder of the system's
temporary directory, each piece under its name and the checksum of what it was made from.

The pages' templates (kb.site.render) and the theme's (the adapter) are kept there by Jinja
itself (:func:`compiled_cache`); the quick schema check (kb.check.schema_fast) keeps its
generated module there too (:func:`kept_code`). A cache that cannot be made or written never
stops a build: what is not kept is compiled again next time.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import suppress
from types import CodeType

from jinja2 import FileSystemBytecodeCache
from jinja2.bccache import Bucket


class _Cache(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, which never stops a build."""

    def dump_bytecode(self, bucket) -> None:
        with suppress(OSError):
            super().dump_bytecode(bucket)


def compiled_cache() -> FileSystemBytecodeCache | None:
    """Jinja's cache of compiled templates (an edited template is compiled anew). Compiling
    took 0.2 s of every build for our templates and as much for the theme's. ``None`` where the
    folder cannot be made safely."""
    try:
        return _Cache()
    except (OSError, RuntimeError):
        return None


def kept_code(name: str, made_from: str, make: Callable[[], CodeType]) -> CodeType:
    """``make()``, kept under ``name`` until ``made_from`` (everything the code depends on,
    as text) changes, or Python's version (Jinja's cache checks it)."""
    cache = compiled_cache()
    bucket = Bucket(None, name, hashlib.sha256(made_from.encode("utf-8")).hexdigest())
    if cache is not None:
        with suppress(OSError, EOFError, ValueError, TypeError):  # unreadable: made again
            cache.load_bytecode(bucket)
    if bucket.code is None:
        bucket.code = make()
        if cache is not None:
            cache.dump_bytecode(bucket)
    return bucket.code
