"""htx.publish.search and assets/htx/search/engine.js: what a page gives the index, the index's files, and the
engine's ranking run in Node on a real index built from crafted pages (the relevance failures of issue 23)."""
from __future__ import annotations

import json
import shutil
import subprocess
import time
import unicodedata
from pathlib import Path

import pytest

from htx.publish.search import (Stager, body_region, body_start, drop_ignored, fold, index_site, search_record,
                                stage, term, with_body, words)

ENGINE = Path(__file__).resolve().parents[2] / "overrides/assets/htx/search/engine.js"
node = pytest.mark.skipif(shutil.which("node") is None, reason="Node.js runs engine.js")


def page(body: str, *, before: str = "", attrs: str = "data-search-body") -> str:
    """A page shaped like Material's: header and nav outside the article, the indexed part inside."""
    return (f'<!doctype html><html lang="vi"><head><title>T</title></head><body>'
            f'<header><nav>Đầu trang Điều hướng</nav></header>{before}'
            f'<article class="md-content__inner md-typeset"><div {attrs}>{body}</div></article>'
            f'<footer>Đường dây nóng</footer></body></html>')


def product(name: str, *, coop: str = "HTX A", commune: str = "Xã Tri Tôn", text: str = "", rank: int = 0,
            stars: int = 0, category: str = "kho") -> str:
    attrs = (f'data-search-body data-search-filter="danh-muc[data-category], xa[data-commune]" '
             f'data-search-sort="thu-tu[data-rank], gia-len[data-price-up]" '
             f'data-search-meta="kind[data-kind], coop[data-coop], commune[data-commune-name], price[data-price], ocop[data-ocop]" '
             f'data-kind="san-pham" data-category="{category}" data-commune="30001" data-rank="{rank:07d}" '
             f'data-price-up="{rank:015d}" data-coop="{coop}" data-commune-name="{commune}" data-price="50.000 ₫" data-ocop="{stars}"')
    extra = f'<span hidden><span data-search-filter="ocop:{stars}"></span></span>' if stars else ""
    return page(f"{extra}<h1>{name}</h1><p>{text}</p>", attrs=attrs)


def write(site: Path, rel: str, html: str) -> None:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")


# ---- words -------------------------------------------------------------------------------------

def test_fold_and_words() -> None:
    assert fold("Đường") == "duong" and fold(unicodedata.normalize("NFD", "Thốt Nốt")) == "thot not"
    assert words("Gạo ST25, mắm_cá " + unicodedata.normalize("NFD", "đồng")) == ["gạo", "st25", "mắm", "cá", "đồng"]
    assert term("Ưu") == "uu" and term("0912345678") is None and term("2025") == "2025" and term("日本") is None


@node
def test_engine_folds_words_as_python_does(tmp_path: Path) -> None:
    samples = ["Đường THỐT nốt", unicodedata.normalize("NFD", "Gạo thơm ST25"), "Ưu đãi ôm ả", "0912345678 12 2025",
               "Nước-mắm_cá linh", "Khmer ស្រូវ", "ﬁ ß İ"]
    script = (f"import {{ words, term }} from {json.dumps(ENGINE.as_uri())};\n"
              f"const samples = {json.dumps(samples)};\n"
              "console.log(JSON.stringify(samples.map(s => words(s).map(w => [w, term(w)]))));")
    got = json.loads(subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True,
                                    check=True).stdout)
    assert got == [[[w, term(w)] for w in words(s)] for s in samples]


# ---- reading a page ----------------------------------------------------------------------------

def test_record_reads_tiers_meta_filters_and_sorts() -> None:
    record = search_record(product("Đường thốt nốt", coop="HTX Thốt Nốt Xanh", text="Nấu từ nước thốt nốt.", rank=3,
                                   stars=4))
    assert record["kind"] == "san-pham" and record["rank"] == "0000003" and record["title"] == "Đường thốt nốt"
    assert record["meta"] == {"coop": "HTX Thốt Nốt Xanh", "commune": "Xã Tri Tôn", "price": "50.000 ₫", "ocop": "4"}
    assert record["filters"] == {"danh-muc": ["kho"], "xa": ["30001"], "ocop": ["4"]}
    assert record["sorts"] == {"gia-len": "000000000000003"}
    assert [0, "Đường thốt nốt"] in record["fields"] and [1, "HTX Thốt Nốt Xanh"] in record["fields"]
    assert [1, "OCOP 4 sao"] in record["fields"] and [2, "Nấu từ nước thốt nốt."] in record["fields"]
    assert "content" not in record          # products show their fields, not an excerpt


