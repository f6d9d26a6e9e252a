"""Hand-written pages: fill `<!-- htx:NAME -->` markers with blocks built from the data and the site settings,
resolve `[text](htx:coop)` / `[text](htx:coop/product)` links so that a wrong slug fails the build (with its
line and a suggestion), and `[text](kho:path)` links into the repository named by `extra.repository`.
"""
from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

from markupsafe import Markup, escape

from .catalog import Catalog, coop_url, product_url
from .render import Rendered, url_of
from ..data.posts import read_post_meta
from ..data.text import format_date, suggest

MARKER = re.compile(r"<!--\s*htx:([a-z-]+)\s*-->")
LINK = re.compile(r"\]\(htx:([a-z0-9-]+)(?:/([a-z0-9-]+))?(#[^)\s]*)?\)")
# `[mẫu](kho:issues/new?template=x.yml)` → the same path under extra.repository: no page names the repository.
REPO_LINK = re.compile(r"\]\(kho:([^)\s]*)\)")
REPOSITORY = re.compile(r"https://github\.com/([A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*)")
DATA_BLOCKS = ("figures", "featured", "practice-examples", "latest-news", "upcoming-events")
Block = Callable[[str], str]  # page URL → Markdown/HTML to put where the marker stands


@dataclass(frozen=True)
class Post:
    title: str
    day: date
    url: str          # site-relative, as MkDocs gives it once the blog plugin has placed the post (with_urls)
    src_uri: str = ""  # relative to docs_dir: "tin-tuc/posts/x.md"

    @property
    def date(self) -> str:
        return format_date(self.day)


def read_posts(folder: Path, today: date) -> list[Post]:
    """Return published news posts, newest first (drafts and future-dated posts left out).

    `url` is a first guess (`tin-tuc/<slug>/`); the plugin replaces it with the URL MkDocs gives the post's
    file (with_urls), which is right also when `slug:` is missing and Material slugifies the title.
    """
    docs = folder.parent.parent
    posts = [Post(m.title, m.day, f"tin-tuc/{m.slug}/", m.path.relative_to(docs).as_posix())
             for m in read_post_meta(folder) if m.day <= today]
    return sorted(posts, key=lambda p: (p.day, p.title), reverse=True)


def with_urls(posts: list[Post], url_of: Callable[[str], str | None]) -> list[Post]:
    """Return the posts with the URL url_of gives each source; a post without one (not built) is left out."""
    out = []
    for post in posts:
        url = url_of(post.src_uri) if post.src_uri else post.url
        if url:
            out.append(replace(post, url=url))
    return out


def data_blocks(rendered: Rendered, posts: list[Post]) -> dict[str, Block]:
    """Return the blocks built from the cooperatives' data, by marker name."""
    def block(name: str) -> Block:
        extra: dict[str, Any] = {"posts": posts[:5]} if name == "latest-news" else {}
        if name == "upcoming-events":
            extra["upcoming"] = rendered.renderer.events.upcoming if rendered.renderer is not None else []
        return lambda page_url: rendered.fragment(name, page_url, **extra)

    return {name: block(name) for name in DATA_BLOCKS}


def expand_markers(markdown: str, blocks: dict[str, Block], page_url: str) -> tuple[str, list[str]]:
    """Return markdown with every known marker replaced by its block, and the unknown marker names."""
    unknown: list[str] = []

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in blocks:
            unknown.append(name)
            return match.group(0)
        return "\n" + blocks[name](page_url) + "\n"

    return MARKER.sub(replace, markdown), unknown


def resolve_links(markdown: str, catalog: Catalog, page_src: str) -> tuple[str, list[str]]:
    """Return markdown with `htx:` links made relative links to the pages' sources, and the missing targets.

    Links point at source files (`../hop-tac-xa/x.md`) so MkDocs checks and rewrites them as for any page,
    wherever the blog plugin puts the post.
    """
    missing: list[str] = []

    def replace(match: re.Match) -> str:
        coop, product, anchor = match.group(1), match.group(2), match.group(3) or ""
        if product:
            ok = f"{coop}/{product}" in catalog.items
            target = product_url(coop, product)
        else:
            ok = coop in catalog.entries
            target = coop_url(coop)
        if not ok:
            missing.append(f"htx:{coop}" + (f"/{product}" if product else ""))
            return match.group(0)
        source = target[:-1] + ".md"
        return f"]({posixpath.relpath(source, posixpath.dirname(page_src) or '.')}{anchor})"

    return LINK.sub(replace, markdown), missing


