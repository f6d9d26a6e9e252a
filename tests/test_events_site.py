"""Events in the built sample site: pages, structured data, calendars, the blocks on other pages; and a bad event
file stops `mkdocs build` with its line, leaving no site."""
from __future__ import annotations

import json
import re
from pathlib import Path

import icalendar
import pytest

from tests.conftest import MKDOCS, copy_project, run

pytestmark = pytest.mark.slow


def ld_of(html: str) -> list[dict]:
    return [json.loads(block) for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]


def test_events_pages_calendars_and_blocks(built_site: Path) -> None:
    site = built_site / "site"
    assert not list((site / "su-kien").rglob("*.yml")), "the events' YAML must not be published"
    listing = (site / "su-kien" / "index.html").read_text(encoding="utf-8")
    # Upcoming first (soonest first), then past by year (newest first); the build's day is 26/11/2026.
    order = [listing.index(t) for t in ("Sắp diễn ra", "Hội chợ sản phẩm hợp tác xã đón Tết", "Triển lãm lụa",
                                         "Đã diễn ra năm 2026", "Tập huấn bán hàng trực tuyến", "Phiên chợ nông sản")]
    assert order == sorted(order)
    assert 'href="../su-kien/lich.ics"' in listing and 'href="../su-kien/lich/phuong-rach-gia.ics"' in listing
    page = (site / "su-kien" / "2027" / "hoi-cho-san-pham-hop-tac-xa-rach-gia" / "index.html").read_text(encoding="utf-8")
    event = next(d for d in ld_of(page) if d["@type"] == "Event")
    assert event["startDate"] == "2027-01-15T08:00:00+07:00" and event["endDate"] == "2027-01-19T22:00:00+07:00"
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["location"]["address"]["addressLocality"] == "Phường Rạch Giá"
    assert event["organizer"] == {"@type": "Organization", "name": "Ban tổ chức hội chợ (mẫu)"}
    assert 'href="../../../su-kien/2027/hoi-cho-san-pham-hop-tac-xa-rach-gia.ics"' in page and "Thêm vào lịch" in page
    assert 'href="../../../hop-tac-xa/htx-nuoc-mam-phu-quoc/"' in page
    # Its share card (og:image): drawn, 1200×630, named by its content like every card.
    card = re.search(r'<meta property="og:image" content="[^"]*/(anh/[0-9a-f]+-chia-se\.jpg)"', page)
    assert card and (site / card.group(1)).is_file(), "an event page has a share card"
    postponed = (site / "su-kien" / "2027" / "hoi-thao-lien-ket-tieu-thu-lua-gao" / "index.html").read_text(encoding="utf-8")
    assert next(d for d in ld_of(postponed) if d["@type"] == "Event")["eventStatus"] == "https://schema.org/EventPostponed"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Sự kiện sắp tới" in home and 'href="su-kien/2027/hoi-cho-san-pham-hop-tac-xa-rach-gia/"' in home
    coop = (site / "hop-tac-xa" / "htx-nuoc-mam-phu-quoc" / "index.html").read_text(encoding="utf-8")
    assert "Gặp chúng tôi tại" in coop and "Hội chợ sản phẩm hợp tác xã đón Tết" in coop
    product = (site / "san-pham" / "htx-nuoc-mam-phu-quoc" / "tieu-den-phu-quoc-hu-200g" / "index.html").read_text(encoding="utf-8")
    assert "Gặp chúng tôi tại" in product
    # Past events only: no "Gặp chúng tôi tại" (htx-mam-chau-doc took part in two events of 2026).
    assert "Gặp chúng tôi tại" not in (site / "hop-tac-xa" / "htx-mam-chau-doc" / "index.html").read_text(encoding="utf-8")
    cal = icalendar.Calendar.from_ical((site / "su-kien" / "lich.ics").read_bytes())
    assert len(cal.walk("VEVENT")) == 5
    assert len(list((site / "su-kien" / "lich").glob("*.ics"))) == 5


def test_a_bad_event_stops_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    path = project / "content" / "su-kien" / "2027" / "trien-lam-det-lua-tho-cam-tan-chau.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("ket_thuc: 22/03/2027", "ket_thuc: 18/03/2027"), encoding="utf-8")
    result = run(MKDOCS + ["build", "--strict"], project, {"HTX_SEARCH": "0"})
    assert result.returncode == 1
    out = result.stdout + result.stderr
    assert "content/su-kien/2027/trien-lam-det-lua-tho-cam-tan-chau.yml:6:11" in out and "trước khi bắt đầu" in out
    assert "tệp sự kiện có 1 lỗi" in out
    assert not (project / "site").exists()


def test_the_plan_in_numbers_page(built_site: Path) -> None:
    page = (built_site / "site" / "ke-hoach" / "so-lieu" / "index.html").read_text(encoding="utf-8")
    # The test project is a copy without git history: the page says so rather than showing zeros.
    assert "không kèm lịch sử git" in page
    assert "Nhiệm vụ 7. Thông tin, quảng bá sản phẩm" in page and "Cách tính" in page
    assert 'href="so-lieu/"' in (built_site / "site" / "ke-hoach" / "index.html").read_text(encoding="utf-8")
