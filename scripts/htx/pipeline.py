"""The whole data flow in one place: load → validate → catalog → render. Shared by the plugin and the CLI."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .data.dates import build_date
from .data.posts import read_post_meta
from .data.load import file_bytes, profile_files, read_profile, read_profiles
from .data.profile_cache import ProfileCache, profile_key
from .data.problems import Problem
from .data.validate import Entry, validate_all, validate_document
from .data.events import read_events
from .data.history import read_history
from .site.catalog import Catalog
from .site.events import Events
from .site.render import Rendered, render_pages


@dataclass
class Result:
    """Everything a run produced; `ok` is False when any problem is an error."""

    catalog: Catalog
    rendered: Rendered
    problems: list[Problem] = field(default_factory=list)
    events: Events | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def check(root: Path, *, base: Path | None = None, only: set[str] | None = None,
          check_images: bool = True) -> tuple[list[Entry], list[Problem]]:
    """Return the valid entries under root and every problem (load, schema and cross-file checks)."""
    docs, p1 = read_profiles(root, base=base, only=only)
    entries, p2 = validate_all(docs, check_images=check_images)
    _, p3 = Catalog.from_entries(entries)
    return entries, sorted(p1 + p2 + p3)


def check_events(events_dir: Path | None, catalog: Catalog, *, base: Path, coops_dir: Path,
                 include_samples: bool = True) -> tuple[Events, list[Problem]]:
    """Return the events under events_dir (content/su-kien/) checked against catalog, and their problems."""
    if events_dir is None:
        return Events(today=catalog.today), []
    entries, problems = read_events(events_dir, base, catalog.today)
    events, more = Events.from_entries(entries, catalog, include_samples=include_samples, coops_dir=coops_dir)
    return events, problems + more


def build(root: Path, *, base: Path | None = None, include_samples: bool = True, only: set[str] | None = None,
          with_images: bool = True, site_url: str = "", cache: ProfileCache | None = None,
          events_dir: Path | None = None, posts_dir: Path | None = None) -> Result:
    """Return the pages of every cooperative under root (and of the events under events_dir), or the problems
    that stop the build.

    cache keeps validated profiles between builds (the plugin's cache folder); none by default."""
    cache = cache or ProfileCache(None)
    # One profile at a time: read, validate, keep the model (Entry.slim drops the document), so that a national
    # catalog never holds 34,000 parsed documents at once; a profile validated before with the same inputs
    # comes from the cache (htx.data.profile_cache).
    entries: list[Entry] = []
    found: list[Problem] = []
    today = build_date()
    for path, display, problems in profile_files(root, base=base, only=only):
        found += problems
        if path is None:
            continue
        # Read once, for the key and the document. A linked, oversized or irregular profile.yml (a folder of that
        # name) has no key: read_profile refuses it with its reason, and its target is never read.
        raw = file_bytes(path)
        key = profile_key(path, display, with_images=with_images, today=today, data=raw) if raw is not None else ""
        kept = cache.get(key) if key else None
        if kept is None:
            doc, problems = read_profile(path, display, raw)
            entry = None
            if doc is not None:
                entry, more = validate_document(doc, check_images=with_images)
                problems = problems + more
                entry = entry.slim() if entry is not None else None
            if key:
                cache.put(key, entry, problems)
            kept = (entry, problems)
        entry, problems = kept
        found += problems
        if entry is not None:
            entry.digest = key    # what the pages of this cooperative are kept by (site.render.PageJob.inputs)
            entries.append(entry)
    catalog, p3 = Catalog.from_entries(entries, include_samples=include_samples)
    events, p4 = check_events(events_dir, catalog, base=base or root.parent, coops_dir=root, include_samples=include_samples)
    problems = sorted(found + p3 + p4)
    if any(p.severity == "error" for p in problems):
        return Result(catalog, Rendered(), problems, events)
    # The plan in numbers: the profiles' git history (None without one) and the news posts' dates and categories.
    history = read_history(root, include_samples=include_samples) if events_dir is not None else None
    posts = read_post_meta(posts_dir) if posts_dir is not None else []
    return Result(catalog, render_pages(catalog, with_images=with_images, site_url=site_url, events=events,
                                        history=history, posts=posts), problems, events)
