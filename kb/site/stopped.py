"""What `mkdocs serve` shows in place of the site while the build is stopped.

A build stops on broken input (a regulation, the glossary, ``extra.kb``): ``make build`` then
fails and leaves the published site as it was. The dev server must not do that: MkDocs keeps
every page request waiting until a build succeeds, so a maintainer who saves a broken file
sees a browser spinning and no reason. In serve mode the build goes on instead with this page
at the address of every page the site has: the reason, file by file and line by line, in the
browser; once the file is fixed, the next build puts the pages back and the dev server's live
reload shows them.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kb.site.html import compact
from kb.site.knowledge_base import Page
from kb.site.pages import PAGES
from kb.site.render import Renderer
from kb.site.urls import page_url, regulation_src

TITLE = "Сборка остановлена"

_NOT_SEARCHED = {"search": {"exclude": True}}


def stopped_pages(message: str, regulations: Path, also: Iterable[str] = ()) -> list[Page]:
    """The stopped page at every address a maintainer may have open.

    ``message`` is why the build stopped: its first line the summary, then one located problem
    per line (``kb.problems.build_stopped``). The addresses: the KB-wide pages, one page per
    ``*.yml`` in ``regulations`` (its name is its address, however broken its content) and
    ``also`` (``src_uri``s: the pages of the last good build).
    """
    lines = message.splitlines()
    # A one-line message (a setting of mkdocs.yml) is the problem itself, not a summary.
    summary, problems = (lines[0], lines[1:]) if len(lines) > 1 else (None, lines)
    html = compact(Renderer().render("stopped.html", summary=summary, problems=problems))
    sources = {spec.src_uri for spec in PAGES}
    sources.update(regulation_src(path.stem) for path in regulations.glob("*.yml"))
    sources.update(also)
    return [
        Page(src, page_url(src), TITLE, html, [], meta=_NOT_SEARCHED) for src in sorted(sources)
    ]
