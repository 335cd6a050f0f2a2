"""MkDocs adapter over ``kb.publish``: hashed asset names, inline-script hashes, build stamp.

Only ``on_*`` events live here; the rules are plain Python in ``kb/publish/``. Order in one
build: ``on_config`` (stamp) → ``on_files`` (hashed names for our scripts and styles, after
every other ``on_files``) → ``on_env`` (the theme's allowed inline scripts) → per page
``on_post_page`` and, for 404.html, ``on_post_template`` (rewrite references, check the inline
code against the policy and collect its hashes — last, so they see the final HTML) →
``on_post_build`` (``build.json``, the CSP snippet, the precompressed search index).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import page_loop
from jinja2 import TemplateNotFound
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

from kb.publish.compress import PRECOMPRESSED, gzip_all
from kb.publish.csp import (
    SNIPPET,
    THEME_SCRIPTS,
    PolicyError,
    check_page,
    nginx_snippet,
    script_shapes,
)
from kb.publish.fingerprint import Fingerprints, fingerprintable
from kb.publish.minify import minifiable, minify
from kb.publish.modules import ModuleError
from kb.publish.stamp import FILE as STAMP_FILE
from kb.publish.stamp import stamp_of

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

_build: dict = {"fingerprints": Fingerprints({}), "hashes": set(), "root": "/", "shapes": []}

# The hashes noted by pages built in forked copies (page_loop) come back to this process.
page_loop.carry("csp", lambda: set(_build["hashes"]), lambda added: _build["hashes"].update(added))


def on_config(config: MkDocsConfig) -> None:
    """Stamp the build (time, commit) for the footer and ``build.json``.

    Priority: default; it needs nothing from other plugins.
    """
    stamp = stamp_of(Path(config.config_file_path).resolve().parent)
    config.extra["kb_build"] = stamp  # overrides/partials/copyright.html shows it
    _build.update(stamp=stamp, hashes=set(), root=urlsplit(config.site_url or "/").path or "/")


@event_priority(-100)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Give our theme's scripts and styles content-hashed file names (minified first:
    whole-line comments and indentation, kb.publish.minify); point the modules' imports at
    the hashed names (kb.publish.modules: a refused import stops the build).

    Priority: -100 (run last), after every plugin has added or replaced files.
    """
    ours = Path(config.theme.custom_dir).resolve() if config.theme.custom_dir else None
    assets = [
        f
        for f in files
        if ours and f.src_dir and Path(f.src_dir).resolve() == ours and fingerprintable(f.src_uri)
    ]
    source = {f.src_uri: f.content_bytes for f in assets}
    served = {
        f.src_uri: minify(f.content_string, f.src_uri).encode("utf-8")
        if minifiable(f.src_uri)
        else source[f.src_uri]
        for f in assets
    }
    try:
        fingerprints = Fingerprints.of(served.items())
    except ModuleError as exc:  # named by its path in the project: overrides/kb/…
        theme = os.path.relpath(ours, Path(config.config_file_path).parent)
        raise PluginError(f"{Path(theme).as_posix()}/{exc}") from None
    served |= fingerprints.contents
    for old in assets:
        files.remove(old)
        if served[old.src_uri] != source[old.src_uri]:
            new = File.generated(config, old.src_uri, content=served[old.src_uri])
            new.inclusion = old.inclusion
        else:
            new = File(
                old.src_uri,
                old.src_dir,
                old.dest_dir,
                old.use_directory_urls,
                inclusion=old.inclusion,
            )
        new.dest_uri = fingerprints.names[old.src_uri]
        files.append(new)
    _build["fingerprints"] = fingerprints
    return files


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """Read the inline scripts the policy allows from the theme's templates (csp.THEME_SCRIPTS),
    as the theme resolves them: our overrides first, then Material's.

    Priority: default; pages are rendered after every ``on_env``.
    """
    shapes = []
    for name in THEME_SCRIPTS:
        try:
            shapes += script_shapes(env.loader.get_source(env, name)[0])
        except TemplateNotFound:
            raise PluginError(
                f"{name}: шаблона нет в теме (kb/publish/csp.py, THEME_SCRIPTS)"
            ) from None
        except PolicyError as exc:
            raise PluginError(f"{name}: {exc}") from None
    _build["shapes"] = shapes
    return env


def _publish(html: str, where: str) -> str:
    html = _build["fingerprints"].rewrite(html, where, _build["root"])
    try:
        _build["hashes"] |= check_page(html, where, _build["shapes"])
    except PolicyError as exc:
        raise PluginError(str(exc)) from None
    return html


@event_priority(-100)
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """Point the page at the hashed asset names; check its inline code against the policy and
    note the hashes of the theme's scripts for the CSP (a PluginError stops the build).

    Priority: -100 (run last): the check and the hashes must be of the HTML as it is written.
    """
    return _publish(output, page.file.dest_uri)


@event_priority(-100)
def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    """The same for pages rendered from a bare template (404.html).

    Priority: -100 (run last), as ``on_post_page``.
    """
    if not template_name.endswith(".html"):
        return output_content
    return _publish(output_content, template_name)


@event_priority(-110)
def on_post_build(config: MkDocsConfig) -> None:
    """Write ``build.json``, the inline-script hashes for nginx (``nginx-csp.conf``) and the
    precompressed search index.

    Priority: -110, after everything else, including kb_hooks' rewrite of the search index
    (-100), which the ``.gz`` copy must follow.
    """
    site = Path(config.site_dir)
    gzip_all([site / path for path in PRECOMPRESSED if (site / path).is_file()])
    (site / STAMP_FILE).write_text(_build["stamp"].json(), encoding="utf-8")
    (site / SNIPPET).write_text(nginx_snippet(_build["hashes"]), encoding="utf-8")
