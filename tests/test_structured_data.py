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


# The part of the schema.org vocabulary the site may use (tests/data/schemaorg/README.md says where it comes from).
VOCABULARY = json.loads((Path(__file__).parent / "data" / "schemaorg" / "vocabulary.json").read_text(encoding="utf-8"))
TYPES: dict[str, dict] = VOCABULARY["types"]
PROPERTIES: dict[str, dict] = VOCABULARY["properties"]
DATATYPES = set(VOCABULARY["datatypes"])
MEMBERS: dict[str, list[str]] = VOCABULARY["members"]      # enumeration member → its enumeration types
ABSOLUTE_URL = re.compile(r"https?://[^\s/]+[^\s]*")


def ancestors(kind: str) -> set[str]:
    """The type and every type above it (schema.org types may have several parents: LocalBusiness)."""
    out, todo = set(), [kind]
    while todo:
        t = todo.pop()
        if t not in out:
            out.add(t)
            todo += TYPES[t]["parents"]
    return out


def datatype_problem(value: Any, expected: set[str]) -> str | None:
    """Why a literal does not fit the data types a property's range names, or None when it fits one."""
    if isinstance(value, bool):
        return None if "Boolean" in expected else "a boolean"
    if isinstance(value, (int, float)):
        return None if expected & {"Number", "Integer", "Float"} else "a number"
    if not isinstance(value, str):
        return f"a {type(value).__name__}"
    if expected & {"Text", "PronounceableText"} or "Number" in expected and re.fullmatch(r"-?\d+(\.\d+)?", value):
        return None
    if "URL" in expected:
        return None if ABSOLUTE_URL.fullmatch(value) else "not an absolute URL"
    for kind, parse in (("DateTime", datetime.fromisoformat), ("Date", lambda v: datetime.strptime(v, "%Y-%m-%d"))):
        if kind in expected:
            try:
                parse(value)
                return None
            except ValueError:
                pass
    dates = expected & {"Date", "DateTime"}
    return f"not a {'/'.join(sorted(dates))}" if dates else "text"


def vocabulary_problems(value: Any, where: str = "") -> list[str]:
    """Every way a JSON-LD block leaves the schema.org vocabulary: unknown types and properties, properties outside
    their type's domain (domainIncludes holds the type or an ancestor), values outside the property's range."""
    problems: list[str] = []
    if not isinstance(value, dict):
        return problems
    kind = value.get("@type")
    if not isinstance(kind, str) or kind not in TYPES or kind in DATATYPES:
        return [f"{where or 'block'}: unknown type {kind}"]
    lineage = ancestors(kind)
    for name, v in value.items():
        at = f"{where}{kind}.{name}"
        if name.startswith("@"):
            continue
        # "query-input" and the like: the Actions annotations (https://schema.org/docs/actions.html), on an
        # Action, naming one of its own properties.
        stem = re.fullmatch(r"(\w+)-(?:input|output)", name)
        if stem and "Action" in lineage and stem[1] in PROPERTIES and set(PROPERTIES[stem[1]]["domain"]) & lineage:
            continue
        prop = PROPERTIES.get(name)
        if prop is None:
            problems.append(f"{at}: unknown property {name}")
            continue
        if not set(prop["domain"]) & lineage:
            problems.append(f"{at}: {kind} has no property {name} (its domain: {', '.join(prop['domain'])})")
            continue
        expected = set(prop["range"])
        for item in v if isinstance(v, list) else [v]:
            if item is None:
                problems.append(f"{at}: null")
            elif isinstance(item, dict) and "@type" in item:
                sub = vocabulary_problems(item, f"{at} → ")
                problems += sub
                if not sub and not ancestors(item["@type"]) & expected:
                    problems.append(f"{at}: a {item['@type']}, expected {', '.join(sorted(expected))}")
            elif isinstance(item, dict):
                if set(item) != {"@id"} or not expected - DATATYPES:
                    problems.append(f"{at}: an untyped object")
            elif isinstance(item, str) and item.startswith(SCHEMA + "/") and item.removeprefix(SCHEMA + "/") in MEMBERS:
                if not set(MEMBERS[item.removeprefix(SCHEMA + "/")]) & expected:
                    problems.append(f"{at}: {item} is not a {', '.join(sorted(expected))}")
            elif not expected & DATATYPES:
                # An absolute URL may stand for the thing it names (https://schema.org/docs/datamodel.html, and
                # Google's BreadcrumbList `item`); other text where only things are expected is an error.
                if isinstance(item, str) and ABSOLUTE_URL.fullmatch(item):
                    continue
                problems.append(f"{at}: {item!r} where a {', '.join(sorted(expected))} is expected")
            elif (why := datatype_problem(item, expected & DATATYPES)) is not None:
                problems.append(f"{at}: {why}: {item!r} (expected {', '.join(sorted(expected))})")
    return problems