def missing_links(markdown: str, catalog: Catalog) -> list[str]:
    """Return the `htx:` links of a page whose cooperative or product is not in the catalog."""
    missing = []
    for coop, product, _anchor in LINK.findall(markdown):
        if (f"{coop}/{product}" not in catalog.items) if product else (coop not in catalog.entries):
            missing.append(f"htx:{coop}" + (f"/{product}" if product else ""))
    return missing


HREF = re.compile(r'href="htx:(?:/([^"#]+\.md)|([a-z0-9-]+)(?:/([a-z0-9-]+))?)(#[^"]*)?"')
# A relative link to a Markdown source (`](../san-pham/ocop/index.md#a)`): absolute URLs, schemes and anchors
# alone are left out.
MD_LINK = re.compile(r"\]\((?![a-z][a-z0-9+.-]*:|/|#)([^)\s#]+\.md)(#[^)\s]*)?\)")


def generated_links(markdown: str, page_src: str, generated: set[str]) -> str:
    """Return markdown with each link to a generated page's source (`](../san-pham/ocop/index.md)`) written
    `](htx:/san-pham/ocop/index.md)`: those pages are not MkDocs' files, link_urls makes them URLs."""
    def replace(match: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page_src), match.group(1)))
        return f"](htx:/{target}{match.group(2) or ''})" if target in generated else match.group(0)

    return MD_LINK.sub(replace, markdown)


def link_urls(html: str, page_url: str) -> tuple[str, list[tuple[str, str, str]]]:
    """Return a page's HTML with each `href="htx:…"` made a link relative to page_url, and the links that
    name an anchor as (target page's src_uri, anchor, `htx:` link as written).

    `htx:` links stay as they are through Markdown (MkDocs leaves a link with a scheme alone) and are made
    URLs here, once the page's own URL is final (the blog plugin places posts): the pages they reach are
    written outside MkDocs (htx.mkdocs.generated), so MkDocs could not check them; missing_links does.
    """
    anchored: list[tuple[str, str, str]] = []

    def replace(match: re.Match) -> str:
        source, coop, product, anchor = match.group(1), match.group(2), match.group(3), match.group(4) or ""
        target = url_of(source) if source else product_url(coop, product) if product else coop_url(coop)
        if anchor:
            anchored.append((target[:-1] + ".md", anchor[1:], match.group(0)[len('href="'):-1]))
        rel = posixpath.relpath(target, page_url or ".")   # both directory URLs ("a/b/")
        return f'href="{"./" if rel == "." else rel + "/"}{anchor}"'

    return HREF.sub(replace, html), anchored


def locate(source: str, targets: list[str]) -> dict[str, list[int]]:
    """Return the 1-based lines of the source file (front matter included) where each link target stands.

    Searched in the file as written, not in the Markdown MkDocs hands over (front matter removed, other
    plugins' changes): 0 when the link is not in the file (a block put it there).
    """
    lines: dict[str, list[int]] = {}
    for target in dict.fromkeys(targets):
        needle = re.compile(r"\]\(" + re.escape(target) + r"(?=[#)])")
        found = [source.count("\n", 0, m.start()) + 1 for m in needle.finditer(source)]
        lines[target] = found or [0]
    return lines


def suggest_link(target: str, catalog: Catalog) -> str | None:
    """Return the existing `htx:` link closest to a missing one, or None."""
    coop, _, product = target.removeprefix("htx:").partition("/")
    if coop not in catalog.entries:
        near = suggest(coop, list(catalog.entries))
        if near is None:
            return None
        if product and f"{near}/{product}" not in catalog.items:
            return "htx:" + near
        return "htx:" + near + (f"/{product}" if product else "")
    products = [key.partition("/")[2] for key in catalog.items if key.startswith(coop + "/")]
    near = suggest(product, products)
    return f"htx:{coop}/{near}" if near else f"htx:{coop}"


