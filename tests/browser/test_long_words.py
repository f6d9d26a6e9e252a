"""Long words wrap (issue 17, deliverable 6): a cooperative whose every text field holds one unbroken word of
the longest length the schema allows. On a 360 px phone no page is wider than the screen (a 60-letter
word in a name once made a cooperative page 696 px wide)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
import yaml

from tests.browser.conftest import LAUNCH_ARGS, serve  # noqa: F401 (LAUNCH_ARGS: same browser flags)
from tests.conftest import MKDOCS, copy_project, run

pytestmark = pytest.mark.browser

SLUG = "htx-tu-dai"
PRODUCT = "sp-tu-dai"


def word(n: int, first: str = "Đ") -> str:
    """One unbroken word of n characters (Vietnamese letters, so nothing may break it at a hyphen)."""
    return (first + "ườngthốtnốt" * (n // 11 + 1))[:n]


def url(n: int) -> str:
    base = "https://example.vn/"
    return base + "a" * (n - len(base))


def email(n: int) -> str:
    return "a" * (n - len("@example.vn")) + "@example.vn"


def certificate() -> dict:
    return {"loai": "khac", "ten": word(120), "so": word(80), "noi_cap": word(200), "lien_ket": url(500)}


PROFILE = {
    "ma": SLUG, "ho_so_mau": "có", "ten": word(150), "ten_viet_tat": word(60), "loai_hinh": "hop-tac-xa",
    "linh_vuc": ["trong-trot"], "so_dang_ky": word(40), "so_thanh_vien": "12",
    "xac_nhan_ngay": "12/05/2026",
    # With consent, so the longest name is published: in the facts and on the representative's own buttons.
    "nguoi_dai_dien": {"ho_ten": word(200), "chuc_vu": word(200), "dien_thoai": "0912 000 456",
                       "zalo": "0912 000 789", "email": "b" + email(199)},
    "dong_y_cong_khai": {"nguoi_dong_y": word(200), "vai_tro": word(200), "ngay": "10/05/2026"},
    "dia_chi": {"chi_tiet": word(200), "xa_phuong": "Xã Thoại Sơn"},
    "lien_he": {"dien_thoai": ["0912 000 123"], "zalo": "0912 000 123", "email": email(200), "website": url(500),
                "facebook": url(500), "mang_xa_hoi": [{"loai": "youtube", "lien_ket": url(500)}]},
    "kenh_ban_hang": [{"loai": "cua-hang", "lien_ket": url(500), "ghi_chu": word(200)}],
    "gioi_thieu": word(400), "cau_chuyen": word(8000),
    "kieu_moi": {"dich_vu_thanh_vien": [word(200)], "lien_ket": [{"doi_tac": word(200), "noi_dung": word(300)}],
                 "loi_ich_thanh_vien": word(1000)},
    "chung_nhan": [certificate()],
    "san_pham": [{
        "ma": PRODUCT, "ten": word(120), "danh_muc": "gao-nong-san", "gioi_thieu": word(300), "mo_ta": word(5000),
        "gia": "120000", "don_vi": word(60), "quy_cach": word(200), "han_su_dung": word(100),
        "ocop": {"sao": "4", "nam": "2025", "so_quyet_dinh": word(80)}, "chung_nhan": [certificate()],
        "noi_ban": [{"loai": "cua-hang", "lien_ket": url(500), "ghi_chu": word(200)}],
    }],
}

PAGES = ["", f"hop-tac-xa/{SLUG}/", "quyen-rieng-tu/", "bien-tap/tinh-trang/", f"san-pham/{SLUG}/{PRODUCT}/", "san-pham/", "san-pham/gao-nong-san/",
         "san-pham/ocop/", "hop-tac-xa/", "xa-phuong/xa-thoai-son/", "xa-phuong/", "thong-ke/"]


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = copy_project(tmp_path_factory.mktemp("long") / "p")
    folder = project / "cooperatives" / SLUG
    folder.mkdir()
    (folder / "profile.yml").write_text(yaml.safe_dump(PROFILE, allow_unicode=True, sort_keys=False), encoding="utf-8")
    staff = project / "cooperatives" / "noi-bat.yml"
    staff.write_text(f"noi_bat:\n  - {SLUG}/{PRODUCT}\n", encoding="utf-8")
    result = run(MKDOCS + ["build", "--strict"], project)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    with serve(project / "site") as url:
        yield url


@pytest.mark.parametrize("path", PAGES)
def test_no_page_is_wider_than_a_360px_phone(browser, long_site: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="vi-VN")
    try:
        page = context.new_page()
        page.goto(long_site + path)
        page.wait_for_load_state("load")
        assert word(40) in page.content() or path in ("xa-phuong/", "thong-ke/", "quyen-rieng-tu/")
        page.mouse.move(10, 300)             # Material's bundle too (it loads on the first interaction)
        page.wait_for_function("() => typeof window.document$ !== 'undefined'")
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > 361 && !e.closest('.md-typeset__scrollwrap, .md-sidebar, [hidden]'))
            .slice(0, 5).map(e => e.tagName + '.' + e.className)""")
        assert width <= 360, (path, width, wide)
    finally:
        context.close()
