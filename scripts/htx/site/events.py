"""Events across files: unique slugs, participants checked against the catalog, and the orders the pages need
(upcoming first by date, then past by year, newest first), relative to the build's day."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from ..data import messages as M
from ..data.events import EventEntry
from ..data.problems import Problem, format_path
from ..data.text import suggest
from .catalog import Catalog, Item


@dataclass
class Participation:
    """An event with the catalog's cooperatives and products that take part (those of products included)."""

    entry: EventEntry
    coops: list[str] = field(default_factory=list)      # slugs, as listed, then the makers of listed products
    items: list[Item] = field(default_factory=list)


@dataclass
class Events:
    """Every valid event and its participants, with the build's day for "upcoming"."""

    today: date
    events: list[Participation] = field(default_factory=list)   # by start, then key

    @classmethod
    def from_entries(cls, entries: list[EventEntry], catalog: Catalog, *, include_samples: bool = True,
                     coops_dir: Path | None = None) -> tuple["Events", list[Problem]]:
        """Return the events of entries checked against catalog, and the problems (duplicates, unknown participants).

        A participant whose folder exists in coops_dir but is not in the catalog (a sample left out, a preview of
        one cooperative, a profile with errors of its own) is left out quietly, as in the featured list; so is any
        unknown participant of a sample event (it names the sample profiles, which a project may not have).
        """
        out = cls(today=catalog.today)
        problems: list[Problem] = []
        folders = {p.name for p in coops_dir.iterdir() if p.is_dir()} if coops_dir and coops_dir.is_dir() else set()
        seen: dict[str, EventEntry] = {}
        for entry in sorted(entries, key=lambda e: (e.file,)):
            if entry.event.sample and not include_samples:
                continue
            if entry.slug in seen:
                line, col = entry.position(())
                problems.append(Problem(entry.file, line, col, "", M.text("event_duplicate", slug=entry.slug, other=seen[entry.slug].file),
                                        M.text("event_duplicate_hint", slug=entry.slug, year=entry.year)))
                continue
            seen[entry.slug] = entry
            part = Participation(entry)
            problems += _participants(part, catalog, folders)
            out.events.append(part)
        out.events.sort(key=lambda p: (p.entry.event.begins.at, p.entry.key))
        return out, problems

    @cached_property
    def upcoming(self) -> list[Participation]:
        """Events not over on the build's day, soonest first (cancelled ones included: the page says so)."""
        return [p for p in self.events if p.entry.upcoming(self.today)]

    @cached_property
    def past_by_year(self) -> dict[int, list[Participation]]:
        """Events over by the build's day, by year of their start (newest year first, newest event first)."""
        index: dict[int, list[Participation]] = {}
        for p in reversed(self.events):
            if not p.entry.upcoming(self.today):
                index.setdefault(p.entry.year, []).append(p)
        return dict(sorted(index.items(), reverse=True))

    @cached_property
    def by_coop(self) -> dict[str, list[Participation]]:
        """Upcoming events of each cooperative (by slug), soonest first: "Gặp chúng tôi tại …"."""
        index: dict[str, list[Participation]] = {}
        for p in self.upcoming:
            if p.entry.status(self.today) == "huy":
                continue
            for slug in p.coops:
                index.setdefault(slug, []).append(p)
        return index

    @cached_property
    def by_commune(self) -> dict[str, list[Participation]]:
        """Every event by the code of its commune, in start order (the per-commune calendars)."""
        index: dict[str, list[Participation]] = {}
        for p in self.events:
            index.setdefault(p.entry.commune.code, []).append(p)
        return index

    def of_item(self, item: Item) -> list[Participation]:
        """Upcoming events where a product is shown: listed itself, or its cooperative takes part."""
        return self.by_coop.get(item.coop.slug, [])

    def digest_of(self, slug: str) -> str:
        """What the pages of a cooperative read of the events (its upcoming ones' files), for PageJob.inputs."""
        return ",".join(f"{p.entry.key}:{p.entry.digest}" for p in self.by_coop.get(slug, []))


def _participants(part: Participation, catalog: Catalog, folders: set[str]) -> list[Problem]:
    entry = part.entry
    problems: list[Problem] = []

    def add(loc: tuple, key: str, hint: str, **values: object) -> None:
        if entry.event.sample and key != "event_participant_duplicate":
            return
        line, col = entry.position(loc)
        problems.append(Problem(entry.file, line, col, format_path(loc), M.text(key, **values), M.text(hint, **values)))

    def nearest(word: str, choices: list[str]) -> str | None:
        # A sample event's unknown names are not reported (add), so nothing is looked up for them: a suggestion
        # compares the name with every cooperative's.
        return None if entry.event.sample else suggest(word, choices)

    listed: set[str] = set()
    for i, slug in enumerate(entry.event.cooperatives):
        if slug in listed:
            add(("hop_tac_xa", i), "event_participant_duplicate", "event_participant_duplicate_hint", got=slug)
            continue
        listed.add(slug)
        if slug in catalog.entries:
            part.coops.append(slug)
        elif slug not in folders:
            near = nearest(slug, list(catalog.entries) or sorted(folders))
            add(("hop_tac_xa", i), "event_unknown_coop", "event_unknown_coop_hint" if near else "event_unknown_coop_hint_none",
                got=slug, suggestion=near)
    keys: set[str] = set()
    for i, key in enumerate(entry.event.products):
        key = key.strip()
        if key in keys:
            add(("san_pham", i), "event_participant_duplicate", "event_participant_duplicate_hint", got=key)
            continue
        keys.add(key)
        slug, product = key.split("/")
        if key in catalog.items:
            part.items.append(catalog.items[key])
            if slug not in part.coops:
                part.coops.append(slug)
        elif slug in catalog.entries:
            near = nearest(product, [i.product.id for i in catalog.products_of(slug)])
            add(("san_pham", i), "event_unknown_product", "event_unknown_product_hint" if near else "event_unknown_product_hint_none",
                slug=slug, id=product, suggestion=f"{slug}/{near}")
        elif slug not in folders:
            near = nearest(slug, list(catalog.entries) or sorted(folders))
            add(("san_pham", i), "event_unknown_coop", "event_unknown_coop_hint" if near else "event_unknown_coop_hint_none",
                got=slug, suggestion=f"{near}/{product}" if near else "")
    return problems
