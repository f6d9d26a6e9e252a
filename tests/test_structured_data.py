"""Structured data (JSON-LD) of the built sample site: every block parses and carries what its type needs.

Product: name, image (absolute, or none), offers with price and priceCurrency when the price is known;
Organization: name and address; BreadcrumbList: positions 1..n with absolute URLs under site_url, ending
at the page itself; WebSite (home): url and a SearchAction whose target the site's search form uses;
BlogPosting (news): headline, dates, publisher. No ratings or reviews anywhere: the site has none.
"""
from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import quote, unquote

import pytest
import yaml

from tests.conftest import REPO

pytestmark = pytest.mark.slow

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
SITE_URL = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["site_url"].rstrip("/") + "/"
SCHEMA = "https://schema.org"
NO_RATINGS = {"aggregateRating", "review", "reviews", "ratingValue"}


def pages(site: Path) -> Iterator[tuple[str, str]]:
    """Yield (URL path, HTML) of every HTML page of the built site, Pagefind's files excluded."""
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(("pagefind/", "assets/")):
            continue
        url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        yield url, path.read_text(encoding="utf-8")


def blocks(html: str) -> list[dict]:
    out = []
    for raw in LD.findall(html):
        assert "<" not in raw, "a JSON-LD block must not contain '<' (it could close the script)"
        data = json.loads(raw)
        assert isinstance(data, dict) and data.get("@context") == SCHEMA, data
        out.append(data)
    return out


def nodes(value: Any) -> Iterator[dict]:
    """Every typed object inside a JSON-LD value, the value itself included."""
    if isinstance(value, dict):
        if "@type" in value:
            yield value
        for v in value.values():
            yield from nodes(v)
    elif isinstance(value, list):
        for v in value:
            yield from nodes(v)


def keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from keys(v)


def absolute(url: Any) -> bool:
    return isinstance(url, str) and url.startswith(SITE_URL)


def site_file(site: Path, url: str) -> Path:
    """The built file an absolute site URL points at."""
    rel = unquote(url.removeprefix(SITE_URL).split("#")[0].split("?")[0])
    path = site / rel
    return path / "index.html" if rel == "" or rel.endswith("/") else path


@pytest.fixture(scope="module")
def site_ld(built_site: Path) -> dict[str, list[dict]]:
    """{URL path: JSON-LD blocks} of every page of the built site."""
    return {url: blocks(html) for url, html in pages(built_site / "site")}


def check_product(node: dict, site: Path) -> None:
    assert node.get("name", "").strip()
    for image in node.get("image", []):
        assert absolute(image) and site_file(site, image).is_file(), image
    assert absolute(node["url"]) and site_file(site, node["url"]).is_file()
    offer = node.get("offers")
    if offer is not None:
        assert offer["@type"] == "Offer"
        assert offer["priceCurrency"] == "VND"
        assert re.fullmatch(r"\d+(\.\d+)?", str(offer["price"])) and float(offer["price"]) > 0, offer
        assert offer["availability"] in ("https://schema.org/InStock", "https://schema.org/OutOfStock")


def check_organization(node: dict, site: Path) -> None:
    assert node.get("name", "").strip()
    address = node.get("address")
    assert isinstance(address, dict) and address["@type"] == "PostalAddress", node
    assert address["addressCountry"] == "VN" and address["addressRegion"] == "An Giang"
    if "url" in node:
        assert absolute(node["url"]) and site_file(site, node["url"]).is_file(), node["url"]
    for phone in node.get("telephone", []):
        assert re.fullmatch(r"\+84\d{9,10}", phone), phone


def check_breadcrumbs(node: dict, url: str) -> None:
    items = node["itemListElement"]
    assert [i["position"] for i in items] == list(range(1, len(items) + 1))
    for item in items:
        assert item["@type"] == "ListItem" and item["name"].strip()
        assert absolute(item["item"]), item
    assert items[0]["item"] == SITE_URL
    assert items[-1]["item"] == SITE_URL + url, "the last crumb is the page itself"


def check_website(node: dict, built_site: Path) -> None:
    assert node["url"] == SITE_URL and node["name"].strip()
    action = node["potentialAction"]
    assert action["@type"] == "SearchAction"
    target = action["target"]["urlTemplate"] if isinstance(action["target"], dict) else action["target"]
    assert absolute(target) and "{search_term_string}" in target
    assert action["query-input"] == "required name=search_term_string"
    # The target is where the site's own search form sends its words (without JavaScript).
    path, _, query = target.removeprefix(SITE_URL).partition("?")
    assert query == "q={search_term_string}"
    assert site_file(built_site / "site", SITE_URL + path).is_file()
    search = (REPO / "overrides" / "partials" / "search.html").read_text(encoding="utf-8")
    assert re.search(r"<form[^>]*action=\"\{\{ '" + re.escape(path) + r"' \| url \}\}\"[^>]*method=\"get\"", search)
    assert 'name="q"' in search


