"""The `htx` plugin's settings (its config schema in mkdocs.yml) and the state of one build.

Every setting lives here; environment variables reach them only through `!ENV` in mkdocs.yml
(HTX_INCLUDE_SAMPLES, HTX_CACHE_DIR, HTX_SEARCH, HTX_ONLY), never through os.environ in the plugin.
"""
from __future__ import annotations

from ..site.i18n import Twins

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

if TYPE_CHECKING:
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation

    from ..pipeline import Result
    from ..publish.feed import FeedItem
    from ..publish.opendata import OpenData
    from ..publish.search import Stager
    from ..site.handwritten import Block, Post
    from ..site.operator import Controller, Operator
    from ..site.render import PageJob


class HtxConfig(Config):
    """Options of the `htx` plugin in mkdocs.yml."""

    cooperatives_dir = c.Type(str, default="cooperatives")   # relative to mkdocs.yml
    include_samples = c.Type(bool, default=True)   # false for a production build without sample profiles
    images = c.Type(bool, default=True)            # false skips photo encoding (fast previews)
    # Comma-separated slugs to build alone (`htx preview` sets HTX_ONLY); empty builds every cooperative.
    only = c.Type(str, default="")
    # The search index after the build (htx.publish.search); HTX_SEARCH=0 (or false) skips it for quick previews and benchmarks.
    search = c.Type((bool, int), default=True)
    # Photos, share cards, QR codes and rendered pages kept between builds; relative to mkdocs.yml.
    cache_dir = c.Type(str, default=".cache/htx")
    # Processes that write generated pages (0: one per CPU core); one when `mkdocs serve` runs threads.
    workers = c.Type(int, default=0)

    def slugs(self) -> set[str]:
        return {s.strip() for s in self.only.split(",") if s.strip()}

    def cache_path(self, root: Path) -> Path:
        return (root / self.cache_dir).resolve()

    def worker_count(self) -> int:
        return self.workers if self.workers > 0 else max(1, os.cpu_count() or 1)


@dataclass
class BuildState:
    """Everything one build knows, made in on_pre_build and dropped when the build ends.

    MkDocs calls the plugin's hooks in turn; each reads and adds to this one object instead of keeping
    attributes of its own on the plugin, so that a failed build cannot leak state into the next one
    (`mkdocs serve` rebuilds with the same plugin instance).
    """

    result: Result
    operator: Operator
    controller: Controller
    posts: list[Post]
    blocks: dict[str, Block]
    open_data: OpenData
    stager: Stager | None = None
    feed_items: list[FeedItem] = field(default_factory=list)
    nav: Navigation | None = None
    files: Files | None = None
    nav_pages: dict[str, Any] = field(default_factory=dict)   # generated src_uri in the nav → its GeneratedPage
    handwritten: list[tuple[str, str]] = field(default_factory=list)   # (dest_uri, sha256) of pages MkDocs wrote
    jobs: list[PageJob] = field(default_factory=list)     # the generated pages htx writes (not the nav's)
    generated: set[str] = field(default_factory=set)      # their src_uris
    theme: str = ""                           # the fingerprint of all around a generated page (generated.py)
    anchors: dict[str, set[str]] = field(default_factory=dict)   # ids of generated pages linked with a #
    twins: Twins | None = None                # each page's twin in the other language (htx.site.i18n)
