"""Calendars (iCalendar, RFC 5545, made with the `icalendar` library) of the events: every event, each commune's,
and one file per event ("Thêm vào lịch"), as bytes by site path (no I/O; the plugin writes them).

A phone that subscribed updates an event instead of adding it twice only if the event keeps its UID: the UID is
made from the event's year and slug (its address), never from the build. DTSTAMP is the build's moment
(SOURCE_DATE_EPOCH when set), so the same input gives the same bytes.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

from functools import cache

from icalendar import Calendar, Event as VEvent, Timezone

from ..data.dates import build_moment
from ..data.events import EVENT_KINDS, EVENTS_DIR, STATUS_LABELS, TZ
from ..site.events import Events, Participation

ALL_PATH = f"{EVENTS_DIR}/lich.ics"
PRODID = "-//Hop tac xa An Giang//htx//VI"
# Calendar status by the event's shown status: postponed events are tentative until they get new dates.
_STATUS = {"huy": "CANCELLED", "hoan": "TENTATIVE"}


def commune_path(slug: str) -> str:
    return f"{EVENTS_DIR}/lich/{slug}.ics"


def event_path(part: Participation) -> str:
    return f"{EVENTS_DIR}/{part.entry.year}/{part.entry.slug}.ics"


def event_uid(part: Participation, site_url: str) -> str:
    """Return the event's UID: `<year>-<slug>@<site host>`, the same in every build and every file."""
    host = urlsplit(site_url).hostname or "htx-an-giang"
    return f"{part.entry.year}-{part.entry.slug}@{host}"


def render_calendars(events: Events, site_url: str, coop_names: dict[str, str] | None = None) -> dict[str, bytes]:
    """Return every calendar file of the site by its path: all events, each commune's, each event's."""
    # SOURCE_DATE_EPOCH when set, else the build day's midnight (UTC): same input, same bytes within a day.
    stamp = build_moment() or datetime.combine(events.today, time(0, 0), tzinfo=timezone.utc)
    names = coop_names or {}
    today = events.today
    out: dict[str, bytes] = {ALL_PATH: render_calendar(events.events, "Sự kiện hợp tác xã An Giang", site_url, stamp, today, names)}
    for parts in events.by_commune.values():
        commune = parts[0].entry.commune
        out[commune_path(commune.slug)] = render_calendar(parts, f"Sự kiện hợp tác xã — {commune.name}", site_url, stamp, today, names)
    for part in events.events:
        out[event_path(part)] = render_calendar([part], part.entry.event.name, site_url, stamp, today, names)
    return dict(sorted(out.items()))


def render_calendar(parts: list[Participation], name: str, site_url: str, stamp: datetime, today: date,
                    coop_names: dict[str, str]) -> bytes:
    """Return one VCALENDAR of parts (in their order) as bytes (CRLF lines, folded at 75 octets by the library)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    cal.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "P1D")
    if getattr(TZ, "key", None) and any(not p.entry.event.begins.all_day for p in parts):
        cal.add_component(_vtimezone())   # the VTIMEZONE of Asia/Ho_Chi_Minh that TZID= refers to
    for part in parts:
        cal.add_component(_vevent(part, site_url, stamp, today, coop_names))
    return cal.to_ical()


@cache
def _vtimezone() -> Timezone:
    """Return Vietnam's VTIMEZONE, made once (14 ms each: ~1.5 s for a province's 102 commune calendars)."""
    return Timezone.from_tzinfo(TZ)


def _vevent(part: Participation, site_url: str, stamp: datetime, today: date, coop_names: dict[str, str]) -> VEvent:
    entry, event = part.entry, part.entry.event
    root = site_url if site_url.endswith("/") else site_url + "/"
    page = root + entry.url if site_url else "/" + entry.url
    begins, ends = event.begins, event.ends
    ve = VEvent()
    ve.add("uid", event_uid(part, site_url))
    ve.add("dtstamp", stamp)
    if begins.all_day:
        ve.add("dtstart", begins.day)
        ve.add("dtend", ends.day + timedelta(days=1))      # DTEND of a DATE event is the day after (exclusive)
    else:
        ve.add("dtstart", _local(begins.at))
        if event.end is not None:
            # A timed start with a whole-day end: until the end of that day.
            end = ends.at if not ends.all_day else datetime.combine(ends.day + timedelta(days=1), time(0, 0), tzinfo=TZ)
            ve.add("dtend", _local(end))
    ve.add("summary", event.name)
    venue = event.venue
    ve.add("location", ", ".join(x for x in (venue.name, venue.detail, entry.commune.name, "An Giang") if x))
    status = entry.status(today)
    lines = [event.summary.strip(), "", f"Loại: {EVENT_KINDS[event.kind]}", f"Đơn vị tổ chức: {event.organizer}"]
    if status in ("hoan", "doi-lich", "huy"):
        lines.insert(0, f"[{STATUS_LABELS[status]}]")
    if part.coops:
        lines.append("Hợp tác xã tham gia: " + "; ".join(coop_names.get(s, s) for s in part.coops))
    lines.append(f"Chi tiết: {page}")
    ve.add("description", "\n".join(lines))
    ve.add("url", page)
    ve.add("categories", [EVENT_KINDS[event.kind]])
    ve.add("status", _STATUS.get(status, "CONFIRMED"))
    ve.add("transp", "TRANSPARENT")
    return ve


def _local(moment: datetime) -> datetime:
    """Return moment in Vietnam time; with no tz database (fixed offset), in UTC, which needs no VTIMEZONE."""
    local = moment.astimezone(TZ)
    return local if getattr(TZ, "key", None) else local.astimezone(timezone.utc)


def write_calendars(files: dict[str, bytes], site_dir: Path) -> int:
    """Write the calendar files into the site; return how many."""
    for path, data in files.items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return len(files)