def test_record_reads_only_the_indexed_part() -> None:
    html = page("<h1>Gạo</h1><section data-search-ignore><h3>Đậu phộng</h3><p>đồng</p></section><p>đẹp</p>",
                before="<aside>Địa chỉ</aside>")
    record = search_record(html)
    text = json.dumps(record, ensure_ascii=False)
    assert "đẹp" in text and "Gạo" in text
    assert not any(word in text for word in ("Đậu", "đồng", "Địa", "Điều hướng", "Đường dây"))
    assert record["kind"] == "trang" and record["content"] == "Gạo đẹp"


def test_drop_ignored_handles_nested_elements() -> None:
    region = '<div>a<div data-search-ignore="all">b<div>c</div>d</div>e</div>'
    assert drop_ignored(region).replace(" ", "") == "<div>ae</div>"


def test_body_region_starts_at_the_body_element() -> None:
    html = page("<h1>X</h1>", before='<p>data-search-body in text</p><p title="a data-search-body b">y</p>')
    assert body_region(html).startswith("<div data-search-body><h1>X</h1></div>")
    assert body_start("<p>no body</p>") == -1 and body_region("<p>no body</p>") == ""


def test_with_body_marks_blog_posts_and_skips_listings() -> None:
    post = page("<h1>Tin</h1>", attrs='class="post"')
    marked = with_body(post)
    assert marked is not None and '<article class="md-content__inner md-typeset" data-search-body>' in marked
    assert with_body(page("<h1>Danh mục</h1>", attrs='data-search-ignore="all"')) is None
    assert search_record(page("<h1>Danh mục</h1>", attrs='data-search-ignore="all"')) is None


def test_profile_text_in_attributes_is_read_as_text() -> None:
    record = search_record(product("A", coop="HTX &quot;Ba&quot; &lt;b&gt;"))
    assert record["meta"]["coop"] == 'HTX "Ba" <b>'


# ---- the index -------------------------------------------------------------------------------

def sample_site(site: Path) -> None:
    write(site, "san-pham/a/duong/index.html", product("Đường thốt nốt", rank=2, text="Ngọt thanh."))
    write(site, "san-pham/a/kho/index.html", product("Khô cá lóc", rank=1, category="kho"))
    write(site, "hop-tac-xa/a/index.html", page("<h1>HTX Đồng Tâm</h1>",
                                                 attrs='data-search-body data-kind="hop-tac-xa" data-search-sort="thu-tu[data-rank]" data-rank="0000000"'))
    write(site, "tin-tuc/bai/index.html", page("<h1>Tin đồng ruộng</h1><p>Mùa nước nổi.</p>", attrs='class="post"'))
    write(site, "san-pham/index.html", page("<h1>Danh mục</h1>", attrs='data-search-ignore="all"'))
    write(site, "index.html", page("<h1>Trang chủ</h1>"))


def test_index_site_writes_the_index(tmp_path: Path) -> None:
    site = tmp_path / "site"
    sample_site(site)
    write(site, "search/old.txt", "left from an earlier build")
    stats = index_site(site)
    out = site / "search"
    manifest = json.loads((out / "index.json").read_text())
    assert not (out / "old.txt").exists()
    assert stats["pages"] == 4 and manifest["pages"] == 4       # products, cooperative, post; not listings, not home
    assert manifest["kinds"] == {"san-pham": [0, 2], "hop-tac-xa": [2, 1], "trang": [3, 1]}
    folder = out / manifest["version"]
    docs = json.loads((folder / "d/0.json").read_text())
    assert [d[0] for d in docs] == ["san-pham/a/kho/", "san-pham/a/duong/", "hop-tac-xa/a/", "tin-tuc/bai/"]  # catalog order
    assert json.loads((folder / "t/duong.json").read_text()) == {"đường": [[1], [], [], []]}     # a title's first word
    assert json.loads((folder / "t/dong.json").read_text()) == {"đồng": [[], [2, 1], [], []]}   # pages 2 and 3, delta-coded
    assert json.loads((folder / "x/th.json").read_text()) == {"thot": 1, "thanh": 1}     # "th" half-typed
    assert json.loads((folder / "w/tho.json").read_text())["_pairs"] == ["thot"]
    assert json.loads((folder / "p/thot.json").read_text()) == {"not": 1}      # "thốt nốt", in one title
    assert json.loads((folder / "f/danh-muc/kho.json").read_text()) == [0, 1]
    assert manifest["filters"]["danh-muc"] == {"kho": 2} and manifest["sorts"] == ["gia-len"]
    assert stats["files"] == len([p for p in out.rglob("*") if p.is_file()])
    assert stats["bytes"] == sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    assert "data-search-body" not in (site / "tin-tuc/bai/index.html").read_text()   # published pages untouched