def test_every_block_parses_and_has_what_its_type_needs(site_ld: dict[str, list[dict]], built_site: Path) -> None:
    site = built_site / "site"
    seen: dict[str, int] = {}
    for url, page_blocks in site_ld.items():
        for block in page_blocks:
            assert not NO_RATINGS & set(keys(block)), f"{url}: ratings or reviews in structured data"
            for node in nodes(block):
                kind = node["@type"]
                seen[kind] = seen.get(kind, 0) + 1
                if kind == "Product":
                    check_product(node, site)
                elif kind == "Organization":
                    check_organization(node, site)
                elif kind == "BreadcrumbList":
                    check_breadcrumbs(node, url)
                elif kind == "WebSite":
                    check_website(node, built_site)
                elif kind == "BlogPosting":
                    assert node["headline"].strip() and node["publisher"]["name"].strip()
                    assert datetime.fromisoformat(node["datePublished"]) <= datetime.fromisoformat(node["dateModified"])
                    assert node["url"] == SITE_URL + quote(url)
    for kind in ("Product", "Offer", "Organization", "BreadcrumbList", "WebSite", "BlogPosting", "PostalAddress"):
        assert seen.get(kind), f"no {kind} on the whole site"


def test_each_page_kind_has_its_blocks(site_ld: dict[str, list[dict]]) -> None:
    from htx.pipeline import build

    result = build(REPO / "cooperatives", base=REPO, with_images=False)
    types = {url: [b["@type"] for b in page_blocks] for url, page_blocks in site_ld.items()}
    assert sorted(types[""]) == ["Organization", "WebSite"]
    for page in result.rendered.pages:
        assert "BreadcrumbList" in types[page.url], page.url
    for item in result.catalog.items.values():
        assert sorted(types[item.url]) == ["BreadcrumbList", "Product"], item.url
    for entry in result.catalog.cooperatives:
        assert sorted(types[f"hop-tac-xa/{entry.coop.slug}/"]) == ["BreadcrumbList", "Organization"]
    posts = [url for url, t in types.items() if "BlogPosting" in t]
    assert len(posts) == len(list((REPO / "content" / "tin-tuc" / "posts").glob("*.md")))
    assert "404.html" in types and types["404.html"] == []


def test_offers_follow_the_profiles(site_ld: dict[str, list[dict]]) -> None:
    """A price in the profile gives an Offer with that price; "liên hệ" gives none (no invented price)."""
    from htx.pipeline import build

    from htx.catalog import build_date
    from htx.freshness import freshness

    result = build(REPO / "cooperatives", base=REPO, with_images=False)
    priced = unpriced = held = 0
    for item in result.catalog.items.values():
        product = next(b for b in site_ld[item.url] if b["@type"] == "Product")
        if item.product.price is not None and freshness(item.coop, build_date()) == "expired":
            assert "offers" not in product, item.url     # unconfirmed for 24 months: no price offered
            held += 1
        elif item.product.price is None:
            assert "offers" not in product, item.url
            unpriced += 1
        else:
            assert product["offers"]["price"] == str(item.product.price)
            assert product["offers"]["seller"]["name"] == item.coop.name
            priced += 1
        assert product["manufacturer"]["address"]["addressLocality"] == item.entry.commune.name
    assert priced and unpriced and held, "the samples should cover the three cases"


def test_cooperative_organization_matches_its_profile(site_ld: dict[str, list[dict]]) -> None:
    from htx.catalog import build_date
    from htx.freshness import freshness
    from htx.model import normalize_phone
    from htx.pipeline import build

    result = build(REPO / "cooperatives", base=REPO, with_images=False)
    for entry in result.catalog.cooperatives:
        coop = entry.coop
        org = next(b for b in site_ld[f"hop-tac-xa/{coop.slug}/"] if b["@type"] == "Organization")
        assert org["name"] == coop.name
        assert org["address"]["addressLocality"] == entry.commune.name
        if freshness(coop, build_date()) == "expired":
            assert "telephone" not in org and "email" not in org   # held back as on the page
        else:
            assert org["telephone"] == [normalize_phone(p) for p in coop.contact.phones]
        # The representative is a Person only with consent (catalog.public_coop leaves the name out otherwise).
        assert ("employee" in org) == (coop.representative.name is not None)
        if coop.address.coordinates:
            assert org["geo"] == {"@type": "GeoCoordinates", "latitude": coop.address.coordinates.lat,
                                  "longitude": coop.address.coordinates.lon}