def repository_slug(repository: object) -> str | None:
    """Return `owner/name` of an `extra.repository` setting (`https://github.com/owner/name`), or None."""
    match = REPOSITORY.fullmatch(str(repository or "").strip().rstrip("/"))
    return match.group(1) if match else None


def resolve_repository_links(markdown: str, repository: object) -> tuple[str, list[str]]:
    """Return markdown with `kho:` links made links into the repository, and the paths left unresolved.

    Every `kho:` link is unresolved when `extra.repository` is not a GitHub repository address.
    """
    slug = repository_slug(repository)
    missing: list[str] = []

    def replace_link(match: re.Match) -> str:
        if slug is None:
            missing.append("kho:" + match.group(1))
            return match.group(0)
        return f"](https://github.com/{slug}/{quote(match.group(1).lstrip('/'), safe='/?=&#%-._~')})"

    return REPO_LINK.sub(replace_link, markdown), missing


def json_data(element_id: str, data: object) -> str:
    """Return data as a `<script type="application/json">` element: data, not code (the CSP allows no inline
    script); `<`, `>` and `&` written as \\u escapes so no text can close the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{escape(element_id)}">{text}</script>'


def builder_data_block(repository: object, branch: str = "main") -> str:
    """Return what the profile builder reads: the communes answer data (htx.data.communes.builder_data), the
    repository to open on GitHub, and the datalist of the 102 units in Vietnamese order."""
    from ..data.communes import builder_data

    data = builder_data()
    slug = repository_slug(repository)
    data = {**data, "repository": slug, "branch": branch}
    options = "\n".join(str(Markup('  <option value="{}"></option>').format(u["name"])) for u in data["units"])
    # One <div>: Python-Markdown keeps a block-level element whole (a bare <datalist> would become a paragraph).
    return ('<div class="htx-builder__data">\n' + json_data("htx-b-data", data) + '\n<datalist id="htx-b-communes">\n'
            + options + "\n</datalist>\n</div>")


def settings_blocks(extra: dict[str, Any]) -> dict[str, Block]:
    """Return the blocks built from the site settings (`extra` in mkdocs.yml), by marker name."""
    repository = extra.get("repository")
    return {"builder-data": lambda _url: builder_data_block(repository)}


def open_data_blocks(data: Any, operator: str) -> dict[str, Block]:
    """Return the `open-data` block of /du-lieu/: the files (htx.publish.opendata), their sizes and rows, the data
    dictionary and the Dataset JSON-LD. The files are made before the pages, so the sizes are the published ones."""
    from ..publish.opendata import page_block

    return {"open-data": lambda _url: page_block(data, operator)}


def page_problems(shown: str, source: str, catalog: Catalog, *, missing: list[str] = (), unset: list[str] = (),
                  unknown: list[str] = (), blocks: list[str] = (), placeholders: list[str] = ()) -> list[str]:
    """Return the problems of a hand-written page, one `file:line: message hint` per line, in line order.

    shown is the file as the writer knows it (`content/tin-tuc/posts/x.md`); source its text as written.
    """
    from ..data import messages as M

    def line_of(text: str) -> int:
        at = source.find(text)
        return source.count("\n", 0, at) + 1 if at >= 0 else 0

    found: list[tuple[int, str]] = []
    for target, lines in locate(source, list(missing)).items():
        near = suggest_link(target, catalog)
        hint = M.text("post_link_suggestion", suggestion=near) if near else M.text("post_link_unknown_hint")
        found += [(line, f"{M.text('post_link_unknown', target=target)} {hint}") for line in lines]
    for target, lines in locate(source, list(unset)).items():
        found += [(line, f"{M.text('repo_link_unset', target=target)} {M.text('repo_link_unset_hint')}") for line in lines]
    for name in dict.fromkeys(unknown):
        hint = M.text("page_block_unknown_hint", names=", ".join(f"`htx:{b}`" for b in sorted(blocks)))
        found.append((line_of(f"htx:{name}"), f"{M.text('page_block_unknown', name=name)} {hint}"))
    for text in placeholders:
        found.append((line_of(text), f"{M.text('post_placeholder', placeholder=text)} {M.text('post_placeholder_hint')}"))
    return [f"{shown}:{line}: {message}" if line else f"{shown}: {message}" for line, message in sorted(found)]
