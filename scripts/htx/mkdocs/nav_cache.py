"""Build glue: render the theme's navigation once per "place", not once per page.

Material renders the whole site navigation (the drawer on phones: every section and explainer page) into
each page: a quarter of a province build's time (measured with cProfile: 44 of 172 s). A generated page
is not in the navigation, so nothing in it is marked active, and its table of contents is empty; what its
navigation looks like then depends only on the relative URLs from the page to the navigation's pages. Pages
with the same URLs share one rendering (`nav_key`), e.g. all 5,000 product pages of a province.
The tabs are cached the same way: overrides/main.html wraps Material's `tabs` and `site_nav` blocks in its
`cached` macro, which keeps them in a `FragmentCache`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup
from mkdocs.utils import get_relative_url

if TYPE_CHECKING:
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page


def nav_key(page: Page, nav: Navigation) -> tuple | None:
    """What an out-of-navigation page without a table of contents (a generated page) shows of the
    navigation; None for any other page."""
    if len(page.toc) or any(p is page for p in nav.pages):
        return None
    hide = tuple((page.meta or {}).get("hide", ()))
    return (hide, *(get_relative_url(p.url, page.url) for p in nav.pages))


class FragmentCache:
    """Rendered fragments by key, for one build (cleared when a build starts)."""

    def __init__(self) -> None:
        self.fragments: dict[object, Markup] = {}
        self.hits = 0

    def get(self, key: object) -> Markup | None:
        found = self.fragments.get(key) if key is not None else None
        self.hits += found is not None
        return found

    def put(self, key: object, html: str) -> Markup:
        fragment = Markup(html)
        if key is not None:
            self.fragments[key] = fragment
        return fragment

    def clear(self) -> None:
        self.fragments.clear()
        self.hits = 0