def pages(site: Path) -> Iterator[tuple[str, str]]:
    """Yield (URL path, HTML) of every HTML page of the built site, the search index's files excluded."""
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(("search/", "assets/")):
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
    # A cooperative and the site's publisher have their address; another body named only as a creator may not.
    if address is not None or str(node.get("url", "")).startswith(SITE_URL + "hop-tac-xa/") or node.get("@id") == SITE_URL + "#to-chuc":
        assert isinstance(address, dict) and address["@type"] == "PostalAddress", node
        assert address["addressCountry"] == "VN" and address["addressRegion"] == "An Giang"
    if "url" in node:
        assert absolute(node["url"]) and site_file(site, node["url"]).is_file(), node["url"]
    for phone in node.get("telephone", []):
        assert re.fullmatch(r"\+84\d{9,10}", phone), phone


def check_event(node: dict, site: Path) -> None:
    """An event (issue 24): name, ISO dates in order (with the +07:00 offset when timed), a Place with its address,
    a status of schema.org's EventStatusType, an organizer, and a page of the site."""
    assert node["name"].strip() and node["organizer"]["name"].strip()
    start, end = (datetime.fromisoformat(node[k]) for k in ("startDate", "endDate"))
    if "T" in node["startDate"]:
        assert node["startDate"].endswith("+07:00") and start <= end
    assert node["location"]["@type"] == "Place" and node["location"]["address"]["addressRegion"] == "An Giang"
    assert node["eventStatus"].removeprefix("https://schema.org/") in MEMBERS
    assert absolute(node["url"]) and site_file(site, node["url"]).is_file(), node["url"]


def check_breadcrumbs(node: dict, url: str) -> None:
    items = node["itemListElement"]
    assert [i["position"] for i in items] == list(range(1, len(items) + 1))
    for item in items:
        assert item["@type"] == "ListItem" and item["name"].strip()
        assert absolute(item["item"]), item
    assert items[0]["item"] == SITE_URL + ("en/" if url.startswith("en/") else ""), "the first crumb is the home of its language"
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
    assert re.search(r"\{% set catalog = \"en/products/\" if english else \"" + re.escape(path) + r"\" %\}", search)
    assert re.search(r"<form[^>]*action=\"\{\{ catalog \| url \}\}\"[^>]*method=\"get\"", search)
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
                elif kind == "Event":
                    check_event(node, site)
                elif kind == "BlogPosting":
                    assert node["headline"].strip() and node["publisher"]["name"].strip()
                    assert datetime.fromisoformat(node["datePublished"]) <= datetime.fromisoformat(node["dateModified"])
                    assert node["url"] == SITE_URL + quote(url)
    for kind in ("Product", "Offer", "Organization", "BreadcrumbList", "WebSite", "BlogPosting", "PostalAddress", "Event"):
        assert seen.get(kind), f"no {kind} on the whole site"


def test_each_page_kind_has_its_blocks(site_ld: dict[str, list[dict]]) -> None:
    from htx.pipeline import build

    result = build(REPO / "cooperatives", base=REPO, with_images=False)
    # Every page with an address says its language in a WebPage node (inLanguage); the other blocks by kind:
    assert all("WebPage" in [b["@type"] for b in blocks] for url, blocks in site_ld.items() if url != "404.html")
    types = {url: [b["@type"] for b in page_blocks if b["@type"] != "WebPage"] for url, page_blocks in site_ld.items()}
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

    from htx.data.dates import build_date
    from htx.site.freshness import freshness

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
    from htx.data.dates import build_date
    from htx.site.freshness import freshness
    from htx.data.model import normalize_phone
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
        # geo belongs to a Place (schema.org), so the point sits on the Organization's location.
        assert "geo" not in org
        if coop.address.coordinates:
            assert org["location"] == {"@type": "Place", "address": org["address"], "geo": {
                "@type": "GeoCoordinates", "latitude": coop.address.coordinates.lat, "longitude": coop.address.coordinates.lon}}
        else:
            assert "location" not in org