def test_same_pages_same_bytes_and_version(tmp_path: Path) -> None:
    def build(where: Path) -> dict[str, bytes]:
        sample_site(where)
        index_site(where)
        return {p.relative_to(where).as_posix(): p.read_bytes() for p in sorted((where / "search").rglob("*")) if p.is_file()}
    first, second = build(tmp_path / "a"), build(tmp_path / "b")
    assert first == second
    write(tmp_path / "b", "san-pham/a/kho/index.html", product("Khô cá lóc", rank=1, text="Mới"))
    index_site(tmp_path / "b")
    assert json.loads((tmp_path / "b/search/index.json").read_text())["version"] != json.loads(first["search/index.json"])["version"]


def test_index_site_without_pages_writes_nothing(tmp_path: Path) -> None:
    write(tmp_path / "site", "san-pham/index.html", page("<h1>Danh mục</h1>", attrs='data-search-ignore="all"'))
    assert index_site(tmp_path / "site")["pages"] == 0
    assert not (tmp_path / "site" / "search").exists()


def test_index_site_can_be_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "site", "a/index.html", page("<h1>A</h1>"))
    monkeypatch.setenv("HTX_SEARCH", "0")
    assert index_site(tmp_path / "site")["skipped"] == 1
    assert not (tmp_path / "site" / "search").exists()


def test_stager_writes_what_stage_writes(tmp_path: Path) -> None:
    """The plugin hands pages to a worker as MkDocs writes them; the records equal staging from disk."""
    pages = {
        "san-pham/a/duong/index.html": page("<h1>Đường thốt nốt</h1><p>Đặc sản Tri Tôn</p>"),
        "hop-tac-xa/a/index.html": page("<h1>HTX Đồng Tâm</h1>", attrs='data-search-body data-kind="hop-tac-xa"'),
        "san-pham/index.html": page("<h1>Danh mục</h1>", attrs='data-search-ignore="all"'),
        "404.html": page("<h1>Không tìm thấy</h1>"),
    }
    site = tmp_path / "site"
    for rel, html in pages.items():
        write(site, rel, html)
    expected = stage(site, tmp_path / "from-disk")
    stager = Stager()
    try:
        for rel, html in pages.items():
            stager.add(rel, html)
        assert stager.finish() == expected == 2
        staged = sorted(p.relative_to(stager.dir).as_posix() for p in stager.dir.rglob("*.json"))
        assert staged == ["hop-tac-xa/a/index.html.search.json", "san-pham/a/duong/index.html.search.json"]
        for rel in staged:
            assert (stager.dir / rel).read_bytes() == (tmp_path / "from-disk" / rel).read_bytes()
    finally:
        stager.cleanup()
    for _ in range(100):             # removed by a detached process
        if not stager.dir.exists():
            break
        time.sleep(0.1)
    assert not stager.dir.exists()


# ---- ranking (engine.js in Node over a real index) ---------------------------------------------

