"""Calendars of the events (RFC 5545 through `icalendar`): they parse, UIDs do not depend on the build, and the same
input on the same day gives the same bytes."""
from __future__ import annotations

from pathlib import Path

import icalendar
import pytest

from htx.pipeline import build
from htx.publish.calendar import ALL_PATH, render_calendars

REPO = Path(__file__).resolve().parents[2]
SITE = "https://htx.angiang.example/"


def sample_events(monkeypatch: pytest.MonkeyPatch, epoch: str):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    result = build(REPO / "cooperatives", base=REPO, with_images=False, events_dir=REPO / "content" / "su-kien")
    assert result.ok
    names = {slug: e.coop.name for slug, e in result.catalog.entries.items()}
    return render_calendars(result.events, SITE, names)


def uids(data: bytes) -> list[str]:
    return [str(ev["UID"]) for ev in icalendar.Calendar.from_ical(data).walk("VEVENT")]


def test_calendars_parse_and_keep_their_uids_across_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    first = sample_events(monkeypatch, "1795651200")     # 26/11/2026
    again = sample_events(monkeypatch, "1795651200")
    later = sample_events(monkeypatch, "1796256000")     # a week later: a new DTSTAMP, the same UIDs
    assert first == again                                # same input, same day: same bytes
    assert first.keys() == later.keys() and first[ALL_PATH] != later[ALL_PATH]
    assert uids(first[ALL_PATH]) == uids(later[ALL_PATH])
    cal = icalendar.Calendar.from_ical(first[ALL_PATH])
    events = cal.walk("VEVENT")
    assert len(events) == 5 and len(set(uids(first[ALL_PATH]))) == 5
    assert all(str(ev["UID"]).endswith("@htx.angiang.example") for ev in events)
    assert "2027-hoi-cho-san-pham-hop-tac-xa-rach-gia@htx.angiang.example" in uids(first[ALL_PATH])
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Asia/Ho_Chi_Minh"
    fair = next(ev for ev in events if "hoi-cho" in str(ev["UID"]))
    assert fair.decoded("DTSTART").isoformat() == "2027-01-15T08:00:00+07:00"
    assert "Hợp tác xã Nước Mắm Gió Biển Phú Quốc" in str(fair["DESCRIPTION"])
    assert str(fair["URL"]) == SITE + "su-kien/2027/hoi-cho-san-pham-hop-tac-xa-rach-gia/"
    # An all-day event: DATE values, the end exclusive (20–22/03 ends on the 23rd).
    show = next(ev for ev in events if "trien-lam" in str(ev["UID"]))
    assert str(show.decoded("DTSTART")) == "2027-03-20" and str(show.decoded("DTEND")) == "2027-03-23"
    postponed = next(ev for ev in events if "hoi-thao" in str(ev["UID"]))
    assert str(postponed["STATUS"]) == "TENTATIVE"
    # Each event's own file (Thêm vào lịch) and each commune's calendar hold the same UID.
    own = first["su-kien/2027/hoi-cho-san-pham-hop-tac-xa-rach-gia.ics"]
    assert uids(own) == ["2027-hoi-cho-san-pham-hop-tac-xa-rach-gia@htx.angiang.example"]
    assert uids(first["su-kien/lich/phuong-rach-gia.ics"]) == uids(own)
    for data in first.values():
        assert data.endswith(b"\r\n") and all(len(line) <= 75 for line in data.split(b"\r\n"))