def test_every_block_keeps_to_the_schema_org_vocabulary(site_ld: dict[str, list[dict]]) -> None:
    """Every JSON-LD block of every page: known types only, each property within its type's domain, values of
    the kinds its range allows (tests/data/schemaorg: the vocabulary subset and where it comes from)."""
    problems = [f"{url or '/'}: {problem}" for url, page_blocks in site_ld.items()
                for block in page_blocks for problem in vocabulary_problems(block)]
    assert not problems, "\n".join(problems[:40])
    assert sum(len(b) for b in site_ld.values()) > 100


def test_every_product_has_an_image(site_ld: dict[str, list[dict]], built_site: Path) -> None:
    """Its photo (960-px variant) when it has one, else its share card, which every product page has."""
    site = built_site / "site"
    products = [n for page_blocks in site_ld.values() for b in page_blocks for n in nodes(b) if n["@type"] == "Product"]
    assert len(products) >= 40
    photos = 0
    for product in products:
        [image] = product["image"]
        assert absolute(image) and site_file(site, image).is_file(), image
        photos += not image.endswith("-chia-se.jpg")
    assert 0 < photos < len(products), "the samples should cover products with and without a photo"


def test_not_found_page_claims_no_address(built_site: Path) -> None:
    """The 404 page has no canonical link, no og:url and no JSON-LD, on purpose.

    Hosts (GitHub Pages, Netlify, nginx `error_page`) serve site/404.html at whatever address was asked for,
    with status 404. A canonical there would name /404.html as the preferred copy of every missing address, and
    a canonical pointing at a non-200 page is ignored by search engines at best; og:url is "the canonical URL
    of your object that will be used as its permanent ID in the graph" (ogp.me), and an error has none. The
    page is `noindex` instead. Every link on it is absolute, so it works at any depth.
    """
    html = (built_site / "site" / "404.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in html
    assert 'rel="canonical"' not in html and 'property="og:url"' not in html
    assert not LD.findall(html)
    # Every other page names itself, both ways, with the same absolute URL.
    for url, page in pages(built_site / "site"):
        if url == "404.html":
            continue
        canonical = re.search(r'<link rel="canonical" href="([^"]+)"', page)
        og = re.search(r'<meta property="og:url" content="([^"]+)"', page)
        assert canonical and og and canonical[1] == og[1] and absolute(canonical[1]), url


@pytest.mark.parametrize("block, expected", [
    ({"@type": "Organization", "name": "A", "geo": {"@type": "GeoCoordinates", "latitude": 10.4, "longitude": 105.4}},
     "Organization has no property geo"),
    ({"@type": "Cooperative", "name": "A"}, "unknown type Cooperative"),
    ({"@type": "Product", "name": "A", "colour": "red"}, "unknown property colour"),
    ({"@type": "Product", "name": "A", "url": "/san-pham/a/"}, "url: not an absolute URL"),
    ({"@type": "Product", "name": "A", "offers": {"@type": "Offer", "availability": "còn hàng"}}, "availability: "),
    ({"@type": "Product", "name": "A", "manufacturer": {"@type": "Brand", "name": "B"}}, "manufacturer: a Brand"),
    ({"@type": "Organization", "name": "A", "foundingDate": "2020-13-01"}, "foundingDate: not a Date"),
    ({"@type": "ImageObject", "url": "https://x.vn/a.png", "width": 512}, "width: 512 where a Distance"),
    ({"@type": "Organization", "name": None}, "name: null"),
    ({"@type": "Product", "name": "A", "manufacturer": "HTX A"}, "manufacturer: 'HTX A' where a Organization"),
    ({"@type": "Place", "name": "A", "geo": "10.4,105.4"}, "geo: '10.4,105.4' where a GeoCoordinates"),
])
def test_the_vocabulary_check_finds_what_it_should(block: dict, expected: str) -> None:
    problems = vocabulary_problems({"@context": SCHEMA, **block})
    assert any(expected in p for p in problems), problems


def test_the_vocabulary_check_accepts_valid_markup() -> None:
    block = {"@context": SCHEMA, "@type": "Organization", "name": "A", "url": "https://x.vn/a/", "foundingDate": "2020-01-31",
             "location": {"@type": "Place", "geo": {"@type": "GeoCoordinates", "latitude": 10.4, "longitude": 105.4}},
             "potentialAction": {"@type": "SearchAction", "target": {"@type": "EntryPoint", "urlTemplate": "https://x.vn/?q={q}"},
                                 "query-input": "required name=q"},
             "makesOffer": {"@type": "Offer", "availability": "https://schema.org/InStock", "price": "1000"}}
    assert vocabulary_problems(block) == []
    assert {"Product", "Organization", "Place", "Dataset", "DataDownload"} <= set(VOCABULARY["types"])