def run_engine(site: Path, calls: list[list], index: str = "search/") -> list[list[str]]:
    """Run engine.js over site's index in Node (index: its folder, "search/en/" for English pages): each call is
    ["search", query] or ["filter", kind, filters, sort]; return the URL paths of the results of each, in order."""
    script = f"""
import {{ open }} from {json.dumps(ENGINE.as_uri())};
import {{ readFileSync }} from "node:fs";
import {{ fileURLToPath }} from "node:url";
globalThis.fetch = async (url) => {{
  try {{ const text = readFileSync(fileURLToPath(String(url))); return {{ ok: true, json: async () => JSON.parse(text) }}; }}
  catch (e) {{ return {{ ok: false, status: 404 }}; }}
}};
const engine = open({json.dumps(site.as_uri() + "/")}, {json.dumps(index)});
const out = [];
for (const [how, ...args] of {json.dumps(calls)}) {{
  const found = how === "search" ? await engine.search(args[0]) : await engine.filter(...args);
  out.push(await Promise.all(found.results.map(r => r.data().then(d => d.url))));
}}
console.log(JSON.stringify(out));
"""
    done = subprocess.run(["node", "--input-type=module", "-e", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    root = "/" + site.as_uri().split("/", 3)[3] + "/"
    return [[url.removeprefix(root) for url in urls] for urls in json.loads(done.stdout)]


@pytest.fixture(scope="module")
def ranked_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Pages shaped after the cases a visitor met on the synthetic province (issue 23)."""
    site = tmp_path_factory.mktemp("ranking") / "site"
    rank = iter(range(100))
    pages = {
        "hd/dua-ho-so/": page("<h1>Đưa hồ sơ hợp tác xã lên trang</h1><p>Đưa hồ sơ lên, đưa ảnh.</p>"),
        "hd/dua-anh/": page("<h1>Đưa ảnh sản phẩm lên</h1><p>Cách đưa ảnh.</p>"),
        "sp/trai-nghiem/": product("Trải nghiệm làm đường thốt nốt", rank=next(rank), category="du-lich"),
        "sp/tra/": product("Trà thảo mộc", commune="Xã Núi Cấm", text="Trà hái trên núi Cấm.", rank=next(rank)),
        "sp/khom/": product("Khóm sấy giòn", text="Khóm sấy.", rank=next(rank)),
        "sp/dua/": product("Dứa mật", text="Dứa chín cây.", rank=next(rank)),
        "sp/tho-cam/": product("Khăn thổ cẩm", commune="Xã Tri Tôn", text="Dệt thổ cẩm.", rank=next(rank)),
        "sp/mam-chau-phong/": product("Mắm cá linh", coop="HTX Châu Phong", commune="Xã Châu Phong", text="Gần Châu Đốc.", rank=next(rank)),
        "sp/tan-chau/": product("Lụa Tân Châu", coop="HTX Tân Châu", commune="Phường Tân Châu", text="Bán ở Châu Đốc.", rank=next(rank)),
        "sp/mam-chau-doc/": product("Mắm thái", coop="HTX Mắm Bà Giáo", commune="Phường Châu Đốc", rank=next(rank)),
        "sp/kho-ca/": product("Khô cá lóc", text="Khô một nắng.", rank=next(rank)),
        "sp/ocop3/": product("Gạo thơm", stars=3, text="OCOP 3 sao năm 2024.", rank=next(rank)),
        "sp/ocop4/": product("Mật ong", stars=4, text="Đạt OCOP 4 sao, 5 năm liền.", rank=next(rank)),
        "sp/ocop5/": product("Nước mắm nhĩ", stars=5, rank=next(rank)),
        "sp/duong/": product("Đường thốt nốt", text="Nấu từ thốt nốt.", rank=next(rank), category="banh"),
        "sp/mat-ong-tram/": product("Mật ong tràm", text="Ong nuôi trong rừng tràm.", rank=next(rank)),
        "sp/lap-xuong/": product("Lạp xưởng tươi", text="Lạp xưởng.", rank=next(rank)),
        "sp/tra-sam/": product("Trà sâm dứa", text="Trà túi lọc.", rank=next(rank)),
    }
    for url, html in pages.items():
        write(site, url + "index.html", html)
    index_site(site)
    return site


CASES = [
    # (query, the page that must come first, pages that must come after it)
    ("dứa", "sp/dua/", ["hd/dua-ho-so/", "hd/dua-anh/"]),          # exact diacritics first
    ("thổ cẩm", "sp/tho-cam/", ["sp/tra/"]),                         # not tea from Núi Cấm
    ("chau doc", "sp/mam-chau-doc/", ["sp/mam-chau-phong/", "sp/tan-chau/"]),   # the place's name, not its words apart
    ("ocop 5 sao", "sp/ocop5/", ["sp/ocop3/", "sp/ocop4/"]),        # the 5-star product
    ("khô", "sp/kho-ca/", ["sp/khom/"]),                              # whole word before a longer one
    ("kho", "sp/kho-ca/", ["sp/khom/"]),
    ("duong thot not", "sp/duong/", ["sp/trai-nghiem/"]),             # what it is before a tour about it
    ("duong tho", "sp/duong/", ["sp/trai-nghiem/"]),                  # a half-typed last word
    ("lap xu", "sp/lap-xuong/", []),                                  # half-typed, two letters
    ("tra", "sp/tra/", ["sp/mat-ong-tram/"]),                         # a whole word before a longer one that is rarer
]


@node
@pytest.mark.parametrize("query,first,after", CASES, ids=[c[0] for c in CASES])
def test_engine_ranks_the_named_product_first(ranked_site: Path, query: str, first: str, after: list[str]) -> None:
    [urls] = run_engine(ranked_site, [["search", query]])
    assert urls and urls[0] == first, urls
    assert all(u not in urls or urls.index(u) > 0 for u in after), urls


@node
def test_engine_filters_in_catalog_order_and_by_price(ranked_site: Path) -> None:
    everything, banh, stars, by_price, unknown = run_engine(ranked_site, [
        ["filter", "san-pham", {}, None],
        ["filter", "san-pham", {"danh-muc": "banh"}, None],
        ["filter", "san-pham", {"ocop": {"any": ["4", "5"]}}, None],
        ["filter", "san-pham", {"danh-muc": "kho"}, {"gia-len": "desc"}],
        ["filter", "san-pham", {"danh-muc": "../../x"}, None],
    ])
    assert everything[0] == "sp/trai-nghiem/" and len(everything) == 16 and banh == ["sp/duong/"]
    assert stars == ["sp/ocop4/", "sp/ocop5/"] and by_price[0] == "sp/tra-sam/" and by_price[-1] == "sp/tra/"   # price follows rank here
    assert unknown == []
