"""Contact that works on a phone, on the built sample site: every cooperative and product page offers the
profile's phones as tel:+84…, Zalo as https://zalo.me/0…, e-mail as mailto:, a map link from the
coordinates (or the address), and the sales channels as external links."""
from __future__ import annotations

import html as htmllib
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import REPO, VALID

pytestmark = pytest.mark.slow

CONTACT = re.compile(r'<ul class="htx-contact"[^>]*>(.*?)</ul>', re.S)
BUTTON = re.compile(r'<a class="htx-button htx-button--(\w+)" href="([^"]+)"([^>]*)>(.+?)</a>', re.S)
CHANNELS = re.compile(r'<ul class="htx-channels"[^>]*>(.*?)</ul>', re.S)


@pytest.fixture(scope="module")
def catalog():
    from htx.pipeline import build

    result = build(REPO / "cooperatives", base=REPO, with_images=False)
    assert result.ok
    return result.catalog


def read(built_site: Path, url: str) -> str:
    return (built_site / "site" / url / "index.html").read_text(encoding="utf-8")


def buttons(html: str) -> list[tuple[str, str, str, str]]:
    """(kind, href, other attributes, label) of the contact buttons of a page."""
    block = CONTACT.search(html)
    assert block, "no contact buttons"
    return [(k, htmllib.unescape(h), a, t) for k, h, a, t in BUTTON.findall(block.group(1))]


def expected_phone(number: str) -> str:
    digits = re.sub(r"\D", "", number)
    digits = digits[2:] if digits.startswith("84") else digits.lstrip("0")
    return "tel:+84" + digits


def expired(entry) -> bool:
    from htx.data.dates import build_date
    from htx.site.freshness import freshness

    return freshness(entry.coop, build_date()) == "expired"


def check_contact(html: str, entry) -> None:
    """The buttons of a published cooperative (catalog entries: the representative's own contacts only with
    consent, htx.site.catalog.public_coop); past 24 months unconfirmed, a notice instead of any button."""
    contact, rep = entry.coop.contact, entry.coop.representative
    if expired(entry):
        assert not CONTACT.search(html) and "tel:" not in html.split('class="md-footer')[0]
        assert "Thông tin đã quá 24 tháng chưa được xác nhận" in html
        return
    found = buttons(html)
    kinds = [k for k, *_ in found]
    assert kinds[0] == "phone", "the first button calls"
    phones = [href for kind, href, _, _ in found if kind == "phone"]
    for href in phones:
        assert re.fullmatch(r"tel:\+84[1-9]\d{8,9}", href), href
    office = [expected_phone(p) for p in contact.phones[:2]]
    own = [expected_phone(rep.phone)] if rep.phone and expected_phone(rep.phone) not in office else []
    assert phones == office + own
    zalo = [href for kind, href, _, _ in found if kind == "zalo"]
    if rep.zalo:   # the representative's own Zalo (published with consent) comes after the cooperative's
        own_zalo = "https://zalo.me/0" + expected_phone(rep.zalo).removeprefix("tel:+84")
        if own_zalo != (zalo[0] if contact.zalo else None):
            assert zalo[-1] == own_zalo
            zalo = zalo[:-1]
    if contact.zalo:
        assert len(zalo) == 1
        if contact.zalo.lower().startswith("http"):
            assert zalo[0] == contact.zalo
        else:
            assert zalo[0] == "https://zalo.me/0" + expected_phone(contact.zalo).removeprefix("tel:+84")
        assert re.fullmatch(r"https://zalo\.me/(0\d{9,10}|[\w.-]+)", zalo[0]), zalo[0]
    else:
        assert not zalo
    mail = [href for kind, href, _, _ in found if kind == "email"]
    own_mail = [f"mailto:{rep.email.strip()}"] if rep.email and rep.email != contact.email else []
    assert mail == ([f"mailto:{contact.email.strip()}"] if contact.email else []) + own_mail
    for href in mail:
        assert re.fullmatch(r"mailto:[^@\s]+@[^@\s]+\.[a-z]{2,}", href), href
    maps = [href for kind, href, _, _ in found if kind == "map"]
    assert len(maps) == 1
    query = parse_qs(urlsplit(maps[0]).query)
    assert maps[0].startswith("https://www.google.com/maps/search/?api=1&") and query["api"] == ["1"]
    coords = entry.coop.address.coordinates
    if coords:
        assert query["query"] == [f"{coords.lat},{coords.lon}"]
    else:
        assert entry.commune.name in query["query"][0] and "An Giang" in query["query"][0]
    for kind, href, attrs, label in found:
        assert label.strip()
        if href.startswith("http"):   # leaves the site: a new tab, no window.opener
            assert 'target="_blank"' in attrs and 'rel="noopener"' in attrs, (kind, attrs)


def check_channels(html: str, channels) -> None:
    with_links = [c for c in channels if c.url]
    if not channels:
        assert not CHANNELS.search(html)
        return
    block = CHANNELS.search(html)
    assert block, "sales channels missing"
    links = re.findall(r'<a href="([^"]+)" rel="nofollow noopener" target="_blank">', block.group(1))
    assert [htmllib.unescape(u) for u in links] == [str(c.url) for c in with_links]
    for url in links:
        assert url.startswith("https://"), url


def test_cooperative_pages_contact_and_channels(built_site: Path, catalog) -> None:
    assert catalog.cooperatives
    for entry in catalog.cooperatives:
        html = read(built_site, f"hop-tac-xa/{entry.coop.slug}")
        check_contact(html, entry)
        check_channels(html, entry.coop.channels)
        # Every phone of the profile is written out too (for reading aloud or copying), unless held back.
        for phone in ([] if expired(entry) else entry.coop.contact.phones):
            assert htmllib.escape(phone) in html


def test_product_pages_contact_their_cooperative(built_site: Path, catalog) -> None:
    assert catalog.items
    for item in catalog.items.values():
        html = read(built_site, item.url)
        check_contact(html, item.entry)
        check_channels(html, item.product.channels or item.coop.channels)


def test_map_link_falls_back_to_the_address(tmp_path: Path) -> None:
    """No coordinates in the profile: the map searches for the address, commune and province."""
    from htx.site.catalog import Catalog
    from htx.data.load import parse_text
    from htx.site.render import render_pages
    from htx.data.validate import validate_document

    for text, query in ((VALID, "Ấp Hòa Bình, Xã Thoại Sơn, An Giang"),
                        (VALID.replace("  xa_phuong: Xã Thoại Sơn\n", "  xa_phuong: Xã Thoại Sơn\n  toa_do:\n    vi_do: 10.3\n    kinh_do: 105.3\n"),
                         "10.3,105.3")):
        doc, _ = parse_text(text, "cooperatives/htx-thu-nghiem/profile.yml", Path("htx-thu-nghiem"))
        entry, problems = validate_document(doc, check_images=False)
        assert entry is not None, problems
        catalog, _ = Catalog.from_entries([entry])
        page = next(p for p in render_pages(catalog, with_images=False).pages if p.src_uri == "hop-tac-xa/htx-thu-nghiem.md")
        href = next(h for k, h, _, _ in buttons(page.body) if k == "map")
        assert parse_qs(urlsplit(href).query)["query"] == [query]
